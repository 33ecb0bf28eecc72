"""Work whose words name no medium and match no tool's words ("providing some creative suggestions") is not given
to a tool that makes only pictures or sounds because its meaning stood nearest: suggestions are text. A catalogue
worded like TaskBench's, written here, where a picture generator was chosen by meaning alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans

CATALOGUE = """
version: 1
tools:
  - {name: make_picture, kind: http, description: Generates images from input text. These models can be used to generate images based on text prompts., input_types: [text], output_types: [image], method: POST, url: "https://g.example.com/t2i", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: make_film, kind: http, description: Generates videos from input text. These models can be used to generate videos based on text prompts., input_types: [text], output_types: [video], method: POST, url: "https://g.example.com/t2v", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: write_text, kind: http, description: Generating text is the task of producing new text. These models can for example fill in incomplete text or paraphrase., input_types: [text], output_types: [text], method: POST, url: "https://g.example.com/gen", json: {text: "{{ text }}"}, inputs: {text: {type: string}}}
  - {name: ask_picture, kind: http, description: Visual Question Answering is the task of answering questions based on an image., input_types: [image, text], output_types: [text], method: POST, url: "https://g.example.com/vqa", json: {image: "{{ image }}", q: "{{ q }}"}, inputs: {image: {type: string}, q: {type: string}}}
"""  # fmt: skip


@pytest.fixture
def generators(tmp_path: Path) -> Path:
    path = tmp_path / "generators.yaml"
    path.write_text(CATALOGUE)
    return path


@pytest.mark.parametrize(
    "task",
    [
        # before: make_picture, by meaning alone
        "Could you lend a hand by providing some creative suggestions?",
        "Could you provide some creative suggestions?",
    ],
)
async def test_no_medium_is_made_where_none_is_named(task: str, generators: Path) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA, generators))
    plan = result.execution.plan
    assert plan is not None and [n.tool for n in plan.nodes] == ["write_text"], plan


@pytest.mark.parametrize("task", ["Could you provide a creative picture of the sea?", "Paint me a sunset"])
async def test_a_medium_named_is_still_made(task: str, generators: Path) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA, generators))
    plan = result.execution.plan
    assert plan is not None and [n.tool for n in plan.nodes] in (["make_picture"], ["text_to_image"]), plan
