"""A quoted question that names a kind of data is about that data (pass 19 of the offline planner): "What
makes this image stand out?" after a picture was made goes to the tool that takes the picture and the
question, not to one that answers from a text."""

from __future__ import annotations

from pathlib import Path

from orchestra.registry import ToolRegistry, default_registry
from tests.intelligence.reading import tools_chosen

PAINTER = """\
  - {name: paint_picture, kind: http, description: Generate a picture from a text prompt., input_types: [text], output_types: [image], method: POST, url: "https://q.example.com/paint", json: {prompt: "{{ prompt }}"}, inputs: {prompt: {type: string}}}
  - {name: translate_text, kind: http, description: Translate a text into another language., input_types: [text], output_types: [text], method: POST, url: "https://q.example.com/tr", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
"""
TEXT_QA = """\
  - {name: text_question_answering, kind: http, description: Answer a question from a given context text., input_types: [text, text], output_types: [text], method: POST, url: "https://q.example.com/qa", json: {question: "{{ question }}", context: "{{ context }}"}, inputs: {question: {type: string}, context: {type: string}}}
"""
PICTURE_QA = """\
  - {name: picture_question_answering, kind: http, description: Answer a question about a picture., input_types: [image, text], output_types: [text], method: POST, url: "https://q.example.com/vqa", json: {image: "{{ image }}", question: "{{ question }}"}, inputs: {image: {type: string}, question: {type: string}}}
"""


def registry(tmp_path: Path, *parts: str) -> ToolRegistry:
    tools = tmp_path / "askers.yaml"
    tools.write_text("version: 1\ntools:\n" + "".join(parts))
    return default_registry([tools])


def test_a_question_naming_a_picture_made_before_is_asked_of_that_picture(tmp_path: Path) -> None:
    askers = registry(tmp_path, PAINTER, TEXT_QA, PICTURE_QA)
    task = (
        "Could you paint a picture of 'a lighthouse on a cliff at night'? I wonder 'What stands out in this "
        "picture?'. Please translate the answer into Spanish."
    )
    # before: the text answerer, with nothing to read the answer from
    assert tools_chosen(task, askers) == ["paint_picture", "picture_question_answering", "translate_text"]
    # a question naming no kind stays with the text
    note = "Here is a note: 'The train leaves at nine'. Answer the question 'When does the train leave?'"
    assert tools_chosen(note, askers) == ["text_question_answering"]
