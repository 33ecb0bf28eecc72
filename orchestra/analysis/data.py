"""The data a request names, taken out before its words are read.

URLs, e-mail addresses, JSON values, backquoted commands, quoted text, file names and durations are
replaced by placeholders (``@u0``, ``@q1``...), so punctuation inside them cannot cut a clause, and
each gets the data types a tool may take it as (a quoted ``'photo.jpg'`` is a path to an image).

Each value also gets the role the request gives it: most are data to work on, but a file, URL or
e-mail address after "to", "into" or "as" in a clause that asks for work ("write them to out.json",
"save it as notes.txt", "send it to ann@example.com") is where a result goes: it belongs to its own
clause, and no other step takes it as input. In a sentence that tells ("I recorded it as talk.wav")
it names the user's data.
"""

from __future__ import annotations

import json
import math
import posixpath
import re
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from orchestra.allowlists import DEFAULT_COMMANDS
from orchestra.analysis.models import DataItem, DataKind
from orchestra.analysis.recipient_first import recipient_first
from orchestra.analysis.secrets_sent import COPY_EXTENSIONS, SECRET_EXTENSIONS
from orchestra.analysis.words import (
    FILE_TYPES,
    IRREGULAR_DONE,
    NUMBER_WORDS,
    SINK_VERBS,
    STARTING_HEADS,
    STARTING_VERBS,
    TYPE_WORDS,
    VERBS,
    base_verb,
    names_program,
    words,
)
from orchestra.commands import argv_of, written_by
from orchestra.lazy_regex import LazyPattern, lazy_compile
from orchestra.references import MAX_DEPTH

