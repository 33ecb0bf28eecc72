"""The files a task deletes are listed as deleted in its resource requirements (plan159): "Read a.txt, then delete
it" listed a.txt as read (twice), "Delete notes.txt" as read, and no resource dependency said "deletes"."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


@pytest.mark.parametrize(
    ("task", "deleted", "read"),
    [
        ("Read a.txt, then delete it", ["a.txt"], ["a.txt"]),
        ("Delete notes.txt", ["notes.txt"], []),
        ("Delete notes.txt and write 'x' to b.txt", ["notes.txt"], []),
        ("Remove the password from config.txt", [], []),  # no plan: no step reads it (plan181)
        ("Read config.txt, then remove the password from it", [], ["config.txt"]),
    ],
)
async def test_a_file_deleted_is_listed_as_deleted(task: str, deleted: list[str], read: list[str]) -> None:
    result = await plan_task(task, as_the_cli_plans())
    needs = result.analysis.resource_requirements
    assert needs.files_deleted == deleted and needs.files_read == read, needs
    on = {(d.on, d.detail) for d in result.analysis.dependencies if d.kind == "resource"}
    assert {(f"file:{f}", "deletes") for f in deleted} <= on, on
