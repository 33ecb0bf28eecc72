"""The command a wrapper program runs: ``nice yes`` is ``yes`` at a lower priority, and ends when ``yes`` does.

A tools file may say ``[nice, yes]``, ``[env, FOO=1, tail, -f, x]``, ``[busybox, yes]`` or ``[sh, -c, "tail -f x"]``
(a wrapper is allowed only where an operator allows it): judged by its first word alone, each loaded and ran every
call until its timeout. Only wrappers whose argument grammar is fixed are read; what they run is judged instead.

The rule: every call has a timeout, so a command is refused only where it would surely burn all of it for nothing
(``yes``, ``tail -f``, ``sleep`` past it), as read here; what is not read (``sh -c "$X"``, ``env -S 'y${E}es'``,
``bash -c "$(echo yes)"``) or ends however slowly (``find / -name x``) is left to that timeout.
"""

from __future__ import annotations

import math
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
    # xargs runs its command once on no input too (GNU, unless -r), and on any a call's stdin gives (-r, -I too)
    "xargs": ("adEILnPs", ("arg-file", "delimiter", "max-args", "max-procs", "max-chars", "process-slot-var")),
    # chrt's and taskset's command follows one operand (a priority, a CPU mask); -p names a running process instead
    "chrt": ("TPD", ("sched-runtime", "sched-period", "sched-deadline")),
    "taskset": ("", ()),
    # the shell's own: "sh -c 'exec yes'" runs yes; "command -v yes" only says where it is
    "command": ("", ()),
    "exec": ("a", ()),
}
# Operands a wrapper takes before its command.
_OPERANDS = {"chrt": 1, "taskset": 1}
# Options with which a wrapper runs no command: (short letters, long names).
_NO_COMMAND = {"chrt": ("pm", ("pid", "max")), "taskset": ("p", ("pid",)), "command": ("vV", ())}
# xargs -r runs its command only on input: none comes from a call given no standard input (and no -a file).
_XARGS_ONLY_ON_INPUT = ("r", ("no-run-if-empty",))
_XARGS_FILE = ("a", ("arg-file",))
# Short options whose value, if any, is glued ("xargs -i{}", "-l5", "-e"): the rest of the word is theirs.
_GLUED_ONLY = {"xargs": "eil"}
_SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "mksh"})
_APPLETS = frozenset({"busybox", "toybox"})
# A script is judged as one command only when no shell syntax could make it another (a pipe, a list, a
# substitution, a redirection): "yes | head -1" ends.
_SHELL_SYNTAX = re.compile(r"[|&;<>()$`\n\\*?\[\]{}!#~]")
_SPLITS = frozenset({"-S", "--split-string"})
# env -S's own syntax beyond shlex's (${VAR} expanded, escapes, # comments): such a string is not read.
_SPLIT_SYNTAX = re.compile(r"[$\\#]")
# A duration as GNU timeout reads it (strtod, then one suffix): "1e3", "0x10", "inf" are durations too, and
# "inf" is no limit. A word it does not read ("soon", "nan", "-1") it refuses itself (exit 125): that ends.
_DURATION = re.compile(
    r"\s*([+-]?(?:0x(?:[0-9a-f]+\.?[0-9a-f]*|\.[0-9a-f]+)(?:p[+-]?\d+)?|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?"
    r"|inf(?:inity)?|nan))([smhd]?)",
    re.IGNORECASE,
)
_SCALE = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def wrapped(argv: list[str], at: int = 0, stdin: bool = True) -> Wrapped | None:
    """The command ``argv[at:]``'s program runs, if it is a wrapper read here and its arguments are read whole.
    ``stdin``: whether the call may give the command standard input (xargs -r runs nothing without)."""
    if at >= len(argv):
        return None
    program, first = argv[at].rsplit("/", 1)[-1], at + 1
    if program in _APPLETS:
        return Wrapped(argv, first) if first < len(argv) and not argv[first].startswith("-") else None
    if program in _SHELLS:
        return _script(argv, first)
    if program not in _OPTIONS:
        return None
    if program == "env" and (split := _split_string(argv, first)) is not None:
        return split
    rest = _after_options(program, argv, first)
    if rest is None or _given(argv[first:rest], *_NO_COMMAND.get(program, ("", ()))):
        return None
    options = argv[first:rest]
    if (
        program == "xargs"
        and not stdin
        and _given(options, *_XARGS_ONLY_ON_INPUT)
        and not _given(options, *_XARGS_FILE)
    ):
        return None  # it runs nothing at all
    rest += _OPERANDS.get(program, 0)
    if program == "env":
        while rest < len(argv) and "=" in argv[rest] and not argv[rest].startswith("="):
            rest += 1
    if program == "timeout":
        seconds = _duration(argv[rest]) if rest < len(argv) else None
        if seconds is None:
            return None
        limited = 0 < seconds < math.inf  # 0 is no limit at all, as is inf
        return Wrapped(argv, rest + 1, seconds if limited else None)
    return Wrapped(argv, rest) if rest < len(argv) else None


def _duration(word: str) -> float | None:
    """The seconds GNU timeout reads in ``word``, or None where it refuses it."""
    match = _DURATION.fullmatch(word)
    if match is None:
        return None
    number = match[1].lower()
    magnitude = number.lstrip("+-")
    value = float.fromhex(number) if magnitude.startswith("0x") else float(number)
    return None if math.isnan(value) or value < 0 else value * _SCALE[match[2].lower()]  # "nan": exit 125


