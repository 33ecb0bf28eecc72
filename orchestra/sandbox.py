"""The OS sandbox every process a tool starts runs in (shell, ``kind: command`` tools, MCP stdio servers).

A name allowlist cannot hold on its own: many allowed programs start others through their options
(``sort --compress-program=sh``). So each process runs under bubblewrap: a read-only system (``/usr``
and a few harmless files of ``/etc``), the workspace as the only writable place (bound at its own
path), private ``/proc``, ``/dev`` (read-only) and ``/tmp``, new pid, ipc, uts and network namespaces (network
only when the tool declares it), no capabilities, ``no_new_privs``, a clean environment, rlimits
(CPU time, address space, file size, processes) and death with the worker (``--die-with-parent``;
the pid namespace takes every descendant with it).

Two ways to get there, chosen by the worker's own uid:
- the worker is root: bwrap runs privileged (no user namespace; it can bind a workspace whose parents
  only root may enter), then ``setpriv`` drops to an unprivileged uid (``ORCHESTRA_SANDBOX_UID``,
  65534), and a second, unprivileged bwrap puts the program in a user namespace of that uid with
  nested ones forbidden, before ``prlimit`` sets the limits. A uid that is really unprivileged makes
  RLIMIT_NPROC hold (the kernel exempts root) and keeps root-only files unreadable; the user namespace
  makes the process count each sandbox's own (the kernel counts per namespace and uid: with one shared
  uid, one step holding every process would starve every other run's programs) and closes the kernel
  surface of nested user namespaces. Its System V IPC namespace is the worker's making, with small limits, which
  bwrap enters rather than makes (sandbox_ipc.py: semaphores and message queues are kernel memory no count sees);
- otherwise: bwrap makes an unprivileged user namespace (the program appears as uid 65534 inside)
  and forbids nested ones.

``ORCHESTRA_SANDBOX``: ``auto`` (default: bubblewrap when it works here, else process tools are
refused), ``bwrap`` (the worker does not start without it), ``off`` (no OS isolation: the operator's
explicit choice, announced at start).

For callers (shell, described commands, the MCP client): :meth:`Sandbox.command` builds the argv,
:meth:`Sandbox.spawn` starts it with pipes (short-lived or long-lived alike).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from orchestra import environment, sandbox_seccomp
from orchestra.sandbox_ipc import entered, made_namespace

SANDBOX_ENV = "ORCHESTRA_SANDBOX"
SANDBOX_PATH = "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin"
DEFAULT_UID = 65534  # nobody
# Read-only views of the host that programs commonly need; nothing here is secret.
SYSTEM_DIRS = ("/usr",)
SYSTEM_LINKS = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
ETC_FILES = (
    "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "localtime", "timezone", "locale.alias",
    "mime.types", "magic", "magic.mime", "nsswitch.conf", "host.conf", "gai.conf",
)  # fmt: skip
NETWORK_ETC_FILES = ("resolv.conf", "hosts", "ssl/certs", "ssl/openssl.cnf", "ca-certificates")
PASSWD = "root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/tmp:/usr/sbin/nologin\n"
GROUP = "root:x:0:\nnogroup:x:65534:\n"
TMP_BYTES = 256 * 1024 * 1024
# bwrap's /dev is a tmpfs of half the machine's memory, which the sandbox's uid owns: it is made read-only (its
# devices still work), with a /dev/shm of this size beside /tmp (POSIX semaphores and shared memory live there).
SHM_BYTES = 64 * 1024 * 1024
DEV_MOUNTS = ("--dev", "/dev", "--perms", "1777", "--size", str(SHM_BYTES), "--tmpfs", "/dev/shm",
              "--remount-ro", "/dev")  # fmt: skip
PROBE_TIMEOUT_S = 10.0

Mode = Literal["bwrap", "off", "unavailable"]


class SandboxUnavailable(RuntimeError):
    """No sandbox can be had on this machine and the operator has not opted out (ORCHESTRA_SANDBOX=off)."""


@dataclass(frozen=True)
class Limits:
    """rlimits of every process in one sandbox. ``processes`` counts that sandbox's own processes (each
    has a user namespace of its own, and the kernel counts per namespace and uid)."""

    cpu_s: int = 3600
    memory_bytes: int = 1024 * 1024 * 1024
    file_bytes: int = 1024 * 1024 * 1024
    processes: int = 256
    open_files: int = 1024
    # What all of them may hold together, resident: the worker's watchdog (sandbox_memory.py) stops the sandbox past it.
    total_memory_bytes: int = 2048 * 1024 * 1024

    @property
    def memory_bound_bytes(self) -> int:
        """The most memory one sandbox can hold by its rlimits alone: the address space limit is each process's
        (RLIMIT_AS), and ``processes`` of them may run (RLIMIT_NPROC), besides its ``/tmp`` and ``/dev/shm``. No cgroup bounds their
        sum (bubblewrap makes none, and a worker's cgroup v2 subtree is seldom delegated): the worker's watchdog
        (sandbox_memory.py) stops a sandbox it watches at ``total_memory_bytes``."""
        return self.memory_bytes * self.processes + TMP_BYTES + SHM_BYTES


@dataclass(frozen=True)
class Jail:
    """What one sandboxed process may see and use."""

    workspace: Path
    cwd: Path
    env: Mapping[str, str] = field(default_factory=dict)
    network: bool = False
    limits: Limits = field(default_factory=Limits)
    # More of the host to see, read-only (an MCP server's installation outside /usr); bound before the
    # workspace, so none can hide it.
    read_only: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Sandbox:
    mode: Mode
    reason: str = ""
    bwrap: str = "bwrap"
    privileged: bool = False  # root worker: bwrap without a user namespace, setpriv drops the uid
    uid: int = DEFAULT_UID
    setpriv: str = "/usr/bin/setpriv"
    prlimit: str = "/usr/bin/prlimit"
    nsenter: str = "/usr/bin/nsenter"
    enter_within_s: float = PROBE_TIMEOUT_S  # for the program to be in its IPC namespace, or refused

    @property
    def file_owner(self) -> tuple[int, int] | None:
        """Who must own what the worker creates in the workspace, so sandboxed programs can change it."""
        return (self.uid, self.uid) if self.mode == "bwrap" and self.privileged else None

    def describe(self) -> str:
        if self.mode == "off":
            return "OFF (ORCHESTRA_SANDBOX=off): tool processes run without OS isolation"
        if self.mode == "unavailable":
            return f"UNAVAILABLE: process tools are refused ({self.reason}); set ORCHESTRA_SANDBOX=off to run them unconfined"
        how = (
            f"privileged, programs run as uid {self.uid} in a user namespace of their own"
            if self.privileged
            else "user namespace"
        )
        filtered = "" if sandbox_seccomp.program() else f", no system call filter for {sandbox_seccomp.machine()}"
        return f"bubblewrap ({how}{filtered})"

    def prepare_workspace(self, workspace: Path) -> None:
        """Give the sandbox uid the workspace root (only when the worker is root: otherwise it owns it)."""
        owner = self.file_owner
        if owner is not None:
            stat = workspace.stat()
            if (stat.st_uid, stat.st_gid) != owner:
                os.chown(workspace, *owner)

    def require(self) -> None:
        """Raise SandboxUnavailable unless processes can be started (sandboxed, or the operator opted out)."""
        if self.mode == "unavailable":
            raise SandboxUnavailable(
                f"no OS sandbox for tool processes: {self.reason} (ORCHESTRA_SANDBOX=off runs them unconfined)"
            )

    def command(self, argv: Sequence[str], jail: Jail, seccomp: tuple[int, ...]) -> list[str]:
        """The argv that runs ``argv`` inside ``jail`` (unchanged when the sandbox is off), under the system call
        filter in ``seccomp`` (:func:`_seccomp_fds`, passed to the process; no default, so no caller runs a program
        unfiltered by forgetting it). :meth:`spawn` adds a minimal /etc/passwd and /etc/group, which need file
        descriptors of their own."""
        self.require()
        if self.mode == "off":
            return list(argv)
        options = [*self._bwrap_options(jail, unshare_ipc=True), *self._filter(seccomp, inner=False)]
        return [self.bwrap, *options, "--", *self._inner(jail, seccomp), *argv]

    async def spawn(
        self,
        argv: Sequence[str],
        jail: Jail,
        *,
        stdin: int | IO[Any] | None = asyncio.subprocess.DEVNULL,
        stdout: int | IO[Any] | None = asyncio.subprocess.PIPE,
        stderr: int | IO[Any] | None = asyncio.subprocess.PIPE,
    ) -> asyncio.subprocess.Process:
        """Start ``argv`` in the sandbox. The process leads its own process group (kill it with killpg);
        with bwrap, killing that group ends the pid namespace and everything in it."""
        self.require()
        if self.mode == "off":
            return await asyncio.create_subprocess_exec(
                *argv, cwd=jail.cwd, env={"PATH": SANDBOX_PATH, **jail.env}, stdin=stdin, stdout=stdout,
                stderr=stderr, start_new_session=True,
            )  # fmt: skip
        # bwrap's options go through a file descriptor: a command line is readable by every process on
        # the host (/proc/PID/cmdline), and the environment's values (an MCP server's secrets) are
        # options. There they are NUL-separated, so a NUL inside one would start an option of its own.
        options = self._bwrap_options(jail, unshare_ipc=not self.privileged)
        if any("\0" in option for option in options):
            raise ValueError("a sandbox option (an environment value or a path) holds a NUL character")
        # Every descriptor made here is closed as spawn returns or fails, from the moment it is made: made before the
        # closing was set up, one that could not be made (EMFILE) left those before it open in the worker (attack395 F4).
        with contextlib.ExitStack() as made:
            passwd, group = _closed_by(made, _data_fd(PASSWD)), _closed_by(made, _data_fd(GROUP))
            seccomp = tuple(_closed_by(made, fd) for fd in _seccomp_fds())
            files = ["--perms", "0644", "--ro-bind-data", str(passwd), "/etc/passwd",
                     "--perms", "0644", "--ro-bind-data", str(group), "/etc/group"]  # fmt: skip
            opened = _pipes_opened_by_path((stdin, stdout, stderr)) if self.privileged else []
            filtered = [*files, *options, *self._filter(seccomp, inner=False), *opened]
            args = _closed_by(made, _data_fd("".join(f"{option}\0" for option in filtered)))
            namespace: int | None = None
            if self.privileged:  # an IPC namespace of small limits, made before anything runs in it (sandbox_ipc.py)
                namespace = _closed_by(made, await made_namespace(jail.limits.total_memory_bytes))
            enter = [self.nsenter, f"--ipc=/proc/{os.getpid()}/fd/{namespace}", "--"] if namespace is not None else []
            # What runs stays on the command line (it holds no values): bwrap takes no command from --args.
            process = await asyncio.create_subprocess_exec(
                *enter, self.bwrap, "--args", str(args), "--", *self._inner(jail, seccomp), *argv, env={"PATH": SANDBOX_PATH},
                stdin=stdin, stdout=stdout, stderr=stderr, pass_fds=(passwd, group, args, *seccomp), start_new_session=True,
            )  # fmt: skip
            if namespace is not None:
                try:
                    await entered(namespace, process, self.enter_within_s)
                except BaseException:  # refused or cancelled: no caller holds the process to end it
                    if process.returncode is None:  # a refused one is dead and reaped already
                        kill_group(process)
                    raise
            return process

    def _bwrap_options(self, jail: Jail, *, unshare_ipc: bool) -> list[str]:
        workspace = jail.workspace.resolve()
        if self.privileged:
            namespaces = [
                *(["--unshare-ipc"] if unshare_ipc else []),
                "--unshare-pid",
                "--unshare-uts",
                "--unshare-cgroup-try",
            ]
            namespaces += [] if jail.network else ["--unshare-net"]
            # bwrap enters the working directory with these (it may belong to the sandbox uid, mode 0700);
            # setpriv needs the others to change uid and empty the bounding set. It drops them all.
            kept = ("CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP")
            caps = ["--cap-drop", "ALL", *(part for cap in kept for part in ("--cap-add", cap))]
        else:
            namespaces = ["--unshare-all", "--unshare-user", *(["--share-net"] if jail.network else [])]
            namespaces += ["--uid", str(DEFAULT_UID), "--gid", str(DEFAULT_UID), "--disable-userns"]
            caps = []
        options = [*namespaces, *caps, "--die-with-parent", "--new-session", "--hostname", "sandbox", "--clearenv"]
        env = {"PATH": SANDBOX_PATH, "HOME": "/tmp", **jail.env}
        for name, value in env.items():
            options += ["--setenv", name, value]
        options += _system_mounts(jail.network)
        options += ["--proc", "/proc", *DEV_MOUNTS, "--perms", "1777", "--size", str(TMP_BYTES), "--tmpfs", "/tmp"]
        read_only = [path.resolve() for path in jail.read_only]
        parents = [parent for path in (*read_only, workspace) for parent in reversed(path.parents)]
        for parent in dict.fromkeys(parents):  # made searchable: bwrap would make them root's, mode 0700
            if str(parent) not in ("/", "/tmp"):
                options += ["--perms", "0755", "--dir", str(parent)]
        for path in read_only:
            options += ["--ro-bind", str(path), str(path)]
        options += ["--bind", str(workspace), str(workspace), "--chdir", str(jail.cwd.resolve())]
        return options

    def _filter(self, seccomp: tuple[int, ...], *, inner: bool) -> list[str]:
        """bwrap's ``--seccomp`` for the bubblewrap that starts the program: a root worker's inner one (its outer one
        makes the namespaces and mounts the filter refuses, and setpriv and the inner bwrap after it), else the only
        one. bwrap reads the descriptor and closes it before the program starts."""
        return [part for fd in seccomp for part in ("--seccomp", str(fd))] if inner == self.privileged else []

    def _inner(self, jail: Jail, seccomp: tuple[int, ...]) -> list[str]:
        limits = jail.limits
        drop = []
        if self.privileged:
            uid = str(self.uid)
            drop = [self.setpriv, f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                    "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs", "--",
                    self.bwrap, "--unshare-user", "--uid", uid, "--gid", uid, "--disable-userns", *self._filter(seccomp, inner=True),
                    "--bind", "/", "/", *DEV_MOUNTS,
                    "--die-with-parent", "--chdir", str(jail.cwd.resolve()), "--"]  # fmt: skip
        return [
            *drop, self.prlimit, f"--cpu={limits.cpu_s}", f"--as={limits.memory_bytes}", f"--fsize={limits.file_bytes}",
            f"--nproc={limits.processes}", f"--nofile={limits.open_files}", "--core=0", "--",
        ]  # fmt: skip


def _pipes_opened_by_path(streams: tuple[object, object, object]) -> list[str]:
    """bwrap options letting the program open its own standard pipes again by path (``/dev/stderr``, ``/dev/stdin``:
    links to ``/proc/self/fd/N``, a reopening checked against the pipe's owner and mode). A root worker's pipes are
    root's, mode 0600, and ``echo x > /dev/stderr`` was refused; bwrap, still root, opens them to others for the way
    they go (stdin read, the others written). Pipes only: a file or a device given would be the host's, changed. Who
    can reach a pipe by path at all is who can read a holder's ``/proc/PID/fd``: the sandbox itself, or one who could
    trace it anyway. Unprivileged, the program's uid is the worker's, the pipes' owner, and needs none of this."""
    options: list[str] = []
    for number, stream in enumerate(streams):
        if stream == asyncio.subprocess.PIPE:
            options += ["--chmod", "0604" if number == 0 else "0602", f"/proc/self/fd/{number}"]
    return options


HOST_VIEWS = ("/proc", "/sys", "/dev", "/run", "/etc", "/boot")


def read_only_problem(path: Path, workspace: Path) -> str | None:
    """Why ``path`` may not be shown to a sandboxed program (``Jail.read_only``), or None: the host's
    root, its kernel and runtime views and its configuration (the sandbox has its own, or a few
    harmless files), and a directory holding the workspace (the worker's data may lie beside it)."""
    path = path.resolve()
    if path == Path("/"):
        return "it is the host's root"
    for view in HOST_VIEWS:
        if path.is_relative_to(view):
            return f"the host's {view} stays hidden"
    if workspace.resolve().is_relative_to(path) and workspace.resolve() != path:
        return "it holds the workspace, and so what lies beside it"
    return None


def _system_mounts(network: bool) -> list[str]:
    mounts: list[str] = []
    for directory in SYSTEM_DIRS:
        mounts += ["--ro-bind", directory, directory]
    for link in SYSTEM_LINKS:
        path = Path(link)
        if path.is_symlink():
            mounts += ["--symlink", os.readlink(path), link]
        elif path.is_dir():
            mounts += ["--ro-bind", link, link]
    for name in (*ETC_FILES, *(NETWORK_ETC_FILES if network else ())):
        mounts += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    return mounts


def _data_fd(text: str | bytes) -> int:
    """A file in memory holding ``text``, read from its start, for ``--ro-bind-data``, ``--args`` and ``--seccomp``."""
    fd = os.memfd_create("orchestra-sandbox", os.MFD_CLOEXEC)
    try:
        os.write(fd, text if isinstance(text, bytes) else text.encode())  # a memfd takes the whole write at once
        os.lseek(fd, 0, os.SEEK_SET)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _closed_by(made: contextlib.ExitStack, fd: int) -> int:
    made.callback(os.close, fd)
    return fd


def _seccomp_fds() -> tuple[int, ...]:
    """The system call filter (sandbox_seccomp.py) for one spawn, none where this machine has none: a memfd of its
    own, as one shared would share its read offset between spawns at once."""
    code = sandbox_seccomp.program()
    return () if code is None else (_data_fd(code),)


def limits_from_env(env: Mapping[str, str] | None = None, *, cpu_s: int = 3600) -> Limits:
    env = os.environ if env is None else env
    mib = 1024 * 1024
    return Limits(
        cpu_s=cpu_s,
        memory_bytes=int(environment.value("ORCHESTRA_SANDBOX_MEMORY_MB", env) or 1024) * mib,
        file_bytes=int(environment.value("ORCHESTRA_SANDBOX_FILE_MB", env) or 1024) * mib,
        processes=int(environment.value("ORCHESTRA_SANDBOX_PROCESSES", env) or 256),
        total_memory_bytes=int(environment.value("ORCHESTRA_SANDBOX_MEMORY_TOTAL_MB", env) or 2048) * mib,
    )


@functools.cache
def detect(setting: str = "auto", uid: int = DEFAULT_UID) -> Sandbox:
    """The sandbox this machine gives, checked by running ``true`` in it once (a few ms)."""
    setting = setting.strip().lower() or "auto"
    if setting == "off":
        return Sandbox(mode="off")
    if setting not in ("auto", "bwrap"):
        raise ValueError(f"{SANDBOX_ENV} must be auto, bwrap or off, not {setting!r}")
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return Sandbox(mode="unavailable", reason="bubblewrap is not installed (Debian package bubblewrap)")
    privileged = os.geteuid() == 0
    tools = {name: shutil.which(name, path="/usr/bin:/usr/sbin") for name in ("setpriv", "prlimit", "nsenter")}
    missing = [name for name, path in tools.items() if path is None and (name == "prlimit" or privileged)]
    if missing:
        return Sandbox(mode="unavailable", reason=f"{', '.join(missing)} (util-linux) not found in /usr")
    candidate = Sandbox(
        mode="bwrap", bwrap=bwrap, privileged=privileged, uid=uid,
        setpriv=tools["setpriv"] or "/usr/bin/setpriv", prlimit=tools["prlimit"] or "/usr/bin/prlimit",
        nsenter=tools["nsenter"] or "/usr/bin/nsenter",
    )  # fmt: skip
    problem = _probe(candidate)
    if problem:
        return Sandbox(mode="unavailable", reason=f"bubblewrap does not work here: {problem}")
    return candidate


def _probe(sandbox: Sandbox) -> str | None:
    with tempfile.TemporaryDirectory(prefix="orchestra-sandbox-probe-") as scratch:
        workspace = Path(scratch)
        sandbox.prepare_workspace(workspace)
        seccomp = _seccomp_fds()  # a kernel that refuses the filter makes bwrap fail here, not at every tool's start
        command = sandbox.command(["true"], Jail(workspace=workspace, cwd=workspace, limits=Limits(cpu_s=10)), seccomp)
        try:
            done = subprocess.run(
                command, capture_output=True, timeout=PROBE_TIMEOUT_S, env={"PATH": SANDBOX_PATH}, pass_fds=seccomp
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return str(exc)
        finally:
            for fd in seccomp:
                os.close(fd)
    if done.returncode == 128 + signal.SIGSYS and seccomp:  # bwrap's status for a program the filter killed
        return (
            f"the system call filter for {sandbox_seccomp.machine()} programs killed `true` (SIGSYS): this machine's "
            "programs call through another ABI"
        )
    if done.returncode != 0:
        return done.stderr.decode(errors="replace").strip()[:300] or f"exit status {done.returncode}"
    return None


def sandbox_from_env(env: Mapping[str, str] | None = None) -> Sandbox:
    env = os.environ if env is None else env
    uid = int(environment.value("ORCHESTRA_SANDBOX_UID", env) or DEFAULT_UID)
    return detect(environment.value(SANDBOX_ENV, env) or "auto", uid)


def kill_group(process: asyncio.subprocess.Process) -> None:
    """SIGKILL the process group ``spawn`` made; with bwrap that ends the whole pid namespace."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


if __name__ == "__main__":  # python -m orchestra.sandbox: how this machine would confine tool processes
    from orchestra import environment

    environment.refuse_bad_settings()
    print(sandbox_from_env().describe())
