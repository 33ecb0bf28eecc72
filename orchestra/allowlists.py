"""The default allowlists of programs and network destinations, in a module that imports nothing.

Settings (read by every command, `plan` too) take their defaults from here, so reading them does not
import the rules' machinery: program options (orchestra/commands.py), the network boundary
(orchestra/network.py), the workspace and the sandbox (orchestra/confinement.py).
"""

from __future__ import annotations

# Programs that only read or write the files they are given (not date: `date -s` sets the clock
# when the worker runs as root). Launchers (orchestra/commands.py) are never here.
DEFAULT_COMMANDS: tuple[str, ...] = (
    "echo", "cat", "ls", "wc", "head", "tail", "sort", "uniq", "grep", "pwd", "true", "false",
    "sha256sum", "du", "df", "uname", "sleep",
)  # fmt: skip
# Every name whose addresses are public (orchestra/network.py: a name never unlocks a private address).
DEFAULT_HOSTS: tuple[str, ...] = ("*",)
