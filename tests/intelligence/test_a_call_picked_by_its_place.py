"""A step after several calls whose words pick one by its place ("the first translation", "the last one") takes
that call's result only: "Translate 'good morning' and 'token=abc', then read aloud the first translation" read
both translations aloud, the second's too, which the user gave to no step after the translation. Requests written
for these tests, with the media catalogue."""

from __future__ import annotations

import pytest

from orchestra.plan import PlanNode
from tests.intelligence.reading import output_of, whole_plan


def _read_aloud(plan_nodes: list[PlanNode]) -> list[str]:
    return [n.args["text"] for n in plan_nodes if n.tool == "read_aloud"]


@pytest.mark.parametrize(
    ("task", "taken"),
    [
        ("Translate 'good morning' and 'token=abc123', then read aloud the first translation", "translate_1"),
        ("Translate 'good morning' and 'good night', then read aloud the second translation", "translate_2"),
        ("Translate 'good morning' and 'good night', then read aloud the last one", "translate_2"),
        ("Summarize a.txt and b.txt, then read aloud the first summary", "summarize_1"),
        ("Summarize a.txt and b.txt, then read aloud the second summary", "summarize_2"),
    ],
)
async def test_the_call_a_step_names_by_its_place_is_the_one_it_takes(task: str, taken: str) -> None:
    plan = await whole_plan(task)
    assert _read_aloud(plan.nodes) == [output_of(taken, "text")]


@pytest.mark.parametrize(
    "task",
    [
        "Translate 'good morning' and 'good night', then read aloud each translation",
        "Summarize a.txt and b.txt, then read aloud the summaries",
    ],
)
async def test_with_no_place_said_each_result_is_a_call(task: str) -> None:
    plan = await whole_plan(task)
    assert len(_read_aloud(plan.nodes)) == 2