# A URL starts with its host, an IPv6 address in brackets too ("http://[::1]:8000/a"; before, "http://" alone
# was a URL); it holds balanced parentheses ("https://en.wikipedia.org/wiki/Rust_(language)"), and a
# parenthesis around it is none of it.
_URL_PART = r"[^\s,;'\"<>()\[\]]"
URL_RE = lazy_compile(rf"https?://(?:\[[0-9A-Fa-f:.]+\]|[\w%])(?:{_URL_PART}|\({_URL_PART}*\))*")
EMAIL_RE = lazy_compile(r"(?<![\w.+-])[\w.+-]+[@\ue000][\w-]+(?:\.[\w-]+)+")
COMMAND_RE = lazy_compile(r"`([^`]+)`")
# A quote holds quotes of its kind escaped ("say \"hi\"", 'echo \'hi\'', 'it\'s'): read as its end, the quote was
# cut there and the command asked for; the value holds them unescaped (echo 'hi'). An escaped quote ends a quote
# only where no quote of its kind not escaped can ("C:\temp\" is a folder): read in pairs, 'it\'s a \'b\' c' was
# cut at the last one and "echo 'it\"s'" at the first. So a double quote, as a single one, ends where a word does
# (no Latin letter or digit after it): in "C:\temp\" and "x", the quote before x opens x. An escaped quote opens none.
_SESCAPED = r"\\['\u2018\u2019]"
DQUOTE_RE = lazy_compile(r'(?<!\\)["\u201c]((?:\\["\u201c\u201d]|[^"\u201c\u201d])+?)["\u201d](?![A-Za-z0-9_])')
# An apostrophe between letters ("What's", "l'économie") is inside the quote, not its end; one after a space
# opens another quote: taken as an apostrophe, each of "'a 'a 'a ..." was read to the request's end (quadratic).
SQUOTE_RE = lazy_compile(
    rf"(?:(?<=[\s(\[:,\-])|^)['\u2018]((?:{_SESCAPED}|[^'\u2018\u2019]|(?<=[^\W\d_])['\u2019](?=[^\W\d_]))+?)['\u2019]"
    r"(?=[\s,.;:!?)\]]|$)"
)
# Keys and key stores are files too: read as words, "Upload server.pem to https://x" sent nothing the user named
# and asked for the body without saying why (`secrets_sent` saw no file).
EXTENSIONS = "|".join(sorted({*FILE_TYPES, *SECRET_EXTENSIONS, *COPY_EXTENSIONS}, key=len, reverse=True))
# Where a path may begin: at the start of a token, never inside a word or a shell expansion. Read from
# the middle, "~~/x.txt" was "~/x.txt", "C:%TEMP%/x.txt" "%TEMP%/x.txt", "$(whoami)/a.txt" the absolute
# "/a.txt", and a long "a-a-a-..." was scanned again from each of its letters (quadratic).
TOKEN_START = r"(?<![^\s(\[<>\"'=,;\u201c\u2018])"
# A home, a variable or a drive a path starts from ("~/notes.txt", "$HOME/x", "${HOME}/x", "%USERPROFILE%/x",
# "C:/x") is part of it: read from the "/" after it, the path was another, absolute one (a file no one named).
PATH_START = r"(?:~[\w\-]*|\$(?:\w+|\{\w+\})|%\w+%|[A-Za-z]:)/"
# A file's name may hold dots ("v1.2.txt"); it ends where its token does ("notes.txt-old" is no notes.txt).
FILE_NAME = rf"(?:{PATH_START}|\.{{0,2}}/)?(?:[\w.\-]+/)*[\w\-][\w.\-]*\.(?:{EXTENSIONS})(?![\w\-/@$%~{{]|\.\w)"
# Files named by convention, with no extension: a build's, a container's, a project's notes, a program's settings.
# Known names only, as they are written (case kept): a capital-initial word a verb takes is as often a name of
# something else ("Summarize Chapter", "Translate Hello"), and "readme" or "makefile" in lower case is the kind of
# file ("write a makefile"). Read as words, "Remove the password from Makefile" asked for audio to denoise.
NAMED_FILES = frozenset(
    "Makefile GNUmakefile Dockerfile Containerfile Jenkinsfile Vagrantfile Procfile Gemfile Rakefile Brewfile "
    "Pipfile Justfile README LICENSE LICENCE COPYING CHANGELOG NOTICE AUTHORS CONTRIBUTING CODEOWNERS".split()
)
# Keys and settings holding secrets, by the names their programs give them: read as words, "Upload id_rsa to
# https://x" sent no file and asked for the body without saying what it was (`secrets_sent` never saw one). Files,
# but of no kind a tool takes as text: what a send of one holds is asked for, never read in front of it.
KEY_FILES = frozenset("id_rsa id_dsa id_ecdsa id_ed25519 kubeconfig".split())
DOTFILES = frozenset(
    ".env .envrc .gitignore .gitattributes .gitmodules .dockerignore .npmrc .yarnrc .pypirc .netrc .htaccess "
    ".editorconfig .bashrc .bash_profile .zshrc .profile .vimrc .inputrc .gitconfig .npmignore .pgpass .htpasswd "
    ".git-credentials .dockercfg .s3cfg .boto".split()
)
# A program's settings in its own hidden folder: ".aws/credentials", "~/.kube/config", ".ssh/config".
_IN_A_DOT_FOLDER = r"(?:[\w.\-]+/)*\.[\w\-]+/(?-i:credentials|config)"
# After "a", "an" or "new" a conventional name is the kind of file to make, no file: "Write a Makefile for my
# project" read Makefile and summarized it
_NAMED_FILE = (
    r"(?<!\ba\s)(?<!\ban\s)(?<!\bnew\s)"
    rf"(?:{PATH_START}|\.{{0,2}}/)?(?:{_IN_A_DOT_FOLDER}|(?:[\w.\-]+/)*(?-i:{'|'.join(sorted(NAMED_FILES | KEY_FILES))}|"
    rf"(?:{'|'.join(re.escape(d) for d in sorted(DOTFILES, key=len, reverse=True))})(?:\.[a-z]+)?))"
    r"(?![\w\-/@$%~{]|\.\w)"
)
# Secrets kept in files of no extension, named as identifiers are ("github_token", "api-key", "aws_credentials",
# "db_password") or "credentials" alone: read as words, "Read github_token, then post it to URL" read nothing (a
# speaker read the words aloud, and what it made was posted) and no rule on sending a secret saw a file. In lower
# case only ("GITHUB_TOKEN" is a variable), and not after a determiner or a verb of setting, nor before a word of
# a field ("the api_key", "set api_key to 'x'", "api_key from config.json", "the api_key field": a key's name).
_SECRET_PART = r"(?:tokens?|keys?|secrets?|passwords?|passwd|credentials|apikey)"
_NOT_AFTER = "the my your our this that its their a an new set unset export rename change update".split()
_SECRET_FILE = (
    "".join(rf"(?<!\b{w}\s)" for w in _NOT_AFTER)
    + rf"(?-i:[a-z0-9]+(?:[_\-][a-z0-9]+)*[_\-]{_SECRET_PART}|credentials)(?![\w\-/@$%~{{]|\.\w)"
    r"(?!\s+(?:from|in|inside|of|field|value|variable|setting|entry|parameter|property|column|header|env|for)\b)"
)
# "the file notes_v2", "the file credentials": a name said as a file's is a file, whatever its look; not "the file
# list", "the file name" (words, not a name written as identifiers are)
_SAID_AS_A_FILE = (
    r"(?<=\bfile\s)(?-i:[a-z0-9]+(?:[_\-][a-z0-9]+)+|credentials|shadow|passwd|known_hosts|authorized_keys)"
    r"(?![\w\-/@$%~{]|\.\w)"
)
FOLDER = rf"(?:{PATH_START}(?:[\w\-]+/)*|(?:\.{{1,2}}/|/)?(?:[\w\-]+/)+)(?=[\s,;:)\]]|$)"
# A folder climbing out of the workspace or from a home, with or without its last "/" ("..", "./../", "../docs",
# "~/docs"): read as words, "List the files in ../docs" listed the workspace itself, unsaid. An ellipsis is none.
_FOLDER_OUTSIDE = r"(?:(?:\./)?\.\.(?!\.)(?:/(?:[\w\-]+|\.\.))*|~[\w\-]*(?:/[\w\-]+)+)/?(?=[.!?]?(?:[\s,;:)\]]|$))"
# A place from the file system's root, a home or a drive, with or without an extension ("/etc", "/etc/passwd", "~",
# "C:\\x"): no data of the request (a command's words may name one, `planning.binding` reads those), but a place a
# step names outside the workspace (`outside_paths`). Its parts end before a dot that ends the sentence.
_PART = r"[\w\-]+(?:\.[\w\-]+)*"
_AFTER_A_PLACE_WORD = "|".join(rf"(?<=\b{w}\s)" for w in ("in", "from", "to", "at", "into", "of", "under", "inside"))
# One part from the root is a folder's name in lower case ("/etc", not "French /Spanish"); a home alone follows a
# word of place ("in ~", not "notes.txt ~ then").
ABSOLUTE_PATH = lazy_compile(
    rf"/{_PART}(?:/{_PART})+/?|/[a-z0-9_][a-z0-9_.\-]*(?<!\.)/?|~[\w\-]*(?:/{_PART})+/?|~[\w\-]+/?"
    rf"|(?:{_AFTER_A_PLACE_WORD})~/?"
    r"|[A-Za-z]:[/\\](?:"
    rf"{_PART}[/\\]?)*"
)
# A file named in a form no tool reads as written: a URL to a file, a share, a backslash, an escaped or
# look-alike slash, a variable or a control character anywhere in it ("file:///tmp/x.txt",
# "\\\\host\\x.txt", "$HOME\\x.txt", "..%2fx.txt", a fullwidth "~", "data/$DATE/x.txt"). It is a file name
# still, to be asked for: left as words, "write it to $HOME\\out.txt" wrote output.txt. Its characters stop
# where another token may start, so a long one is read once.
_TOKEN_CHAR = r"[^\s(\[<>\"'=,;\u201c\u2018\u201d\u2019)\]]"
_TOKEN_END = r"(?=[.:!?]*(?:[\s,;)\]\"'\u201d\u2019]|$))"
DISGUISED = rf"(?:\$\([^\s()]*\)|{_TOKEN_CHAR})*?\.(?:{EXTENSIONS}){_TOKEN_END}"
# A file name built from quotes or a command ("`whoami`/a.txt", '"$HOME"/x.txt'): taken out first, as one
# disguised path. Read after its command or quote, the rest was a path of its own, the absolute "/a.txt".
_GLUED_PIECE = r"`[^`\s]*`|\"[^\"\s]*\"|'[^'\s]*'"
GLUED_PATH_RE = lazy_compile(
    rf"(?<!\S)(?=[^\s`\"']*(?:{_GLUED_PIECE}))(?:{_GLUED_PIECE}|[^\s`\"'])+?\.(?:{EXTENSIONS}){_TOKEN_END}",
    re.IGNORECASE,
)
PATH_RE = lazy_compile(
    rf"{TOKEN_START}(?:{FILE_NAME}|{_NAMED_FILE}|{_SECRET_FILE}|{_SAID_AS_A_FILE}|{FOLDER}|{_FOLDER_OUTSIDE}|{DISGUISED})",
    re.IGNORECASE,
)
# What a path the run reads as written holds: "~", "$", "%", ":", "\\" and the rest are read by no shell.
_AS_WRITTEN = lazy_compile(r"[\w.\-/]+")
# A quoted file name may hold spaces, up to three words ("my notes.txt", "Q3 final report.pdf"): read as
# words, "summarize 'my notes.txt'" summarized the name, and "write it to 'my notes.txt'" wrote output.txt.
# Words with a subject or a verb are a sentence that ends with a file name ("I love notes.txt", "open x.txt").
QUOTED_FILE_RE = lazy_compile(rf"[\w\-][\w.\-]*(?: [\w\-][\w.\-]*){{1,2}}\.(?:{EXTENSIONS})", re.IGNORECASE)
_SUBJECTS = frozenset("i we you he she they it there".split())


def _quoted_file(text: str) -> bool:
    words = text.lower().split()[:-1]
    return QUOTED_FILE_RE.fullmatch(text) is not None and not any(w in VERBS or w in _SUBJECTS for w in words)


