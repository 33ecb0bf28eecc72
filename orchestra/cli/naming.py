"""Ids as the CLI's messages show them: cut where a message names one, quoted for a shell where it
suggests a command to copy.

An id is the user's, a schedule's or a model's (an agent's call ids are what the model named them), up to
1,000 bytes of any characters. Named whole, a 400-character id filled each error and hid its reason. And a
suggested command is pasted into a shell: an id with a space, ';' or '$(...)' in it split the command or
ran one of its own.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable

from orchestra.text import ELLIPSIS

SHOWN = 60  # characters of an id a message names: its start and its end, where generated ids differ


def named(value: str) -> str:
    """``value`` whole when short, else its start and end around an ellipsis, with its length."""
    if len(value) <= SHOWN:
        return value
    return f"{value[: SHOWN * 2 // 3]}{ELLIPSIS}{value[-SHOWN // 3 :]} ({len(value):,} characters)"


def argument(value: str) -> str:
    """``value`` as one argument of a command the user may paste into a shell: whole, quoted when needed."""
    return shlex.quote(value)


def cut_in(text: str, values: Iterable[str]) -> str:
    """``text`` (a run's answer, a message built elsewhere) with each long id of ``values`` named cut."""
    for value in sorted({v for v in values if len(v) > SHOWN}, key=len, reverse=True):
        text = text.replace(value, named(value))
    return text
