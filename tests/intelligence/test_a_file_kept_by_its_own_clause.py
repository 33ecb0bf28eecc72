"""A delete whose own words keep a file it names ("Delete a.txt and b.txt but keep b.txt", "... except b.txt",
"...; b.txt must be kept") deletes the rest and says so: before, it made a second delete whose path was asked,
listed b.txt as read by no read step, and a user answering b.txt lost it."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


@pytest.mark.parametrize(
    ("task", "deleted", "kept"),
    [
        ("Delete a.txt and b.txt but keep b.txt", ["a.txt"], "b.txt"),
        ("Delete a.txt and b.txt except b.txt", ["a.txt"], "b.txt"),
        ("Delete a.txt and b.txt; b.txt must be kept", ["a.txt"], "b.txt"),
        ("Delete a.txt, b.txt and c.txt but keep c.txt", ["a.txt", "b.txt"], "c.txt"),
        ("Delete a.txt and b.txt but leave b.txt", ["a.txt"], "b.txt"),
    ],
)
async def test_a_file_its_delete_keeps_is_not_deleted_nor_asked(task: str, deleted: list[str], kept: str) -> None:
    result = await plan_task(task, as_the_cli_plans())
    execution = result.execution
    assert execution.plan is not None and not execution.missing_inputs, execution.missing_inputs
    assert [n.args["path"] for n in execution.plan.nodes if n.tool == "delete_file"] == deleted
    needs = result.analysis.resource_requirements
    assert needs.files_deleted == deleted and needs.files_read == []
    assert any(f"does not delete {kept}: the request says to keep it" in n for n in result.analysis.notes)


async def test_everything_but_a_file_kept_asks_what_to_delete() -> None:
    result = await plan_task("Delete everything but notes.txt", as_the_cli_plans())
    plan = result.execution.plan
    assert plan is not None and "notes.txt" not in [n.args.get("path") for n in plan.nodes]
    assert result.execution.missing_inputs == ["delete_file_path"]