# A number is read whole, thousands separators too ("5,000 seconds" was 0 s: "000 seconds" read alone), or
# not at all: "-5 s", "1.5.3 s", "1,5 s", "0x10 s", "1e999 s" name no duration the planner can read. A number
# may be a word ("five seconds"), the unit hours ("1.5 hours"); a range is waited to its end ("5-10 seconds",
# "5 to 10 seconds": 10 s). Left as words, each was the sleep tool's default, 1 s.
_NUMBER = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?|{'|'.join(w for w in NUMBER_WORDS if ' ' not in w and w != 'both')}"
)
_UNIT = r"(ms|milliseconds?|s|secs?|seconds?|minutes?|mins?|h|hrs?|hours?)\b"
# A duration said in words ("a minute", "half an hour", "a couple of seconds", "an hour and a half", "one and a
# half minutes"): each was the sleep tool's default, 1 s. Its unit is a word, after a space ("as" is no "a s"),
# and what follows it is no noun: "a second file", "an hour of audio" are no waits.
_COUNT_WORDS = r"an?|one|half\s+an?|a\s+couple\s+of|an?\s+half|a\s+few|several"
_HALF = r"(?:\s+and\s+a\s+half)"
_NO_NOUN = r"(?!\s+(?!(?:and|or|then|before|after|between|until|while|when|each|longer|later|more)\b)[a-z])"
# "Wait a minute, what does it show?": a unit in words before a comma and no word of order stops the speaker, not
# the run (clauses.INTERJECTION reads those words); "wait a minute, then read it" is a pause.
_NO_ASIDE = r"(?!\s*[,!\u2013\u2014-]+\s*(?!(?:and\s+|but\s+)?(?:then|and|after|afterwards|next|finally)\b)\w)"
_DURATION = (
    rf"(?<![\w.,+\-])(?:(?:{_NUMBER})\s*(?:-|\u2013|to|or)\s*)?({_NUMBER})(?![.,]?\d){_HALF}?\s*{_UNIT}{_HALF}?"
    rf"|\b({_COUNT_WORDS}){_HALF}?\s+(milliseconds?|seconds?|minutes?|mins?|hours?|hrs?)\b{_HALF}?{_NO_NOUN}{_NO_ASIDE}"
)
# Units glued to their numbers, two or more ("1h30m", "2m30s", "1h5m10s"): one alone ("90s", "2h") is read above.
# The last number may go without its unit, the one after the unit before it ("1h30" is 90 minutes, "2m30" 150 s):
# read without it, "1h30" was one hour.
_GLUED = r"(?<![\w.,+\-])(?=\d+[hm]\d)(?:\d+h)?(?:\d+m(?:in)?)?(?:\d+s?)?\b"
SECONDS_RE = lazy_compile(rf"{_GLUED}|{_DURATION}", re.IGNORECASE)
_GLUED_PART = lazy_compile(r"(\d+)([hms]?)", re.IGNORECASE)
_SMALLER = {"h": "m", "m": "s"}


def _glued_parts(said: str) -> list[tuple[int, str]]:
    """Each number of a glued duration with its unit, a number without one taking the unit below the last."""
    parts: list[tuple[int, str]] = []
    for number, unit in _GLUED_PART.findall(said):
        parts.append((int(number), unit.lower() or _SMALLER[parts[-1][1]]))
    return parts


# Durations one after another in units that shrink ("1 hour 30 minutes", "2 minutes and 10 seconds") are one,
# summed: read apart, they were two, and the sleep took the first (3,600 s, 120 s). Units that do not shrink
# ("5 seconds and 10 seconds") stay apart.
# And a number after them with no unit, where a clause may end ("sleep 1 hour 30", "wait 2 min 30 then read it"):
# the unit below the last one's, as in "1h30". Left as words, the 30 was dropped and the sleep took the hour.
_UNITLESS = r"\s+\d+(?=\s*(?:$|[,;.!?]|(?:and|then|before|after)\b))"
_DURATIONS_RE = lazy_compile(
    rf"(?:{_GLUED}|{_DURATION})(?:(?:\s*,)?\s+(?:and\s+)?(?:{_GLUED}|{_DURATION}))*(?:{_UNITLESS})?", re.I
)
_UNIT_BELOW = {3: 60.0, 2: 1.0}  # per unit rank (hours, minutes), the seconds a number with no unit after it is
# "a few seconds" and "several minutes" are a number the user leaves to the planner: 3 and 5 (docs/planning.md),
# not the sleep tool's default 1 s.
_COUNTS = {"a": 1.0, "an": 1.0, "one": 1.0, "half a": 0.5, "half an": 0.5, "a couple of": 2.0, "a half": 0.5,
           "a few": 3.0, "several": 5.0}  # fmt: skip
PLACEHOLDER = lazy_compile(r"@([a-z])(\d+)")
# The request's own "@p7" ("ask @k8s", "to @j2 on chat") is masked while its data is taken out: read as a
# placeholder, it named an item that is not there (an IndexError out of plan) or another one. Every value
# taken out, and the text shown back, has its "@" again.
MASK = "\ue000"
_PADDED = lazy_compile(r" ?(@[a-z]\d+) ?")
_FORGED = lazy_compile(r"@(?=[A-Za-z]\d)")
# A destination phrase: "to", "into" or "as", words that may stand between ("to the file out.json",
# "into a new file named x.csv"), a place (a path, a URL, an e-mail address: "similar to 'a car'"
# compares with a text), and more places after "and" or a comma ("to a.txt and b.txt").
_BETWEEN = sorted({*"a an the this that my our your their its new same named called".split(), *TYPE_WORDS})
# "to each of @p0 and @p1", "to both of ...": the places are each where it goes (read as what it stores, "write it to
# each of a.txt and b.txt" read both files and wrote them with the result, where asked)
_EACH_OF = r"(?:each|all|both|every\s+one)\s+of"
DESTINATION_PHRASE = lazy_compile(
    rf"\b(?:to|into|as)(?:\s+(?:{'|'.join(_BETWEEN)}|{_EACH_OF}))*\s+@[upe]\d+"
    r"(?:\s*(?:,(?:\s*(?:and|or)\b)?|\band\b|\bor\b)\s*@[upe]\d+)*",  # ", and" too: "to @p0, @p1, and @p2"
    re.IGNORECASE,
)
# "to" or "as" after a word relating two things names the other thing, not where a result goes: "how similar is
# 'x' to report.txt?" wrote the score over report.txt. Said right before ("next to", "in addition to", "such
# as"), or, for likeness, anywhere earlier in the sentence with no storing verb after it ("how similar in tone is
# 'x' to a.txt", "compare the summary to a.txt"; "compare them and save the score to out.txt" still stores).
_RELATING_BEFORE = frozenset(
    "next addition relative relation according due thanks prior respect regard reference opposed contrary "
    "corresponding belonging same such well versus listen listening reply replying respond responding refer "
    "referring attention attend attending back".split()
)
# "Discard the changes to a.txt": what was done to a file, not a place ("Discard the edits to notes.txt" wrote over
# it); after a storing verb it is one ("save the changes to a.txt").
_DONE_TO_BEFORE = frozenset(
    "change changes edit edits modification modifications update updates amendment amendments revision revisions".split()
)
_LIKENESS_BEFORE = frozenset(
    "similar similarity similarly close closer closest near nearer nearest compare compared comparing comparison "
    "comparable contrast contrasted identical equal equivalent related relevant match matches matching liken "
    "resemblance".split()
)
# "store the summary in s.txt", "save it in a file named out.txt": "in" says where after a storing verb only, and
# only a file ("the text in notes.txt", after "of" or "from", is what is worked on); files listed are each a place
# ("store the summary in a.txt and b.txt": b.txt was read and written into a.txt beside the summary)
_STORED_IN = lazy_compile(
    rf"\b(?:in|inside|over|onto)(?:\s+(?:{'|'.join(_BETWEEN)}))*\s+@p\d+"
    r"(?:\s*(?:,(?:\s*and\b)?|\band\b)\s*@p\d+)*",
    re.IGNORECASE,
)
_NOT_STORED = frozenset({"of", "from", "then", "in", "on"})
_STORED_WITHIN = 6  # words from the storing verb to "in": "save it", "write the French caption"
_CLAUSE_END = lazy_compile(r"[.;!?:,]\s|\b(?:then|and)\b", re.IGNORECASE)
_LOOK_BACK = 160  # characters: a likeness word farther back is in another phrase, and each look stays short
_SENTENCE_END = lazy_compile(r"[.;!?:]\s|\bthen\b", re.IGNORECASE)
KIND_OF: dict[str, DataKind] = {"u": "url", "e": "text", "c": "command", "j": "json", "q": "text", "p": "path",
                                "d": "number"}  # fmt: skip


