"""attack261 (issue 8): "write the summary to b.txt and delete it" deleted b.txt, the file just written: the write
undone as soon as done, where "it" may as well be the summary or the file summarised. A delete pointing back at a
clause that writes what a step made ("the summary", "the result", "the translation") asks which file it deletes."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    "task",
    [
        "write the summary to b.txt and delete it",
        "Summarize a.txt, write the summary to b.txt and delete it",
        "Save the summary to s.txt, then delete it",
        "Summarize a.txt. Save the result in b.txt and remove it",
        "Store the translation in t.txt and delete it",
    ],
)
async def test_a_delete_after_a_write_of_what_was_made_asks_which(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None, result.execution.problems
    paths = [n.args["path"] for n in result.execution.plan.nodes if n.tool == "delete_file"]
    assert paths == ["${inputs.delete_file_path}"], paths
    assert any("does not say which file it deletes" in s for s in result.analysis.notes), result.analysis.notes


@pytest.mark.parametrize(("task", "gone"), [("Read notes.txt, then delete it", "notes.txt")])
async def test_a_delete_after_a_read_deletes_what_was_read(task: str, gone: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None, result.execution.problems
    assert [n.args["path"] for n in result.execution.plan.nodes if n.tool == "delete_file"] == [gone]
