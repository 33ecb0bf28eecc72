"""A plural that points at things inside the one photo ("estimate the depth of these objects") takes one result,
not every result made of the photo: "Make the sofa in room.jpg blue. Also, segment the objects in room.jpg, estimate
the depth of these objects, and sort them into categories" estimated the depth of the edited picture and again of
the segmented one, and sorted each, four calls where two were asked. A plural naming results ("these pictures",
"them" after no such noun) or results of different files still takes each. Requests written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.plan import PlanNode
from tests.intelligence.reading import whole_plan

VISION = Path(__file__).with_name("vision_tools.yaml")


def _calls(nodes: list[PlanNode], tool: str) -> list[str]:
    return [str(n.args["image"]) for n in nodes if n.tool == tool]


@pytest.mark.parametrize(
    "task",
    [
        "Make the sofa in room.jpg blue. Also, segment the objects in room.jpg, estimate the depth of these objects, "
        "and sort them into categories",
        "Change the walls in room.jpg to white, segment room.jpg, then estimate the depth of those objects",
    ],
)
async def test_these_objects_of_one_photo_are_one_result(task: str) -> None:
    plan = await whole_plan(task, VISION)
    (depth,) = _calls(plan.nodes, "estimate_depth")
    assert depth.startswith("${segment.output")
    for sorted_ in _calls(plan.nodes, "classify_picture"):
        assert sorted_.startswith("${estimate.output")


@pytest.mark.parametrize(
    ("task", "tool"),
    [
        (
            "Make the sofa in room.jpg blue and segment room.jpg, then estimate the depth of these pictures",
            "estimate_depth",
        ),
        ("Make the sofa in a.jpg blue and segment b.jpg, then estimate the depth of these objects", "estimate_depth"),
        ("Make the sofa in room.jpg blue and segment room.jpg, then caption them", "caption_picture"),
    ],
)
async def test_a_plural_naming_results_takes_each(task: str, tool: str) -> None:
    plan = await whole_plan(task, VISION)
    assert len(_calls(plan.nodes, tool)) == 2
