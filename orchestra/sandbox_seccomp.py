"""The system call filter every sandboxed program runs under: kernel surfaces no tool needs, refused.

bubblewrap's namespaces, mounts and uid decide what a program may see; this decides which of the kernel's
entry points it may reach at all. It is a denylist in the spirit of Flatpak's (flatpak-run.c,
``setup_seccomp``) and Docker's default profile (moby ``profiles/seccomp/default.json``): what ordinary programs
never call, or call only to escape, attack the kernel or hide from the worker's watchdog. Each group says why.

The program is classic BPF (``struct sock_filter``), built here once per worker; sandbox.py hands it to the
bubblewrap that starts the program (``--seccomp FD``) in a memfd of its own at every spawn. It
- kills a process whose call comes through any other ABI than the programs' own (``seccomp_data.arch``
  other than x86-64 or AArch64: the i386 ``int 0x80`` gate, arm32 compat) and, on x86-64, through the x32
  ABI (numbers from 0x40000000 to 0x7fffffff: x32 sets bit 30), whose numbers the tables below do not cover; a
  number from 0x80000000 up (``syscall(-1)``, a probe) is no call of any ABI, and is answered ENOSYS as the
  kernel answers it;
- answers every number above ``LAST_NUMBER`` (the tables' last call), and those the tables leave free below it
  (``UNASSIGNED``), ENOSYS: a call newer than the audit is refused until audited, as a kernel without it would
  answer, so the denylist is default-deny for the future;
- answers a denied call with EPERM, or ENOSYS where a program should fall back as on an older kernel
  (io_uring to plain reads and writes, ``clone3`` to ``clone``, the new mount API), or what a kernel without the
  feature answers (EOPNOTSUPP for file handles);
- looks at arguments of five calls: ``clone`` and ``unshare`` (namespace flags: ``unshare(CLONE_FILES)``
  and its like stay), ``personality`` (only Docker's safe set), and ``socket`` and ``socketpair`` (only Unix,
  IPv4, IPv6 and netlink: AF_ALG, AF_VSOCK, AF_TIPC and their kin have had exploitable bugs; EAFNOSUPPORT, as for
  a family the kernel lacks. ``socketpair`` makes its sockets of any family as ``socket`` does, and TIPC's are a
  working pair: attack395 F1. IPv4 and IPv6 not with ``IPPROTO_SMC``, which makes an SMC socket through them since
  Linux 6.11: EPROTONOSUPPORT, as a kernel without SMC answers).

Which table is the programs' is read from ``/bin/sh``'s ELF header, not the kernel's name: an i386 userland on an
x86-64 kernel would have had the x86-64 filter, which kills its every call (attack395 F5); it runs unfiltered
instead, as on any architecture the tables lack, and the worker says so at start.

Numbers come from the kernel's tables: ``arch/x86/entry/syscalls/syscall_64.tbl`` for x86-64,
``include/uapi/asm-generic/unistd.h`` (``scripts/syscall.tbl`` since 6.11) for AArch64; from 424 on both
share one numbering. tests/security/test_sandbox_seccomp_table.py checks them against libseccomp's. Every call of
both tables up to Linux 6.19's was weighed against Docker's profile and Flatpak's: ``DENIED`` holds what is
refused, ``ALLOWED`` the calls Docker refuses (or newer than its profile) that ordinary programs keep.
"""

from __future__ import annotations

import errno
import functools
import os
import struct
import sys

