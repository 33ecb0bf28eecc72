"""Confinement of the tools that touch the disk, start processes or use the network.

One object carries every rule a tool must obey, so a plan (or a model) cannot reach outside the
workspace, run an unlisted program or an option that starts another, or call a destination outside
the network boundary. The rules live in their own modules: files by descriptor
(orchestra/workspace.py), the OS sandbox (orchestra/sandbox.py), program and option rules
(orchestra/commands.py) and the network boundary (orchestra/network.py).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

from orchestra import commands, network
from orchestra.allowlists import DEFAULT_COMMANDS as DEFAULT_COMMANDS  # the rules' defaults, said once there
from orchestra.allowlists import DEFAULT_HOSTS as DEFAULT_HOSTS
from orchestra.errors import ToolValidationError
from orchestra.sandbox import Limits, Sandbox, limits_from_env, sandbox_from_env
from orchestra.temporal_bounds import MAX_TOOL_TIMEOUT_S
from orchestra.tools.offload import LocalLimits
from orchestra.workspace import Workspace

PATH_CHECK_MAX_CHARS = 4096


@dataclass(frozen=True)
class Confinement:
    workspace: Path
    allowed_hosts: tuple[str, ...] = DEFAULT_HOSTS
    allowed_commands: tuple[str, ...] = DEFAULT_COMMANDS
    max_output_bytes: int = 1_000_000
    max_timeout_s: float = MAX_TOOL_TIMEOUT_S
    env_passthrough: tuple[str, ...] = ("LANG", "LC_ALL", "TZ")
    extra_env: dict[str, str] = field(default_factory=dict)
    # The worker's own services (Temporal frontend, Web UI, metrics, codec server): never a destination.
    protected_endpoints: tuple[network.Endpoint, ...] = ()
    sandbox: Sandbox = field(default_factory=sandbox_from_env)
    sandbox_limits: Limits = field(default_factory=limits_from_env)
    # In-process tools' CPU work: child processes with a time limit, a memory limit and an output cap.
    local_limits: LocalLimits = field(default_factory=LocalLimits.from_env)

    def __post_init__(self) -> None:
        if self.workspace.is_dir():
            self.sandbox.prepare_workspace(self.workspace)

    @functools.cached_property
    def files(self) -> Workspace:
        return Workspace(self.workspace, owner=self.sandbox.file_owner)

    @functools.cached_property
    def boundary(self) -> network.Boundary:
        try:
            return network.Boundary.from_entries(self.allowed_hosts, self.protected_endpoints)
        except ValueError as exc:
            raise ToolValidationError(f"ORCHESTRA_ALLOWED_HOSTS has an entry that cannot be read: {exc}") from None

    def check_url(self, url: str) -> str:
        """The scheme and host rules, before any connection (the address check comes when connecting)."""
        try:
            self.boundary.check_url(url)
        except network.DestinationRefused as exc:
            raise ToolValidationError(str(exc), code=exc.code) from None
        return url

    def check_command(self, program: str, args: list[str]) -> str:
        name = os.path.basename(program)
        if program != name:
            raise ToolValidationError(f"give the program by name, not path: {program!r}", code="command_path")
        if "*" not in self.allowed_commands and name not in self.allowed_commands:
            raise ToolValidationError(f"command {name!r} is not in the allowed commands", code="command_not_allowed")
        launching = commands.launching_option(name, args)
        if launching is not None:
            raise ToolValidationError(
                f"{name} option {launching!r} starts another program; refused", code="launching_option"
            )
        return name

    def check_arguments(self, args: list[str], cwd: Path) -> None:
        """Arguments that name paths must stay inside the workspace, as the file tools' paths must:
        without a shell nothing expands them, so what is written is what the program opens. A word
        naming an existing entry is checked like a path (it may be a link leading out)."""
        root = self.workspace.resolve()
        for arg in args:
            for candidate in _path_candidates(arg, cwd):
                target = (cwd / candidate).resolve(strict=False)
                if target != root and root not in target.parents:
                    raise ToolValidationError(
                        f"argument {arg!r} names a path outside the workspace {root}", code="path_outside_workspace"
                    )

    def startup_notes(self) -> list[str]:
        """What an operator must know when the worker starts: how tool processes are isolated, and
        which explicit choices widened the boundary."""
        notes = [f"tool processes: {self.sandbox.describe()}"]
        launchers = sorted(commands.LAUNCHERS & set(self.allowed_commands))
        if "*" in self.allowed_commands:
            launchers = ["* (every program)"]
        if launchers:
            notes.append(
                f"allowed commands include {', '.join(launchers)}: plans and agents can run any code"
                + (" inside the sandbox" if self.sandbox.mode == "bwrap" else ", with no OS sandbox")
            )
        notes.append(
            f"network: {', '.join(self.allowed_hosts) or 'nothing'} (public addresses only unless an address rule says otherwise)"
        )
        return notes

    def child_env(self) -> dict[str, str]:
        """A minimal environment for child processes: secrets in the worker's env don't leak into tools."""
        env = {k: v for k, v in os.environ.items() if k in self.env_passthrough}
        env.update(self.extra_env)
        return env


def _path_candidates(arg: str, cwd: Path) -> list[str]:
    """The parts of an argument that could be a path. A plain argument is one; --opt=value gives its
    value; a short option may carry its value glued on (-o/tmp/x, -fo../x, -flink), so every place in
    it where a path could begin is one (conservative: -oout/x is refused too; write -o out/x). URLs
    are not paths. A part is checked if it has a slash, is ``..``, or names an existing entry."""
    if len(arg) > PATH_CHECK_MAX_CHARS:
        return [arg]
    if arg.startswith("--"):
        parts = [arg.split("=", 1)[1]] if "=" in arg else []
    elif arg.startswith("-"):
        parts = [arg[k:] for k in range(2, len(arg))]
    else:
        parts = [arg]
    return [p for p in parts if p and "://" not in p and ("/" in p or p == ".." or _exists(cwd / p))]


def _exists(path: Path) -> bool:
    try:
        return os.path.lexists(path)
    except (OSError, ValueError):
        return False
