"""What a command line's output may hold, and which files it writes, judged command by command (`shell_words`).

attack385: a blacklist judged on a line's start leaked every other spelling. So each simple command of a line is
judged after its prefixes (``sudo``, ``env X=1``, ``nice``, ``time``, ``xargs``...), its words as the shell expands
them. Where the planner cannot tell what a command prints, that is said (an `Untold`, judged as secret as a key
file by `secrets_sent`): the environment (``env -0``, ``typeset -x``, code naming ``os.environ``), a variable whose
name says secret (``$AWS_SECRET_ACCESS_KEY``), the files a glob, a variable, a substitution or a recursive read
gives (``cat .e*``, ``cat $F``, ``grep -r KEY .``), stored credentials (``git config --list``). A command that
writes a file (cp, mv, ln, tee, dd, a redirection) says which: a later read of it holds what the line read.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from orchestra.analysis.known_programs import SENDERS, unmodelled, wrapper_unread
from orchestra.analysis.shell_grammar import HARMLESS_VARIABLES, outside_the_grammar
from orchestra.analysis.shell_words import SimpleCommand, Word, simple_commands
from orchestra.command_wrappers import wrapped
from orchestra.lazy_regex import lazy_compile


class Untold(str):
    """Something a line prints that no file's name tells: judged as a secret is."""


THE_ENVIRONMENT = Untold("the environment's variables")


@dataclass
class ShellReads:
    named: set[str] = field(default_factory=set)  # words that may name a file the line reads or writes
    untold: set[Untold] = field(default_factory=set)
    written: set[str] = field(default_factory=set)  # files the line writes (copies, links, redirections, tee)
    opened: set[str] = field(default_factory=set)  # operands of programs printing what files hold: files
    writes_unknown: bool = False  # it may write files it does not name (a command not read): any later read is
    sends: bool = False  # a command of it sends by itself (curl, scp, nc, /dev/tcp): what it reads goes out


def unread(reads: ShellReads, shown: str, why: str) -> None:
    """``shown`` (a line or a command of one) is outside what is read exactly: what it prints, and any file after
    it, may hold secrets (fail closed, attack399)."""
    # said inside "step X would send <this>": what is sent, then why it is asked
    reads.untold.add(
        Untold(f"what `{shown}` prints (the command could not be read: {why}; its output may hold secrets)")
    )
    reads.writes_unknown = True


def shell_reads(line: str, depth: int = 0) -> ShellReads:
    """What ``line`` reads, prints that no name tells, and writes."""
    parsed = simple_commands(line, depth)
    reads = ShellReads()
    if not parsed.read:  # an open quote: what runs, if anything does, is not known
        reads.untold.add(Untold(f"what `{_shown(line)}` prints"))
    outside = outside_the_grammar(line)
    if outside is not None:
        unread(reads, _shown(line), outside)
    assigned: dict[str, Word] = {}
    cwd = (
        ""  # where `cd` took the line: a relative name after it is of that folder (attack399: cd ~/.ssh && cat config)
    )
    for command in parsed.commands:
        before = ShellReads(set(reads.named), set(reads.untold), set(reads.written), set(reads.opened))
        _judge(command, _shown(line), assigned, reads, depth, fed=False)
        if cwd:
            _in_folder(cwd, before, reads)
        words = command.argv
        if words[:1] in (["cd"], ["pushd"]):
            target = words[1] if len(words) == 2 else ""
            cwd = posixpath.join(cwd, target) if target and not command.words[1].expanded else "?"
    return reads


def _in_folder(cwd: str, before: ShellReads, reads: ShellReads) -> None:
    """The names ``reads`` gained since ``before``, relative ones joined to the folder ``cwd`` the line is in."""
    for found, had in ((reads.named, before.named), (reads.written, before.written), (reads.opened, before.opened)):
        for name in found - had:
            if cwd == "?" and not name.startswith(("/", "~")):
                reads.untold.add(Untold(f"the file {name} of a folder not known"))
            elif not name.startswith(("/", "~", "-")):
                joined = posixpath.normpath(posixpath.join(cwd, name))
                found.add(joined)
                if joined.endswith("/environ"):
                    reads.untold.add(THE_ENVIRONMENT)


