"""A sandboxed program runs under a system call filter (orchestra/sandbox_seccomp.py): kernel surfaces no tool needs
are refused, and a call through another ABI kills the program. Before it, a hostile plan's program could take memory
the watchdog cannot weigh (memfd_secret), do I/O past every filter (io_uring), reach eBPF, perf, keyrings and
AF_ALG sockets, and switch its personality. Real programs in real bwrap; ordinary work (threads, children, pipes,
sockets) still runs."""

from __future__ import annotations

import asyncio
import errno
import json
import signal
from pathlib import Path

import pytest

from orchestra.sandbox import Jail, Limits, detect, kill_group
from orchestra.sandbox_seccomp import AUDIT_ARCH, DENIED, NUMBERS, machine

# Calls each (name, number, arguments) given on stdin and says, for each, its errno or "ok". Zero arguments make
# each call harmless where it is allowed (memfd_secret(0) succeeds; the others fail on their
# arguments or permissions with another errno than the filter's, or change nothing).
CALLS = """
import ctypes, json, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
said = {}
for name, number, arguments in json.load(sys.stdin):
    ctypes.set_errno(0)
    result = libc.syscall(ctypes.c_long(number), *(ctypes.c_long(argument) for argument in arguments))
    said[name] = "ok" if result >= 0 else ctypes.get_errno()
print(json.dumps(said))
"""

CLONE_FILES, CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWNET, CLONE_NEWTIME, SIGCHLD = (
    0x400,
    0x20000,
    0x10000000,
    0x40000000,
    0x80,
    17,
)
AF_ALG, AF_VSOCK, AF_UNIX, SOCK_STREAM, SOCK_SEQPACKET = 38, 40, 1, 1, 5
READ_IMPLIES_EXEC, PER_QUERY = 0x0400000, 0xFFFFFFFF
PTRACE_ATTACH = 16

# What ordinary programs do still works: threads and children (glibc falls back from clone3 to clone), a Unix socket,
# and the filter's own descriptor is closed before the program starts.
ORDINARY = """
import json, os, socket, subprocess, threading
descriptors = sorted(int(fd) for fd in os.listdir("/proc/self/fd"))  # 3 is the listing's own
done = []
thread = threading.Thread(target=done.append, args=("thread",))
thread.start(); thread.join()
child = subprocess.run(["sh", "-c", "echo child | cat"], capture_output=True, text=True).stdout.strip()
left, right = socket.socketpair()
left.sendall(b"pair")
print(json.dumps({"thread": done, "child": child, "pair": right.recv(4).decode(), "descriptors": descriptors}))
"""

# An x32 call (the number with bit 30 set: getpid) and an i386 one (int 0x80 from a page of code: mov eax, 20;
# int 0x80; ret) on x86-64: both are killed, never answered.
X32_CALL = """
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
print("answered", libc.syscall(ctypes.c_long(0x40000000 | 39)), flush=True)
"""
I386_CALL = """
import ctypes, mmap
page = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
page.write(bytes([0xB8, 20, 0, 0, 0, 0xCD, 0x80, 0xC3]))
address = ctypes.addressof(ctypes.c_char.from_buffer(page))
print("answered", ctypes.CFUNCTYPE(ctypes.c_int)(address)(), flush=True)
"""


@pytest.fixture(autouse=True)
def _bwrap() -> None:
    sandbox = detect("auto")
    if sandbox.mode != "bwrap":
        pytest.skip(f"no sandbox here: {sandbox.reason}")


