"""Which programs a tool may start, and with which options: the second layer behind the OS sandbox.

A program's name says little: many ordinary programs start others through an option (``sort
--compress-program``, ``split --filter``, ``tar --to-command``, ``find -exec``, ``install
--strip-program``, ``rsync -e``) or are launchers by nature (shells, interpreters, ``env``, ``xargs``,
editors, pagers, ``awk``, ``sed``'s ``e`` command). So:
- :data:`LAUNCHERS` are never in the default allowlist; an operator who adds one is told at worker
  start that plans then run arbitrary code (inside the sandbox);
- :data:`LAUNCH_OPTIONS` lists, per program, the options that start another program; they are refused
  in every spelling GNU getopt accepts (``--opt=v``, ``--opt v``, any unambiguous prefix ``--comp``,
  a short letter alone or bundled ``-xI``, tar's old-style first word ``xIf``).
"""

from __future__ import annotations

import math
import posixpath
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass

from orchestra.command_wrappers import wrapped

LAUNCHERS = frozenset({
    "sh", "bash", "dash", "zsh", "ksh", "mksh", "csh", "tcsh", "fish", "busybox", "toybox",
    "env", "xargs", "parallel", "nice", "ionice", "nohup", "timeout", "stdbuf", "setsid", "chroot", "unshare",
    "nsenter", "flock", "watch", "time", "chrt", "taskset", "setarch", "linux32", "linux64", "script", "expect",
    "sudo", "su", "doas", "runuser", "pkexec", "strace", "ltrace", "gdb", "valgrind", "systemd-run",
    "python", "python3", "perl", "ruby", "node", "nodejs", "deno", "bun", "php", "lua", "tclsh", "wish", "Rscript",
    "java", "jshell", "awk", "gawk", "mawk", "nawk", "sed", "ed", "ex", "vi", "vim", "nvim", "nano", "emacs",
    "less", "more", "most", "man", "m4", "dc", "make", "cmake", "ninja", "git", "ssh", "scp", "sftp", "patch",
    "gpg", "openssl", "dpkg", "apt", "apt-get", "pip", "pip3", "npm", "npx", "docker", "podman", "crontab", "at",
    "mysql", "psql", "sqlite3",
})  # fmt: skip


@dataclass(frozen=True)
class LaunchOptions:
    long: tuple[str, ...] = ()  # names without the leading dashes
    short: str = ""  # letters
    primaries: tuple[str, ...] = ()  # find-style single-dash words, refused anywhere in the argv
    old_style_first: bool = False  # tar: the first word may be a bundle of letters without a dash


LAUNCH_OPTIONS: dict[str, LaunchOptions] = {
    "sort": LaunchOptions(long=("compress-program",)),
    "split": LaunchOptions(long=("filter",)),
    "tar": LaunchOptions(
        long=(
            "to-command",
            "use-compress-program",
            "info-script",
            "new-volume-script",
            "rsh-command",
            "checkpoint-action",
            "rmt-command",
        ),
        short="IF",
        old_style_first=True,
    ),
    "find": LaunchOptions(primaries=("-exec", "-execdir", "-ok", "-okdir")),
    "install": LaunchOptions(long=("strip-program",)),
    "rsync": LaunchOptions(long=("rsh", "rsync-path"), short="e"),
    "cpio": LaunchOptions(long=("rsh-command",)),
    "zip": LaunchOptions(long=("unzip-command",), short="T"),
    "sdiff": LaunchOptions(long=("diff-program",)),
    "diff3": LaunchOptions(long=("diff-program",)),
    "wget": LaunchOptions(long=("use-askpass",)),
}


