"""Several things named for one piece of work: one thing of two parts ("a picture of a cat and a dog") is
one step whose prompt keeps the "and"."""

from __future__ import annotations

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


async def _prompts(task: str) -> list[tuple[str, object]]:
    result = await plan_task(task, default_registry([MEDIA]))
    plan = result.execution.plan
    assert plan is not None
    return [(n.tool, n.args.get("text")) for n in plan.nodes]


async def test_one_thing_of_two_parts_keeps_its_and() -> None:
    # before: one picture prompted "a cat a dog"
    assert await _prompts("Generate a picture of a cat and a dog.") == [("text_to_image", "a cat and a dog")]


async def test_a_list_of_parts_keeps_its_commas() -> None:
    assert await _prompts("Draw me a picture of an owl, a fox and a hare.") == [
        ("text_to_image", "an owl, a fox and a hare")
    ]