# Programs whose output holds no file's bytes whatever files they are given: names, counts, sums, nothing at all
_NAMES_ONLY = frozenset(
    """ls dir vdir tree wc du df stat file date echo printf pwd whoami id hostname uname uptime true false test [ [[
    mkdir rmdir touch cd pushd popd sleep which type basename dirname realpath readlink seq expr md5sum sha1sum
    sha224sum sha256sum sha384sum sha512sum b2sum cksum sum nproc free chmod chown chgrp rm cp mv ln install mkfifo
    sync kill find locate command hash exit return shift unset wait trap cmp""".split()
)
# Programs printing the files they are given whole: each operand is a file ("cat token"), not a pattern or a name
_FILE_PRINTERS = frozenset("cat head tail tac nl zcat base64 base32 od xxd strings paste rev fold less more".split())
# Shell words opening or closing a compound command: the command follows them
_KEYWORDS = frozenset("if then else elif do while until ! { } done fi esac".split())
# "for f in *.txt; do wc -l $f; done": a loop over words is read (its variable is a file not known); others are not
_LOOP_WORDS = frozenset("do done".split())
_PREFIXES_READ = 64  # "nice nice nice ... printenv": prefixes taken off one by one, this many at most
_SHELLS = frozenset("sh bash dash zsh ksh mksh ash su runuser".split())
_DECLARERS = frozenset("export declare typeset local readonly".split())
_SUDO_VALUES = frozenset("-u -g -h -p -C -D -r -t -U -T --user --group --host --prompt --close-from".split())
_ASSIGNMENT = lazy_compile(r"([A-Za-z_][A-Za-z0-9_]*)\+?=(.*)", re.DOTALL)
# Interpreters given code on their command line (python -c, ruby -e, node -e, awk's program, jq's filter)
_INTERPRETER = lazy_compile(
    r"python[\d.]*|pypy[\d.]*|ruby|irb|perl|node|nodejs|deno|bun|php|lua(?:jit)?|Rscript|R|[gmn]?awk|jq|yq|"
    r"osascript|pwsh|powershell|tclsh|groovy|julia"
)
# Code naming the environment: os.environ, getenv(), process.env, ENV (ruby, perl's %ENV, jq's $ENV), ENVIRON (awk)
_ENVIRONMENT_CODE = lazy_compile(
    r"(?i:\benviron\b|getenv|process\.env\b|deno\.env\b|\$_env\b|\$_server\b|\benv:)|\bENV\b|^env$"
)
# Code reading the files a listing gives (glob.glob, os.walk, listdir, Dir[...], readdirSync): none named
_LISTING_CODE = lazy_compile(r"(?i:\bglob\b|\bwalk\b|listdir|scandir|readdir|iterdir|rglob|opendir)|\bDir\b")
_PATH_IN_CODE = lazy_compile(r"[\w.~/*?-]*[./~][\w.~/*?-]*")
# Searches reading each file below a folder: "grep -r", "rg", "git grep"
_SEARCHERS = frozenset("grep egrep fgrep zgrep ugrep".split())
_RECURSIVE_SEARCHERS = frozenset("rg ag ack ack-grep pt".split())
_RECURSIVE = lazy_compile(r"-[A-Za-z]*[rR][A-Za-z]*|--(?:dereference-)?recursive|--directories=recurse|recurse")
_TAR_BUNDLE = lazy_compile(r"-?[A-Za-z]*f")  # "czf", "-cvf": the archive's name is the next word
_ARCHIVERS = frozenset("tar zip 7z 7za jar cpio".split())
# Commands printing stored credentials whatever file they name: a program and words each such call says
_CREDENTIAL_PRINTERS: dict[str, tuple[frozenset[str], ...]] = {
    program: tuple(frozenset(said.split()) for said in calls.split(","))
    for program, calls in {
        "git": "config --list,config -l,credential fill",
        "gh": "auth token,auth --show-token,auth -t",
        "aws": "configure get,configure export-credentials,sts get-session-token,ecr get-login-password,"
        "secretsmanager get-secret-value",
        "kubectl": "config view --raw,get secret,get secrets",
        "gcloud": "print-access-token,print-identity-token",
        "az": "get-access-token",
        "vault": "read,kv get",
        "pass": "show",
        "op": "read,item get",
        "security": "-w",
        "heroku": "config,auth:token",
    }.items()
}
# Writers of the file named by their last operand (or -t DIR), by an option's value, or by every operand
_COPIERS = frozenset("cp mv ln install rsync scp link".split())
_OUTPUT_OPTIONS = {"sort": ("-o", "--output"), "curl": ("-o", "--output"), "wget": ("-O", "--output-document")}
_PLAIN_VARIABLE = lazy_compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")
_SECRET_VARIABLE_WORDS = frozenset(
    """key keys secret secrets token tokens pass passwd password passwords passphrase pwd credential credentials
    creds auth dsn cookie cookies private signature pat otp""".split()
)
_SECRET_VARIABLE_WORD = lazy_compile(
    r"(?:api|access|secret|private|master|signing|license|encryption|client|app|service)keys?|\w*(?:token|secret|passw(?:or)?d)s?"
)
# A connection string holds its password: DATABASE_URL, REDIS_URL, MONGODB_URI
_URL_WORDS = frozenset("url uri".split())
_SERVICE_WORDS = frozenset(
    "database db redis mongo mongodb postgres postgresql pg mysql amqp rabbitmq broker smtp".split()
)