@dataclass
class Extracted:
    """The request with its data replaced by placeholders, and the data."""

    text: str
    items: list[DataItem] = field(default_factory=list)
    sent_to: set[int] = field(default_factory=set)  # items in destination phrases (by number)
    # what the user wrote for each item: shown back as written ("5,000 seconds", not 5000.0; JSON as typed)
    written: list[str] = field(default_factory=list)
    # each item with what delimits it (a quote's quotes, a command's backquotes): what a quote holding it holds
    whole: list[str] = field(default_factory=list)
    inside: set[int] = field(default_factory=set)  # items read inside a quote: the quote's, no data of their own
    notes: list[str] = field(default_factory=list)  # why something said was left as words, to be asked for

    def add(self, item: DataItem, written: str, whole: str | None = None) -> int:
        self.items.append(item)
        self.written.append(written)
        self.whole.append(written if whole is None else whole)
        return len(self.items) - 1

    def items_in(self, text: str) -> list[DataItem]:
        return [self.items[int(m.group(2))] for m in PLACEHOLDER.finditer(text)]

    def show(self, text: str) -> str:
        """``text`` with its placeholders put back as the user wrote them."""
        return PLACEHOLDER.sub(lambda match: self.written[int(match.group(2))], text).replace(MASK, "@")

    def held(self, text: str) -> str:
        """``text``, a quote's, with the items read inside it put back whole, their own quotes and backquotes
        too: `run 'echo "hi there"'` runs ``echo "hi there"``, not ``echo hi there``. They are the quote's."""

        def whole(match: re.Match[str]) -> str:
            self.inside.add(int(match.group(2)))
            return self.whole[int(match.group(2))]

        return PLACEHOLDER.sub(whole, _PADDED.sub(r"\1", text)).replace(MASK, "@")

    def sent_in(self, text: str) -> list[DataItem]:
        """The items of ``text`` in destination phrases: where a result goes, if ``text`` asks for work."""
        return [self.items[int(m.group(2))] for m in PLACEHOLDER.finditer(text) if int(m.group(2)) in self.sent_to]


# A credential in a URL ("http://ann:pw@host/a.txt", "...?token=abc"): the plan, its description and the
# analysis `plan` prints echoed it in clear, and the run would have carried it in its history as an argument.
# It is masked in the request before it is read, and the URL is asked for when the run starts.
CREDENTIAL_MASK = "***"
_MASKED = lazy_compile(r"://[^\s/?#@]*:\*\*\*@|[?&;#][\w.\-]*=\*\*\*")
_USERINFO = lazy_compile(r"(?<=://)([^\s/?#@:\[\]]*):([^\s/?#@]+)@")
_SECRET_FIELD = lazy_compile(
    r"(?<=[?&;#])((?:[\w.\-]*[_\-])?(?:password|passwd|pwd|pass|token|secret|api[_\-]?key|apikey|key|auth|sig|signature|"
    r"credentials?)=)([^\s&#;,'\"<>()\[\]]+)",
    re.IGNORECASE,
)


def without_credentials(task: str) -> tuple[str, int]:
    """``task`` with the passwords and secret fields of its URLs masked, and how many were."""
    masked = 0

    def mask(match: re.Match[str]) -> str:
        nonlocal masked
        if match.group(2) == CREDENTIAL_MASK:
            return match.group(0)
        masked += 1
        return (
            match.group(0)[: match.start(2) - match.start()]
            + CREDENTIAL_MASK
            + match.group(0)[match.end(2) - match.start() :]
        )

    def in_url(url: re.Match[str]) -> str:
        return _SECRET_FIELD.sub(mask, url.group(0))

    # a password after any scheme ("ftp://ann:pw@host", "postgres://ann:pw@db/x"), a secret field in a web URL
    return URL_RE.sub(in_url, _USERINFO.sub(mask, task)), masked


def holds_credential(value: object) -> bool:
    """A URL whose credential the request held and the analysis masked, or a JSON value holding one: the run is
    to be given it whole."""
    if isinstance(value, dict | list):
        value = json.dumps(value)
    return isinstance(value, str) and CREDENTIAL_MASK in value and _MASKED.search(value) is not None


# A secret or a plan input the user names as the run reads one ("then write ${secrets.TOKEN} to out.txt") is
# what the step works on, one value: left as words, the write took the file list the step before made. A
# step's output named so ("${read.output.content}") stays words: the step that makes it is linked.
WRITTEN_REFERENCE = lazy_compile(r"\$\{\s*(?:secrets|inputs)\.[A-Za-z_][\w.\-]*\s*\}")


def destination_phrases(text: str) -> list[re.Match[str]]:
    """The phrases of ``text`` saying where a result goes ("into a file named @p0", "store it in @p1"), less
    those naming a thing related to another ("similar to @p0", "next to @p1")."""
    sent = [m for m in DESTINATION_PHRASE.finditer(text) if not _relates(_before(text, m))]
    stored = [
        m
        for m in _STORED_IN.finditer(text)
        if _stores(before := _before(text, m, _CLAUSE_END))
        and not _sent_on(text, m, sent)
        and not recipient_first(before)
    ]
    return sorted([*sent, *stored], key=lambda m: m.start()) if stored else sent


def _sent_on(text: str, stored: re.Match[str], sent: list[re.Match[str]]) -> bool:
    """A place said after "to" further on in the clause ("email the numbers in @p1 to @e0", "copy the lines in @p0 to
    @p1"): that is where the work goes, and the file "in" names is what it is taken from (b.txt was read as where the
    e-mail went, and the send was planned with the address as its body)."""
    return any(s.start() >= stored.end() and not _CLAUSE_END.search(text, stored.end(), s.start()) for s in sent)


def _before(text: str, match: re.Match[str], end: LazyPattern | None = None) -> list[str]:
    """The words of the sentence (or clause: ``end``) before ``match``, a few: each look stays short, a long
    request linear."""
    return words((end or _SENTENCE_END).split(text[max(match.start() - _LOOK_BACK, 0) : match.start()])[-1])


def _stores(said: list[str]) -> bool:
    """A storing verb of the clause governs what follows ``said``, a few words after it: "store the summary in"
    (not "the text in", after "of"; not "write a caption for beach.jpg, turn the speech in", another clause)."""
    # "written over notes.txt": a participle not ending in -ed is its verb's (the write was dropped unsaid)
    verb = next(
        (n for n in range(len(said) - 1, -1, -1) if IRREGULAR_DONE.get(said[n], base_verb(said[n])) in SINK_VERBS),
        None,
    )
    if verb is None:
        return False
    after = said[verb + 1 :]
    # "Store the summary of notes.txt in out.txt": what it is "of" is a file named, so "in" says where it goes (out.txt
    # was read as what the summary is of)
    of_a_file = after[-3:-2] == ["of"] and after[-2] in ("p", "u") and after[-1].isdigit()
    near = len(said) - verb - (1 if of_a_file else 0) <= _STORED_WITHIN
    return near and not _NOT_STORED.intersection(after[:-3] if of_a_file else after)


