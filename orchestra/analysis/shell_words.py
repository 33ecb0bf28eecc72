"""A command line cut into its simple commands, each word with what the shell would put in its place.

``secrets_sent`` judged a line by its first words ("printenv" at its start), so every other spelling leaked
(attack385: ``cd /tmp && printenv``, ``F=.env; cat $F``, ``cat .e*``, ``cat $(ls | grep env)``). Here a line is
read as a POSIX shell reads it, far enough to judge each command: split on ``&&``, ``||``, ``;``, ``|``, ``&``,
newlines and parentheses (a ``$(...)`` or backquoted command is a command too), its redirections apart, and each
word marked where the shell would change it: a glob or brace it expands, a variable, a command's output. Quotes
are taken as the shell takes them (shlex, posix, with punctuation_chars): a quoted ``*`` or ``$`` is a character.
bashlex (the one pure-Python bash parser on PyPI) is GPL-3 and last released in 2023: not used.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from orchestra.lazy_regex import lazy_compile

# Characters the shell expands where they stand unquoted; quoted (or escaped) they are hidden from the reading as
# characters of the private use area, and put back in the word.
_EXPANDING = "*?[]{}$`"
_HIDE = {ord(c): chr(0xE000 + ord(c)) for c in _EXPANDING}
_SHOW = {ord(hidden): c for c, hidden in ((c, chr(0xE000 + ord(c))) for c in _EXPANDING)}
_OPERATOR_CHARS = frozenset("();<>|&")
_VARIABLE = lazy_compile(r"\$\{?[#!]?([A-Za-z_][A-Za-z0-9_]*)")
_GLOB = lazy_compile(r"[*?]|\[.*\]|\{[^{}]*(?:,|\.\.)[^{}]*\}")
_DEPTH = 8  # commands within commands within ... read this deep; deeper ones are judged unread


@dataclass(frozen=True)
class Word:
    """A word as the program is given it (quotes taken away), with what the shell puts in its place."""

    text: str
    globbed: bool = False  # an unquoted *, ?, [..] or {a,b}: file names found are put in its place
    variables: tuple[str, ...] = ()  # $NAME, ${NAME}: the variable's value is
    substituted: bool = False  # $(...) or `...`: a command's output is

    @property
    def expanded(self) -> bool:
        """Whether the shell puts something in this word's place that the line itself does not say."""
        return self.globbed or bool(self.variables) or self.substituted


@dataclass
class SimpleCommand:
    words: list[Word] = field(default_factory=list)
    redirects: list[tuple[str, Word]] = field(default_factory=list)  # (">", target), ("<", source)...

    @property
    def argv(self) -> list[str]:
        return [w.text for w in self.words]


@dataclass
class Line:
    """A line's simple commands in order, and whether it could be read at all (an open quote cannot)."""

    commands: list[SimpleCommand]
    read: bool = True


def simple_commands(line: str, depth: int = 0) -> Line:
    """``line``'s simple commands, those within ``$(...)``, backquotes and subshells among them."""
    if depth > _DEPTH:
        return Line([], read=False)
    lexer = shlex.shlex(_marked(line), posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = ""  # "#" at a word's start was taken out by _marked; within one it is a character
    try:
        tokens = list(lexer)
    except ValueError:
        return Line([], read=False)
    found = Line([SimpleCommand()])
    within_words: list[SimpleCommand] = []  # the commands of "$(...)" held whole in a word: after the line's own
    pending: str | None = None  # a redirection whose word comes next
    for token in tokens:
        if token and set(token) <= _OPERATOR_CHARS:
            if "<" in token or ">" in token:
                pending = token
            else:
                found.commands.append(SimpleCommand())
            continue
        word = _word(token)
        for inner in _substituted_scripts(token):
            within = simple_commands(inner, depth + 1)
            within_words += within.commands
            found.read &= within.read
        if pending is not None:
            found.commands[-1].redirects.append((pending, word))
            pending = None
        else:
            found.commands[-1].words.append(word)
    found.commands = [c for c in found.commands + within_words if c.words or c.redirects]
    return found


def _word(token: str) -> Word:
    """The word ``token`` (read with expanding characters hidden where quoted) gives, marked for what expands."""
    variables = tuple(_VARIABLE.findall(token))
    substituted = "$(" in token or (("$" in token) and not variables)  # "x=$" before a "(" the reading split
    return Word(token.translate(_SHOW), _GLOB.search(token) is not None, variables, substituted)


def _substituted_scripts(token: str) -> list[str]:
    """The scripts of the ``$(...)`` a word holds whole (within double quotes: ``"$(cat .env)"``)."""
    scripts = []
    at = token.find("$(")
    while at >= 0:  # the outermost only: those within are read with the script holding them
        start = at = at + 2
        depth = 1
        while at < len(token) and depth:
            depth += {"(": 1, ")": -1}.get(token[at], 0)
            at += 1
        scripts.append(token[start : at - 1 if not depth else at].translate(_SHOW))
        at = token.find("$(", at)
    return scripts


def _marked(line: str) -> str:
    """``line`` with its quoted and escaped expanding characters hidden, backquotes made ``$(...)``, comments taken
    out and newlines made ``;``: what shlex then reads, word by word, as the shell does."""
    out: list[str] = []
    quote = ""
    ticks = 0
    at = 0
    while at < len(line):
        c = line[at]
        after = line[at + 1] if at + 1 < len(line) else ""
        if quote == "'":
            quote = "" if c == "'" else quote
            out.append(c if c == "'" else c.translate(_HIDE))
        elif c == "\\" and after and (not quote or after in '$`"\\'):
            # escaped: a character, never expanded; shlex takes the backslash off a quote or a backslash itself
            out.append(after.translate(_HIDE) if after in _EXPANDING else ("" if after == "\n" else c + after))
            at += 1
        elif c == "`":
            out.append("$(" if ticks % 2 == 0 else ")")
            ticks += 1
        elif quote == '"':
            quote = "" if c == '"' else quote
            out.append(c.translate(_HIDE) if c in "*?[]{}" else c)
        elif c in "'\"":
            quote = c
            out.append(c)
        elif c == "#" and (not out or out[-1][-1:] in ("", " ", "\t", "\n", ";", "&", "|", "(", ")")):
            while at < len(line) and line[at] != "\n":
                at += 1
            continue
        elif (
            c.isdigit()
            and _fd_of_a_redirection(line, at)
            and out[-1:] in ([], [" "], ["\t"], [" ; "], [";"], ["|"], ["&"])
        ):
            # "2>&1", "2>/dev/null": the number is the redirection's, no word (attack399: "printenv 2" was read)
            while line[at].isdigit():
                at += 1
            out.append(" ")
            continue
        else:
            out.append(" ; " if c == "\n" else c)
        at += 1
    return "".join(out)


def _fd_of_a_redirection(line: str, at: int) -> bool:
    """Whether the digits at ``at`` are directly followed by ``<`` or ``>``: a file descriptor's number."""
    end = at
    while end < len(line) and line[end].isdigit():
        end += 1
    return end < len(line) and line[end] in "<>"