# (x86-64, AArch64); None where that architecture has no such call.
NUMBERS: dict[str, tuple[int | None, int | None]] = {
    "socket": (41, 198), "socketpair": (53, 199), "clone": (56, 220), "ptrace": (101, 117), "syslog": (103, 116),
    "uselib": (134, None), "personality": (135, 92), "ustat": (136, None), "sysfs": (139, None), "vhangup": (153, 58),
    "modify_ldt": (154, None), "pivot_root": (155, 41), "chroot": (161, 51), "acct": (163, 89),
    "settimeofday": (164, 170), "mount": (165, 40), "umount2": (166, 39), "swapon": (167, 224), "swapoff": (168, 225),
    "reboot": (169, 142), "sethostname": (170, 161), "setdomainname": (171, 162), "iopl": (172, None),
    "ioperm": (173, None), "init_module": (175, 105), "delete_module": (176, 106), "quotactl": (179, 60),
    "lookup_dcookie": (212, 18), "clock_settime": (227, 112), "mbind": (237, 235), "set_mempolicy": (238, 237),
    "get_mempolicy": (239, 236), "kexec_load": (246, 104), "add_key": (248, 217), "request_key": (249, 218),
    "keyctl": (250, 219), "migrate_pages": (256, 238), "unshare": (272, 97), "move_pages": (279, 239),
    "perf_event_open": (298, 241), "fanotify_init": (300, 262), "name_to_handle_at": (303, 264),
    "open_by_handle_at": (304, 265), "setns": (308, 268), "process_vm_readv": (310, 270),
    "process_vm_writev": (311, 271), "kcmp": (312, 272), "finit_module": (313, 273), "kexec_file_load": (320, 294),
    "bpf": (321, 280), "userfaultfd": (323, 282), "io_uring_setup": (425, 425), "io_uring_enter": (426, 426),
    "io_uring_register": (427, 427), "open_tree": (428, 428), "move_mount": (429, 429), "fsopen": (430, 430),
    "fsconfig": (431, 431), "fsmount": (432, 432), "fspick": (433, 433), "clone3": (435, 435),
    "pidfd_getfd": (438, 438), "process_madvise": (440, 440), "mount_setattr": (442, 442), "quotactl_fd": (443, 443),
    "memfd_secret": (447, 447), "set_mempolicy_home_node": (450, 450), "cachestat": (451, 451), "statmount": (457, 457),
    "listmount": (458, 458), "lsm_get_self_attr": (459, 459), "lsm_set_self_attr": (460, 460),
    "lsm_list_modules": (461, 461), "open_tree_attr": (467, 467), "listns": (470, 470),
}  # fmt: skip
# The last number of both tables (Linux 6.19's listns): a number above it is a call newer than this module's
# audit, answered ENOSYS as a kernel without it answers, so a kernel newer than the tables offers a hostile program
# nothing new; programs and libc fall back as they do on an older kernel. Move it only with an audit of what it adds.
LAST_NUMBER = 470
# Below it, the numbers each table leaves free, where a call of that architecture alone may come (x86-64's uprobe
# took 336 in 6.16; asm-generic keeps 244 to 259 for such calls): answered ENOSYS alike.
UNASSIGNED = {"x86_64": ((337, 423),), "aarch64": ((244, 259), (295, 423))}

