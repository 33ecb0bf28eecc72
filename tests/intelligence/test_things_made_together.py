"""Several things asked of one verb ("generate a picture of a cat and a sound of rain") are each made:
the second is a step of its own, not words added to the first one's prompt."""

from __future__ import annotations

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, tools_chosen


async def test_a_second_thing_named_after_and_is_made_too() -> None:
    # before: one picture, prompted "a cat a sound of rain"; the sound was never made
    result = await plan_task("Generate a picture of a cat and a sound of rain.", default_registry([MEDIA]))
    plan = result.execution.plan
    assert plan is not None
    assert [(n.tool, n.args["text"]) for n in plan.nodes] == [("text_to_image", "a cat"), ("read_aloud", "rain")]


def test_a_thing_no_tool_makes_is_listed_missing_and_the_rest_planned() -> None:
    assert tools_chosen("Could you create a picture of a castle and a video of a dragon?") == ["text_to_image", "-"]


def test_one_thing_of_two_parts_stays_one_step() -> None:
    assert tools_chosen("Generate a picture of a cat and a dog.") == ["text_to_image"]
