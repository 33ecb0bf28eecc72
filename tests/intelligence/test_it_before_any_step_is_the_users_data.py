"""Before any step has made something, "it" in a clause is the user's data named so far: it is resolved before
the clause is ranked, so that data's kind and what the request said it is take part. "A document image
'bill.jpg' ... decipher the due date for the assignment shown in it" is for the document reader, not for the
image labeller "assignment" finds by its "assign"."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry

MEDIA = Path(__file__).with_name("media_tools.yaml")
READERS = """
  - {name: ask_document, kind: http, description: "Answer questions about a scanned page.",
     input_types: [image, text], output_types: [text], method: POST, url: "https://m.example.com/doc",
     json: {page: "{{ page }}", question: "{{ question }}"}, inputs: {page: {type: string}, question: {type: string}}}
  - {name: label_image, kind: http, description: "Assigning a label or class to a whole image, one class per image.",
     input_types: [image], output_types: [text], method: POST, url: "https://m.example.com/lbl",
     json: {image: "{{ image }}"}, inputs: {image: {type: string}}}
"""


async def _tools(task: str, tmp_path: Path) -> list[str]:
    tools = tmp_path / "tools.yaml"
    tools.write_text(MEDIA.read_text() + READERS)
    result = await plan_task(task, default_registry([tools]))
    assert result.execution.plan is not None, result.execution.problems
    return [n.tool for n in result.execution.plan.nodes]


@pytest.mark.parametrize(
    "task",
    [
        "I'm working with a document image named 'bill.jpg'. Can you help me decipher the due date for the"
        " assignment shown in it?",
        "I'm working with a document image named 'bill.jpg'. Can you decipher the amount for the assignment shown in it?",
        "Here is a document image 'bill.jpg'. Could you decipher the date of the assignment mentioned in it?",
    ],
)
async def test_it_in_the_first_step_is_the_document_named_before(task: str, tmp_path: Path) -> None:
    assert await _tools(task, tmp_path) == ["ask_document"]


async def test_it_after_a_step_is_still_what_that_step_made(tmp_path: Path) -> None:
    # a step has made a caption: "translate it" is the caption's translation, not work on the document
    task = "I have a document image, 'bill.jpg'. Describe the image, then translate it into French."
    assert await _tools(task, tmp_path) == ["caption_image", "translate_text"]