async def _run(tmp_path: Path, *argv: str, given: str = "") -> tuple[int | None, str, str]:
    sandbox = detect("auto")
    sandbox.prepare_workspace(tmp_path)
    jail = Jail(workspace=tmp_path, cwd=tmp_path, limits=Limits(cpu_s=60))
    process = await sandbox.spawn(argv, jail, stdin=asyncio.subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(process.communicate(given.encode()), 120)
    finally:
        kill_group(process)
    return process.returncode, out.decode(), err.decode()


async def _errnos(tmp_path: Path, calls: list[tuple[str, int, list[int]]]) -> dict[str, object]:
    status, out, err = await _run(tmp_path, "/usr/bin/python3", "-c", CALLS, given=json.dumps(calls))
    assert status == 0, err
    said: dict[str, object] = json.loads(out)
    return said


def _numbers() -> dict[str, int]:
    """This machine's numbers (the tables' own: tests/security/test_sandbox_seccomp_table.py checks them)."""
    column = list(AUDIT_ARCH).index(machine())
    return {name: number for name, pair in NUMBERS.items() if (number := pair[column]) is not None}


async def test_each_denied_call_is_refused_with_its_errno(tmp_path: Path) -> None:
    numbers = _numbers()
    expected = {name: error for error, _why, names in DENIED for name in names if name in numbers}
    arguments = {"ptrace": [PTRACE_ATTACH, 0]}  # not PTRACE_TRACEME, which would succeed unfiltered
    calls = [(name, numbers[name], arguments.get(name, [0] * 6)) for name in expected]
    said = await _errnos(tmp_path, calls)
    wrong = {name: (errno.errorcode.get(got, got) if isinstance(got, int) else got, errno.errorcode[expected[name]])
             for name, got in said.items() if got != expected[name]}  # fmt: skip
    assert not wrong, f"answered otherwise than the filter's (got, expected): {wrong}"


async def test_namespaces_exotic_sockets_and_unsafe_personalities_are_refused_by_argument(tmp_path: Path) -> None:
    numbers = _numbers()
    clone, unshare, socket, personality = (numbers[name] for name in ("clone", "unshare", "socket", "personality"))
    said = await _errnos(tmp_path, [
        ("unshare_user", unshare, [CLONE_NEWUSER]),
        ("unshare_mounts", unshare, [CLONE_NEWNS]),
        ("unshare_time", unshare, [CLONE_NEWTIME]),
        ("unshare_files", unshare, [CLONE_FILES]),  # a descriptor table of its own: no namespace
        ("clone_user", clone, [CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0]),
        ("clone_net", clone, [CLONE_NEWNET | SIGCHLD, 0, 0, 0, 0]),
        ("alg_socket", socket, [AF_ALG, SOCK_SEQPACKET, 0]),
        ("vsock_socket", socket, [AF_VSOCK, SOCK_STREAM, 0]),
        ("unix_socket", socket, [AF_UNIX, SOCK_STREAM, 0]),
        ("read_implies_exec", personality, [READ_IMPLIES_EXEC]),
        ("personality_query", personality, [PER_QUERY]),
    ])  # fmt: skip
    assert said == {
        "unshare_user": errno.EPERM, "unshare_mounts": errno.EPERM, "unshare_time": errno.EPERM, "unshare_files": "ok",
        "clone_user": errno.EPERM, "clone_net": errno.EPERM, "alg_socket": errno.EAFNOSUPPORT,
        "vsock_socket": errno.EAFNOSUPPORT, "unix_socket": "ok", "read_implies_exec": errno.EPERM,
        "personality_query": "ok",
    }  # fmt: skip


async def test_unshare_of_a_user_namespace_fails_by_the_filter(tmp_path: Path) -> None:
    status, _, err = await _run(tmp_path, "/usr/bin/unshare", "-U", "true")
    # Without the filter bwrap's --disable-userns answered ENOSPC ("No space left on device").
    assert status != 0 and "Operation not permitted" in err, err


async def test_ordinary_programs_still_run(tmp_path: Path) -> None:
    status, out, err = await _run(tmp_path, "/usr/bin/python3", "-c", ORDINARY)
    assert status == 0, err
    seen = json.loads(out)
    assert (seen["thread"], seen["child"], seen["pair"]) == (["thread"], "child", "pair")
    assert seen["descriptors"] == [0, 1, 2, 3], "a descriptor (the filter's) was left open to the program"


@pytest.mark.parametrize("program", [X32_CALL, I386_CALL], ids=["x32", "i386"])
async def test_a_call_through_another_abi_kills_the_program(tmp_path: Path, program: str) -> None:
    if machine() != "x86_64":
        pytest.skip("the x32 and i386 ABIs are x86-64's")
    status, out, _ = await _run(tmp_path, "/usr/bin/python3", "-c", program)
    assert "answered" not in out and status == 128 + signal.SIGSYS, (status, out)