def secret_variable(name: str) -> bool:
    """Whether a variable's name says it holds a secret: AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN, apiKey, DATABASE_URL."""
    if name in HARMLESS_VARIABLES:  # SSH_AUTH_SOCK: a socket's path, no secret
        return False
    words = set(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower().split("_")) - {""}
    return (
        bool(words & _SECRET_VARIABLE_WORDS)
        or any(_SECRET_VARIABLE_WORD.fullmatch(w) for w in words)
        or bool(words & _URL_WORDS and words & _SERVICE_WORDS)
    )


def _judge(
    command: SimpleCommand, shown: str, assigned: dict[str, Word], reads: ShellReads, depth: int, fed: bool
) -> None:
    """``command`` (of the line ``shown``) judged into ``reads``; ``fed``: it is given files it does not name
    (xargs, find -exec)."""
    for word in [*command.words, *(w for _, w in command.redirects)]:
        for name in word.variables:
            if name not in assigned and secret_variable(name):
                reads.untold.add(Untold(f"the variable ${name}"))
        if "/environ" in word.text:  # /proc/self/environ, /proc/1/environ
            reads.untold.add(THE_ENVIRONMENT)
    _redirected(command, shown, assigned, reads)
    words, fed = _run(command.words, assigned, reads, depth, fed)
    if not words:
        return
    program, args = posixpath.basename(words[0].text), words[1:]
    argv = [w.text for w in words]
    why = "its program is made by an expansion" if words[0].expanded else unmodelled(words[0].text, argv[1:])
    if why is not None:
        unread(reads, shown, why)
    reads.sends |= program in SENDERS
    if _prints_the_environment(program, args):
        reads.untold.add(THE_ENVIRONMENT)
    if any(said <= {w.text for w in args} for said in _CREDENTIAL_PRINTERS.get(program, ())):
        reads.untold.add(Untold(f"the credentials `{shown}` prints"))
    if _INTERPRETER.fullmatch(program):
        _code(program, args, reads, shown)
    if program == "find":
        _found_and_run(args, shown, assigned, reads, depth)
    if _reads_a_folder_whole(program, args):
        reads.untold.add(Untold(f"the files `{shown}` reads"))
    content = program not in _NAMES_ONLY
    for arg in args:
        text = _value(arg.text)
        resolved = _resolved(arg, assigned)
        if resolved is not None:
            reads.named.add(resolved)
        elif arg.text.startswith("-") and arg.variables and _plain_facts(arg):
            continue  # "--author=$USER": an option's value, no file
        elif content and (arg.expanded or text == "{}"):
            reads.untold.add(Untold(f"the files `{shown}` reads"))
        elif not arg.expanded:
            reads.named.add(text)
            if program in _FILE_PRINTERS and not text.startswith("-"):
                reads.opened.add(text)
    if fed and content:
        reads.untold.add(Untold(f"the files `{shown}` reads"))
    reads.written |= _written(program, argv[1:])


