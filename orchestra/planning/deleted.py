"""Whether a deleting clause deletes a file, or a part of one: "delete notes.txt" and "delete it" name the file
as what goes; "remove the password from config.txt", "delete the first paragraph", "remove the car" name a part of
it (or nothing), and a file deleted for them is work the user never asked for."""

from __future__ import annotations

import re

from orchestra.analysis.data import types_of
from orchestra.analysis.models import DataItem
from orchestra.analysis.words import ANAPHORA, DETERMINERS, TYPE_WORDS

# Words after which a file is where the thing deleted is, not that thing: "the comments in main.py", "the word
# 'foo' from notes.txt", "the files listed in notes.txt", "the header of data.csv".
PLACE_WORDS = frozenset(
    ["in", "from", "of", "inside", "within", "into", "on", "out", "through", "throughout", "across"]
)
# Words that stand for the file itself, whatever it holds ("delete the file", "the folder").
WHOLE_FILE_WORDS = frozenset({"document", "documents", "note", "notes"})
# Words a pointer may trail ("delete them all", "remove it too").
TRAILING = frozenset(["all", "both", "each", "too", "also", "now", "again", "as", "well", "please"])
_WORD = re.compile(r"[a-z]+(?:'s)?")
# A word of deleting, in any form ("delete", "deleted", "removing", "get rid of", "rm"): a clause with none asks
# for no file to go, whatever tool its words found.
_DELETING = re.compile(
    r"\b(?:delet|remov|eras|wip(?:e|ed|es|ing)\b|trash|discard|destroy|purg|unlink|rm\b|rid\b|drop|scrap|nuk|"
    r"clear|clean|get\s+rid|dispos|throw|bin\b|kill|shred|obliterat|expunge|zap)",
    re.IGNORECASE,
)


# The words after which a file named is kept, the clause's last words before it ("everything but", "all except the
# file", "keep", "leave"); "nothing but" / "none other than" name what goes ("only" group).
_SPARING = re.compile(
    r"(?P<only>\b(?:nothing|none|no\s+\w+)\s+)?\b(?:but|except(?:\s+for)?|excluding|excepting|save(?:\s+for)?|other\s+than"
    r"|apart\s+from|aside\s+from|besides|beside|barring|minus|not|never|keep(?:ing)?|leav(?:e|ing)|spar(?:e|ing)|without)"
    r"(?:\s+(?:the|my|our|your|this|that|these|those|file|files|folder|document|for|of))*\s*$",
    re.IGNORECASE,
)


def deletes_the_file(action: str, path: str) -> bool:
    """Whether the clause ``action`` deletes the file ``path``: it names it as what goes (not where a part of it
    is: "from notes.txt", "notes.txt's first line"), or points at it ("delete it", "remove the photo"), and says
    a deleting word: "write 'hi' over notes.txt" found delete_file (its description says "write_file") and
    deleted notes.txt."""
    if not _DELETING.search(action):
        return False
    at = action.find(path)
    if at >= 0:
        while at >= 0:
            before = action[:at]
            if not _a_place(before) and not _spared(before) and not re.match(r"\s*'s\b", action[at + len(path) :]):
                return True
            at = action.find(path, at + 1)
        return False
    return _points_at(_object_words(action), path)


def _spared(before: str) -> bool:
    """Whether what follows ``before`` is what is kept from the deleting ("delete everything but", "all files
    except", "a.txt, not"): "Delete everything but notes.txt" deleted notes.txt alone. "nothing but", "none
    except" say what goes."""
    said = _SPARING.search(before)
    return said is not None and said.group("only") is None


def _a_place(before: str) -> bool:
    """Whether what follows ``before`` is where a thing is ("... from the", "... in"), not the thing."""
    said = [w for w in re.findall(r"[a-z]+", before.lower()) if w not in DETERMINERS]
    return bool(said) and said[-1] in PLACE_WORDS and said[-2:] != ["rid", "of"]


def _object_words(action: str) -> list[str]:
    """The words of a clause up to where it says where ("remove the car | from the picture")."""
    said: list[str] = []
    for word in _WORD.findall(action.lower()):
        if word in PLACE_WORDS and said[-2:] != ["get", "rid"] and said[-1:] != ["rid"]:
            break
        said.append(word)
    return said


def _points_at(said: list[str], path: str) -> bool:
    """Whether the words a clause deletes point at the file ``path``: a pronoun as the last of them ("delete it",
    "remove them all"; not "remove this car"), or a noun for the file as a whole, of its kind ("delete the photo"
    of photo.jpg; not "the first paragraph" of notes.txt, nor "the sound" of a video)."""
    while said and said[-1] in TRAILING:
        said = said[:-1]
    if said and said[-1] in ANAPHORA - TYPE_WORDS.keys():
        return True
    kinds = set(types_of(DataItem(kind="path", value=path))) - {"text"}
    return any(w in WHOLE_FILE_WORDS or TYPE_WORDS.get(w) in kinds for w in said)
