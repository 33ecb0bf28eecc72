"""What a context sentence says the user's data is ("a photo of a receipt", "a document image") steers the work
on it that its own words serve poorly: "pull out the details from the image" of a receipt is for the receipt
reader of the catalogue, not for any tool that reads images. Work its words serve well keeps its tool."""

from __future__ import annotations

from pathlib import Path

from orchestra.analysis.words import describing_terms
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry

MEDIA = Path(__file__).with_name("media_tools.yaml")
READERS = """
  - {name: read_receipt, kind: http, description: "Read the shop, date and total of a receipt photographed.",
     input_types: [image], output_types: [text], method: POST, url: "https://m.example.com/rcpt",
     json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
"""


async def _tools(task: str, tmp_path: Path) -> list[str]:
    tools = tmp_path / "tools.yaml"
    tools.write_text(MEDIA.read_text() + READERS)
    result = await plan_task(task, default_registry([tools]))
    assert result.execution.plan is not None, result.execution.problems
    return [n.tool for n in result.execution.plan.nodes]


async def test_work_on_data_said_to_be_a_receipt_goes_to_the_receipt_reader(tmp_path: Path) -> None:
    task = "I took a photo of a receipt, 'r.jpg'. Could you pull out the details from the image?"
    assert await _tools(task, tmp_path) == ["read_receipt"]


async def test_work_its_own_words_serve_keeps_its_tool(tmp_path: Path) -> None:
    assert await _tools("I have a photo of my receipt, 'r.jpg'. Describe the image in one sentence.", tmp_path) == [
        "caption_image"
    ]
    assert await _tools("I have a photo 'p.jpg' of my dog. Could you describe the image?", tmp_path) == [
        "caption_image"
    ]


def test_only_nouns_of_a_tools_name_describe_the_data() -> None:
    # "I edited the photo" tells what the user did, not what the photo is; words no tool is named by say nothing
    names = frozenset({"edit", "receipt", "imag"})
    assert describing_terms("I edited a photo of a receipt and an image of my edits, 'r.jpg'", names) == ["receipt"]