def launching_option(program: str, args: list[str]) -> str | None:
    """The argument through which ``program`` would start another program, if any."""
    rules = LAUNCH_OPTIONS.get(program)
    if rules is None:
        return None
    for index, arg in enumerate(args):
        if arg in rules.primaries:
            return arg
        if arg == "--":
            if not rules.primaries:
                return None  # what follows are operands
            continue
        if arg.startswith("--"):
            name = arg[2:].split("=", 1)[0]
            if name and any(option.startswith(name) for option in rules.long):
                return arg
        elif arg.startswith("-") and len(arg) > 1:
            if any(letter in arg[1:] for letter in rules.short):
                return arg
        elif index == 0 and rules.old_style_first and arg.isalpha() and any(letter in arg for letter in rules.short):
            return arg
    return None


# Operands a program writes rather than reads: sort's -o/--output value, uniq's second operand, every operand of
# tee. A file the user runs such a program "on" must never land there ("run 'uniq' on a.txt and b.txt" wrote
# a.txt's lines over b.txt; "run sort -o on notes.txt" emptied notes.txt from an empty stdin).
_TAKES_VALUE = {"sort": "kStT", "uniq": "fsw", "tee": ""}  # short options whose value follows
# Each program's long options that take their value from the next argument ("output" stands for the written
# one); GNU getopt takes any unique prefix of a long option ("--o" is --output, "--skip-f" --skip-fields), so an
# option is read by prefix against these and every other long option the program has.
_LONG_WITH_VALUE = {
    "sort": (
        "output", "key", "field-separator", "buffer-size", "temporary-directory", "sort", "random-source",
        "batch-size", "compress-program", "files0-from", "parallel",
    ),
    "uniq": ("skip-fields", "skip-chars", "check-chars"),
    "tee": (),
}  # fmt: skip
_LONG_FLAGS = {
    "sort": (
        "ignore-leading-blanks", "debug", "dictionary-order", "ignore-case", "general-numeric-sort",
        "ignore-nonprinting", "month-sort", "human-numeric-sort", "numeric-sort", "random-sort", "reverse",
        "version-sort", "check", "merge", "stable", "zero-terminated", "unique", "help", "version",
    ),
    "uniq": ("count", "repeated", "all-repeated", "group", "ignore-case", "unique", "zero-terminated", "help", "version"),
    "tee": ("append", "ignore-interrupts", "output-error", "help", "version"),
}  # fmt: skip


def _long_option_reading(program: str, name: str) -> str | None:
    """What ``--name`` takes from the next argument under GNU's prefix rule: "output", "value" or None.

    An exact name wins; a prefix of several options is refused by getopt, but is read as the most dangerous of
    them (written over value over flag) so that no spelling hides a write."""
    with_value = _LONG_WITH_VALUE[program]
    if name in with_value:
        return "output" if name == "output" else "value"
    if not name or name in _LONG_FLAGS[program]:
        return None
    matches = [option for option in with_value if option.startswith(name)]
    return "output" if "output" in matches else "value" if matches else None


def argv_of(command: str) -> list[str]:
    """``command`` split as the shell tool splits it; nothing for one it would not start either."""
    try:
        return shlex.split(command)
    except ValueError:
        return []


def written_by(command: str, files: Sequence[str] = ()) -> list[str]:
    """The files ``command`` would write, given ``files`` as its last arguments (``written_operands``)."""
    argv = argv_of(command)
    return written_operands(argv[0], argv[1:] + list(files)) if argv else []


def written_operands(program: str, args: list[str]) -> list[str]:
    """The arguments ``program`` would open for writing, of those this module knows (sort, uniq, tee)."""
    if program not in _TAKES_VALUE:
        return []
    written: list[str] = []
    operands: list[str] = []
    pending: str | None = None  # the option whose value is the next argument
    ended = False
    for arg in args:
        if pending is not None:
            if pending == "o":
                written.append(arg)
            pending = None
        elif ended or arg == "-" or not arg.startswith("-"):
            operands.append(arg)
        elif arg == "--":
            ended = True
        elif arg.startswith("--"):
            name, equals, value = arg[2:].partition("=")
            reading = _long_option_reading(program, name)
            if reading == "output" and equals:
                written.append(value)
            elif reading is not None and not equals:
                pending = "o" if reading == "output" else "v"
        else:
            for at, letter in enumerate(arg[1:], start=1):
                if (program == "sort" and letter == "o") or letter in _TAKES_VALUE[program]:
                    rest = arg[at + 1 :]
                    if not rest:
                        pending = letter
                    elif letter == "o":
                        written.append(rest)
                    break
    if program == "uniq":
        written += operands[1:2]
    elif program == "tee":
        written += operands
    return written


