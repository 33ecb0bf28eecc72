"""plan324: a lone adverb or phrase of manner opening a sentence is how the work is done, not work: "Read a.txt. Not
surprisingly, delete old.txt" dropped the delete ("not" refused the piece after it), "Quickly, delete old.txt" added
a missing step "quickly", "Sans delay, delete old.txt" planned a sleep. The work after it is planned, and nothing else;
a word of when ("Daily") is still no lone manner."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


@pytest.mark.parametrize(
    "lead",
    [
        "Not surprisingly",
        "Quickly",
        "Honestly",
        "Regardless",
        "Nevertheless",
        "Sans delay",
        "Right away",
        "Very carefully",
    ],
)
async def test_the_work_after_a_manner_alone_is_all_planned(lead: str) -> None:
    execution = (await plan_task(f"Read a.txt. {lead}, delete old.txt", as_the_cli_plans())).execution
    assert execution.plan is not None, execution
    calls = [(n.tool, n.args.get("path")) for n in execution.plan.nodes]
    assert calls == [("read_file", "a.txt"), ("delete_file", "old.txt")], (calls, execution.missing)
    assert not execution.missing, execution.missing


async def test_a_refusal_after_a_manner_still_refuses() -> None:
    execution = (await plan_task("Read a.txt. Not surprisingly, do not delete old.txt", as_the_cli_plans())).execution
    assert execution.plan is not None, execution
    assert [n.tool for n in execution.plan.nodes] == ["read_file"]