# (errno, why, calls): refused whatever their arguments.
DENIED: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (errno.EPERM, "namespaces and mounts of its own: the sandbox's are bubblewrap's, and a nested user "
     "namespace opens kernel code written for root to any uid",
     ("setns", "mount", "umount2", "pivot_root", "chroot")),
    (errno.ENOSYS, "mounts and namespaces listed by calls newer than /proc's files (statmount, listmount, listns): "
     "new kernel code for what /proc/self/mountinfo tells; libmount falls back to it",
     ("statmount", "listmount", "listns")),
    (errno.ENOSYS, "the new mount API, which changes mounts as mount does (Flatpak, CVE-2021-41133)",
     ("open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr", "open_tree_attr")),
    (errno.ENOSYS, "clone3: its flags lie in memory no filter can read, so its namespace flags cannot be "
     "refused as clone's are; libc falls back to clone", ("clone3",)),
    (errno.ENOSYS, "io_uring: I/O the kernel does from rings in memory, past any system call filter and the "
     "watchdog's view of /proc, and a large surface of kernel bugs", ("io_uring_setup", "io_uring_enter",
                                                                      "io_uring_register")),
    (errno.ENOSYS, "memfd_secret: memory taken out of the kernel's own map, which the watchdog cannot "
     "weigh as it weighs a memfd", ("memfd_secret",)),
    (errno.EPERM, "userfaultfd: stalls the kernel part way through a copy, the race window of many "
     "exploits", ("userfaultfd",)),
    (errno.EPERM, "kernel keyrings: kernel state no namespace of the sandbox's separates",
     ("add_key", "request_key", "keyctl")),
    (errno.EPERM, "eBPF and perf events: programs run in the kernel and profiling, a source of many CVEs",
     ("bpf", "perf_event_open")),
    (errno.EPERM, "calls on another process's memory, descriptors and kernel objects: kernel surface no program "
     "of a step needs (no wall between a step's processes: one uid, they reach each other through /proc/PID/mem "
     "and /proc/PID/fd); kcmp orders kernel pointers", ("ptrace", "process_vm_readv", "process_vm_writev",
                                                       "pidfd_getfd", "process_madvise", "kcmp")),
    (errno.EPERM, "files by handle: opens a file by its handle, past every directory (the 'shocker' "
     "escape from containers)", ("open_by_handle_at",)),
    (errno.EOPNOTSUPP, "a file's handle, the other half of that escape: EOPNOTSUPP, as a file system that exports "
     "none answers, so callers (libmount, systemd) fall back", ("name_to_handle_at",)),
    (errno.EPERM, "fanotify: a watch on every access to a file system, which inotify's serves ordinary programs",
     ("fanotify_init",)),
    (errno.ENOSYS, "cachestat: the page cache state of any file it can open, a side channel on other programs' "
     "use of shared files; databases that use it fall back", ("cachestat",)),
    (errno.ENOSYS, "the security modules' attributes of the program (lsm_*): nothing a step reads or sets",
     ("lsm_get_self_attr", "lsm_set_self_attr", "lsm_list_modules")),
    (errno.EPERM, "the machine's own: kernels, modules, swap, reboot, accounting, quotas, the kernel log, the "
     "clock, host and domain names, I/O ports, the terminal's hangup, profiling cookies (what a capability the program "
     "never holds guards: EPERM, as the kernel answers without it)",
     ("kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "swapon", "swapoff",
      "reboot", "acct", "quotactl", "quotactl_fd", "syslog", "settimeofday", "clock_settime", "sethostname",
      "setdomainname", "iopl", "ioperm", "vhangup", "lookup_dcookie")),
    (errno.EPERM, "NUMA placement of memory, its own and other processes' (Flatpak and Docker refuse them all; "
     "a source of kernel bugs): libnuma's callers take the machine for one node",
     ("migrate_pages", "move_pages", "mbind", "set_mempolicy", "get_mempolicy", "set_mempolicy_home_node")),
    (errno.EPERM, "relics: uselib, modify_ldt's 16-bit segments (a history of leaks), sysfs and ustat",
     ("uselib", "modify_ldt", "sysfs", "ustat")),
)  # fmt: skip

# (why, calls): the calls of both tables up to LAST_NUMBER that Docker's default profile refuses a container without
# capabilities, or that are newer than it, and that the filter lets through (tests/security/
# test_sandbox_seccomp_audit.py holds the filter to this: each such call is refused or named here).
ALLOWED: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("the clock read: ntp_gettime is adjtimex with no change; a change wants CAP_SYS_TIME, which the kernel checks",
     ("adjtimex", "clock_adjtime")),
    ("fanotify_mark: a mark needs the group fanotify_init makes, and that is refused", ("fanotify_mark",)),
    ("processes by descriptor: pidfd_open and pidfd_send_signal signal what kill may (Python's asyncio waits on "
     "its children with them); process_mrelease frees only a killed process's memory, as its exit would",
     ("pidfd_open", "pidfd_send_signal", "process_mrelease")),
    ("calls that only take from their caller: Landlock's rules, mseal's sealed mappings, seccomp's filters",
     ("landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self", "mseal", "seccomp")),
    ("newer forms of allowed calls: futexes, extended attributes and file attributes by descriptor, fchmodat2 "
     "(glibc's lchmod), and the shadow stack glibc maps", ("futex_waitv", "futex_wake", "futex_wait",
                                                           "futex_requeue", "setxattrat", "getxattrat",
                                                           "listxattrat", "removexattrat", "file_getattr",
                                                           "file_setattr", "fchmodat2", "map_shadow_stack")),
    ("uprobes' trampolines (x86-64): the kernel kills a caller anywhere but the trampoline it placed, and a program "
     "the host traces would die at every probe were they refused", ("uretprobe", "uprobe")),
    ("gone from the kernel, which answers ENOSYS itself", ("create_module", "get_kernel_syms", "query_module",
                                                           "nfsservctl", "getpmsg", "putpmsg", "afs_syscall",
                                                           "tuxcall", "security", "vserver", "_sysctl")),
)  # fmt: skip

