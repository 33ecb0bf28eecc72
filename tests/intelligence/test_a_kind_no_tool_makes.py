"""A making verb that asks for a kind of data it describes ("generate a video of a dog") is served only
by a tool that makes that kind: with no video tool, a picture generator drew it and the user was asked
for its prompt. Pass 30 made "a picture of a cat and a video of a dog" two clauses, which showed it.
The kind counts even when no tool of the registry knows it. Requests written for these tests, with the
media catalogue (no video tool, no tool that makes a URL)."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


async def test_a_video_asked_beside_a_picture_is_missing_not_drawn() -> None:
    # before: generate_2: text_to_image {"text": "${inputs.generate_2_text}"}
    result = await plan_task("Generate a picture of a cat and a video of a dog", default_registry([MEDIA]))
    plan = result.execution.plan
    assert plan is not None and not plan.inputs
    assert [(n.tool, n.args) for n in plan.nodes] == [("text_to_image", {"text": "a cat"})]
    assert any("video of a dog" in m for m in result.execution.missing), result.execution.missing


@pytest.mark.parametrize("task", ["Generate a video of a dog", "Create a URL of a dog"])
async def test_a_kind_no_tool_makes_is_reported_missing(task: str) -> None:
    result = await plan_task(task, default_registry([MEDIA]))
    assert result.execution.plan is None and result.execution.missing, result.execution


async def test_a_kind_a_tool_makes_is_still_made() -> None:
    result = await plan_task("Paint a picture of a dog, then read 'done' aloud", default_registry([MEDIA]))
    plan = result.execution.plan
    assert plan is not None
    assert [(n.tool, n.args) for n in plan.nodes] == [
        ("text_to_image", {"text": "a dog"}),
        ("read_aloud", {"text": "done"}),
    ]
