"""The gaps attack395 found in the system call filter: ``socketpair`` made sockets of any family (AF_VSOCK's code ran,
and TIPC's is a working pair on a distro kernel), ``IPPROTO_SMC`` made SMC sockets through IPv4 and IPv6 (Linux 6.11),
and a number of no ABI (``syscall(-1)``) killed the program where the kernel answers ENOSYS. Real programs in real
bwrap, and each architecture's program in the table test's BPF evaluator."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from orchestra import sandbox_seccomp
from orchestra.sandbox import detect
from orchestra.sandbox_seccomp import AUDIT_ARCH, NUMBERS, RET_ALLOW, RET_ERRNO, RET_KILL_PROCESS
from tests.security.test_sandbox_seccomp import AF_UNIX, AF_VSOCK, SOCK_STREAM, _errnos, _numbers
from tests.security.test_sandbox_seccomp_table import _run

AF_INET, AF_INET6, AF_NETLINK, AF_TIPC, IPPROTO_SMC = 2, 10, 16, 30, 256
NO_ABI = (-1, (0x80000000 | 39) - (1 << 32))  # numbers from 0x80000000 up, as seccomp_data's signed nr holds them


@pytest.fixture
def bwrap() -> None:
    sandbox = detect("auto")
    if sandbox.mode != "bwrap":
        pytest.skip(f"no sandbox here: {sandbox.reason}")


@pytest.mark.usefixtures("bwrap")
async def test_socketpair_of_a_refused_family_is_refused(tmp_path: Path) -> None:
    socketpair, socket = _numbers()["socketpair"], _numbers()["socket"]
    # A null address for the pair: unfiltered, the kernel fails writing its descriptors (EFAULT) before it makes the
    # sockets, so no family's code runs and the filter's answer is told apart.
    said = await _errnos(tmp_path, [
        ("vsock_pair", socketpair, [AF_VSOCK, SOCK_STREAM, 0, 0]),
        ("tipc_pair", socketpair, [AF_TIPC, SOCK_STREAM, 0, 0]),
        ("unix_pair", socketpair, [AF_UNIX, SOCK_STREAM, 0, 0]),
        ("smc_socket", socket, [AF_INET, SOCK_STREAM, IPPROTO_SMC]),
        ("inet_socket", socket, [AF_INET, SOCK_STREAM, 0]),
    ])  # fmt: skip
    # Before, the refused families' pairs answered EFAULT here (AF_VSOCK's code ran given an address: EOPNOTSUPP).
    assert said == {
        "vsock_pair": errno.EAFNOSUPPORT, "tipc_pair": errno.EAFNOSUPPORT, "unix_pair": errno.EFAULT,
        "smc_socket": errno.EPROTONOSUPPORT, "inet_socket": "ok",
    }  # fmt: skip


@pytest.mark.usefixtures("bwrap")
async def test_a_number_of_no_abi_is_answered_enosys(tmp_path: Path) -> None:
    if sandbox_seccomp.machine() != "x86_64":
        pytest.skip("the x32 numbers' kill is x86-64's")
    said = await _errnos(tmp_path, [("minus_one", NO_ABI[0], []), ("bit_31", NO_ABI[1], [])])
    assert said == {"minus_one": errno.ENOSYS, "bit_31": errno.ENOSYS}  # both killed the program before


@pytest.mark.parametrize("arch", list(AUDIT_ARCH))
def test_each_architectures_program_checks_pairs_and_protocols(arch: str) -> None:
    code = sandbox_seccomp.program(arch)
    assert code is not None
    column, token = list(AUDIT_ARCH).index(arch), AUDIT_ARCH[arch]
    socket, socketpair = (NUMBERS[name][column] or 0 for name in ("socket", "socketpair"))
    for call in (socket, socketpair):
        for family in (AF_VSOCK, AF_TIPC, 38, 17):  # and AF_ALG, AF_PACKET
            assert _run(code, token, call, family, SOCK_STREAM, 0) == RET_ERRNO | errno.EAFNOSUPPORT, (call, family)
        for family in (AF_INET, AF_INET6):
            assert _run(code, token, call, family, SOCK_STREAM, IPPROTO_SMC) == RET_ERRNO | errno.EPROTONOSUPPORT
            assert _run(code, token, call, family, SOCK_STREAM, 6) == RET_ALLOW  # IPPROTO_TCP
        for family in (AF_UNIX, AF_NETLINK):
            assert _run(code, token, call, family, SOCK_STREAM, IPPROTO_SMC) == RET_ALLOW  # a protocol of their own
    no_abi = RET_ERRNO | errno.ENOSYS  # on AArch64 by the ceiling over the table's last number
    assert [_run(code, token, number) for number in NO_ABI] == [no_abi, no_abi]
    assert _run(code, token, 0x7FFFFFFF) == (RET_KILL_PROCESS if arch == "x86_64" else no_abi)
