"""A change to the user's data said by the result it is to have ("make the sky in photo.jpg darker") or by a
part taken away ("delete the background of photo.jpg"): an edit, with the plain word an editing tool's name
says, not the work of whatever tool a word of the part names ("background" in "remove background noise"), nor
a verb done on the file as a whole (a deleted file)."""

from __future__ import annotations

import re
from itertools import pairwise, takewhile

from orchestra.analysis.delete_verbs import DELETE_VERBS, ONLY_DELETING
from orchestra.analysis.words import (
    DETERMINERS,
    FILE_TYPES,
    TYPE_WORDS,
    WHOLE_FILE_VERBS,
    base_verb,
    words,
    work_noun,
)
from orchestra.lazy_regex import lazy_compile

# The plain word an editing tool says ("edit_image", "Image Editing").
EDIT_WORD = "edit"
# Verbs that give their object a new state said after it: "make the sky darker", "turn the walls blue".
RESULT_VERBS = frozenset("make turn render get paint colour color".split())
# Verbs that change a thing into the state said after "to" or "into": "change the colour of the car to blue",
# "alter the sky to orange". A state, not a format: "change photo.jpg to png" converts, it does not edit.
CHANGING_VERBS = frozenset("change alter modify switch recolor recolour tweak adjust".split())
# Verbs that take a part away from what holds it: "delete the background of @p0".
TAKING_AWAY_VERBS = ONLY_DELETING | frozenset("remove strip cut crop".split())  # "wipe the comments from"
# States a change gives, as adjectives (and their comparatives: "darker", "bigger", "blurrier").
STATES = frozenset(
    """dark bright light sharp blurry blur clear crisp vivid dull pale warm cool soft smooth big small large
    wide narrow tall short black white red green blue yellow orange purple pink grey gray brown transparent
    colorful colourful saturated contrasty""".split()
)
# "the background of @p0", "the red eyes from the photo @p0": a part named, then what holds it.
PART_OF = lazy_compile(
    r"^\s*(?:the|its|their|my|our|your|this|that|all|any)\s+((?:[a-z-]+\s+){1,3}?)(?:of|from|in|on)\b", re.IGNORECASE
)
# What is kept beside the data, not in it: "delete the old versions of photo.jpg", "remove the backup of ...",
# "the metadata from ...": taking it away deletes files or fields, no part of the picture or the sound.
BESIDE_THE_DATA = frozenset(
    """version versions backup backups copy copies duplicate duplicates thumbnail thumbnails revision revisions
    draft drafts cache caches metadata exif history""".split()
)
FIRST_WORD = lazy_compile(r"\s*([A-Za-z]+)")
# "@p0", "the photo @p0", "this image": what holds the part, the user's data or a kind of it.
HOLDER = lazy_compile(r"\s*(?:(?:the|this|that|my|our|your|its)\s+(?:[a-z]+\s+)?)?(?:@\w+|([a-z]+))\b", re.IGNORECASE)


def _state(word: str) -> bool:
    """An adjective of a state, or its comparative ("darker", "bigger", "larger", "blurrier")."""
    return any(w in STATES for w in (word, word[:-2], word[:-3], word[:-1], word[:-3] + "y")) and len(word) > 2


def change_said(lowered: list[str], text: str) -> bool:
    """Whether a clause (its words ``lowered`` without its data, its text with data as placeholders) asks to change data by
    the state it is to have ("make the sky in @p0 darker", "make it brighter", "turn the walls blue") or by a
    part taken away ("delete the background of @p0", "remove the watermark from the image")."""
    if len(lowered) < 3:
        return False
    verb = base_verb(lowered[0])
    if verb in RESULT_VERBS:
        pointed = lowered[1] in DETERMINERS or lowered[1] in ("it", "them")
        return pointed and _state(lowered[-1])  # not "make it a bit more challenging"
    if verb in CHANGING_VERBS:
        # "change the color of the main object in the image to blue": Object Detection was chosen by "object"
        return any(to in ("to", "into") and _state(state) for to, state in pairwise(lowered[2:]))
    opening = FIRST_WORD.match(text)
    if verb in TAKING_AWAY_VERBS and opening is not None and opening.group(1).lower() == lowered[0]:
        rest = text[opening.end() :]
        part = PART_OF.match(rest)
        # "delete the file of ...", "remove the summary of ...", "... the backup of": no part of the data
        if part is None or any(
            w in TYPE_WORDS or w in BESIDE_THE_DATA or work_noun(w) for w in part.group(1).lower().split()
        ):
            return False
        holder = HOLDER.match(rest, part.end())
        return holder is not None and (holder.group(1) is None or holder.group(1).lower() in TYPE_WORDS)
    return False


