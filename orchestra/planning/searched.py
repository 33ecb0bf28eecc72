"""Whether a search command has something to search (fix117). "grep for 'x'" and "grep the secrets for 'x'" ran
`grep -e x` with no file and no step before it: grep read the call's empty standard input and found nothing, as if
the request had been answered. Such a command is asked for, with why."""

from __future__ import annotations

import re

from orchestra.commands import argv_of

_SEARCHES = frozenset({"grep", "egrep", "fgrep", "zgrep", "zegrep", "zfgrep", "bzgrep", "xzgrep", "lzgrep", "zstdgrep"})
# short options of grep that take a value: the next word is no file ("-m 5", "-A 2")
_VALUED = frozenset("efmABCdD")
# long options of grep that take a value, given after "=" or as the next word
_LONG_VALUED = ("regexp", "file", "max-count", "context", "after", "before", "directories")
_RECURSIVE = re.compile(r"--(?:dereference-)?recursive$")
# shell syntax: what the command line reads is the shell's to say, not read here
_SHELL_SYNTAX = re.compile(r"[|;&<>`$()]")


def searches_nothing(cmd: str) -> bool:
    """Whether ``cmd`` is a grep with no file to search and not recursive (its call given no standard input)."""
    if _SHELL_SYNTAX.search(cmd):
        return False
    words = argv_of(cmd)  # a line the shell tool would not split: nothing
    if not words or words[0] not in _SEARCHES:
        return False
    operands: list[str] = []
    patterns_given = False
    rest = iter(words[1:])
    for word in rest:
        if word == "--":
            operands.extend(rest)
            break
        if _RECURSIVE.match(word):
            return False
        if word.startswith("--"):
            patterns_given |= word.startswith(("--regexp", "--file"))
            value = (
                word.partition("=")[2]
                if "=" in word
                else next(rest, None)
                if word[2:].startswith(_LONG_VALUED)
                else None
            )
            if word.startswith("--directories") and value == "recurse":
                return False  # "--directories=recurse": the working folder, as -r
            continue
        if word.startswith("-") and len(word) > 1:
            valued = next((i for i, c in enumerate(word[1:], 1) if c in _VALUED), None)
            if {"r", "R"} & set(word[1:valued]):
                return False  # "-r", "-ir": the working folder; not the "r" of a pattern ("-eread")
            if valued is not None:
                patterns_given |= word[valued] in "ef"
                value = word[valued + 1 :] or next(rest, None)
                if word[valued] == "d" and value == "recurse":
                    return False  # "grep -d recurse x": as -r
            continue
        operands.append(word)
    files = operands if patterns_given else operands[1:]
    return not files
