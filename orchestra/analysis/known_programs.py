"""The programs whose reads and writes `shell_reads` models exactly, and the uses of them it does not (attack399).

A program not listed here may print anything (``docker exec c env``, ``ssh host env``), run anything (``chroot /
printenv``, ``flock l printenv``, ``strace printenv``) or write anything (``xxd .env notes.txt``, ``sponge``,
``iconv -o``): what it prints, and any file after it, is asked when sent. A listed program used with an option that
runs or writes what is not modelled (``tar --to-command``, ``find -fprint``, ``uniq IN OUT``) is the same.

The rule for code: ``python -c``/``node -e``/``ruby -e``/``perl -e``/``php -r``/``awk`` code is read only when every
name it uses, its strings aside, is one of a few that open, run and look up nothing; any other (``open``,
``getattr``, ``system``, ``process``...) may reach a file or the environment by a name it builds.

A project's build and test runners (``make``, ``pytest``, ``npm test``, ``cargo build``...) are kept as known: they
run the project's own code, which the user asked to run and whose output is its log; a script named by its path
(``./run.sh``, ``python x.py``) is not: it may print anything.
"""

from __future__ import annotations

import posixpath
import re

from orchestra.lazy_regex import lazy_compile

# Programs whose every operand is a file read (or a name, a count), that run and write nothing unmodelled
_PLAIN = frozenset(
    """cat head tail wc grep egrep fgrep sort cut tr ls echo printf date pwd true false uname whoami id hostname
    basename dirname seq nl tac rev md5sum sha1sum sha224sum sha256sum sha384sum sha512sum b2sum cksum sum du df
    stat file diff cmp comm paste join fold column expand unexpand base64 base32 realpath readlink which type nproc
    free uptime sleep test [ mkdir rmdir touch rm cp mv ln install tee dd zcat jq printenv env set export declare
    typeset local readonly unset wait kill ps cd pushd popd""".split()
)
# Programs sending what they read out of the machine by themselves (their reads are their operands and redirections,
# judged as a send: "curl -d @.env https://x"); a remote shell (ssh) is not one: what it runs there is not known
SENDERS = frozenset("curl wget scp sftp rsync nc ncat netcat socat mail mailx sendmail ftp".split())
# Options with which a listed program runs, or writes, what is not modelled
_RISKY = {
    "tar": lazy_compile(
        r"--to-command.*|-I|--use-compress-program.*|--checkpoint-action.*|-F|--info-script.*|"
        r"--new-volume-script.*|-[A-Za-z]*I[A-Za-z]*|--rsh-command.*"
    ),
    "zip": lazy_compile(r"-TT|--unzip-command.*|-[A-Za-z]*TT.*"),
    "find": lazy_compile(r"-fprint.*|-fls|-delete"),
    "sort": lazy_compile(r"--compress-program.*"),
}
# Compressors write FILE.gz unless told to print: only their printing use is modelled
_COMPRESSORS = frozenset("gzip gunzip bzip2 bunzip2 xz unxz".split())
_TO_STDOUT = frozenset("-c --stdout --to-stdout -l --list -t --test".split())
# git's subcommands that print the repository's history and state, or change only it
_GIT = frozenset(
    "log status diff show branch rev-parse ls-files shortlog describe blame tag add commit init grep".split()
)
# A project's build and test runners, and the subcommands of them that are such (None: any)
_RUNNERS: dict[str, frozenset[str] | None] = {
    "make": None,
    "pytest": None,
    "tox": None,
    "nox": None,
    "npm": frozenset("test t run ci install i ls outdated audit".split()),
    "yarn": frozenset("test run install".split()),
    "pnpm": frozenset("test run install".split()),
    "cargo": frozenset("build test check clippy fmt run".split()),
    "go": frozenset("build test vet".split()),
    "mvn": None,
    "gradle": None,
    "pip": frozenset("freeze list".split()),
    "pip3": frozenset("freeze list".split()),
    "docker": frozenset("ps images version".split()),
}
# Interpreters and the option giving them code on the line
_CODE_OPTIONS = {
    "node": ("-e", "-p", "--eval", "--print"),
    "nodejs": ("-e", "-p", "--eval", "--print"),
    "ruby": ("-e",),
    "perl": ("-e", "-E"),
    "php": ("-r",),
}
_PYTHON = lazy_compile(r"python[\d.]*")
_SHELL_NAMES = frozenset("sh bash dash zsh ksh".split())
_SCRIPT_FILE = lazy_compile(r"[\w./~-]+\.(?:py|js|mjs|cjs|ts|rb|pl|php|sh|bash)")
_AWK = lazy_compile(r"[gmn]?awk")
# Names code may use and still open, run and look up nothing (strings are taken out first)
_SAFE_NAMES = frozenset(
    """print console log puts p say json sys math len str int float range sum min max sorted abs round dumps loads
    load stdin stdout write read readline readlines argv version version_info platform True False None true false
    null undefined Math JSON stringify parse toFixed floor ceil pi e sqrt pow import from as for in if else elif
    BEGIN END NR NF FS OFS RS ORS length substr split tolower toupper printf sprintf gsub sub index""".split()
)
_STRING = lazy_compile(r"'[^']*'|\"[^\"]*\"")
_NAME = lazy_compile(r"[A-Za-z_]\w*")
_XARGS_PLAIN = frozenset("-0 -r -t --null --no-run-if-empty --verbose".split())
_XARGS_VALUED = frozenset("-n -I -P -d -L -s --max-args --max-procs --delimiter".split())