# clone or unshare with any of these makes a namespace (Docker's mask: NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER,
# NEWPID, NEWNET); unshare takes CLONE_NEWTIME too, a bit that is clone's exit signal.
CLONE_NAMESPACE_FLAGS = 0x7E020000
CLONE_NEWTIME = 0x80
# personality: Linux, 32-bit Linux, 2.6-numbered uname, both, and the query (Docker's set). Others switch on
# READ_IMPLIES_EXEC, ADDR_NO_RANDOMIZE or a foreign ABI.
PERSONALITIES = (0x0, 0x8, 0x20000, 0x20008, 0xFFFFFFFF)
SOCKET_FAMILIES = (1, 2, 10, 16)  # AF_UNIX, AF_INET, AF_INET6, AF_NETLINK (Flatpak's set)
INET_FAMILIES = (2, 10)
IPPROTO_SMC = 256

AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
ELF_MACHINES = {0x3E: "x86_64", 0xB7: "aarch64", 0x03: "i386", 0x28: "arm"}  # e_machine, elf.h's EM_*
SHELL = "/bin/sh"
X32_SYSCALL_BIT = 0x40000000
NO_SYSCALL_FROM = 0x80000000  # x86-64 numbers from here are no ABI's: the kernel answers ENOSYS

# Classic BPF and seccomp, from linux/filter.h and linux/seccomp.h.
LD_W_ABS, JEQ, JGE, JSET, RET = 0x20, 0x15, 0x35, 0x45, 0x06
RET_KILL_PROCESS, RET_ERRNO, RET_ALLOW = 0x80000000, 0x00050000, 0x7FFF0000
NR_AT, ARCH_AT, FIRST_ARGUMENT_AT = 0, 4, 16  # struct seccomp_data; an argument's low half on a little-endian machine
THIRD_ARGUMENT_AT = FIRST_ARGUMENT_AT + 2 * 8

Instruction = tuple[int, int, int, int]


@functools.cache
def machine() -> str:
    """The architecture of the programs the sandbox runs: its shell's (the host's ``/usr`` is the sandbox's)."""
    return programs_machine(SHELL)


def programs_machine(program: str) -> str:
    """The architecture ``program`` (an ELF file) is built for, or the kernel's where it cannot be read."""
    try:
        with open(program, "rb") as file:
            header = file.read(20)
    except OSError:
        return os.uname().machine
    if len(header) < 20 or header[:4] != b"\x7fELF":
        return os.uname().machine
    (number,) = struct.unpack_from("<H" if header[5] == 1 else ">H", header, 18)  # EI_DATA, e_machine
    if number == 0x3E and header[4] == 1:  # x86-64's machine, 32-bit class (EI_CLASS): the x32 ABI
        return "x32"
    return ELF_MACHINES.get(number, f"ELF machine {number:#x}")


def program(arch: str | None = None) -> bytes | None:
    """The filter for ``arch`` (the programs' by default), or None for one these tables do not cover."""
    return _program(arch or machine())