# Programs that, in some form a sentence may ask for, never end by themselves: run, each was waited for until the
# shell's timeout killed it and the call failed, retried ("run tail -f on log.txt": 60 s, then a timeout error).
# Per program, why a given argv never ends, or None. Programs that read standard input without a file (cat, wc,
# sort, grep...) are not here: the shell tool gives them an empty one, or the text it was given, and they end.
def never_ends(command: str, timeout_s: float | None = None, stdin: bool = True) -> str | None:
    """Why ``command`` would run until the shell's timeout (``timeout_s``, for a sleep), if it would; ``stdin``:
    whether the call may give it standard input (without, ``xargs -r`` runs nothing)."""
    argv, at = argv_of(command), 0
    wrappers = []
    # "nice yes", "env A=1 tail -f x", "sh -c 'yes'": what a wrapper runs is judged (command_wrappers)
    while (inner := wrapped(argv, at, stdin)) is not None:
        if inner.limit_s is not None and (timeout_s is None or inner.limit_s < timeout_s):
            return None  # "timeout 5 yes": ended by the wrapper, before the shell's timeout
        wrappers.append(argv[at].rsplit("/", 1)[-1])
        argv, at = inner.argv, inner.at
    why = _argv_never_ends(argv[at:], timeout_s)
    return f"{why}, run by {' '.join(dict.fromkeys(wrappers))}" if why is not None and wrappers else why


def _argv_never_ends(argv: list[str], timeout_s: float | None) -> str | None:
    if not argv:
        return None
    program, args = argv[0].rsplit("/", 1)[-1], argv[1:]
    if program in _ALWAYS_ENDLESS:
        return f"{program} {_ALWAYS_ENDLESS[program]}"
    if program == "sleep":
        return _sleeps_past(args[1:] if args[:1] == ["--"] else args, timeout_s)
    if (device := _endless_read(program, args)) is not None:
        return f"{program} reads {device}, which has no end"
    rule = _ENDLESS_UNLESS.get(program)
    if rule is None:
        return None
    endless_when, ends_when, why = rule
    flags = _short_flags(args, _SHORT_VALUES.get(program, ""))
    follows = endless_when is None or bool(flags & set(endless_when.short)) or _long_given(args, endless_when.long)
    bounded = ends_when is not None and (bool(flags & set(ends_when.short)) or _long_given(args, ends_when.long))
    if program in _DELAY_WITHOUT_COUNT:
        counts = [a for a in args if a.isdigit()]
        follows, bounded = len(counts) == 1, len(counts) > 1
    return f"{program} {why}" if follows and not bounded else None


# Files whose reading never ends: "run 'wc -l' on /dev/zero" counted until the timeout. Any program reading one
# is endless (cat, wc, sort, grep, tail), but head, which stops at its count: of bytes always, of lines (10 if
# none is said) only where lines end (/dev/zero and /dev/full give no newline), and never a count from the end
# ("head -c -1": all but the last byte, so all of it first). Programs that name a file without reading it do not.
_ENDLESS_FILES = frozenset({
    "/dev/zero", "/dev/urandom", "/dev/random", "/dev/full", "/dev/kmsg", "/proc/kmsg", "/dev/tty", "/dev/console",
    "/dev/hwrng",
})  # fmt: skip
# The root again, seen through a process's own view of it: "/proc/self/root/dev/zero" is /dev/zero.
_PROC_ROOT = re.compile(r"(?:/proc/(?:self|thread-self|\d+)/root(?=/))+")


