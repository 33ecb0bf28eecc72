""" "Describe photo.jpg" asks for what the picture shows in words: a captioner's work, whatever words its description
uses. With a catalogue whose captioner says "output a text from a given image" and whose editor "modifies an image
as a text that describes the desired output says", "describe" found the editor or no tool at all. A text is no
picture to caption: "describe the summary" is not given to the captioner."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, tools_chosen

TOOLS = """\
version: 1
tools:
  - {name: image_to_text, kind: http, description: "Image to text models output a text from a given image, such as a caption or the text read in it.", input_types: [image], output_types: [text], method: POST, url: "https://m.example.com/i2t", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: image_editing, kind: http, description: "Image editing is the task of modifying an image to match a text that describes the desired output.", input_types: [image, text], output_types: [image], method: POST, url: "https://m.example.com/edit", json: {image: "{{ image }}", text: "{{ text }}"}, inputs: {image: {type: string}, text: {type: string}}}
  - {name: summarization, kind: http, description: "Produce a shorter version of a document that keeps its key points.", input_types: [text], output_types: [text], method: POST, url: "https://m.example.com/sum", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
"""


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    path = tmp_path / "tools.yaml"
    path.write_text(TOOLS)
    return path


@pytest.mark.parametrize(
    "task", ["Describe photo.jpg.", "Describe what is in photo.jpg.", "Please describe photo.jpg for me."]
)
def test_a_picture_described_is_captioned(task: str, catalogue: Path) -> None:
    assert tools_chosen(task, default_registry([catalogue])) == ["image_to_text"]


def test_a_text_described_is_no_caption(catalogue: Path) -> None:
    assert "image_to_text" not in tools_chosen(
        "Summarize notes.txt and describe the summary.", default_registry([catalogue])
    )


CLASSIFIERS = """\
version: 1
tools:
  - {name: tabular_classification, kind: http, description: "Tabular classification is the task of classifying a table (in Image format).", input_types: [image], output_types: [text], method: POST, url: "https://m.example.com/tab", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: image_classification, kind: http, description: "Image classification is the task of assigning a label or class to an entire image. Models take an image and return which class it belongs to.", input_types: [image], output_types: [text], method: POST, url: "https://m.example.com/cls", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: object_detection, kind: http, description: "Object detection models identify objects of certain defined classes and output the image with bounding boxes and labels on detected objects.", input_types: [image], output_types: [text], method: POST, url: "https://m.example.com/od", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: depth_estimation, kind: http, description: "Depth estimation is the task of predicting depth of the objects present in an image.", input_types: [image], output_types: [image], method: POST, url: "https://m.example.com/depth", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
"""


@pytest.mark.parametrize(
    ("task", "tool"),
    [
        # how far the things in a picture are is their depth (a detector was found by "objects")
        ("How far away are the objects in photo.jpg?", "depth_estimation"),
        ("Estimate the distance of each object in photo.jpg from the camera.", "depth_estimation"),
    ],
)
def test_a_picture_is_worked_on_as_a_picture(task: str, tool: str, tmp_path: Path) -> None:
    path = tmp_path / "tools.yaml"
    path.write_text(CLASSIFIERS)
    # beside the media catalogue: a registry of a handful of tools is told apart by its words alone, never by meaning
    assert tools_chosen(task, default_registry([MEDIA, path]))[:1] == [tool]