# "make @p0 look like an old photo", "make it sound like a hall": a change said by how the data is to appear.
APPEARANCE_VERBS = frozenset("look looks sound sounds seem seems feel feels appear appears".split())
# How much of a state is given: "make @p0 a bit brighter", "much darker", "even more vivid and less blurry".
DEGREE_WORDS = frozenset("a bit little lot much more less even far slightly somewhat way very too and or".split())
# Writing a picture or a sound is turned into, which TYPE_WORDS leaves out for their other senses ("a document image",
# "list the files"): "turn @p0 into a poem" asks for text made of it, no edit.
WRITTEN_FORMS = frozenset("poem poems lyrics list lists document documents report reports letter letters".split())
# Words ending the first part of a noun phrase: "a cityscape at sunset", "a list of the objects".
PHRASE_ENDS = frozenset("of at with in on from by for about that which showing where".split())
# "make @p0 ...", "turn it ...", "render the photo @p0 ...": a result verb and the data (or what points at it) it takes.
_MADE_OVER = lazy_compile(
    r"\s*(?P<verb>[A-Za-z]+)\s+(?:(?:the|this|that|my|our|your|its)\s+(?:[a-z]+\s+)?)?(?:@p\d+|it|them)\b(?P<rest>.*)",
    re.IGNORECASE | re.DOTALL,
)


def made_over(text: str, kinds: frozenset[str]) -> bool:
    """Whether a clause (placeholders in) asks to give its data of ``kinds`` a new look or sound, said by the result and
    not by a part of it: "make @p0 brighter", "make @p0 look like it was taken at sunset", "make it sound like a hall",
    "turn @p0 into a cityscape at sunset" (an edit: no tool was found by "make", "look" or "sunset", and the plan was
    empty). "Turn @p0 into a video" or "into text" names another kind, which a conversion makes."""
    match = _MADE_OVER.match(text)
    if match is None or base_verb(match["verb"].lower()) not in RESULT_VERBS:
        return False
    rest = words(match["rest"])
    if not rest:
        return False
    if rest[0] in APPEARANCE_VERBS or _states_only(rest):
        return True
    if rest[0] == "to":
        # "turn @p0 to black and white", "get it to look older"; "get @p0 to Bob", "turn it to the left" give it no
        # new look
        return (len(rest) > 1 and rest[1] in APPEARANCE_VERBS) or _states_only(rest[1:])
    if rest[0] != "into" or len(rest) < 2:
        return False
    named = {TYPE_WORDS[w] for w in rest[1:] if w in TYPE_WORDS}
    made = _head_noun(rest[1:])
    # "into a summary", "into a list of the objects": text made of it by the work the noun names, no edit
    written = made in WRITTEN_FORMS or work_noun(made)
    return bool(kinds) and named <= kinds and not any(w in FILE_TYPES for w in rest[1:]) and not written


def _states_only(said: list[str]) -> bool:
    """Words saying states and how much of them, and nothing else: "brighter", "a bit brighter", "black and white"
    ("make @p0 a bit brighter" found no tool)."""
    return any(_state(w) for w in said) and all(_state(w) or w in DEGREE_WORDS for w in said)


def _head_noun(phrase: list[str]) -> str:
    """The noun a phrase ends its first part with: "an oil painting at sunset": "painting"; "a list of the objects":
    "list"."""
    first = list(takewhile(lambda w: w not in PHRASE_ENDS, phrase))
    return first[-1] if first else ""