def _device(arg: str) -> str | None:
    """The endless file ``arg`` names, in any spelling the kernel resolves to it ("/dev/./zero", "//dev/zero",
    "/dev/../dev/zero", "/proc/self/root/dev/zero"), alone or as an option's value ("-f/dev/zero",
    "--file=/dev/zero", "--files0-from=/dev/zero"): matched as written, each read it until the timeout."""
    at = arg.find("/") if arg.startswith("-") else 0
    if at < 0 or not arg.startswith("/", at):
        return None
    path = _PROC_ROOT.sub("", posixpath.normpath("/" + arg[at:].lstrip("/")))  # normpath keeps a leading "//"
    return path if path in _ENDLESS_FILES else None


_WITHOUT_NEWLINES = frozenset({"/dev/zero", "/dev/full"})
_NOT_READING = frozenset({"ls", "du", "df", "stat", "echo", "pwd", "true", "false", "uname", "basename", "dirname"})
_HEAD_COUNT = re.compile(r"-([nc])(.*)|--(lines|bytes)(?:=(.*))?")


# Programs whose first operand, or the value of an option, is a pattern or a script, not a file: "grep -e /dev/zero
# x" searches x for that text. Per program: the options giving one (short letters, long names), and the short
# options that take a value (skipped when finding the first operand).
_PATTERNS = {
    "grep": (LaunchOptions(long=("regexp",), short="e"), "efmABCdD"),
    "sed": (LaunchOptions(long=("expression",), short="e"), "efl"),
    "awk": (LaunchOptions(long=("source",), short="e"), "fvF"),
}
for _grep in ("egrep", "fgrep", "zgrep"):
    _PATTERNS[_grep] = _PATTERNS["grep"]
_FROM_FILE = frozenset({"-f", "--file", "--regexp-file"})  # patterns read from a file, which is a file


def _files_of(program: str, args: list[str]) -> list[str]:
    """``args`` without the patterns or scripts ``program`` is given in them (``_PATTERNS``)."""
    rule = _PATTERNS.get(program)
    if rule is None:
        return args
    given, valued = rule
    files: list[str] = []
    said = operand_taken = False
    at = 0
    while at < len(args):
        arg = args[at]
        at += 1
        if arg == "--":
            files += args[at:] if said or operand_taken else args[at + 1 :]
            return files
        if arg.startswith("--"):
            name, eq, _ = arg[2:].partition("=")
            if name in given.long:
                said = True
                at += 0 if eq else 1
            else:
                files.append(arg)
                said = said or f"--{name}" in _FROM_FILE
            continue
        if arg.startswith("-") and len(arg) > 1:
            files.append(arg)  # a bundle: its glued value may be a file ("-f/dev/zero")
            for k, letter in enumerate(arg[1:], 1):
                if letter in valued:
                    if letter in given.short:
                        said = True
                        files.pop()  # its value is the pattern, glued or next
                    elif f"-{letter}" in _FROM_FILE:
                        said = True
                    if k == len(arg) - 1 and at < len(args):
                        if letter not in given.short:
                            files.append(args[at])
                        at += 1
                    break
            continue
        if not said and not operand_taken:
            operand_taken = True  # the pattern or script itself
            continue
        files.append(arg)
    return files


def _endless_read(program: str, args: list[str]) -> str | None:
    """The endless file ``program`` would read through, if any (head: see above)."""
    device = next((found for a in _files_of(program, args) if (found := _device(a)) is not None), None)
    if device is None or program in _NOT_READING:
        return None
    if program != "head":
        return device
    unit, count = "n", "10"
    for at, arg in enumerate(args):
        if (match := _HEAD_COUNT.fullmatch(arg)) is not None:
            unit = match[1] or ("c" if match[3] == "bytes" else "n")
            count = match[2] or match[4] or (args[at + 1] if at + 1 < len(args) else "")
    ends = not count.startswith("-") and (unit == "c" or device not in _WITHOUT_NEWLINES)
    return None if ends else device


