"""attack242: "Delete the duplicates" planned a delete of one path asked, with no word of why: "the duplicates", "the
old files", "everything" are files said by what they are, none named and no step finding them, and the one path the
user would give is not what they said. Its path is asked saying why; a file named,
pointed at or said by its kind is deleted as before."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    "task",
    [
        "Delete the duplicates",
        "Delete the old files",
        "Delete everything",
        "Remove the temp file",
        "Summarize notes.txt and delete the duplicates",
        "Read a.txt, then delete all the old files",
    ],
)
async def test_a_delete_of_files_said_by_what_they_are_is_asked(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None
    paths = [n.args.get("path") for n in result.execution.plan.nodes if n.tool == "delete_file"]
    assert paths == ["${inputs.delete_file_path}"], paths
    assert any("does not say which file it deletes" in n for n in result.analysis.notes), result.analysis.notes


@pytest.mark.parametrize(
    ("task", "gone"),
    [
        ("Delete notes.txt", "notes.txt"),
        ("Read a.txt, then delete it", "a.txt"),
        ("Caption photo.jpg, then delete the photo", "photo.jpg"),
        ("Read a.txt, then delete the file", "a.txt"),
    ],
)
async def test_a_file_named_or_pointed_at_is_deleted(task: str, gone: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None
    assert [n.args.get("path") for n in result.execution.plan.nodes if n.tool == "delete_file"] == [gone]
    assert not [n for n in result.analysis.notes if "names no file" in n], result.analysis.notes
