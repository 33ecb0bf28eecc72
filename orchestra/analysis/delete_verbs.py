"""The verbs that ask for a thing to be deleted, said once: the analysis's lexicon and the deleter's word it reads
them as (``words``), the deleting clauses planning knows (``planning.deleted``) and the words a delete tool may be
planned for (``planning.unasked_effects``). Three lists of their own drifted: "Eradicate old.txt" found no tool (the
lexicon lacked it) and "zap" was one list's and not another's (plan310 / plan311)."""

from __future__ import annotations

import re

# Verbs that take a thing away and say nothing else: read as the deleter's own word, "delete".
ONLY_DELETING = frozenset(
    "delete erase trash discard wipe shred purge nuke zap obliterate expunge eradicate destroy unlink".split()
)
# Verbs that take a thing away, or a part of one: "remove the password from config.txt", "dispose of it".
TAKE_AWAY_VERBS = ONLY_DELETING | frozenset("remove rm dispose rid".split())
# Verbs that take a thing away or change what it holds: "clean the audio" denoises it, "clear old.txt" may empty it.
EMPTYING = frozenset("clear clean drop scrap".split())
DELETE_VERBS = TAKE_AWAY_VERBS | EMPTYING

# Verbs whose last consonant doubles before -ed and -ing.
_DOUBLED = frozenset({"zap", "shred", "drop", "scrap", "rid"})


def forms(verb: str) -> tuple[str, ...]:
    """``verb`` and its -s, -ed and -ing forms ("zap": zaps, zapped, zapping; "wipe": wipes, wiped, wiping)."""
    if verb.endswith("e"):
        return verb, f"{verb}s", f"{verb}d", f"{verb[:-1]}ing"
    stem = verb + verb[-1] if verb in _DOUBLED else verb
    plural = f"{verb}es" if verb.endswith(("sh", "ch", "s", "x")) else f"{verb}s"
    return verb, plural, f"{stem}ed", f"{stem}ing"


def said_pattern(verbs: frozenset[str]) -> str:
    """A regular expression (no group) for any word of ``verbs``: a stem of four letters or more also opens the
    nouns ("deletion", "removal", "erasure"), a shorter one only its own forms ("wip" is not "wipro", "zap" no
    "zapier")."""
    said = []
    for verb in sorted(verbs):
        stem = verb.removesuffix("e")
        said.append(re.escape(stem) if len(stem) > 3 else rf"(?:{'|'.join(forms(verb))})\b")
    return "|".join(said)
