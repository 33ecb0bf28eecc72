"""A file moved or renamed: "Move a.txt to the folder", "Move a.txt into archive/", "Rename a.txt to b.txt". A move is
a change (a file gone from one place, there in another) that only a tool saying it moves or renames does: "move" found
a file lister by "folder" (list_files ran on a.txt) and, with a translator, "to the ..." read as a language (a.txt
read and translated). Such a step is missing unless a tool says it moves; never a listing, nor a copy and a delete no
one asked."""

from __future__ import annotations

from orchestra.analysis.words import terms

# Verbs of moving a file, as a clause's first word ("mv" too, said as a verb)
_MOVING_VERBS = frozenset("move moves moving moved mv rename renames renaming renamed relocate relocates".split())
# What a tool's own words say when it moves or renames a file
MOVING_TERMS = frozenset(terms("move moves mv rename renames relocate relocates"))


def move_said(action: str) -> bool:
    """Whether a clause (its data as written) opens with a verb of moving or renaming."""
    opening = action.split(maxsplit=1)
    return bool(opening) and opening[0].lower() in _MOVING_VERBS