def unmodelled(program_word: str, args: list[str]) -> str | None:
    """Why the command ``program_word args`` is not modelled (a program not known, a use of it not read), or None."""
    program = posixpath.basename(program_word)
    if program != program_word and not program_word.startswith(("/usr/bin/", "/bin/", "/usr/local/bin/")):
        return None  # "./run.sh": a script of the project's, asked to be run (the rule above)
    if program in SENDERS:
        return None
    if program in _PLAIN or program in _RISKY:  # tar, zip: their archive and folder reads are modelled
        risky = _RISKY.get(program)
        if risky is not None and any(risky.fullmatch(a) for a in args):
            return f"`{program}` used with an option that runs or writes what the planner does not follow"
        if program in ("cd", "pushd") and len(args) > 1:
            return f"`{program}` with options"
        return None
    if program in _COMPRESSORS:
        operands = [a for a in args if not a.startswith("-")]
        return None if not operands or _TO_STDOUT & set(args) else f"`{program}` writes files it names by suffix"
    if program == "uniq":
        operands = [a for a in args if not a.startswith("-")]
        return None if len(operands) <= 1 else "`uniq IN OUT` writes its second operand"
    if program == "git":
        return None if args[:1] and args[0] in _GIT else "a git command other than those printing the history"
    if program in _RUNNERS:
        subcommands = _RUNNERS[program]
        if subcommands is None or (args[:1] and args[0] in subcommands):
            return None
        return f"`{program}` used other than as the project's build or test runner"
    if program == "xargs":
        return _xargs(args)
    if _runs_a_script(program, args):
        return None
    code = _code(program, args)
    if code is not None:
        return None if _safe_code(code) else f"`{program}` code using names that may open a file or run a command"
    return f"`{program}` is not a program whose output the planner knows"


def wrapper_unread(program: str, args: list[str]) -> str | None:
    """Why a wrapper's use is not read (``exec``, ``busybox``, ``xargs -a FILE``), or None."""
    if program in ("exec", "busybox", "toybox"):
        return f"`{program}` runs or redirects what the planner does not follow"
    return _xargs(args) if program == "xargs" else None


def _runs_a_script(program: str, args: list[str]) -> bool:
    """``python3 script.py``, ``bash build.sh``, ``node app.js``: a script of the project's, by its path."""
    interpreter = _PYTHON.fullmatch(program) or program in _CODE_OPTIONS or program in _SHELL_NAMES
    first = next((a for a in args if not a.startswith("-")), "")
    return bool(interpreter) and _SCRIPT_FILE.fullmatch(first) is not None and args[:1] != ["-c"]


def _xargs(args: list[str]) -> str | None:
    at = 0
    while at < len(args) and args[at].startswith("-"):
        if args[at] in _XARGS_VALUED:
            at += 1
        elif args[at] not in _XARGS_PLAIN:
            return f"`xargs {args[at]}` (an option that reads or runs what the planner does not follow)"
        at += 1
    return None  # the command xargs runs is judged on its own (`shell_reads`)


def _code(program: str, args: list[str]) -> str | None:
    """The code an interpreter is given on the line, or None when it runs a script, its stdin or a module."""
    if _PYTHON.fullmatch(program):
        if args[:2] in (["-m", "pytest"], ["-m", "unittest"]):
            return ""
        return args[1] if args[:1] == ["-c"] and len(args) >= 2 else None
    if _AWK.fullmatch(program):
        rest = list(args)
        while rest and rest[0].startswith("-F"):  # the field separator, glued or the next word
            rest = rest[1:] if len(rest[0]) > 2 else rest[2:]
        code = rest[0] if rest and not rest[0].startswith("-") else None
        return None if code is None or re.search(r"[>|]|getline|system", code) else code
    options = _CODE_OPTIONS.get(program, ())
    return args[1] if args[:1] and args[0] in options and len(args) >= 2 else None


def _safe_code(code: str) -> bool:
    return all(name in _SAFE_NAMES for name in _NAME.findall(_STRING.sub("''", code)))
