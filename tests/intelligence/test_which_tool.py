"""Which tool serves a sub-goal, and which words ask for none (pass 16, docs/planning-passes.md).

A figure of speech that only says "try it" ("Let's give it a shot!") names no work: it asks for the
rest of the request, and is no step of its own, where it used to get a built-in by meaning (`sleep`)
or a tool by the verb "give" alone. A clause that refers back with no step before it ("Please label
it.") works on the user's data named up to it, not on data named further on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.analysis import analyse_heuristic
from orchestra.analysis.models import TaskAnalysisError
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, tools_chosen


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        ("Summarize the report in notes.txt. Let's give it a try!", ["read_file", "summarize_text"]),
        ("Describe the photo beach.jpg. Let's give it a shot!", ["caption_image"]),
        ("Let's have a go at it: translate 'good night' into Italian.", ["translate_text"]),
        ("Please take a crack at it and translate 'good night' into Italian.", ["translate_text"]),
    ],
)
def test_an_attempt_is_no_step_of_its_own(task: str, expected: list[str]):
    assert tools_chosen(task) == expected


def test_a_thing_asked_for_with_a_generic_verb_stays_missing():
    # "get me a pizza" names a thing no tool makes: reported missing, not dropped as a figure of speech
    assert tools_chosen("Get me a pizza and translate 'good night' into Italian.") == ["-", "translate_text"]


def test_an_attempt_alone_asks_for_nothing():
    with pytest.raises(TaskAnalysisError, match="no action found"):
        analyse_heuristic("Let's give it a shot!", default_registry([MEDIA]))


# Look-alikes: the same work on two kinds of data, and a translator for a text named later.
LABELLERS = """\
version: 1
tools:
  - {name: label_tokens, kind: http, description: Assign a label to each word., input_types: [text], output_types: [text], method: POST, url: "https://l.example.com/words", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: label_scene, kind: http, description: "Assign a label to a picture as a whole, such as what it shows.", input_types: [image], output_types: [text], method: POST, url: "https://l.example.com/pic", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: translate_text, kind: http, description: Translate text from one language to another., input_types: [text], output_types: [text], method: POST, url: "https://l.example.com/tr", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
"""


def test_it_is_what_was_named_before_the_clause(tmp_path: Path):
    tools = tmp_path / "labellers.yaml"
    tools.write_text(LABELLERS)
    registry = default_registry([tools])
    # "it" is the picture named before, not the quote named after: the picture labeller, not the word one
    task = "I took a picture 'cat.jpg' last week. Please label it. Then translate 'good morning' into French."
    assert tools_chosen(task, registry) == ["label_scene", "translate_text"]
    # nor for a clause that names no data of its own: the quote after it is the translation's
    task = (
        "I took a picture 'cat.jpg' last week. Please label the main thing. Then translate 'good morning' into French."
    )
    assert tools_chosen(task, registry) == ["label_scene", "translate_text"]
    # a text named before: the word labeller
    task = "I wrote 'good morning' on a card. Please label it. Then describe the picture 'cat.jpg'."
    assert tools_chosen(task, registry)[0] == "label_tokens"
