"""attack309: "Read a.txt. Without hesitation, delete old.txt" planned the read alone, and nothing said the delete
was dropped: "without" opened a negation, and one with no verb of its own was taken to refuse the work in the piece
after the comma ("do not, under any circumstances, delete @p0"). A negation that takes its object ("without
hesitation", "without delay", "instead of that") is whole: the work after it is asked."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


async def _tools(task: str) -> list[tuple[str, object]]:
    result = await plan_task(task, as_the_cli_plans())
    assert result.execution.plan is not None, result.execution
    return [(n.tool, n.args.get("path")) for n in result.execution.plan.nodes]


@pytest.mark.parametrize(
    "lead",
    ["Without hesitation", "Without delay", "Without further ado", "Without a second thought", "Without waiting"],
)
async def test_the_work_after_a_manner_is_planned(lead: str) -> None:
    assert await _tools(f"Read a.txt. {lead}, delete old.txt") == [("read_file", "a.txt"), ("delete_file", "old.txt")]


@pytest.mark.parametrize("lead", ["Do not, under any circumstances,", "Never, ever,", "Do not"])
async def test_a_negation_without_its_verb_still_refuses_the_work_after_it(lead: str) -> None:
    assert await _tools(f"Read a.txt. {lead} delete old.txt") == [("read_file", "a.txt")]