def _relates(said: list[str]) -> bool:
    """The words ``said`` before a "to" or "as" relate it to something: it names a thing, not a place."""
    if said and said[-1] in _RELATING_BEFORE | _LIKENESS_BEFORE:
        return True
    for word in reversed(said):
        if base_verb(word) in SINK_VERBS:
            return False
        if word in _LIKENESS_BEFORE:
            return True
    return bool(said) and said[-1] in _DONE_TO_BEFORE


def without_destinations(text: str) -> str:
    """``text`` without its destination phrases: they say where a result goes, not what the work is."""
    for phrase in reversed(destination_phrases(text)):
        text = f"{text[: phrase.start()]} {text[phrase.end() :]}"
    return text


def destinations(text: str) -> str:
    """The destination phrases of ``text`` ("into a file named @p0")."""
    return " ".join(m.group(0) for m in destination_phrases(text))


def extract(task: str) -> Extracted:
    out = Extracted(_FORGED.sub(MASK, task.replace(MASK, "\ufffd")))

    def take(regex: LazyPattern, code: str, group: int = 0, convert: Callable[[str], Any] | None = None) -> None:
        def repl(match: re.Match[str]) -> str:
            raw = match.group(group) if group else match.group(0)
            kind = KIND_OF[code]
            tail = ""
            if code in ("u", "p"):
                stripped = raw.rstrip(".:!?")
                if code == "p" and (not stripped or stripped.endswith("/")):
                    stripped = raw.rstrip(":!?")  # "..", "./..": the folder above, not a sentence's end
                raw, tail = stripped, raw[len(stripped) :]  # punctuation after a URL still ends its clause
            elif code == "q" and (inner := PLACEHOLDER.fullmatch(raw.strip())):
                if inner.group(1) == "j":
                    # a quoted JSON value is text the user wrote, the same to a text input as any quote: read as
                    # its value, "Translate '{"a": 1}'" asked for the text (no text input takes a JSON value),
                    # and second ("..., then translate '{"a": 1}'") the summary was translated instead
                    number = int(inner.group(2))
                    out.items[number] = DataItem(kind="text", value=out.written[number])
                    return f" @q{number} "
                return f" {raw.strip()} "  # quotes around a URL or a command: that value, not a text " @u0 "
            elif (
                code == "q"
                and not holds_credential(name := raw.strip().rstrip(",.;:!?"))
                and ((PATH_RE.fullmatch(name) and " " not in name) or _quoted_file(name))
            ):  # a URL of a scheme no reader takes, its password masked, is a text to ask for, not a file
                kind, raw = "path", name  # a quoted file name is a file name: 'photo.jpg,' and "my notes.txt" too
            elif code == "q":
                # a URL or a quote inside a quote is its words as written, without the spaces its placeholder
                # was set in
                raw = _unescaped(out.held(raw), match.group(0)[:1])
            raw = raw.replace(MASK, "@")
            try:
                value = convert(raw) if convert else raw
            except ValueError:  # a number no tool can take ("1" and 400 zeros seconds): left as words
                return match.group(0)
            opened, closed = (
                (
                    match.group(0)[: match.start(group) - match.start()],
                    match.group(0)[match.end(group) - match.start() :],
                )
                if group
                else ("", "")
            )
            number = out.add(DataItem(kind=kind, value=value), raw.strip(), f"{opened}{raw}{closed}".replace(MASK, "@"))
            return f" @{'p' if kind == 'path' else code}{number} {tail}"

        out.text = regex.sub(repl, out.text)

    take(GLUED_PATH_RE, "p")
    take(COMMAND_RE, "c", 1)
    take(URL_RE, "u")
    _take_json(out)
    take(WRITTEN_REFERENCE, "q")
    take(EMAIL_RE, "e")
    take(DQUOTE_RE, "q", 1)
    take(SQUOTE_RE, "q", 1)
    take(PATH_RE, "p")
    _take_durations(out)
    _run_quotes_as_commands(out)
    _take_programs_run(out)
    _mark_destinations(out)
    return out


# Quoted text a verb of running takes, directly or after "the command" ("run 'ls -la' and 'pwd'", "execute the
# script 'make test'"), is a command as a backquoted one is: read as text, the run made nothing ("run 'ls' and
# translate it" translated "ls") and a second command was dropped. "Run 'hello' through the translator" works
# on a text. Quotes one after another are commands each, as after "and" (`run 'ls' 'pwd'`: pwd was given to no call).
RUN_VERBS = ("run", "execute", "exec")
RUN_HEADS = frozenset(RUN_VERBS) | STARTING_HEADS  # a clause's first word when it runs its quote


def _quotes_after(verbs: Sequence[str]) -> LazyPattern:
    said = "|".join(r"\s+".join(verb.split()) for verb in verbs)
    return lazy_compile(
        rf"\b(?:{said})\s+(?:(?:the|this|these|my)\s+)?(?:(?:shell|bash|terminal)\s+)?"
        r"(?P<named>(?:commands?|scripts?|programs?|command\s+lines?|executables?|binar(?:y|ies))\s+)?"
        r"(@[qp]\d+(?:(?:\s*(?:,|\band\b|,\s*and\b|\bthen\b|,\s*then\b)\s*|\s+)@[qp]\d+)*)"
        r"(?!\s*(?:through|past|by|into|across)\b)",
        re.IGNORECASE,
    )


_RUN_QUOTES = _quotes_after(RUN_VERBS)
# A verb of starting runs its quote only when something says the quote is a program (the noun "the command",
# "the script"; ``words.names_program``): "launch 'ls'", "fire up './build.sh'". Any quote so taken made "start
# 'hello' in French" a shell command and lost the translation, and "invoke 'the spirit' in a poem" another.
_STARTED_QUOTES = _quotes_after(STARTING_VERBS)
# And only when the quote is the clause's whole object: after it the clause ends, a conjunction or "then" goes
# on, or a file or folder the request names says where it runs ("kick off 'ls' in src/"). Anything else says the
# quote is text: "start 'date' in French" ran ``date``, "start 'sort -o notes.txt' in bold" emptied notes.txt and
# "begin 'uniq a.txt b.txt' in a haiku" wrote over b.txt (attack86).
_WHOLE_OBJECT = lazy_compile(
    r"\s*(?:$|[,;.!?:)]|(?:and|or|but|then|so)\b"
    r"|(?:in|on|inside|within|over|against|from|under)\s+(?:the\s+(?:files?|folders?|director(?:y|ies))\s+)?@p\d+)",
    re.IGNORECASE,
)


_QUOTES = ("'", '"', "\u2018", "\u201c")
_ESCAPED = {"'": lazy_compile(r"\\(['\u2018\u2019])"), '"': lazy_compile(r'\\(["\u201c\u201d])')}
_ESCAPED["\u2018"], _ESCAPED["\u201c"] = _ESCAPED["'"], _ESCAPED['"']


def _unescaped(text: str, opened: str) -> str:
    """A quote's text with the quotes of its own kind it escaped as they were meant: ``echo 'hi'``."""
    escaped = _ESCAPED.get(opened)
    return text if escaped is None else escaped.sub(r"\1", text)


