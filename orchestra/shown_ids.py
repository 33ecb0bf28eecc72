"""Ids as messages show them: cut where a message names one, quoted for a shell where it suggests a command to
copy, and escaped where the message may reach a terminal as it is. Pure and quick to import: the CLI's messages
use it (orchestra/cli/naming.py), and so does workflow code whose messages name a model's call ids (an update's
refusal reaches `temporal workflow update` and the Web UI as written).

An id is the user's, a schedule's or a model's (an agent's call ids are what the model named them), up to
1,000 bytes of any characters. Named whole, a 400-character id filled each error and hid its reason. A
suggested command is pasted into a shell: an id with a space, ';' or '$(...)' in it split the command or
ran one of its own. And an id holding ESC started a terminal sequence (``\\x1b]8;;URL\\x07``: a link).
"""

from __future__ import annotations

import shlex

from orchestra.text import ELLIPSIS, INVISIBLE, escape

SHOWN = 60  # characters of an id a message names: its start and its end, where generated ids differ
# Every control character (line breaks and tabs too: an id is one line) and what a screen shows as nothing,
# as its escape.
_ESCAPED = {**{code: escape(code) for code in (*range(0x20), *range(0x7F, 0xA0))}, **INVISIBLE}


def named(value: str) -> str:
    """``value`` whole when short, else its start and end around an ellipsis, with its length."""
    if len(value) <= SHOWN:
        return value
    return f"{value[: SHOWN * 2 // 3]}{ELLIPSIS}{value[-SHOWN // 3 :]} ({len(value):,} characters)"


def argument(value: str) -> str:
    """``value`` as one argument of a command the user may paste into a shell: whole, quoted when needed."""
    return shlex.quote(value)


def escaped(text: str) -> str:
    """``text`` with its control and invisible characters as their escapes (``\\u001b``): none is dropped, so
    no two parts of a masked secret come together."""
    return text.translate(_ESCAPED)


def quoted_id(value: str) -> str:
    """``value`` as a message that reaches a terminal unfiltered names it: cut (``named``), its control and
    invisible characters escaped (``\\u001b``), and quoted for a shell when it needs to be (a short id, the
    usual, can be pasted as shown)."""
    return argument(escaped(named(value)))
