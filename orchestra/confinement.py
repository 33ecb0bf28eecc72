"""Confinement rules for tools that touch the disk, the shell or the network.

Every such tool goes through one of these checks before doing anything, so a plan (or an LLM)
cannot reach outside the workspace, run an unlisted program or call an unlisted host.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from orchestra.errors import ToolValidationError

# Programs that only read or write the files they are given (not date: `date -s` sets the clock
# when the worker runs as root). Interpreters and launchers (python, sh,
# env, git, find, xargs, awk...) can run anything, so they are not here: allowing one via
# ORCHESTRA_ALLOWED_COMMANDS gives plans arbitrary code execution as the worker's user.
DEFAULT_COMMANDS = (
    "echo", "cat", "ls", "wc", "head", "tail", "sort", "uniq", "grep", "pwd", "true", "false",
    "sha256sum", "du", "df", "uname", "sleep",
)  # fmt: skip


@dataclass(frozen=True)
class Confinement:
    workspace: Path
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "::1")
    allowed_commands: tuple[str, ...] = DEFAULT_COMMANDS
    max_output_bytes: int = 1_000_000
    max_timeout_s: float = 3600.0
    env_passthrough: tuple[str, ...] = ("PATH", "LANG", "LC_ALL", "HOME", "TZ")
    extra_env: dict[str, str] = field(default_factory=dict)

    def resolve_path(self, user_path: str, *, must_exist: bool = False) -> Path:
        """Resolve ``user_path`` inside the workspace, following symlinks, or refuse it."""
        root = self.workspace.resolve()
        candidate = Path(user_path)
        joined = candidate if candidate.is_absolute() else root / candidate
        resolved = joined.resolve(strict=False)
        if resolved != root and root not in resolved.parents:
            raise ToolValidationError(
                f"path {user_path!r} resolves outside the workspace {root}", code="path_outside_workspace"
            )
        if must_exist and not resolved.exists():
            raise ToolValidationError(f"path {user_path!r} does not exist in the workspace", code="not_found")
        return resolved

    def check_url(self, url: str) -> str:
        """Allow only http(s) URLs whose host matches the allowlist (exact, glob, or CIDR)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise ToolValidationError(
                f"URL scheme {parts.scheme!r} is not allowed (http or https only)", code="bad_scheme"
            )
        host = (parts.hostname or "").lower()
        if not host or not self._host_allowed(host):
            raise ToolValidationError(
                f"host {host!r} is not in the allowed hosts {list(self.allowed_hosts)}", code="host_not_allowed"
            )
        return url

    def _host_allowed(self, host: str) -> bool:
        is_ip = _is_ip(host)
        for pattern in self.allowed_hosts:
            pattern = pattern.lower()
            # An address-shaped glob (10.0.0.*) speaks of addresses: 10.0.0.5.nip.io is a name that may
            # resolve anywhere, so it must not match.
            if _looks_like_ip_glob(pattern) and not is_ip:
                continue
            if pattern == "*" or fnmatch.fnmatchcase(host, pattern):
                return True
            if "/" in pattern:
                try:
                    if ipaddress.ip_address(host) in ipaddress.ip_network(pattern, strict=False):
                        return True
                except ValueError:
                    continue
        return False

    def check_command(self, program: str) -> str:
        name = os.path.basename(program)
        if program != name:
            raise ToolValidationError(f"give the program by name, not path: {program!r}", code="command_path")
        if "*" not in self.allowed_commands and name not in self.allowed_commands:
            raise ToolValidationError(f"command {name!r} is not in the allowed commands", code="command_not_allowed")
        return name

    def check_arguments(self, args: list[str], cwd: Path) -> None:
        """Arguments that name paths must stay inside the workspace, as the file tools' paths must:
        without a shell nothing expands them, so what is written is what the program opens."""
        for arg in args:
            for candidate in _path_candidates(arg):
                target = (cwd / candidate).resolve(strict=False)
                root = self.workspace.resolve()
                if target != root and root not in target.parents:
                    raise ToolValidationError(
                        f"argument {arg!r} names a path outside the workspace {root}", code="path_outside_workspace"
                    )

    def child_env(self) -> dict[str, str]:
        """A minimal environment for child processes: secrets in the worker's env don't leak into tools."""
        env = {k: v for k, v in os.environ.items() if k in self.env_passthrough}
        env.update(self.extra_env)
        return env


def _path_candidates(arg: str) -> list[str]:
    """The parts of an argument that could be a path. A plain argument is one; --opt=value gives its
    value; a short option may carry its value glued on (-o/tmp/x, -fo../x), so every place in it where
    a path could begin is one (conservative: -oout/x is refused too; write -o out/x). URLs are not
    paths; words without a slash resolve inside the working directory anyway."""
    if arg.startswith("--"):
        parts = [arg.split("=", 1)[1]] if "=" in arg else []
    elif arg.startswith("-"):
        parts = [arg[k:] for k in range(2, len(arg)) if arg[k] == "/" or arg[k:].startswith("..")]
    else:
        parts = [arg]
    return [p for p in parts if "://" not in p and ("/" in p or p == "..")]


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _looks_like_ip_glob(pattern: str) -> bool:
    return pattern != "*" and (":" in pattern or all(c.isdigit() or c in ".*?[]-" for c in pattern))