def _run_quotes_as_commands(out: Extracted) -> None:
    def commands(match: re.Match[str]) -> str:
        def command(placeholder: re.Match[str]) -> str:
            number = int(placeholder.group(2))
            if placeholder.group(1) == "p" and not out.whole[number].startswith(_QUOTES):
                return placeholder.group(0)  # "run notes.txt ...": a file named as it is, not a quoted command
            # a quote read as a file's name is the command all the same ("run 'cat notes.txt'", "run './build.sh'"):
            # as a path, the command was asked for and the quote warned of as given to no call
            out.items[number] = out.items[number].model_copy(update={"kind": "command"})
            return f"@c{number}"

        return PLACEHOLDER.sub(command, match.group(0))

    def programs(match: re.Match[str]) -> str:
        if match.group("named"):
            return commands(match)
        # every quote of the run is a program, not the first alone: "launch 'ls' and 'the tree is tall'" ran both
        quoted = (
            int(p.group(2))
            for p in PLACEHOLDER.finditer(match.group(0))
            if out.whole[int(p.group(2))].startswith(_QUOTES)
        )
        runs = all(names_program(out.items[n].value) for n in quoted) and bool(
            _WHOLE_OBJECT.match(match.string, match.end())
        )
        return commands(match) if runs else match.group(0)

    out.text = _RUN_QUOTES.sub(commands, out.text)
    out.text = _STARTED_QUOTES.sub(programs, out.text)


# A program the shell runs by default named unquoted after a verb of running, with its options, before where it
# runs or nothing ("run wc on notes.txt", "run ls -la", "execute sort on it"): the command, as if quoted. Read as
# words, the command was asked for and notes.txt warned of as given to no call. Only a program that works on what
# it is given alone: "run grep on notes.txt" says no pattern, "run the report" names no program (both asked for).
PROGRAMS_RUN_BARE = frozenset(DEFAULT_COMMANDS) - {"grep", "echo", "sleep", "true", "false"}
_PROGRAM_RUN = lazy_compile(
    rf"\b(?:{'|'.join(RUN_VERBS)})\s+(?:(?:the\s+)?(?:command|program)\s+)?"
    rf"((?:{'|'.join(sorted(PROGRAMS_RUN_BARE))})(?:\s+-[A-Za-z0-9]+)*)"
    r"(?=\s*(?:$|[,;.!?]|(?:on|over|in|inside|against|and|then|from)\b))",
    re.IGNORECASE,
)


# grep named unquoted with its flags, then a quoted pattern ("run grep 'TODO' on notes.txt", "run grep -i 'to do'
# in notes.txt", "run grep --files-with-matches 'x' on notes.txt"): the command, the pattern one argument after -e,
# never split nor read as an option ('-f x' is a pattern). Read as words, the quote alone was the shell's command
# line: "run grep 'rm -rf x' on a.txt" ran `rm -rf x`; a long option left as words named another tool ("files" in
# --files-with-matches listed notes.txt, the pattern dropped unsaid). Only flags that take no value: in
# "-m 'TODO'", 'TODO' would be the count; a long one as GNU getopt reads it, by any prefix naming it alone.
_GREP_FLAGS = "ivwxcnlLHhosrRFEGPz"
_GREP_LONG_FLAGS = (
    "ignore-case", "no-ignore-case", "invert-match", "word-regexp", "line-regexp", "count", "line-number",
    "files-with-matches", "files-without-match", "with-filename", "no-filename", "only-matching", "quiet", "silent",
    "no-messages", "recursive", "dereference-recursive", "fixed-strings", "extended-regexp", "basic-regexp",
    "perl-regexp", "null-data", "null", "byte-offset", "initial-tab", "text", "line-buffered",
)  # fmt: skip
_GREP_LONG_VALUED = (
    "regexp", "file", "max-count", "after-context", "before-context", "context", "color", "colour", "label",
    "include", "exclude", "exclude-from", "exclude-dir", "binary-files", "devices", "directories",
    "group-separator", "no-group-separator", "help", "version",
)  # fmt: skip
_RUN_THEN_PROGRAM = rf"\b(?:{'|'.join(RUN_VERBS)})\s+(?:(?:the\s+)?(?:command|program)\s+)?"
_GREP_RUN = lazy_compile(
    rf"{_RUN_THEN_PROGRAM}(grep((?-i:\s+(?:-[{_GREP_FLAGS}]+|--[a-z][a-z-]*))*))\s+@q(\d+)"
    r"(?=\s*(?:$|[,;.!?]|(?:on|over|in|inside|against|and|then|from)\b))",
    re.IGNORECASE,
)
# echo with one quoted text and nothing after it in the clause ("run echo 'hi'"): `echo hi`. Read as words, the
# quote alone was the command (fix90: "run echo 'hi'" ran a program named hi; since then asked for). Only a text
# echo prints as written: none starting with "-" (an option to echo: '-n hi'), none with a backslash (-e reads
# escapes where echo is a shell's builtin); the others are still asked for.
_ECHO_RUN = lazy_compile(rf"{_RUN_THEN_PROGRAM}(echo)\s+@q(\d+)(?=\s*(?:$|[,;.!?]|(?:and|then)\b))", re.IGNORECASE)


def _grep_long_flag(option: str) -> bool:
    """Whether ``--option`` is a grep flag that takes no value, as getopt reads it (a unique prefix, or exact)."""
    name = option[2:]
    if name in _GREP_LONG_FLAGS:
        return True
    named = [o for o in (*_GREP_LONG_FLAGS, *_GREP_LONG_VALUED) if o.startswith(name)]
    return len(named) == 1 and named[0] in _GREP_LONG_FLAGS


# grep as the verb, what it searches, then "for" and the quoted pattern ("grep the page for 'error'", "grep
# notes.txt for 'TODO'"): the same command run on what it names. Read as words, the pattern was the text a text
# tool worked on, beside the page.
_GREP_FOR = lazy_compile(
    r"(?<![\w@-])grep\s+((?:(?!for\b)[\w@]+\s+){0,3}?)for\s+@q(\d+)\b((?:(?:\s*,\s*|\s+)(?:(?:and|or)\s+)?@q\d+\b)*)",
    re.IGNORECASE,
)


def _take_programs_run(out: Extracted) -> None:
    def program(match: re.Match[str]) -> str:
        said = match.group(1)
        number = out.add(DataItem(kind="command", value=" ".join(said.split())), said)
        return f"{match.group(0)[: match.start(1) - match.start()]}@c{number} "

    def as_command(number: int, command: str) -> None:
        out.items[number] = DataItem(kind="command", value=command)
        out.written[number] = out.whole[number] = command

    def quoted_operand(match: re.Match[str], number: int, command: str) -> str:
        as_command(number, command)
        return f"{match.group(0)[: match.start(1) - match.start()]}@c{number} "

    def grep(match: re.Match[str]) -> str:
        number, flags = int(match.group(3)), match.group(2).split()
        if not all(_grep_long_flag(f) for f in flags if f.startswith("--")):
            return match.group(0)  # a value or an unknown option: the quote may be its value, asked for
        pattern = shlex.quote(str(out.items[number].value))
        return quoted_operand(match, number, " ".join(["grep", *flags, "-e", pattern]))

    def grep_for(match: re.Match[str]) -> str:
        # "grep it for 'a' and 'b'": each quote a pattern of the one grep (the second was given to no call)
        numbers = [int(match.group(2)), *map(int, re.findall(r"@q(\d+)", match.group(3)))]
        number = numbers[0]
        as_command(number, " ".join(["grep", *(f"-e {shlex.quote(str(out.items[n].value))}" for n in numbers)]))
        searched = match.group(1).strip()
        return f"run @c{number}" + (f" on {searched}" if searched else "")

    def echo(match: re.Match[str]) -> str:
        number = int(match.group(2))
        text = str(out.items[number].value)
        if not out.whole[number].startswith(_QUOTES) or text.startswith("-") or "\\" in text:
            return match.group(0)
        return quoted_operand(match, number, f"echo {shlex.quote(text)}")

    out.text = _PROGRAM_RUN.sub(program, out.text)
    out.text = _GREP_RUN.sub(grep, out.text)
    out.text = _GREP_FOR.sub(grep_for, out.text)
    out.text = _ECHO_RUN.sub(echo, out.text)


