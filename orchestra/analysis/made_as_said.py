"""What a clause's verb says its step makes, whatever kinds the registry's tools deal in, and whether a tool
says it makes that. A tool found by a shared verb that makes something else does not do the step: "Convert
notes.txt to pdf" (third_party) went to convert_currency, "Convert talk.wav to mp3" to an image resizer, "read
it aloud" (no tool speaks) to a word counter whose count was written into out.wav, and "OCR scan.png" (no
OCR tool) to an object detector. With no tool agreeing, the step is missing and the plan asks.

Only what the verb itself says: a conversion's target format ("to pdf", "into gif"), a manner of giving
("aloud": a sound) and a verb naming what it reads out of what ("OCR": the text in a picture). A verb that
says none of these ("post", "revert") leaves every tool as it was ranked.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from orchestra.analysis.words import FILE_TYPES, words
from orchestra.lazy_regex import lazy_compile
from orchestra.tool_spec import ToolCard

MEDIA = frozenset({"image", "audio", "video"})

# "Convert @p0 to pdf", "turn it into a gif file", "change the recording to .mp3 format"
_TURNED_TO = lazy_compile(
    r"^\s*(?:convert|turn|transform|change|export)\w*\b.*?\b(?:to|into|as)\s+(?:an?\s+)?\.?([a-z][a-z0-9]*)"
    r"(?:\s+(?:file|files|format|version))?\s*[.!?]*\s*$",
    re.IGNORECASE,
)
# Adverbs of giving a result as a sound: "read it aloud", "say it out loud".
_ALOUD = lazy_compile(r"\b(?:aloud|audibly|out\s+loud)\b", re.IGNORECASE)
# Verbs that name what they read out of what: optical character recognition is the text shown in a picture.
_READS_OUT = {"ocr": ("image", "text", frozenset({"text", "ocr", "character", "characters"}))}

# Words a tool says to change a file's format rather than its content.
_CONVERTING = frozenset(
    {"convert", "converts", "converter", "conversion", "format", "formats", "transcode", "transcodes"}
)


@dataclass(frozen=True)
class Made:
    """What a step is said to make: a file format ("pdf"), or a kind of data; ``of`` the kind it reads it out of,
    and ``said`` the words a tool doing it says (one of them) where its types alone do not tell it apart."""

    form: str
    of: str | None = None
    said: frozenset[str] = frozenset()


def made_as_said(text: str) -> Made | None:
    """What the clause's verb says the step makes, if it says it: see the module's docstring."""
    turned = _TURNED_TO.search(text)
    if turned and turned.group(1).lower() in FILE_TYPES:
        return Made(turned.group(1).lower())
    if _ALOUD.search(text):
        return Made("audio")
    lowered = words(text)
    if lowered and lowered[0] in _READS_OUT:
        of, form, said = _READS_OUT[lowered[0]]
        return Made(form, of, said)
    return None


def agrees(card: ToolCard | None, made: Made, given: AbstractSet[str] = frozenset()) -> bool:
    """Whether a tool says it makes what the step is said to make: a format it names as what it makes (its output
    types, its name or description past "to"), or a medium among its output types; reading out of a kind, it takes
    that kind and says one of the words of that work. A tool taking a medium only takes that one: given a film
    (``given``: the kinds of the step's data), an image resizer does not make its gif."""
    if card is None:
        return False
    takes = {kind for kind in MEDIA if any(kind in t for t in card.input_types)}
    if takes and given & MEDIA and not takes & given:
        return False
    makes = set(card.output_types) | _said_made(card)
    if made.form in FILE_TYPES:
        kind = FILE_TYPES[made.form]
        if made.form in makes:
            return True
        if kind not in MEDIA or kind not in card.output_types:
            return False
        # Given that medium already, the step changes its format, not what it shows: a tool making one anew from
        # something else (a picture generator) or remaking the one it takes (an image editor) converts only where
        # it takes that medium and says it converts formats
        return kind not in given or (kind in takes and _says_converting(card))
    if made.form not in card.output_types:
        return False
    if made.of is not None and not any(made.of in t for t in card.input_types):
        return False
    said = set(words(" ".join((card.name, *card.capabilities, card.description))))
    return not made.said or bool(said & made.said)


def _says_converting(card: ToolCard) -> bool:
    """Whether a tool's name or description says it converts between formats ("Convert images between formats")."""
    said = words(" ".join((card.name.replace("_", " "), *card.capabilities, card.description)))
    return bool(_CONVERTING.intersection(said))


def _said_made(card: ToolCard) -> set[str]:
    """The words a tool's name or description says it turns things into: past "to" or "into" ("html_to_markdown",
    "Convert an HTML document to Markdown")."""
    out: set[str] = set()
    for text in (card.name.replace("_", " ").replace("-", " "), card.description):
        lowered = words(text)
        for at, word in enumerate(lowered[:-1]):
            if word in ("to", "into"):
                out.update(lowered[at + 1 : at + 3])
    return out


def kind_said(text: str) -> str | None:
    """The kind of data a clause's verb says its step makes ("read it aloud": audio, "convert it to gif": image),
    for the steps after it where no tool made it: "save it" stores that, not an older text."""
    made = made_as_said(text)
    return None if made is None else FILE_TYPES.get(made.form, made.form)
