"""A delete pointing at what a listing found asks which files: the folder listed is where they are, none of them
(attack164): "List files in data/, then delete them" deleted data/ (a folder: the call failed whatever the user
meant), "List files in data/, then delete the first one" the same, "Read a.txt, then list files in data/ and delete
it" data/."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


@pytest.mark.parametrize(
    "task",
    [
        "List files in data/, then delete them",
        "List files in data/, then delete the first one",
        "Read a.txt, then list files in data/ and delete it",
        "List the .log files in logs/ and delete them",
    ],
)
async def test_a_delete_after_a_listing_asks_which_files(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans())
    assert result.execution.plan is not None
    paths = [n.args.get("path") for n in result.execution.plan.nodes if n.tool == "delete_file"]
    assert paths == ["${inputs.delete_file_path}"], paths
    assert any("finds are not named" in n for n in result.analysis.notes), result.analysis.notes


async def test_a_file_named_beside_a_listing_is_still_deleted() -> None:
    result = await plan_task("List files in data/, then read a.txt and delete it", as_the_cli_plans())
    assert result.execution.plan is not None
    paths = [n.args.get("path") for n in result.execution.plan.nodes if n.tool == "delete_file"]
    assert paths == ["a.txt"], paths