def _mark_destinations(out: Extracted) -> None:
    for phrase in destination_phrases(out.text):
        out.sent_to.update(int(m.group(2)) for m in PLACEHOLDER.finditer(phrase.group(0)))


def _take_durations(out: Extracted) -> None:
    def durations(match: re.Match[str]) -> str:
        said = match.group(0)
        pieces = list(SECONDS_RE.finditer(said))
        runs: list[list[re.Match[str]]] = []
        for piece in pieces:
            if runs and _unit_rank(piece.group(0)) < _unit_rank(runs[-1][-1].group(0)):
                runs[-1].append(piece)
            else:
                runs.append([piece])
        text, at = [], 0
        for n, run in enumerate(runs):
            start, end = run[0].start(), run[-1].end()
            after = said[end:].strip() if n == len(runs) - 1 else ""
            below = _UNIT_BELOW.get(_unit_rank(run[-1].group(0)))
            if after and (below is None or len(after) > 2 or int(after) >= 60):
                # "wait 10 seconds 5", "wait 1 hour 300": no unit below seconds, no 300 minutes in an hour's
                # remainder; the 5 was dropped in silence and 10 s waited. Left as words: how long is asked for
                out.notes.append(
                    f"{said.strip()!r}: the number {after} after {said[start:end].strip()!r} has no unit, and none "
                    "below it reads it: how long is asked for; say its unit"
                )
                text.append(said[at:])
                at = len(said)
                break
            unitless = after or None
            end = len(said) if unitless else end
            written = said[start:end]
            at_text = match.start() + start  # the words just before it, not the request's whole start (linear)
            if _DECADE.fullmatch(written) and _BEFORE_A_DECADE.search(match.string, max(at_text - 16, 0), at_text):
                continue  # "songs from the 90s", "the '80s": a decade, not a wait of 90 s
            try:
                value = sum(seconds(piece.group(0)) for piece in run) + int(unitless or 0) * (below or 0)
            except ValueError:  # a number no tool can take ("1" and 400 zeros seconds): left as words
                text.append(said[at:end])
            else:
                number = out.add(DataItem(kind="number", value=value), written.replace(MASK, "@"))
                text.append(f"{said[at:start]} @d{number} ")
            at = end
        return "".join(text) + said[at:]

    out.text = _DURATIONS_RE.sub(durations, out.text)


# A number of tens with an "s" after "the" or an apostrophe ("the 90s", "'80s", "the 1990s") is a decade.
_DECADE = lazy_compile(r"(?:1\d|20)?\d0s")
_BEFORE_A_DECADE = lazy_compile(r"(?:\bthe|['\u2018\u2019])\s*$", re.IGNORECASE)


def _unit_rank(said: str) -> int:
    """3 for a duration in hours, 2 minutes, 1 seconds, 0 less; glued ("1h30m"), its smallest unit."""
    match = SECONDS_RE.fullmatch(said.strip())
    assert match is not None
    unit = (match.group(2) or match.group(4) or _glued_parts(said)[-1][1]).lower()
    return 0 if unit.startswith(("ms", "milli")) else 2 if unit.startswith("m") else 3 if unit.startswith("h") else 1


def seconds(text: str) -> float:
    match = SECONDS_RE.fullmatch(text.strip())
    assert match is not None
    if match.group(1) is None and match.group(3) is None:  # glued: "1h30m"
        scale = {"h": 3600, "m": 60, "s": 1}
        return float(sum(n * scale[u] for n, u in _glued_parts(match.group(0))))
    number, unit = (match.group(1) or match.group(3)).lower(), (match.group(2) or match.group(4)).lower()
    count = _COUNTS.get(" ".join(number.split()))
    value = count if count is not None else float(NUMBER_WORDS.get(number) or number.replace(",", ""))
    if not math.isfinite(value):
        raise ValueError(f"{match.group(1)[:20]}... seconds is no finite duration")
    value += 0.5 * len(re.findall(r"and\s+a\s+half", match.group(0), re.IGNORECASE))
    if unit.startswith(("ms", "milli")):
        return value / 1000
    return value * (60 if unit.startswith("m") else 3600 if unit.startswith("h") else 1)


# How a JSON object or array can begin: a brace that cannot ("${a}", "{{ name }}", "{x, y}") is not tried.
JSON_START = lazy_compile(r"\{\s*[\"}]|\[\s*[\[\]{\"\-0-9tfnNI]")
# A try reads this much of the request first: the decoder's error counts the lines before the place it
# failed, so a try on the whole request cost its length ("[1 " repeated: 33 s at 800,000 characters). Too
# short to nest past the decoder's recursion limit.
JSON_WINDOW = 512
# What all tries together may read, per character of the request: past it the rest is words, not JSON.
JSON_BUDGET = 4
# A value that opens more levels in its first window than a plan argument may have is no data, and neither is
# any value opened inside it ("[[[[...": each failed a thousand levels deep).
_JSON_STRING = lazy_compile(r'"(?:[^"\\]|\\.)*"')
_OPENERS = lazy_compile(r"(?:[\[{]\s*)+")


def _take_json(out: Extracted) -> None:
    text, pieces, i = out.text, [], 0
    budget = JSON_BUDGET * len(text) + JSON_WINDOW
    while budget > 0 and (start := JSON_START.search(text, i)) is not None:
        at = start.start()
        value, end, spent = _json_at(text, at)
        budget -= spent
        if isinstance(value, dict | list) and value and end - at > 2:
            if MASK in (source := text[at:end]):
                value = json.loads(source := source.replace(MASK, "@"))
            pieces += [text[i:at], f" @j{out.add(DataItem(kind='json', value=value), source)} "]
            i = end
        else:
            end = max(end, at + 1)
            pieces.append(text[i:end])
            i = end
    pieces.append(text[i:])
    out.text = "".join(pieces)


_DECODER = json.JSONDecoder()


def _json_at(text: str, at: int) -> tuple[Any, int, int]:
    """The JSON value that starts at ``at`` (None if none), where it ends (or where the next try may start),
    and how much the try read: a window first, the rest of the request only for a value longer than that."""
    window = text[at : at + JSON_WINDOW]
    try:
        value, end = _DECODER.raw_decode(window)
        return value, at + end, end
    except json.JSONDecodeError as error:
        if len(window) < JSON_WINDOW or not (error.pos >= len(window) - 1 or error.msg.startswith("Unterminated")):
            return None, at, error.pos + 1
    unquoted = _JSON_STRING.sub("", window)
    if sum(map(unquoted.count, "[{")) - sum(map(unquoted.count, "]}")) > MAX_DEPTH:
        run = _OPENERS.match(text, at)
        return None, run.end() if run else at, len(window)
    rest = text[at:]  # a slice, so a failure counts the lines of the value, not of the request before it
    try:
        value, end = _DECODER.raw_decode(rest)
        return value, at + end, end
    except (ValueError, RecursionError):
        return None, at, len(rest)


