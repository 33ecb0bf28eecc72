"""attack330: "Delete the file a.txt names", "Delete the files a.txt lists", "Remove whatever a.txt points to" deleted
a.txt, the list, not the file it names. Which file goes is asked (as "Delete the file named in a.txt" was); the file
naming it is never deleted."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


@pytest.mark.parametrize(
    "task",
    [
        "Delete the file a.txt names",
        "Delete the files a.txt lists",
        "Remove whatever a.txt points to",
        "Delete everything a.txt lists",
        "Write hello to b.txt, then delete the file a.txt names",
    ],
)
async def test_a_delete_of_a_file_another_names_is_asked(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans())
    assert "delete_file_path" in result.execution.missing_inputs, result.execution.missing_inputs
    plan = result.execution.plan
    assert plan is not None
    for node in plan.nodes:
        assert "a.txt" not in str(node.args), node.args


async def test_a_delete_of_the_file_named_still_deletes_it() -> None:
    plan = (await plan_task("Delete a.txt", as_the_cli_plans())).execution.plan
    assert plan is not None
    assert [(n.tool, n.args) for n in plan.nodes] == [("delete_file", {"path": "a.txt"})]
