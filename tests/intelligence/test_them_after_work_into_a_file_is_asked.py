"""attack261 (issue 8): "Merge a.txt and b.txt into c.txt and delete them" deleted a.txt, b.txt and c.txt: "them" was
every file the clause before names, the file its work goes into with them (and, no tool merging, the sources went
with nothing made of them). Where that clause names a file its work makes, which files "them" means is asked."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


async def _deleted(task: str) -> tuple[list[object], list[str]]:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None, result.execution.problems
    return [n.args["path"] for n in result.execution.plan.nodes if n.tool == "delete_file"], result.analysis.notes


@pytest.mark.parametrize(
    "task",
    [
        "Merge a.txt and b.txt into c.txt and delete them",
        "Combine a.txt and b.txt into c.txt and then remove them",
        "Merge a.txt and b.txt into c.txt, then delete each of them",
    ],
)
async def test_them_after_work_into_a_file_is_asked(task: str) -> None:
    paths, notes = await _deleted(task)
    assert paths == ["${inputs.delete_file_path}"], paths
    assert any("does not say which file it deletes" in n for n in notes), notes


@pytest.mark.parametrize(
    "task",
    [
        "Read a.txt and b.txt and delete them",
        "Summarize a.txt and b.txt and delete both of them",
        "Copy a.txt to b.txt, then delete them",  # one file and where it goes: the two
    ],
)
async def test_them_after_work_on_files_is_those_files(task: str) -> None:
    paths, _ = await _deleted(task)
    assert paths == ["a.txt", "b.txt"], paths
