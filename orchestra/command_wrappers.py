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
    argv: list[str]  # the command the wrapper runs
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


def wrapped(argv: list[str]) -> Wrapped | None:
    """The command ``argv``'s program runs, if it is a wrapper read here and its arguments are read whole."""
    if not argv:
        return None
    program, args = argv[0].rsplit("/", 1)[-1], argv[1:]
    if program in _APPLETS:
        return Wrapped(args) if args and not args[0].startswith("-") else None
    if program in _SHELLS:
        return _script(args)
    if program not in _OPTIONS:
        return None
    rest = _after_options(program, args)
    if rest is None:
        return None
    if program == "env":
        while rest and "=" in rest[0] and not rest[0].startswith("="):
            rest = rest[1:]
    if program == "timeout":
        if not rest or (match := _DURATION.fullmatch(rest[0])) is None:
            return None
        seconds = float(match[1]) * _SCALE[match[2]]
        return Wrapped(rest[1:], seconds if seconds > 0 else None)  # 0: no limit at all
    return Wrapped(rest) if rest else None


def _after_options(program: str, args: list[str]) -> list[str] | None:
    """``args`` after ``program``'s options; None where one is not read here."""
    short, long = _OPTIONS[program]
    at = 0
    while at < len(args):
        arg = args[at]
        if arg == "--":
            return args[at + 1 :]
        if not arg.startswith("-") or arg == "-":
            return args[at:]
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
