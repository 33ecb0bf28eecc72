"""attack186 (issue 8): plan182 made "throw away" / "throw ... out" a delete, but "throw" opened no clause after "and":
"Read a.txt and throw away the bad lines" was one step, a read of a.txt, and the taking away was dropped unsaid (the
plan's files_deleted named a.txt all the same). It is a clause of its own now: a part taken away is missing, with why,
and no file goes."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


@pytest.mark.parametrize(
    "task", ["Read a.txt and throw away the bad lines", "Read a.txt and throw out the blank lines"]
)
async def test_a_part_thrown_away_after_and_is_its_own_step_and_deletes_nothing(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans())
    assert len(result.analysis.steps) == 2, result.analysis.steps
    assert result.execution.missing, result.execution
    assert not result.analysis.resource_requirements.files_deleted
    plan = result.execution.plan
    assert plan is None or "delete_file" not in {n.tool for n in plan.nodes}


@pytest.mark.parametrize("task", ["Read a.txt and throw away a.txt", "Read a.txt and throw it away"])
async def test_the_file_thrown_away_after_and_goes_after_its_read(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans())
    plan = result.execution.plan
    assert plan is not None
    assert [(n.tool, n.args.get("path"), n.depends_on) for n in plan.nodes] == [
        ("read_file", "a.txt", []),
        ("delete_file", "a.txt", ["read"]),
    ]