_ALWAYS_ENDLESS = {
    "yes": "prints its line without end",
    "watch": "runs its command again every few seconds until it is stopped",
    "htop": "shows the processes until it is quit",
}
# program -> (the options that make it run on: all forms if None; the options that end it; why)
_ENDLESS_UNLESS: dict[str, tuple[LaunchOptions | None, LaunchOptions | None, str]] = {
    "tail": (LaunchOptions(long=("follow",), short="fF"), None, "follows the file for lines to come, without end"),
    "journalctl": (LaunchOptions(long=("follow",), short="f"), None, "follows the journal without end"),
    "dmesg": (LaunchOptions(long=("follow", "follow-new"), short="wW"), None, "waits for new messages without end"),
    "top": (None, LaunchOptions(short="n"), "refreshes until it is quit (say -b -n 1)"),
    "ping": (None, LaunchOptions(long=("count", "deadline"), short="cw"), "sends until it is stopped (say -c 3)"),
    "ping6": (None, LaunchOptions(long=("count", "deadline"), short="cw"), "sends until it is stopped (say -c 3)"),
    "tcpdump": (None, LaunchOptions(short="c"), "captures until it is stopped (say -c 10)"),
    "vmstat": (None, None, "reports every delay without end (say a count after it)"),
    "iostat": (None, None, "reports every delay without end (say a count after it)"),
}
_DELAY_WITHOUT_COUNT = frozenset({"vmstat", "iostat"})
# Short options that take a value, per program: the letters glued after one are its value ("ping -Ic" is no
# count), so a bundle is read up to it. A program not here has its bundles read whole (asked for, if anything).
_SHORT_VALUES = {
    "tail": "cns",
    "journalctl": "bDnopuStU",
    "ping": "cwiIlmMpsStTQW",
    "top": "dnpuUwo",
    "tcpdump": "cCiswW",
}
_SHORT_VALUES["ping6"] = _SHORT_VALUES["ping"]


def _short_flags(args: list[str], taking_values: str) -> set[str]:
    """The short option letters ``args`` give, bundled or alone, before "--"; old-style "-5f" gives "f"."""
    letters: set[str] = set()
    for arg in args:
        if arg == "--":
            break
        if arg.startswith("-") and not arg.startswith("--"):
            for letter in arg[1:]:
                letters.add(letter)
                if letter in taking_values:
                    break
    return letters


def _long_given(args: list[str], names: tuple[str, ...]) -> bool:
    """Whether ``args`` give one of the long options ``names`` in any spelling GNU getopt takes (a prefix)."""
    for arg in args:
        if arg == "--":
            return False
        name = arg[2:].split("=", 1)[0] if arg.startswith("--") else ""
        if name and any(option.startswith(name) for option in names):
            return True
    return False


_SLEEP_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def _sleeps_past(args: list[str], timeout_s: float | None) -> str | None:
    """sleep sums its operands, each a number (C's strtod: "inf", "1e9", "0x1p30") with a unit s, m, h or d."""
    total = 0.0
    for arg in args:
        number, scale = (arg[:-1], _SLEEP_UNITS[arg[-1]]) if arg[-1:] in _SLEEP_UNITS else (arg, 1.0)
        try:
            value = float.fromhex(number) if number.lower().lstrip("+").startswith("0x") else float(number)
        except ValueError:
            return None  # sleep refuses it at once
        total += value * scale
    if total == math.inf:
        return "sleep waits forever"
    if timeout_s is not None and total >= timeout_s:  # killed at the timeout all the same
        return f"sleep {total:g} s is past the shell's timeout of {timeout_s:g} s"
    return None
