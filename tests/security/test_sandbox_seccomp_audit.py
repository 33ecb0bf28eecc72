"""The system call filter weighed call by call against Docker's default profile and Flatpak's (fix419): each call of
both tables that either refuses is refused here or named in ``ALLOWED`` with its reason; before, ``fanotify_init``,
``name_to_handle_at``, ``kcmp``, the NUMA calls, the clock's setters and a dozen more passed unsaid. And a number
above the tables' last is answered ENOSYS: before, a kernel newer than the tables offered its every new call to a
hostile program. Each architecture's program in the table test's BPF evaluator, and this machine's in real bwrap."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path

import pytest

from orchestra import sandbox_seccomp
from orchestra.sandbox import detect
from orchestra.sandbox_seccomp import ALLOWED, AUDIT_ARCH, DENIED, NUMBERS, RET_ALLOW, RET_ERRNO, RET_KILL_PROCESS
from tests.security.test_sandbox_seccomp import _errnos, _numbers, _run
from tests.security.test_sandbox_seccomp_table import _run as _evaluate

# The calls of Linux 6.19's x86-64 and AArch64 tables that Docker's default profile (moby
# profiles/seccomp/default.json) refuses a container without capabilities, or that are newer than that profile.
DOCKER_REFUSES_OR_LACKS = (
    "ustat", "sysfs", "vhangup", "_sysctl", "settimeofday", "sethostname", "setdomainname", "iopl", "ioperm",
    "create_module", "get_kernel_syms", "query_module", "nfsservctl", "getpmsg", "putpmsg", "afs_syscall", "tuxcall",
    "security", "lookup_dcookie", "clock_settime", "vserver", "mbind", "set_mempolicy", "get_mempolicy",
    "fanotify_init", "kcmp", "uretprobe", "uprobe", "process_madvise", "set_mempolicy_home_node", "cachestat",
    "fchmodat2", "map_shadow_stack", "futex_wake", "futex_wait", "futex_requeue", "statmount", "listmount",
    "lsm_get_self_attr", "lsm_set_self_attr", "lsm_list_modules", "mseal", "setxattrat", "getxattrat", "listxattrat",
    "removexattrat", "file_getattr", "file_setattr", "listns", "bpf", "fsconfig", "fsmount", "fsopen", "fspick",
    "mount", "mount_setattr", "move_mount", "open_tree", "open_tree_attr", "perf_event_open", "quotactl",
    "quotactl_fd", "setns", "syslog", "umount2", "open_by_handle_at", "reboot", "chroot", "delete_module",
    "init_module", "finit_module", "acct", "pidfd_getfd", "kexec_load", "kexec_file_load", "add_key", "request_key",
    "keyctl", "userfaultfd", "pivot_root", "swapon", "swapoff", "uselib", "migrate_pages", "move_pages",
)  # fmt: skip
# Flatpak's blocklist (flatpak-run.c, setup_seccomp), less the calls refused by argument (clone, unshare, ioctl).
FLATPAK_REFUSES = (
    "syslog", "uselib", "acct", "modify_ldt", "quotactl", "add_key", "keyctl", "request_key", "move_pages", "mbind",
    "get_mempolicy", "set_mempolicy", "migrate_pages", "setns", "mount", "umount2", "pivot_root", "chroot",
    "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
)  # fmt: skip
# The calls an argument check answers (test_sandbox_seccomp.py and the sockets test check their arguments).
BY_ARGUMENT = ("clone", "unshare", "personality", "socket", "socketpair")
FIRST_UNLISTED = 471  # one above listns, the last number of Linux 6.19's tables (both share one numbering from 424)
# The numbers each table leaves free below it, where a call of one architecture alone may come (kernel tables).
FREE = {"x86_64": range(337, 424), "aarch64": (*range(244, 260), *range(295, 424))}
FACCESSAT2 = 439  # Linux 5.8: glibc's faccessat tries it first and falls back where the kernel lacks it


def _denied() -> set[str]:
    return {name for _error, _why, names in DENIED for name in names}


def _allowed() -> set[str]:
    return {name for _why, names in ALLOWED for name in names}


@pytest.mark.parametrize("arch", list(AUDIT_ARCH))
def test_every_call_docker_or_flatpak_refuses_is_refused_or_its_allowance_said(arch: str) -> None:
    code = sandbox_seccomp.program(arch)
    assert code is not None
    column, token = list(AUDIT_ARCH).index(arch), AUDIT_ARCH[arch]
    unsaid, not_refused = [], []
    for name in sorted({*DOCKER_REFUSES_OR_LACKS, *FLATPAK_REFUSES} - set(BY_ARGUMENT)):
        if name in _allowed():
            continue
        number = NUMBERS.get(name, (None, None))[column]
        if name not in _denied():
            unsaid.append(name)
        elif number is not None and _evaluate(code, token, number) == RET_ALLOW:
            not_refused.append(name)
    assert not unsaid, f"refused by Docker or Flatpak, neither refused nor said allowed here: {unsaid}"
    assert not not_refused, f"listed as denied, let through by {arch}'s program: {not_refused}"


def test_no_call_is_both_denied_and_allowed() -> None:
    assert not _denied() & _allowed()
    assert not set(BY_ARGUMENT) & (_denied() | _allowed())


@pytest.mark.parametrize("arch", list(AUDIT_ARCH))
def test_a_number_above_the_tables_is_answered_enosys(arch: str) -> None:
    code = sandbox_seccomp.program(arch)
    assert code is not None
    token = AUDIT_ARCH[arch]
    above = [*range(FIRST_UNLISTED, 1024), 0x3FFFFFFF, -1]  # seccomp_data.nr is signed
    if arch == "aarch64":  # x86-64 kills the x32 ABI's numbers
        above += [0x40000000, 0x7FFFFFFF]
    answered = {number: _evaluate(code, token, number) for number in above + list(FREE[arch])}
    assert {number for number, answer in answered.items() if answer != RET_ERRNO | errno.ENOSYS} == set()
    # file_setattr (6.17), and the calls each side of the free numbers: in the tables
    in_tables = {"x86_64": (FIRST_UNLISTED - 2, 336, 424), "aarch64": (FIRST_UNLISTED - 2, 243, 260, 424)}
    assert [_evaluate(code, token, number) for number in in_tables[arch]] == [RET_ALLOW] * len(in_tables[arch])
    assert _evaluate(code, token, 0x40000000 | 39) == (
        RET_KILL_PROCESS if arch == "x86_64" else RET_ERRNO | errno.ENOSYS
    )


@pytest.fixture
def bwrap() -> None:
    sandbox = detect("auto")
    if sandbox.mode != "bwrap":
        pytest.skip(f"no sandbox here: {sandbox.reason}")


@pytest.fixture
def tables_ending_before_faccessat2(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A filter whose tables end before faccessat2, as this module's would on a kernel newer than its audit."""
    monkeypatch.setattr(sandbox_seccomp, "LAST_NUMBER", FACCESSAT2 - 1)
    sandbox_seccomp._program.cache_clear()
    yield
    sandbox_seccomp._program.cache_clear()


