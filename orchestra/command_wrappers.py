"""The command a wrapper program runs: ``nice yes`` is ``yes`` at a lower priority, and ends when ``yes`` does.

A tools file may say ``[nice, yes]``, ``[env, FOO=1, tail, -f, x]``, ``[busybox, yes]`` or ``[sh, -c, "tail -f x"]``
(a wrapper is allowed only where an operator allows it): judged by its first word alone, each loaded and ran every
call until its timeout. Only wrappers whose argument grammar is fixed are read; what they run is judged instead.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass


@dataclass(frozen=True)
class Wrapped:
    argv: list[str]  # the command the wrapper runs: argv[at:] (an index, not a copy: "nice nice ... yes" is linear)
    at: int = 0
    limit_s: float | None = None  # a limit the wrapper sets on it (timeout's duration), None for none


# wrapper -> (short options taking a value, long options taking a value when not given with "=")
_OPTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "env": ("uC", ("unset", "chdir")),
    "nice": ("n", ("adjustment",)),
    "nohup": ("", ()),
    "setsid": ("", ()),
    "stdbuf": ("ioe", ("input", "output", "error")),
    "time": ("fo", ("format", "output")),
    "ionice": ("cnt", ("class", "classdata")),
    "timeout": ("sk", ("signal", "kill-after")),
}
_SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "mksh"})
_APPLETS = frozenset({"busybox", "toybox"})
# A script is judged as one command only when no shell syntax could make it another (a pipe, a list, a
# substitution, a redirection): "yes | head -1" ends.
_SHELL_SYNTAX = re.compile(r"[|&;<>()$`\n\\*?\[\]{}!#~]")
_SPLITS = frozenset({"-S", "--split-string"})  # env -S splits a string of its own: not read
_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)([smhd]?)")
_SCALE = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def wrapped(argv: list[str], at: int = 0) -> Wrapped | None:
    """The command ``argv[at:]``'s program runs, if it is a wrapper read here and its arguments are read whole."""
    if at >= len(argv):
        return None
    program, first = argv[at].rsplit("/", 1)[-1], at + 1
    if program in _APPLETS:
        return Wrapped(argv, first) if first < len(argv) and not argv[first].startswith("-") else None
    if program in _SHELLS:
        return _script(argv[first : first + 64])  # its options are few: "-c" comes early or is not read
    if program not in _OPTIONS:
        return None
    rest = _after_options(program, argv, first)
    if rest is None:
        return None
    if program == "env":
        while rest < len(argv) and "=" in argv[rest] and not argv[rest].startswith("="):
            rest += 1
    if program == "timeout":
        if rest >= len(argv) or (match := _DURATION.fullmatch(argv[rest])) is None:
            return None
        seconds = float(match[1]) * _SCALE[match[2]]
        return Wrapped(argv, rest + 1, seconds if seconds > 0 else None)  # 0: no limit at all
    return Wrapped(argv, rest) if rest < len(argv) else None


def _after_options(program: str, args: list[str], at: int) -> int | None:
    """Where ``program``'s options in ``args`` from ``at`` end; None where one is not read here."""
    short, long = _OPTIONS[program]
    while at < len(args):
        arg = args[at]
        if arg == "--":
            return at + 1
        if not arg.startswith("-") or arg == "-":
            return at
        if arg in _SPLITS or arg.startswith("--split-string="):
            return None
        if arg.startswith("--"):
            name, equals, _ = arg[2:].partition("=")
            takes = any(option.startswith(name) for option in long) if name else False
            at += 2 if takes and not equals else 1
            continue
        if program == "nice" and arg[1:].isdigit():  # "nice -10 yes": the old form of -n 10
            at += 1
            continue
        for index, letter in enumerate(arg[1:], start=1):
            if letter in short:
                at += 1 if index < len(arg) - 1 else 2  # glued ("-n5") or the next argument
                break
        else:
            at += 1
    return None


def _script(args: list[str]) -> Wrapped | None:
    """``sh -c 'tail -f x'``: the script as one command, when it is one plainly."""
    for at, arg in enumerate(args):
        if not arg.startswith("-") or arg == "-":
            return None  # a script file, or standard input: not read
        if "c" in arg[1:] and not arg.startswith("--"):
            script = args[at + 1] if at + 1 < len(args) else ""
            if _SHELL_SYNTAX.search(script):
                return None
            try:
                words = shlex.split(script)
            except ValueError:
                return None
            return Wrapped(words) if words else None
    return None
