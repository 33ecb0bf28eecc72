"""attack273 (issue 8): "Write 'hi' to a.txt and delete it" planned the delete of what the write gives back (a.txt)
but listed nothing as deleted: the plan's list of deletes and its resource dependencies must say what goes."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


@pytest.mark.parametrize(
    "task",
    [
        "Write 'hi' to a.txt and delete it",
        "Write 'hi' to a.txt and remove it",
        "Write 'hi' to a.txt then delete it",
    ],
)
async def test_a_delete_of_what_was_written_is_listed(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans())
    assert result.execution.plan is not None, result.execution.problems
    assert [n.tool for n in result.execution.plan.nodes] == ["write_file", "delete_file"], result.execution.plan.nodes
    assert result.analysis.resource_requirements.files_deleted == ["a.txt"], result.analysis.resource_requirements
    on = {(d.on, d.detail) for d in result.analysis.dependencies if d.kind == "resource"}
    assert ("file:a.txt", "deletes") in on, on


async def test_a_delete_asked_lists_nothing_as_deleted() -> None:
    result = await plan_task("Write 'hi' to a.txt and delete it if it is empty", as_the_cli_plans())
    assert result.analysis.resource_requirements.files_deleted == [], result.analysis.resource_requirements
