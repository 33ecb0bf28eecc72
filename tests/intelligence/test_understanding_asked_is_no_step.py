"""A clause asking only that the user understand what the steps before gave is why they were asked, no step.

"Summarize notes.txt and help me understand it better" asks for the summary; read as work of its own, the
understanding found a tool by a description's "natural language understanding" (a token classifier), by meaning
alone (a similarity scorer, a speech maker, an object detector), or was reported as a step nothing serves.
A clause that names what to understand (a question, a theme, a file of its own) keeps the plan it had.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import MEDIA, tools_chosen

ONLY_UNDERSTANDING = [
    ("Summarize notes.txt and help me understand it better.", ["read_file", "summarize_text"]),
    ("Summarize notes.txt. Could you assist me in understanding this better?", ["read_file", "summarize_text"]),
    ("Can you help me digest notes.txt and give me a brief understanding of it?", ["read_file", "summarize_text"]),
    ("Translate notes.txt into English; I want to understand it.", ["read_file", "translate_text"]),
    ("Summarize notes.txt, then help me make sense of it.", ["read_file", "summarize_text"]),
    ("Caption photo.jpg and help me grasp it.", ["caption_image"]),
    ("Transcribe talk.wav. Help me comprehend it fully.", ["transcribe_audio"]),
    ("Summarize notes.txt. I'd like to understand it better.", ["read_file", "summarize_text"]),
    ("Summarize notes.txt and help me get a better understanding of it.", ["read_file", "summarize_text"]),
    ("Caption photo.jpg. Could you assist me in understanding this better?", ["caption_image"]),
    ("Transcribe talk.wav, and I'd love a clearer understanding of it.", ["transcribe_audio"]),
    ("Detect the objects in photo.jpg so I can grasp them quickly.", ["detect_objects"]),
]

# Said before the work: what that work is for.
BEFORE_THE_WORK = [
    ("Could you help me understand this better? Summarize notes.txt.", ["read_file", "summarize_text"]),
    ("Help me understand this better. Summarize notes.txt.", ["read_file", "summarize_text"]),
    ("I want to understand it better, so summarize notes.txt.", ["read_file", "summarize_text"]),
    ("Help me get a better understanding of it: caption photo.jpg.", ["caption_image"]),
    (
        "Could you assist me in understanding this better? Transcribe talk.wav and translate it into French.",
        ["transcribe_audio", "translate_text"],
    ),
    ("I'd like to grasp it fully. Caption photo.jpg.", ["caption_image"]),
]

# Alike, but they name what to understand, or nothing was done before: the plans they had.
NAMING_WHAT = [
    ("Summarize notes.txt so that I can understand it quickly.", ["read_file", "summarize_text"]),
    ("Summarize notes.txt and help me understand the main theme of it.", ["read_file", "summarize_text", "-"]),
    ("Caption photo.jpg and make sense of the objects in it.", ["caption_image", "detect_objects"]),
    ("Help me understand notes.txt.", ["-"]),
    ("Summarize notes.txt and make it shorter.", ["read_file", "summarize_text"]),
    ("Summarize notes.txt and give me a translation of it in French.", ["read_file", "summarize_text", "translate_text"]),
    ("Transcribe talk.wav and help me understand whether the speaker is upset.", ["transcribe_audio", "answer_question"]),
    ("Caption photo.jpg and help me understand it by reading the caption aloud.", ["caption_image", "read_aloud"]),
    ("Summarize notes.txt and help me understand it better by translating it into French.", ["read_file", "summarize_text", "translate_text"]),
    ("Transcribe talk.wav and help me understand it in French.", ["transcribe_audio", "translate_text"]),
    ("Help me understand it better.", ["-"]),  # nothing else asked: said missing, not dropped
]  # fmt: skip


@pytest.mark.parametrize(("task", "tools"), ONLY_UNDERSTANDING)
def test_understanding_what_was_done_is_no_step(task: str, tools: list[str]) -> None:
    assert tools_chosen(task) == tools


@pytest.mark.parametrize(("task", "tools"), BEFORE_THE_WORK)
def test_understanding_said_before_the_work_is_no_step(task: str, tools: list[str]) -> None:
    assert tools_chosen(task) == tools


@pytest.mark.parametrize(("task", "tools"), NAMING_WHAT)
def test_understanding_something_named_keeps_its_plan(task: str, tools: list[str]) -> None:
    assert tools_chosen(task) == tools


def test_a_description_saying_understanding_does_not_take_the_wish(tmp_path: Path) -> None:
    # A token classifier "is a natural language understanding task": the wish found it by that word
    tools = tmp_path / "tools.yaml"
    classifier = (
        "  - {name: token_classification, kind: http, description: Token classification is a natural language "
        "understanding task in which a label is assigned to some tokens in a text., input_types: [text], "
        'output_types: [text], method: POST, url: "https://m.example.com/tok", json: {text: "{{ text }}"}, '
        "inputs: {text: {type: string}}}\n"
    )
    tools.write_text(MEDIA.read_text() + classifier)
    assert tools_chosen("Summarize notes.txt and give me a brief understanding of it.", tools) == [
        "read_file",
        "summarize_text",
    ]
    # asked by name, the classifier still serves
    assert tools_chosen("Summarize notes.txt and classify the tokens of the summary.", tools)[-1] == (
        "token_classification"
    )