def changes_what_it_points_at(text: str) -> bool:
    """ "make it brighter", "turn them blue": a change said by its result, of what "it" or "them" points at."""
    lowered = words(text)
    return len(lowered) > 2 and lowered[1] in ("it", "them") and change_said(lowered, text)


# The user's files and nothing else as a clause's object: "@p0 and @p1", "the files @p0, @p1", "both @p0 and @p1".
_FILES_ONLY = lazy_compile(
    r"\s*(?:(?:the|my|both|these|those|files?)\s+)*@p\d+(?:\s*(?:,|\band\b)?\s*(?:the\s+)?@p\d+)*\s*[.!]?\s*",
    re.IGNORECASE,
)


def files_taken_away(text: str) -> bool:
    """Whether a clause (placeholders in) deletes the files it names and nothing else ("remove @p0 and @p1"): the
    files whole are what goes, not the picture of one edited by the text of another ("crop", "cut" change a file)."""
    opening = FIRST_WORD.match(text)
    return (
        opening is not None
        and base_verb(opening.group(1).lower()) in WHOLE_FILE_VERBS["delete"]
        and _FILES_ONLY.fullmatch(text, opening.end()) is not None
    )


def part_taken(text: str) -> bool:
    """Whether a clause opening with a verb of taking away names a part of its data, or a thing beside it, as the
    verb's object ("remove the password from @p0", "remove the backup of @p0", "delete every line of @p0"), not the
    data itself ("remove @p0", "delete the file @p0"): the file is not what is taken away."""
    if part_named(text):
        return True
    opening = FIRST_WORD.match(text)
    if opening is None or base_verb(opening.group(1).lower()) not in TAKING_AWAY_VERBS:
        return False
    rest = text[opening.end() :]
    part = PART_OF.match(rest)
    if part is None or any(w in TYPE_WORDS or w in ("file", "files") for w in part.group(1).lower().split()):
        return False
    return HOLDER.match(rest, part.end()) is not None


# Words naming a part of what a file or a text holds, never the file: "every line of @p0", "@p0 's first
# paragraph", "the changes to @p0", "the contents of @p0", "the first word" (of a caption made before).
PART_WORDS = frozenset(
    """line lines paragraph paragraphs sentence sentences word words phrase phrases passage passages character
    characters letter letters text content contents change changes edit edits row rows column columns entry entries
    header headers footer footers heading headings section sections chapter chapters comment comments part parts
    portion portions beginning end ending middle half""".split()
)
# Verbs that take away what they are given, in any form base_verb reads ("deleted", "discarding").
_PART_VERBS = DELETE_VERBS | frozenset("strip cut crop".split())
# Where the object of the verb ends: where it says where the part is, or which one it is ("that contain 'x'").
_OBJECT_ENDS = frozenset(
    "of from in inside within on to out off at throughout across that which where whose containing with".split()
)
# Words of which and how many, not of what: "every", "the first 10", "lines 3-5", "the last two".
_WHICH = lazy_compile(
    r"(?:\d[\d,\-\u2013]*|first|second|third|fourth|fifth|last|final|top|bottom|next|previous|opening|closing"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|few|several|all|every|each|both|any|some)$"
)
_TOKEN = lazy_compile(r"[@\w][\w.'\u2019/-]*")


def part_named(text: str) -> bool:
    """Whether a clause opening with a verb of taking away names a part of what something holds as all it takes
    ("delete every line of @p0", "delete @p0 's first paragraph", "discard the changes to @p0", "remove the first
    word"): a delete given the file deleted it whole, the user having asked for its lines."""
    tokens = _TOKEN.findall(text.lower())
    if tokens[:3] == ["get", "rid", "of"]:
        tokens = ["remove", *tokens[3:]]
    if not tokens or (base_verb(tokens[0]) not in _PART_VERBS and tokens[0] not in _PART_VERBS):
        return False
    said: list[str] = []
    for token in tokens[1:]:
        if token in _OBJECT_ENDS or token == "and":
            break
        said.append(token)
    while said and _WHICH.match(said[-1]):  # "line 3", "lines 1-5": which ones, after the noun
        said.pop()
    return bool(said) and said[-1].rstrip(".") in PART_WORDS