@functools.cache
def _program(arch: str) -> bytes | None:
    if arch not in AUDIT_ARCH or sys.byteorder != "little":
        return None
    column = list(AUDIT_ARCH).index(arch)
    numbers = {name: number for name, pair in NUMBERS.items() if (number := pair[column]) is not None}
    code: list[Instruction] = [(LD_W_ABS, 0, 0, ARCH_AT), (JEQ, 1, 0, AUDIT_ARCH[arch]), (RET, 0, 0, RET_KILL_PROCESS),
                               (LD_W_ABS, 0, 0, NR_AT)]  # fmt: skip
    if arch == "x86_64":
        code += _within(X32_SYSCALL_BIT, NO_SYSCALL_FROM - 1, RET_KILL_PROCESS)
    code += [(JGE, 0, 1, LAST_NUMBER + 1), (RET, 0, 0, RET_ERRNO | errno.ENOSYS)]  # NO_SYSCALL_FROM's too
    for first, last in UNASSIGNED[arch]:
        code += _within(first, last, RET_ERRNO | errno.ENOSYS)
    # Each answer returns on every path (an argument check leaves the number in A no more).
    answers = {numbers[name]: [(RET, 0, 0, RET_ERRNO | error)] for error, _why, names in DENIED for name in names
               if name in numbers}  # fmt: skip
    answers[numbers["clone"]] = _any_flag(CLONE_NAMESPACE_FLAGS, errno.EPERM)
    answers[numbers["unshare"]] = _any_flag(CLONE_NAMESPACE_FLAGS | CLONE_NEWTIME, errno.EPERM)
    answers[numbers["personality"]] = _one_of(PERSONALITIES, errno.EPERM)
    answers[numbers["socket"]] = answers[numbers["socketpair"]] = _socket_family_and_protocol()
    code += _search(sorted(answers.items()))
    return b"".join(struct.pack("=HBBI", *instruction) for instruction in code)


def _within(first: int, last: int, answer: int) -> list[Instruction]:
    """``answer`` to a number in A from ``first`` to ``last``; on to what follows otherwise."""
    return [(JGE, 0, 2, first), (JGE, 1, 0, last + 1), (RET, 0, 0, answer)]


def _search(answers: list[tuple[int, list[Instruction]]]) -> list[Instruction]:
    """Instructions that answer the call whose number is in A: a binary search on the numbers, so an allowed call
    (every call but a few) passes about 7 comparisons, not one for each of some 75 numbers; a few compared one by
    one at its leaves. Each part returns on every path."""
    if len(answers) <= 4:
        code: list[Instruction] = []
        for number, answer in answers:
            code += [(JEQ, 0, len(answer), number), *answer]
        return [*code, (RET, 0, 0, RET_ALLOW)]
    middle = len(answers) // 2
    below, above = _search(answers[:middle]), _search(answers[middle:])
    if len(below) > 255:  # a jump's offset is one byte
        raise ValueError(f"a seccomp search branch of {len(below)} instructions is too long to jump over")
    return [(JGE, len(below), 0, answers[middle][0]), *below, *above]


def _any_flag(flags: int, error: int) -> list[Instruction]:
    return [(LD_W_ABS, 0, 0, FIRST_ARGUMENT_AT), (JSET, 0, 1, flags), (RET, 0, 0, RET_ERRNO | error),
            (RET, 0, 0, RET_ALLOW)]  # fmt: skip


def _one_of(values: tuple[int, ...], error: int) -> list[Instruction]:
    # The i-th comparison jumps over the ones after it and the refusal, to the ALLOW.
    compare = [(JEQ, len(values) - index, 0, value) for index, value in enumerate(values)]
    return [(LD_W_ABS, 0, 0, FIRST_ARGUMENT_AT), *compare, (RET, 0, 0, RET_ERRNO | error), (RET, 0, 0, RET_ALLOW)]


def _socket_family_and_protocol() -> list[Instruction]:
    """``socket``'s and ``socketpair``'s: a family of ``SOCKET_FAMILIES``, and IPv4 and IPv6 not by SMC."""
    others = [family for family in SOCKET_FAMILIES if family not in INET_FAMILIES]
    # Every family compared jumps to the ALLOW (the others) or to the protocol's check (IPv4, IPv6).
    compare = [(JEQ, len(others) - index + len(INET_FAMILIES) + 3, 0, family) for index, family in enumerate(others)]
    compare += [(JEQ, len(INET_FAMILIES) - index, 0, family) for index, family in enumerate(INET_FAMILIES)]
    return [(LD_W_ABS, 0, 0, FIRST_ARGUMENT_AT), *compare, (RET, 0, 0, RET_ERRNO | errno.EAFNOSUPPORT),
            (LD_W_ABS, 0, 0, THIRD_ARGUMENT_AT), (JEQ, 0, 1, IPPROTO_SMC), (RET, 0, 0, RET_ERRNO | errno.EPROTONOSUPPORT),
            (RET, 0, 0, RET_ALLOW)]  # fmt: skip
