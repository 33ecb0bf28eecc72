"""A delete's object is a file the user named or pointed at, or nothing (issue 8 through the planner). "Summarize
a.txt, then delete the summary", "Caption photo.jpg. Remove the car." planned delete_file with its path asked, and a
user answering a.txt / photo.jpg lost the file; "Summarize a.txt, then delete the result" deleted a.txt. What goes
there is what a step made, or a thing in it: the step is missing, saying why, and nothing is asked. A noun that may
be a file of the user's ("the backup", "the log") is still asked; "the original" is the file the work before took."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans

MADE_OR_HELD = [
    "Summarize a.txt, then delete the summary",
    "Summarize a.txt, then delete the result",
    "Summarize a.txt, then delete the output",
    "Caption photo.jpg. Remove the car.",
    "Caption photo.jpg, then delete the caption",
    "Transcribe talk.wav, then delete the transcript",
    "Translate notes.txt, then remove the translation",
    "Caption photo.jpg, then remove the car if there is one",
]


@pytest.mark.parametrize("catalogues", [(), (MEDIA,)], ids=["built-ins", "media"])
@pytest.mark.parametrize("task", MADE_OR_HELD)
async def test_what_a_step_made_is_no_file_deleted_or_asked(task: str, catalogues: tuple[Path, ...]) -> None:
    result = await plan_task(task, as_the_cli_plans(*catalogues))
    execution = result.execution
    nodes = execution.plan.nodes if execution.plan is not None else []
    assert [n for n in nodes if n.tool == "delete_file"] == []
    assert "delete_file_path" not in execution.missing_inputs
    # missing, saying why where the deleter is the nearest tool (with media tools, another may be nearer)
    assert any("No suitable tool" in m for m in execution.missing), execution.missing
    assert catalogues or any("not a file named" in m for m in execution.missing), execution.missing
    assert result.analysis.resource_requirements.files_deleted == []


@pytest.mark.parametrize(
    "task", ["Read a.txt, then delete the backup", "Delete the summary", "Read a.txt, then delete it if it is empty"]
)
async def test_a_thing_that_may_be_a_file_is_still_asked(task: str) -> None:
    execution = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    assert execution.plan is not None
    assert [n.args["path"] for n in execution.plan.nodes if n.tool == "delete_file"] == ["${inputs.delete_file_path}"]


@pytest.mark.parametrize("word", ["original", "source"])
async def test_the_original_is_the_file_the_work_before_took(word: str) -> None:
    result = await plan_task(f"Translate notes.txt, then delete the {word}", as_the_cli_plans(MEDIA))
    execution = result.execution
    assert execution.plan is not None and not execution.missing and not execution.missing_inputs
    assert [n.args["path"] for n in execution.plan.nodes if n.tool == "delete_file"] == ["notes.txt"]
    assert result.analysis.resource_requirements.files_deleted == ["notes.txt"]


@pytest.mark.parametrize("task", ["Read a.txt, then delete it", "Caption photo.jpg, then delete the photo"])
async def test_a_file_pointed_at_is_still_deleted(task: str) -> None:
    execution = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    assert execution.plan is not None and not execution.missing
    assert len([n for n in execution.plan.nodes if n.tool == "delete_file"]) == 1
