"""What nothing in a request fills becomes a plan input, named after the tool and its parameter; where
one tool serves several steps, after each step, so the user gives each step its own value."""

from __future__ import annotations

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


async def test_two_steps_of_one_tool_each_ask_for_their_own_value() -> None:
    # before: both edits took ${inputs.edit_image_instruction}, so the beach got the photo's instruction
    result = await plan_task("Edit photo.jpg, then edit beach.jpg.", default_registry([MEDIA]))
    plan = result.execution.plan
    assert plan is not None
    instructions = [n.args["instruction"] for n in plan.nodes]
    assert [n.tool for n in plan.nodes] == ["edit_image", "edit_image"]
    assert len(set(instructions)) == 2 and set(plan.inputs) == {i[len("${inputs.") : -1] for i in instructions}


async def test_a_tool_used_once_asks_under_its_own_name() -> None:
    result = await plan_task("Edit photo.jpg.", default_registry([MEDIA]))
    plan = result.execution.plan
    assert plan is not None and plan.inputs == {"edit_image_instruction": None}
