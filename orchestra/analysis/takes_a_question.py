"""Whether a tool takes a question: an input says so ("q", "the question to answer"), or, where no input names a
role of its own (a catalogue's generic ``text`` and ``text_2``), the tool's own name or description does
("Question Answering models can retrieve the answer to a question from a given text"). With generic inputs the
question the clause asks ("Summarize notes.txt and tell me who wrote it") was asked for again as ``text_2``."""

from __future__ import annotations

import re

from orchestra.analysis.words import names_question
from orchestra.tool_spec import ToolCard

# Input names that say only what kind of data comes in, not what it is for (``text``, ``text_2``, ``image``)
_KIND_ONLY = frozenset({"text", "image", "audio", "video", "input", "data", "json", "url", "path"})


def takes_a_question(card: ToolCard) -> bool:
    if any(names_question(p.name, p.description) for p in card.inputs):
        return True
    generic = all(re.sub(r"_\d+$", "", p.name) in _KIND_ONLY for p in card.inputs)
    return bool(card.inputs) and generic and names_question(card.name.replace("_", " "), card.description)