def _run(
    words: list[Word], assigned: dict[str, Word], reads: ShellReads, depth: int, fed: bool
) -> tuple[list[Word], bool]:
    """The command ``words`` runs, past its assignments and its prefixes (``sudo``, ``env X=1``, ``nice``, ``time``,
    ``xargs``: then it is ``fed`` files), and nothing where it runs a script judged here (``sh -c``, ``eval``)."""
    for _ in range(_PREFIXES_READ):
        if not words:
            return [], fed
        first = words[0].text
        program = posixpath.basename(first)
        assignment = _ASSIGNMENT.fullmatch(first)
        if assignment is not None:
            value = Word(assignment[2], words[0].globbed, words[0].variables, words[0].substituted)
            assigned[assignment[1]] = value
            if not value.expanded:
                reads.named.add(value.text)
            words = words[1:]
        elif first in _KEYWORDS:
            if first not in _LOOP_WORDS:
                unread(reads, _shown(" ".join(w.text for w in words)), f"`{first}` opens a compound command")
            words = words[1:]
        elif first in _DECLARERS and any(not w.text.startswith("-") for w in words[1:]):
            words = [w for w in words[1:] if not w.text.startswith("-")]  # their assignments, as said
            if _ASSIGNMENT.fullmatch(words[0].text) is None:  # "declare -p NAME": prints each one
                reads.untold |= {Untold(f"the variable ${w.text}") for w in words if secret_variable(w.text)}
                return [], fed
        elif first == "for" and len(words) > 1:
            assigned[words[1].text] = Word("", substituted=True)  # each of the words after "in": not one known
            reads.named |= {w.text for w in words[2:] if not w.expanded}
            return [], fed
        elif program in ("sudo", "doas"):
            words = _past_sudo(words[1:])
        elif program in _SHELLS or program == "eval":
            texts = [w.text for w in words[1:]]
            script = _script(program, texts)
            if script is None:
                return words, fed
            if program in ("eval", "su", "runuser") or texts[-1:] != [script] or texts[-2:-1] == ["--"]:
                unread(reads, _shown(" ".join([first, *texts])), f"`{program}` given a script not read as one")
            inner = shell_reads(script, depth + 1)
            reads.named |= inner.named
            reads.untold |= inner.untold
            reads.opened |= inner.opened
            reads.written |= inner.written
            reads.writes_unknown |= inner.writes_unknown
            reads.sends |= inner.sends
            return [], fed
        else:
            argv = [w.text for w in words]
            why = wrapper_unread(program, argv[1:])
            if why is not None:
                unread(reads, _shown(" ".join(argv)), why)
            runs = wrapped(argv)
            if runs is None:
                return words, fed
            fed = fed or program in ("xargs", "parallel")
            # "env -S 'cat .env'" runs words of its own making: plain words
            words = words[runs.at :] if runs.argv is argv else [Word(w) for w in runs.argv[runs.at :]]
    if words:  # prefixes past counting: what runs is not read
        reads.untold.add(Untold(f"what `{_shown(' '.join(w.text for w in words))}` prints"))
    return [], fed


