"""The seccomp filter's numbers and program, checked without a sandbox: each number against libseccomp's own tables
(Debian's libseccomp2, a dependency of apt), and each architecture's program run by a small classic-BPF evaluator, so
the AArch64 one is checked on an x86-64 machine too (tests/security/test_sandbox_seccomp.py runs this machine's in
real bwrap)."""

from __future__ import annotations

import ctypes
import errno
import struct

import pytest

from orchestra import sandbox_seccomp
from orchestra.sandbox import Sandbox, _seccomp_fds
from orchestra.sandbox_seccomp import (
    AUDIT_ARCH,
    CLONE_NAMESPACE_FLAGS,
    DENIED,
    JEQ,
    JGE,
    JSET,
    LAST_NUMBER,
    LD_W_ABS,
    NUMBERS,
    RET,
    RET_ALLOW,
    RET_ERRNO,
    RET_KILL_PROCESS,
    UNASSIGNED,
)

# Newer than Debian 12's libseccomp (2.5.4): the kernel's tables (syscall_64.tbl, scripts/syscall.tbl) say these.
UNKNOWN_TO_LIBSECCOMP = {
    "statmount": (457, 457), "listmount": (458, 458), "lsm_get_self_attr": (459, 459),
    "lsm_set_self_attr": (460, 460), "lsm_list_modules": (461, 461), "open_tree_attr": (467, 467),
    "listns": (470, 470),
}  # fmt: skip
I386 = 0x40000003


def test_every_number_is_libseccomps() -> None:
    library = ctypes.CDLL("libseccomp.so.2")
    library.seccomp_syscall_resolve_name_arch.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
    wrong = {}
    for name, pair in NUMBERS.items():
        theirs = tuple(library.seccomp_syscall_resolve_name_arch(token, name.encode()) for token in AUDIT_ARCH.values())
        theirs = tuple(None if number < 0 else number for number in theirs)
        if theirs != pair and UNKNOWN_TO_LIBSECCOMP.get(name) != pair:
            wrong[name] = (pair, theirs)
    assert not wrong, f"ours against libseccomp's (x86-64, AArch64): {wrong}"


def _run(code: bytes, arch: int, number: int, *arguments: int) -> int:
    """What the program answers to one call: a classic-BPF evaluator of the instructions the builder emits."""
    data = struct.pack("=iIQ6Q", number, arch, 0, *arguments, *[0] * (6 - len(arguments)))
    program: list[tuple[int, int, int, int]] = [
        struct.unpack("=HBBI", code[at : at + 8]) for at in range(0, len(code), 8)
    ]
    counter, accumulator = 0, 0
    while True:
        operation, true, false, constant = program[counter]
        counter += 1
        if operation == LD_W_ABS:
            accumulator = int(struct.unpack_from("=I", data, constant)[0])
        elif operation == RET:
            return constant
        else:
            taken = {JEQ: accumulator == constant, JGE: accumulator >= constant, JSET: accumulator & constant != 0}
            counter += true if taken[operation] else false


@pytest.mark.parametrize("arch", list(AUDIT_ARCH))
def test_each_architectures_program_refuses_what_it_lists(arch: str) -> None:
    code = sandbox_seccomp.program(arch)
    assert code is not None and len(code) % 8 == 0
    column, token = list(AUDIT_ARCH).index(arch), AUDIT_ARCH[arch]
    number = {name: pair[column] for name, pair in NUMBERS.items()}
    for error, _why, names in DENIED:
        for name in names:
            if (nr := number[name]) is not None:
                assert _run(code, token, nr) == RET_ERRNO | error, name
    for flag in (1 << bit for bit in range(32) if CLONE_NAMESPACE_FLAGS >> bit & 1):
        assert _run(code, token, number["clone"] or 0, flag | 17) == RET_ERRNO | errno.EPERM, hex(flag)
    assert _run(code, token, number["clone"] or 0, 17) == RET_ALLOW  # SIGCHLD alone: a fork
    for flag in (CLONE_NAMESPACE_FLAGS, 0x80, 0x10000000):  # all of them, CLONE_NEWTIME, CLONE_NEWUSER
        assert _run(code, token, number["unshare"] or 0, flag) == RET_ERRNO | errno.EPERM, hex(flag)
    assert _run(code, token, number["unshare"] or 0, 0x400) == RET_ALLOW  # CLONE_FILES
    assert _run(code, token, number["socket"] or 0, 38) == RET_ERRNO | errno.EAFNOSUPPORT  # AF_ALG
    assert _run(code, token, number["socket"] or 0, 10) == RET_ALLOW  # AF_INET6
    assert _run(code, token, number["personality"] or 0, 0x0040000) == RET_ERRNO | errno.EPERM  # ADDR_NO_RANDOMIZE
    assert _run(code, token, number["personality"] or 0, 0xFFFFFFFF) == RET_ALLOW
    listed = {nr for nr in number.values() if nr is not None}
    free = {nr for first, last in UNASSIGNED[arch] for nr in range(first, last + 1)}
    unlisted = set(range(LAST_NUMBER + 1)) - listed - free
    refused = [nr for nr in sorted(unlisted) if _run(code, token, nr) != RET_ALLOW]
    assert not refused, f"calls no table lists, refused: {refused}"
    assert _run(code, I386, 20) == RET_KILL_PROCESS
    assert _run(code, token, 0x40000000 | 39) == (RET_KILL_PROCESS if arch == "x86_64" else RET_ERRNO | errno.ENOSYS)


def test_a_machine_without_tables_has_no_filter() -> None:
    assert sandbox_seccomp.program("riscv64") is None and sandbox_seccomp.program("x86_64") is not None


def test_a_sandbox_without_a_filter_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox_seccomp, "machine", lambda: "riscv64")
    monkeypatch.setattr(sandbox_seccomp, "program", lambda arch=None: None)
    assert Sandbox(mode="bwrap").describe() == "bubblewrap (user namespace, no system call filter for riscv64)"
    assert Sandbox(mode="bwrap")._filter(_seccomp_fds(), inner=False) == []
