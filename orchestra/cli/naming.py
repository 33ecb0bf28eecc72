"""Ids as the CLI's messages show them (orchestra/shown_ids.py: cut, quoted for a shell), and cut in a text
built elsewhere."""

from __future__ import annotations

from collections.abc import Iterable

from orchestra.shown_ids import SHOWN, argument, named, quoted_id

__all__ = ["SHOWN", "argument", "cut_in", "named", "quoted_id"]


def cut_in(text: str, values: Iterable[str]) -> str:
    """``text`` (a run's answer, a message built elsewhere) with each long id of ``values`` named cut."""
    for value in sorted({v for v in values if len(v) > SHOWN}, key=len, reverse=True):
        text = text.replace(value, named(value))
    return text
