"""What "it" is after a condition (pass 18, docs/planning-passes.md).

"If there's a table in the new picture, could you identify it?": the condition brings in what "it" is,
so the work is on the table in that picture, not on whatever the step before made. The condition itself
is context, not a step. Where the thing is ("in the new picture") is what came before: "it", so the
words of that place ("the depth estimated image") do not pull the step towards the tool that made it.
"""

from __future__ import annotations

from pathlib import Path

from orchestra.analysis import analyse_heuristic
from orchestra.registry import default_registry
from tests.intelligence.reading import clauses_without_data

# Identifying objects and reading a table are both done on an image: only the table says which.
SHOP = """\
version: 1
tools:
  - {name: detect_objects, kind: http, description: Identify the objects in an image and mark them with bounding boxes., input_types: [image], output_types: [text], method: POST, url: "https://s.example.com/od", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: read_table, kind: http, description: Read the rows and columns of a table shown in an image., input_types: [image], output_types: [text], method: POST, url: "https://s.example.com/tab", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
  - {name: text_to_image, kind: http, description: Generate a picture from a text prompt., input_types: [text], output_types: [image], method: POST, url: "https://s.example.com/t2i", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: depth_map, kind: http, description: Estimate the depth of each point of an image as a depth image., input_types: [image], output_types: [image], method: POST, url: "https://s.example.com/depth", json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
"""


def test_it_after_a_condition_is_what_the_condition_brings_in():
    assert clauses_without_data("If there happens to be a table in the new picture, could you identify it?") == [
        ("If there happens to be a table in the new picture", False),
        ("identify the table in it", True),
    ]
    assert clauses_without_data("If there are any faces in photo.jpg, please blur them and caption it.") == [
        ("If there are any faces in @p0", False),
        ("blur the faces in @p0", True),
        ("caption it", True),
    ]
    # without a condition, "it" stays a reference to what came before
    assert clauses_without_data("There is a table in the picture. Identify it.") == [
        ("There is a table in the picture", False),
        ("Identify it", True),
    ]


def test_the_step_after_a_condition_gets_the_tool_for_what_it_names(tmp_path: Path):
    tools = tmp_path / "shop.yaml"
    tools.write_text(SHOP)
    task = "Generate a picture of 'a kitchen with a dining table'. If there's a table in the picture, could you identify it?"  # fmt: skip
    steps = analyse_heuristic(task, default_registry([tools])).steps
    assert [s.candidates[0] for s in steps] == ["text_to_image", "read_table"]  # not the object detector
    assert steps[1].depends_on == [steps[0].id]  # the table in the picture just made


def test_where_the_thing_is_names_no_tool(tmp_path: Path):
    tools = tmp_path / "shop.yaml"
    tools.write_text(SHOP)
    task = "Estimate the depth of photo.jpg. If there is a table in the depth estimated image, please identify it."
    steps = analyse_heuristic(task, default_registry([tools])).steps
    assert [s.candidates[0] for s in steps] == ["depth_map", "read_table"]
    assert steps[1].depends_on == [steps[0].id]


def test_the_words_of_a_condition_are_taken_as_they_are():
    # a backslash in the user's words is text, not part of a replacement template
    assert clauses_without_data("If there is a cat \\g<x> in photo.jpg, caption it.")[-1] == (
        "caption the cat \\g<x> in @p0",
        True,
    )