# faccessat2 called raw (its errno), then through glibc's faccessat with a flag only faccessat2 takes.
FALLS_BACK = f"""
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
ctypes.set_errno(0)
libc.syscall(ctypes.c_long({FACCESSAT2}), *(ctypes.c_long(0) for _ in range(4)))
print(ctypes.get_errno(), os.access("/usr", os.R_OK, follow_symlinks=False))
"""


@pytest.mark.usefixtures("bwrap")
async def test_numbers_above_the_tables_are_answered_enosys_in_bwrap(tmp_path: Path) -> None:
    said = await _errnos(tmp_path, [("first_unlisted", FIRST_UNLISTED, []), ("far_above", 1000, [])])
    assert said == {"first_unlisted": errno.ENOSYS, "far_above": errno.ENOSYS}
    status, out, err = await _run(tmp_path, "/usr/bin/python3", "-c", FALLS_BACK)
    assert (status, out.split()) == (0, [str(errno.EFAULT), "True"]), err  # a null path: faccessat2 ran


@pytest.mark.usefixtures("bwrap", "tables_ending_before_faccessat2")
async def test_a_call_newer_than_the_tables_is_answered_enosys_and_libc_falls_back(tmp_path: Path) -> None:
    status, out, err = await _run(tmp_path, "/usr/bin/python3", "-c", FALLS_BACK)
    # On main the filter had no ceiling: faccessat2 reached the kernel whatever the tables knew.
    assert (status, out.split()) == (0, [str(errno.ENOSYS), "True"]), err


@pytest.mark.usefixtures("bwrap")
async def test_the_calls_refused_since_the_audit_answer_the_filters_errno(tmp_path: Path) -> None:
    """Calls this audit refused, named here rather than read from DENIED (test_sandbox_seccomp.py calls every denied
    call so): one dropped from DENIED fails here. Those whose unfiltered answer is the filter's own (vhangup,
    sethostname, fanotify_init: EPERM without the capability) are left to that test."""
    numbers = _numbers()
    added = {
        "kcmp": errno.EPERM, "name_to_handle_at": errno.EOPNOTSUPP, "cachestat": errno.ENOSYS,
        "statmount": errno.ENOSYS, "lsm_get_self_attr": errno.ENOSYS, "get_mempolicy": errno.EPERM,
        "clock_settime": errno.EPERM, "process_madvise": errno.EPERM, "lookup_dcookie": errno.EPERM,
    }  # fmt: skip
    # Zero arguments: unfiltered each fails otherwise (ESRCH, EFAULT, EBADF, EINVAL, ENOSYS) or succeeds doing nothing.
    said = await _errnos(tmp_path, [(name, numbers[name], [0] * 6) for name in added])
    assert said == added
