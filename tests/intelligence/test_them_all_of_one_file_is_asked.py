"""plan204: "Summarize a.txt, then delete them all" deleted a.txt: "them", "them all" or "all the files" point at
more than one file, and the one file named before is not what they say. Which files go is asked, as "delete each"
after one file is; where the nearest clause names several, they are deleted as before."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


async def _deleted(task: str) -> tuple[list[object], list[str], list[str]]:
    """The paths the plan's deletes are given (media catalogue, as the CLI has it), the inputs asked, the notes."""
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    nodes = result.execution.plan.nodes if result.execution.plan is not None else []
    paths = [n.args.get("path") for n in nodes if n.tool == "delete_file"]
    return paths, result.execution.missing_inputs, result.analysis.notes


@pytest.mark.parametrize(
    "task",
    [
        "Summarize a.txt, then delete them all",
        "Summarize a.txt, then delete them",
        "Read a.txt, then remove them",
        "Summarize a.txt, then delete all the files",
        "Read a.txt. Read b.txt. Then delete them all",  # b.txt alone went
    ],
)
async def test_them_all_of_one_file_is_asked(task: str) -> None:
    paths, asked, notes = await _deleted(task)
    assert "delete_file_path" in asked, (paths, asked)
    assert not any(str(p).endswith(".txt") for p in paths), paths
    assert any("more than one file" in note for note in notes), notes


async def test_them_of_two_files_still_deletes_both() -> None:
    paths, asked, _ = await _deleted("Read a.txt and b.txt, then delete them")
    assert sorted(map(str, paths)) == ["a.txt", "b.txt"] and not asked, (paths, asked)