def overwritten_files(data: Sequence[DataItem]) -> list[DataItem]:
    """The files of a step that a command of it would write, were it run on them (``written_if_run_on``): left
    beside the command by the analysis, the command is asked for whole and they are said why."""
    files = [d for d in data if d.kind == "path" and isinstance(d.value, str) and not disguised_path(d.value)]
    names = [as_argument(d.value) for d in files]
    written = {w for d in data if d.kind == "command" for w in written_if_run_on(str(d.value), names)}
    return [d for d, name in zip(files, names, strict=True) if name in written]


def file_named(path: object) -> str:
    """The file ``path`` names, as the workspace finds it: "./notes.txt", "docs/../notes.txt" and "notes.txt" are
    one file, "a//b.txt" is "a/b.txt" (POSIX rules; a trailing slash names the folder). Compared as written, "save
    the summary of notes.txt to ./notes.txt" wrote over the file it summarised, where "... to notes.txt" asked
    where to write. Case is kept: the tools run confined on Linux (bubblewrap), whose file systems tell "A.txt"
    from "a.txt"; folded, two files the user named apart would be planned as one."""
    text = str(path)
    return posixpath.normpath(text) if text else text


def same_file(a: object, b: object) -> bool:
    """Whether ``a`` and ``b`` name one file (``file_named``)."""
    return a is not None and b is not None and file_named(a) == file_named(b)


def as_argument(path: object) -> str:
    """A file's name as a program's argument: "./-x.txt" for "-x.txt", read as an option otherwise."""
    return f"./{path}" if str(path).startswith("-") else str(path)


def run_on(command: str, names: Sequence[str]) -> str:
    """``command`` given ``names`` as its last arguments, each quoted as one, but those its line already names:
    "Is notes.txt deleted when you run 'rm notes.txt'?" ran `rm notes.txt notes.txt` (rm then failed on the
    second, a file it had just deleted; `cat x x` printed it twice)."""
    named = set(argv_of(command))
    return " ".join([command, *(shlex.quote(name) for name in names if name not in named)]).rstrip()


def written_if_run_on(command: str, files: Sequence[str]) -> set[str]:
    """Which of ``files`` ``command`` would write given them as its arguments: the user runs it "on" a file to
    read it, so "run 'uniq' on a.txt and b.txt" (a.txt's lines written over b.txt) or "run sort -o on notes.txt"
    (notes.txt emptied from an empty stdin) is asked for whole, not run."""
    if not files:
        return set()
    written = {file_named(w) for w in written_by(command, files)}  # "sort -o ./notes.txt" writes notes.txt
    return {f for f in files if file_named(f) in written}


def disguised_path(value: object) -> bool:
    """Whether ``value`` is a path the run would not read as the user meant: one from a home, a variable or a
    drive ("~/out.txt", "$HOME/x", "%TEMP%/x", "C:/x"), or any other character a shell or a browser would
    read ("file:///x.txt", "..%2fx.txt", "a\\x.txt"). The run takes every argument as written, so write_file
    would make a folder named "~" in the workspace. Such a path is asked for, as a reference the user wrote is;
    so is one above the workspace (``above_the_workspace``), which the tools refuse."""
    return isinstance(value, str) and (
        above_the_workspace(value)
        or a_kind_of_file(value)
        or (
            _AS_WRITTEN.fullmatch(value) is None
            and (PATH_RE.fullmatch(value) or GLUED_PATH_RE.fullmatch(value)) is not None
            and (URL_RE.fullmatch(value) or EMAIL_RE.fullmatch(value)) is None  # "http://h:80/a.json" is a URL
        )
    )


def above_the_workspace(value: str) -> bool:
    """Whether ``value`` is a relative path climbing out of the workspace ("../x.txt", "a/../../x.txt"): the tools
    refuse it when the run is under way, after the steps before it are done ("Write 'hi' to ../x.txt" was planned)."""
    named = file_named(value)
    return named == ".." or named.startswith("../")


# A place from the file system's root, a home or a drive: "/etc", "~", "~bob/x", "C:/x", "C:\\x".
_FROM_THE_ROOT = lazy_compile(r"[/\\~]|[A-Za-z]:(?:[/\\]|$)")


def outside_the_workspace(value: object) -> bool:
    """Whether a path a step names is outside the workspace the tools keep to: climbing out of it
    (``above_the_workspace``) or from the root, a home or a drive ("/etc/passwd", "~", "C:/x"). Only for a path
    named as a file or a folder: a quoted text or a command's argument ("echo /etc") is no place a tool goes to.
    Given to the tool, "Delete /tmp/x.txt" was planned, for the tool to refuse once the steps before had run."""
    return isinstance(value, str) and (above_the_workspace(value) or _FROM_THE_ROOT.match(value) is not None)


_AN_EXTENSION = lazy_compile(rf"\.(?:{EXTENSIONS})", re.IGNORECASE)


def a_kind_of_file(value: str) -> bool:
    """Whether ``value`` is an extension alone, a kind of file and no file ("every .txt file", "the .md ones"):
    taken as written, "Write 'hi' to every .txt file" made a file named ".txt"."""
    return _AN_EXTENSION.fullmatch(value) is not None and not conventional_name(value)


def json_of(item: DataItem) -> Any:
    """The JSON object or array ``item`` is: a JSON value, or a quote that reads as one (text first, as the user
    quoted it, and JSON to an input taking JSON: "query '{"a": 1}' with 'a'"). None for anything else."""
    if item.kind == "json":
        return item.value
    text = item.value.strip() if item.kind == "text" and isinstance(item.value, str) else ""
    if not text.startswith(("{", "[")) or len(text) > JSON_WINDOW * JSON_BUDGET:
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict | list) and value else None


def conventional_name(path: str) -> bool:
    """Whether ``path`` names a text file by a name of convention (``NAMED_FILES``, ``DOTFILES``: ".env.local" too)."""
    name = path.rsplit("/", 1)[-1]
    return name in NAMED_FILES or name in DOTFILES or name.rsplit(".", 1)[0] in DOTFILES


def types_of(item: DataItem) -> list[str]:
    """The data types a tool may take ``item`` as, most specific first."""
    if item.kind == "path":
        value = str(item.value)
        if conventional_name(value):
            return ["text", "path", "file"]
        extension = value.rsplit(".", 1)[-1].lower() if "." in value.rsplit("/", 1)[-1] else ""
        content = FILE_TYPES.get(extension)
        return [*([content] if content else []), *([extension] if extension else []), "path", "file"]
    if item.kind == "url":
        value = str(item.value).split("?", 1)[0]
        extension = value.rsplit(".", 1)[-1].lower() if "." in value.rsplit("/", 1)[-1] else ""
        content = FILE_TYPES.get(extension)
        return ["url", *([content] if content and content != "text" else [])]
    if item.kind in ("text", "query"):
        return ["text", "query", *(["json"] if item.kind == "text" and json_of(item) is not None else [])]
    if item.kind == "number":
        # a duration is an argument (sleep's seconds), never data a tool takes: as a type, it made the step
        # want a tool that takes numbers, and "sleep 5 seconds" had none ("sleep takes no input")
        return []
    return [item.kind]


def fits(item: DataItem, accepts: list[str]) -> bool:
    """Whether a step that takes ``accepts`` can take ``item``."""
    return item.kind in accepts or bool(set(types_of(item)) & set(accepts))
