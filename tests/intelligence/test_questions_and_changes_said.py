"""Questions and tool choice read as a user means them (plan88), with the media catalogue and requests written for
these tests:
- a question asking whether something is so ("Is 'I love tea' positive?") is the work of the tool that judges it;
  it raised "no action found";
- a quote presented as the context of a question ("..., given 'X' as context?") is the context, and the
  question's own words the question; the quote was the question and the context was asked for;
- a change said by the state it is to have or a part taken away ("make the sky in photo.jpg darker", "delete the
  background of photo.jpg") is an edit, told by the clause's own words; it was missing, or a denoiser by
  "background"; "edit photo.jpg to make the sky blue" asked for the instruction it gives;
- "record an audio clip saying 'hello'" makes a recording (it transcribed one);
- a verb of starting with its particle says "start": "kick off 'X' in French" translates;
- what the user is curious about, then "figure it out", is a question (it went to a picture editor by "colour")."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.analysis import TaskAnalysisError, analyse_heuristic
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA as MEDIA_FILE
from tests.intelligence.reading import plan_read, tools_chosen


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        ("Are 'a red car' and 'a crimson automobile' alike?", ["sentence_similarity"]),
        ("Are 'the cat sat' and 'a cat was sitting' similar?", ["sentence_similarity"]),
        ("Is 'I love tea' positive?", ["classify_sentiment"]),
        ("Does 'the food was cold' sound negative?", ["classify_sentiment"]),
        # the review is what is judged: its name is no word of the work
        ("Is this review negative: 'the food was cold'", ["classify_sentiment"]),
        ("Is the customer review 'the food was cold' negative?", ["classify_sentiment"]),
        # asked of a picture: described, then the question answered of the description
        ("Does photo.jpg contain a cat?", ["caption_image", "answer_question"]),
        # not the image editor with the question as its instruction: whether it is so is told, not made
        ("Does the photo photo.jpg contain a cat?", ["detect_objects"]),
        ("Is the picture photo.jpg dark?", ["caption_image", "answer_question"]),
    ],
)
def test_a_question_whether_something_is_so_is_judged(task: str, tools: list[str]) -> None:
    assert tools_chosen(task) == tools


@pytest.mark.parametrize(
    "task",
    [
        "Summarize notes.txt. Is that feasible?",
        "Translate 'hello'. Is it possible?",
        "Are these files ok? Summarize notes.txt.",
        "Is this right? Translate 'hello' into French.",
    ],
)
def test_a_question_about_the_work_asked_is_no_work(task: str) -> None:
    # before the "ok" / "right" words: "Are these files ok?" was a step reading a file asked for
    steps = analyse_heuristic(task, default_registry([MEDIA_FILE])).steps
    assert "answer_question" not in tools_chosen(task) and not [s.id for s in steps if s.id.startswith("answer")]


def test_do_before_a_verb_asks_for_the_work() -> None:
    assert tools_chosen("Do translate 'hello' into French.") == ["translate_text"]


def test_a_question_to_the_assistant_alone_is_no_work() -> None:
    with pytest.raises(TaskAnalysisError, match="no action found"):
        tools_chosen("Are you there?")


@pytest.mark.parametrize(
    ("task", "question", "context"),
    [
        (
            "What is the capital of France, given 'Paris is the capital of France' as context?",
            "What is the capital of France?",
            "Paris is the capital of France",
        ),
        (
            "Who wrote the book, given the passage 'Ann wrote the book in 1990'?",
            "Who wrote the book?",
            "Ann wrote the book in 1990",
        ),
        ("Who wrote it, with the context 'Ann wrote it in 1990'?", "Who wrote it?", "Ann wrote it in 1990"),
    ],
)
async def test_a_quote_presented_as_context_is_the_context(task: str, question: str, context: str) -> None:
    nodes, _, asked = await plan_read(task, MEDIA_FILE)
    assert [(n.tool, n.args) for n in nodes] == [("answer_question", {"q": question, "context": context})]
    assert not asked


@pytest.mark.parametrize(
    "task",
    [
        "Make the sky in photo.jpg darker",
        "delete the background of photo.jpg",
        "remove the watermark from photo.jpg",
        "turn the walls in photo.jpg blue",
        "Edit photo.jpg to make the sky blue",
        "Edit photo.jpg so the sky is darker",
    ],
)
async def test_a_change_said_is_an_edit_told_by_its_words(task: str) -> None:
    nodes, _, asked = await plan_read(task, MEDIA_FILE)
    assert [(n.tool, n.args["image"]) for n in nodes] == [("edit_image", "photo.jpg")]
    assert nodes[0].args["instruction"] == task and not asked


async def test_an_edit_that_says_no_change_asks_for_it() -> None:
    nodes, _, asked = await plan_read("Edit photo.jpg.", MEDIA_FILE)
    assert [n.tool for n in nodes] == ["edit_image"] and asked == ["edit_image_instruction"]


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        # what a word of the part names elsewhere ("background noise") and the file as a whole stay apart
        ("remove the background noise from talk.wav", ["denoise_audio"]),
        ("delete photo.jpg", ["-"]),
        # a part of a text: no picture to edit
        ("Delete the first line of notes.txt", ["-"]),
        ("Make the summary of notes.txt shorter", ["read_file", "summarize_text"]),
    ],
)
def test_a_change_only_where_one_is_said(task: str, tools: list[str]) -> None:
    assert tools_chosen(task) == tools


@pytest.mark.parametrize(
    "task",
    ["record an audio clip saying 'hello'", "record 'hello' as an audio clip", "record a voice message saying 'hi'"],
)
def test_a_recording_asked_for_is_made(task: str) -> None:
    assert tools_chosen(task) == ["read_aloud"]


@pytest.mark.parametrize(
    ("task", "tools"),
    [
        ("kick off 'time flies like an arrow' in French", ["translate_text"]),
        ("fire up the translation of 'hello'", ["translate_text"]),
        ("kick off './build.sh'", ["shell"]),
    ],
)
def test_a_verb_of_starting_with_its_particle_says_start(task: str, tools: list[str]) -> None:
    assert tools_chosen(task) == tools


# A catalogue with a tool that answers questions about a picture and one that changes a picture by its colours.
PICTURE_TOOLS = """
version: 1
tools:
  - {name: recolour_picture, kind: http, description: "Change the colours of a picture as an instruction says.", input_types: [image, text], output_types: [image], method: POST, url: "https://v.example.com/edit", json: {image: "{{ image }}", instruction: "{{ instruction }}"}, inputs: {image: {type: string}, instruction: {type: string}}}
  - {name: picture_questions, kind: http, description: "Answer questions about what a picture shows.", input_types: [image, text], output_types: [text], method: POST, url: "https://v.example.com/vqa", json: {image: "{{ image }}", q: "{{ q }}"}, inputs: {image: {type: string}, q: {type: string}}}
  - {name: caption_picture, kind: http, description: "Describe a picture in a sentence.", input_types: [image], output_types: [text], method: POST, url: "https://v.example.com/cap", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
"""


@pytest.mark.parametrize(
    "task",
    [
        "I have a photo named beach.jpg and I'm curious about the main colour of the sky. Could you figure it out?",
        "My picture is beach.jpg. I'm curious about the colour of the boat. Can you find it out for me?",
    ],
)
def test_what_the_user_is_curious_about_figured_out_is_a_question(task: str, tmp_path: Path) -> None:
    # before: "figure the main colour of the sky" went to the picture recolourer by "colour"
    tools = tmp_path / "picture_tools.yaml"
    tools.write_text(PICTURE_TOOLS)
    assert tools_chosen(task, tools) == ["picture_questions"]