def _plain_facts(word: Word) -> bool:
    """Whether only variables no secret is kept in expand in ``word``."""
    return not word.globbed and not word.substituted and set(word.variables) <= HARMLESS_VARIABLES


def _past_sudo(words: list[Word]) -> list[Word]:
    at = 0
    while at < len(words) and words[at].text.startswith("-") and words[at].text != "--":
        at += 2 if words[at].text in _SUDO_VALUES else 1
    at += 1 if words[at : at + 1] and words[at].text == "--" else 0
    return words[at:]


def _script(program: str, args: list[str]) -> str | None:
    """The script ``sh -c SCRIPT``, ``su -c SCRIPT`` or ``eval WORDS`` runs; None for a script file or stdin."""
    if program == "eval":
        return " ".join(args)
    for at, arg in enumerate(args):
        if arg.startswith("-") and not arg.startswith("--") and "c" in arg[1:]:
            return args[at + 1] if at + 1 < len(args) else ""
        if arg == "--command" or arg.startswith("--command="):
            return arg.partition("=")[2] or (args[at + 1] if at + 1 < len(args) else "")
    return None


def _prints_the_environment(program: str, args: list[Word]) -> bool:
    """``printenv``, ``env`` with no command (``env -0``, ``env -u X``), ``export -p``, ``declare -x``, ``typeset``,
    ``set`` alone, ``ps e`` (each process's environment)."""
    options_only = all(a.text.startswith("-") for a in args)
    if program == "printenv":
        # "printenv $V": which variable it prints is not said (attack399: V=AWS_SECRET_ACCESS_KEY)
        operands = [a for a in args if not a.text.startswith("-")]
        return not operands or any(a.expanded or secret_variable(a.text) for a in operands)
    if program == "env":  # a command it runs was taken by `_run`: here it runs none
        return True
    if program in _DECLARERS:
        return options_only
    if program == "set":
        return not args
    if program == "ps":
        return any(re.fullmatch(r"[A-Za-z]*e[A-Za-z]*", a.text) for a in args)
    return False


def _code(program: str, args: list[Word], reads: ShellReads, shown: str) -> None:
    """An interpreter's code: naming the environment, listing files to read, or naming files in its strings."""
    for arg in args:
        if _ENVIRONMENT_CODE.search(arg.text) and (program == "jq" or arg.text != "env"):
            reads.untold.add(THE_ENVIRONMENT)
        if _LISTING_CODE.search(arg.text):
            reads.untold.add(Untold(f"the files `{shown}` reads"))
        reads.named |= set(_PATH_IN_CODE.findall(arg.text)) if not arg.expanded else set()


def _found_and_run(args: list[Word], shown: str, assigned: dict[str, Word], reads: ShellReads, depth: int) -> None:
    """``find . -exec cat {} \\;``: the command find runs, given each file found."""
    for at, arg in enumerate(args):
        if arg.text in ("-exec", "-execdir", "-ok", "-okdir"):
            inner = [w for w in args[at + 1 :] if w.text != "+"]
            _judge(SimpleCommand(inner), shown, assigned, reads, depth, fed=True)
            return


def _reads_a_folder_whole(program: str, args: list[Word]) -> bool:
    """``grep -r KEY .``, ``rg KEY``, ``git grep KEY``, ``tar czf - .``, ``zip -r x.zip src``: every file below."""
    if program in _RECURSIVE_SEARCHERS or (program == "git" and args[:1] and args[0].text == "grep"):
        return True
    if program in _SEARCHERS:
        return any(_RECURSIVE.fullmatch(a.text) for a in args)
    if program == "cpio":  # "find . | cpio -o": the names come from its input
        return True
    if program in _ARCHIVERS:
        texts = [a.text for a in args]
        if program == "tar" and texts and re.fullmatch(r"[A-Za-z]+", texts[0]):
            texts = texts[1:]  # tar's old first word, options without a dash
        archive = _written(program, [a.text for a in args])
        operands = [t for t in texts if not t.startswith("-") and t not in archive and t not in ("a", "c", "cf")]
        return any(_a_folder(text) for text in operands)
    return False


