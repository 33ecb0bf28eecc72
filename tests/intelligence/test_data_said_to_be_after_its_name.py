"""What a relative clause just after a file's name says it is ("x.jpg, which appears to be a document") picks among
the tools that take it, as the words before the name do ("a document image 'x.jpg'"): a question about the date in
it is for the document reader, not for a converter whose name names the kinds it takes and makes. What one of two
files of a kind is said to be is no word for the other."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.analysis import analyse_heuristic
from orchestra.analysis.data import extract
from orchestra.analysis.heuristic import _described
from orchestra.registry import default_registry

MEDIA = Path(__file__).with_name("media_tools.yaml")
READERS = """
  - {name: image_to_text, kind: http, description: "Output a text from a given image: a caption, or the characters read in it.", input_types: [image], output_types: [text], method: POST, url: "https://l.example.com/i2t", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: visual_question_answering, kind: http, description: Answer a question about an image., input_types: [image, text], output_types: [text], method: POST, url: "https://l.example.com/vqa", json: {image: "{{ image }}", question: "{{ question }}"}, inputs: {image: {type: string}, question: {type: string}}}
  - {name: document_question_answering, kind: http, description: "Answer a question about a scanned page given as an image, such as a form, an invoice or a letter.", input_types: [image, text], output_types: [text], method: POST, url: "https://l.example.com/dqa", json: {image: "{{ image }}", question: "{{ question }}"}, inputs: {image: {type: string}, question: {type: string}}}
"""


def _first_tools(task: str, tmp_path: Path) -> list[str]:
    """The best tool of each step served (beside the media catalogue, big enough for meaning to weigh)."""
    tools = tmp_path / "readers.yaml"
    tools.write_text(MEDIA.read_text() + READERS)
    return [s.candidates[0] for s in analyse_heuristic(task, default_registry([tools])).steps if s.candidates]


@pytest.mark.parametrize(
    "ask", ["What are the date and location of the meeting?", "Could you tell me when the meeting is?"]
)
@pytest.mark.parametrize(
    "said",
    [
        "an image file named scan.jpg which appears to be a document containing meeting details",
        "an image scan.jpg, which is a document from the meeting",
        "the picture scan.jpg that looks like a document",
    ],
)
def test_a_file_said_after_its_name_to_be_a_document_goes_to_the_document_reader(
    said: str, ask: str, tmp_path: Path
) -> None:
    assert _first_tools(f"I retrieved {said}. {ask}", tmp_path) == ["document_question_answering"]


def test_what_one_of_two_images_is_said_to_be_is_no_word_for_the_other(tmp_path: Path) -> None:
    task = (
        "I have a holiday image 'beach.jpg' and a document image 'memo.png'. "
        "Can you answer the question 'What is the tallest thing here?' about beach.jpg?"
    )
    assert _first_tools(task, tmp_path) == ["visual_question_answering"]


def test_words_for_one_of_two_files_of_a_kind_describe_neither(tmp_path: Path) -> None:
    # the words are kept by kind: "the document image memo.png" made the question about beach.jpg the document
    # reader's (a TaskBench sample: depth and the largest object of a photo, then a document image examined)
    tools = tmp_path / "readers.yaml"
    tools.write_text(MEDIA.read_text() + READERS)
    index = default_registry([tools]).index()
    one = extract("I have a holiday image 'beach.jpg', which is a photo of a document.")
    two = extract("I have a holiday image 'beach.jpg' and a document image 'memo.png'.")
    assert "documen" in _described(one, one.items, index)["image"]
    assert "image" not in _described(two, two.items, index)
