"""A tool's input named "input" beside others takes the kind no other input names: an image editor with
``input`` (the picture) and ``prompt`` was given the instruction as its picture and the picture as its prompt
("input" read as a text input), and asked for a prompt the request said."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import plan_read

EDITOR = """version: 1
tools:
  - {name: text_to_image, kind: http, description: Generate a picture from a text prompt., input_types: [text],
     output_types: [image], method: POST, url: "https://m.example.com/t2i", json: {text: "{{ text }}"},
     inputs: {text: {type: string}}}
  - {name: edit_image, kind: http, description: Change an image as an instruction says., input_types: [%s],
     output_types: [image], method: POST, url: "https://m.example.com/edit",
     json: {input: "{{ input }}", prompt: "{{ prompt }}"},
     inputs: {%s}}
"""
INPUTS = {
    "input first": ("image, text", "input: {type: string}, prompt: {type: string}"),
    "prompt first": ("image, text", "prompt: {type: string}, input: {type: string}"),
    "types the other way": ("text, image", "input: {type: string}, prompt: {type: string}"),
}


@pytest.mark.parametrize("order", INPUTS)
@pytest.mark.parametrize(
    ("task", "picture", "instruction"),
    [
        ("Edit photo.jpg to add a hat", "photo.jpg", "Edit photo.jpg to add a hat"),
        ("Generate a picture of a cat, then edit it to add a hat.", "${generate.", "edit it to add a hat"),
    ],
)
async def test_the_picture_goes_to_input_and_the_instruction_to_prompt(
    tmp_path: Path, order: str, task: str, picture: str, instruction: str
) -> None:
    tools = tmp_path / "tools.yaml"
    tools.write_text(EDITOR % INPUTS[order])
    nodes, _, asked = await plan_read(task, tools)
    edit = nodes[-1]
    assert edit.tool == "edit_image"
    assert str(edit.args["input"]).startswith(picture)
    assert edit.args["prompt"] == instruction
    assert not asked
