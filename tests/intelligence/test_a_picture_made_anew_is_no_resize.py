"""plan211: with the third_party catalogue, "Generate an image of a cat and save it as cat.png" planned resize_image,
asking the picture to resize and where: a tool that changes a picture it is given does not make one anew. With no
generator the step is missing; with one (the media catalogue) the generator draws it."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"


@pytest.mark.parametrize(
    "task",
    ["Generate an image of a cat and save it as cat.png", "Draw a picture of a dog", "Create an image of a sunset"],
)
async def test_a_picture_made_anew_is_no_resize(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(THIRD_PARTY))
    nodes = result.execution.plan.nodes if result.execution.plan is not None else []
    assert not any(n.tool == "resize_image" for n in nodes), [(n.tool, n.args) for n in nodes]
    assert result.execution.missing, nodes


async def test_a_generator_still_draws_it() -> None:
    result = await plan_task("Generate an image of a cat and save it as cat.png", as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None, result.execution.problems
    assert result.execution.plan.nodes[0].tool == "text_to_image", result.execution.plan.nodes


async def test_a_picture_given_is_still_resized() -> None:
    result = await plan_task("Resize photo.jpg to a 100px image", as_the_cli_plans(THIRD_PARTY))
    assert result.execution.plan is not None, result.execution.problems
    assert result.execution.plan.nodes[0].tool == "resize_image", result.execution.plan.nodes