def _a_folder(text: str) -> bool:
    """Whether an archiver's operand may be a folder: ".", "~", "src/", "src" (a name with no ending)."""
    last = text.rstrip("/").rsplit("/", 1)[-1]
    return text in (".", "..", "~", "/") or text.endswith("/") or "." not in last.lstrip(".")


def _redirected(command: SimpleCommand, shown: str, assigned: dict[str, Word], reads: ShellReads) -> None:
    """``> notes.txt`` writes notes.txt; ``< .env`` reads .env; ``2>&1`` and here-documents name no file."""
    for op, word in command.redirects:
        if op in ("<<", "<<-", "<<<") or (op.endswith("&") and (word.text.isdigit() or word.text == "-")):
            continue
        resolved = _resolved(word, assigned)
        if resolved is None and word.expanded:
            if "<" in op:
                reads.untold.add(Untold(f"the files `{shown}` reads"))
            else:  # "> $OUT": a file not known is written
                reads.writes_unknown = True
            continue
        target = resolved if resolved is not None else word.text
        reads.sends |= target.startswith(("/dev/tcp/", "/dev/udp/"))
        reads.named.add(target)
        if ">" in op:
            reads.written.add(target)


def _resolved(word: Word, assigned: dict[str, Word]) -> str | None:
    """``$F`` where the line said ``F=.env`` (a value no expansion makes): that value; None for a word that names
    nothing known."""
    if not word.variables or word.globbed or word.substituted:
        return None
    values = {name: assigned.get(name) for name in word.variables}
    if any(v is None or v.expanded for v in values.values()):
        return None
    known = {name: value.text for name, value in values.items() if value is not None}
    text = _PLAIN_VARIABLE.sub(lambda m: known.get(m[1] or m[2], m[0]), word.text)
    return None if re.search(r"[*?\[$]", text) else text  # "$F" holding "*" is globbed; "${F:-x}" is not read


def _written(program: str, args: list[str]) -> set[str]:
    """The files ``program`` writes, of those it names: a copy's target, tee's files, dd's of=, an -o value."""
    operands = [a for a in args if not a.startswith("-")]
    if program in _COPIERS:
        targets = [args[at + 1] for at, a in enumerate(args[:-1]) if a in ("-t", "--target-directory")]
        targets += [a.partition("=")[2] for a in args if a.startswith("--target-directory=")]
        if not targets and len(operands) > 1:
            targets = operands[-1:]  # "cp a b": b; "cp a": none
        return set(targets)
    if program == "tee":
        return set(operands)
    if program == "dd":
        return {a[3:] for a in args if a.startswith("of=")}
    if program in _OUTPUT_OPTIONS:
        options = _OUTPUT_OPTIONS[program]
        said = {args[at + 1] for at, a in enumerate(args[:-1]) if a in options}
        return said | {a.partition("=")[2] for a in args if a.startswith(options[1] + "=")}
    if program in ("zip", "7z", "7za", "jar"):
        return set(operands[1:2] if program in ("7z", "7za") else operands[:1])
    if program == "tar":
        files = [args[at + 1] for at, a in enumerate(args[:-1]) if _TAR_BUNDLE.fullmatch(a)]
        return set(files[:1])
    return set()


def _value(text: str) -> str:
    """An option's or a dd operand's value (``--file=.env``, ``if=.env``); the word itself otherwise."""
    return text.partition("=")[2] if re.match(r"-{0,2}[A-Za-z][\w-]*=", text) else text


def _shown(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."
