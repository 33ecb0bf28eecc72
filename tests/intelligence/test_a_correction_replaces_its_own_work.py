"""A correction replaces the work it names, not all of its sentence: "Delete notes.txt, then summarize a.txt.
Actually, summarize b.txt instead" dropped the delete, unsaid; "Delete notes.txt. No wait, summarize it first" read
notes.txt only after the delete (whose path is asked), so the summary could find no file."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize("lead", ["Actually,", "No wait,", "On second thought,"])
async def test_instead_replaces_the_work_of_its_verb(lead: str) -> None:
    task = f"Delete notes.txt, then summarize a.txt. {lead} summarize b.txt instead"
    plan = (await plan_task(task, as_the_cli_plans(MEDIA))).execution.plan
    assert plan is not None
    assert [(n.tool, n.args.get("path")) for n in plan.nodes if n.tool in ("delete_file", "read_file")] == [
        ("delete_file", "notes.txt"),
        ("read_file", "b.txt"),
    ]


async def test_instead_with_no_work_of_its_verb_still_replaces_the_sentence() -> None:
    plan = (await plan_task("Delete notes.txt. No wait, summarize it instead", as_the_cli_plans(MEDIA))).execution.plan
    assert plan is not None and [n.tool for n in plan.nodes] == ["read_file", "summarize_text"]


@pytest.mark.parametrize("first", ["first", "beforehand"])
async def test_work_said_first_after_a_take_back_runs_before_it(first: str) -> None:
    execution = (await plan_task(f"Delete notes.txt. No wait, summarize it {first}", as_the_cli_plans(MEDIA))).execution
    assert execution.plan is not None
    by_tool = {n.tool: n for n in execution.plan.nodes}
    assert by_tool["read_file"].args == {"path": "notes.txt"} and by_tool["read_file"].depends_on == []
    assert "read" in by_tool["delete_file"].depends_on
    assert execution.missing_inputs == ["delete_file_path"]  # taken back: still asked