def _bundles_split(arg: str) -> bool:
    """``-iS'$X'``: env's -S in a bundle, before any letter whose value the rest of the word is."""
    short = _OPTIONS["env"][0]
    letters = arg[1:]
    cut = next((i for i, letter in enumerate(letters) if letter in short), len(letters))
    return not arg.startswith("--") and "S" in letters[:cut]


def _split_string(argv: list[str], at: int) -> Wrapped | None:
    """``env -S 'A=1 yes' x``: env runs as if given ``A=1 yes x``, the words after the string following it."""
    short, long = _OPTIONS["env"]
    while at < len(argv) and argv[at].startswith("-") and argv[at] not in ("-", "--"):
        arg = argv[at]
        if arg.startswith("--"):
            name, equals, given = arg[2:].partition("=")
            if not "split-string".startswith(name):
                at += 2 if any(option.startswith(name) for option in long) and not equals else 1
                continue
            glued = given if equals else ""
        else:
            letters = arg[1:]
            cut = next((i for i, letter in enumerate(letters) if letter in short or letter == "S"), None)
            if cut is None or letters[cut] != "S":
                at += 2 if cut == len(letters) - 1 else 1  # a value in the next word, or glued, or none
                continue
            glued, equals = letters[cut + 1 :], ""
        text, after = (glued, at + 1) if glued or equals else (argv[at + 1] if at + 1 < len(argv) else "", at + 2)
        if _SPLIT_SYNTAX.search(text):
            return None
        try:
            return Wrapped(["env", *shlex.split(text), *argv[after:]])
        except ValueError:
            return None
    return None


def _given(options: list[str], short: str, long: tuple[str, ...]) -> bool:
    """Whether ``options`` (a wrapper's own, as ``_after_options`` delimits them) say one of these, bundled or
    by any prefix GNU getopt takes; a value-taking letter's glued value may read as letters (never less)."""
    for arg in options:
        if arg.startswith("--"):
            name = arg[2:].partition("=")[0]
            if name and any(option.startswith(name) for option in long):
                return True
        elif arg.startswith("-") and any(letter in short for letter in arg[1:]):
            return True
    return False


def _after_options(program: str, args: list[str], at: int) -> int | None:
    """Where ``program``'s options in ``args`` from ``at`` end; None where one is not read here."""
    short, long = _OPTIONS[program]
    while at < len(args):
        arg = args[at]
        if arg == "--":
            return at + 1
        if not arg.startswith("-") or arg == "-":
            return at
        if arg in _SPLITS or arg.startswith("--split-string=") or (program == "env" and _bundles_split(arg)):
            return None  # a split string _split_string did not read
        if arg.startswith("--"):
            name, equals, _ = arg[2:].partition("=")
            takes = any(option.startswith(name) for option in long) if name else False
            at += 2 if takes and not equals else 1
            continue
        if program == "nice" and arg[1:].isdigit():  # "nice -10 yes": the old form of -n 10
            at += 1
            continue
        for index, letter in enumerate(arg[1:], start=1):
            if letter in _GLUED_ONLY.get(program, ""):
                at += 1
                break
            if letter in short:
                at += 1 if index < len(arg) - 1 else 2  # glued ("-n5") or the next argument
                break
        else:
            at += 1
    return None


def _script(argv: list[str], first: int) -> Wrapped | None:
    """``sh -c 'tail -f x'``: the script as one command, when it is one plainly; its positional parameters
    (``sh -c '"$@"' sh yes``, ``sh -c '$0' yes``) put in where they are plain words."""
    for at in range(first, min(len(argv), first + 64)):  # its options are few: "-c" comes early or is not read
        arg = argv[at]
        if not arg.startswith("-") or arg == "-":
            return None  # a script file, or standard input: not read
        if "c" in arg[1:] and not arg.startswith("--"):
            at += 2 if argv[at + 1 : at + 2] == ["--"] else 1  # "bash -c -- yes": the script after the --
            script = _with_parameters(argv[at], argv[at + 1 :]) if at < len(argv) else ""
            if script is None or _SHELL_SYNTAX.search(script):
                return None
            try:
                words = shlex.split(script)
            except ValueError:
                return None
            return Wrapped(words) if words else None
    return None


# A script's positional parameters: "$@" (each a word), $0..$9 alone or quoted whole.
_PARAMETER = re.compile(r'"\$@"|\$@|"\$\{?([0-9])\}?"|\$\{?([0-9])\}?')
_PLAIN_WORD = re.compile(r"[\w./:=+,%@-]+")


def _with_parameters(script: str, parameters: list[str]) -> str | None:
    """``script`` with its positional parameters put in as the shell expands them, None where a value is not a
    plain word (an unquoted one would be split and globbed): a script of ``$0`` was not read, and ran yes."""
    unplain = False

    def value(match: re.Match[str]) -> str:
        nonlocal unplain
        if match[1] is None and match[2] is None:  # "$@" or $@: $1 on, each a word
            words = parameters[1:]
            unplain = unplain or (match[0] == "$@" and not all(_PLAIN_WORD.fullmatch(w) for w in words))
            return shlex.join(words)
        index = int(match[1] or match[2])
        given = parameters[index] if index < len(parameters) else ""
        unplain = unplain or (match[2] is not None and given != "" and not _PLAIN_WORD.fullmatch(given))
        return shlex.quote(given) if given or match[1] is not None else ""

    substituted = _PARAMETER.sub(value, script)
    return None if unplain else substituted
