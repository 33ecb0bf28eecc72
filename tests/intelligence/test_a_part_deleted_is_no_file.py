"""A deleting clause deletes the file it names as what goes, never the file it names as where a part of it is
("remove the password from config.txt", "delete the comments in main.py", "notes.txt's first line", "the first
paragraph" of a file read before): delete_file removed the whole file; now the path is asked for, the file warned
of as given to no call, or the step is reported missing with the nearest tools (plan104's rule, which passes over
a tool deleting files whole for a part taken away, comes first). A clause deleting the files it names and nothing
else deletes each of them, whatever other tool takes their kinds ("Remove notes.txt and a.jpg" edited a.jpg with
notes.txt's text as the instruction). With the built-ins and delete_file, as `client.py plan` has them."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, as_the_cli_plans


async def _deleted(task: str) -> tuple[list[object], list[str], list[str]]:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    plan = result.execution.plan
    assert plan is not None, result.execution.problems
    paths = [n.args.get("path") for n in plan.nodes if n.tool == "delete_file"]
    return paths, result.execution.missing_inputs, result.execution.warnings


@pytest.mark.parametrize(
    ("task", "file"),
    [
        ("Remove the password from config.txt", "config.txt"),
        ("Delete the comments in main.py", "main.py"),
        ("delete the lines containing 'x' from notes.txt", "notes.txt"),
        ("Delete the files listed in notes.txt", "notes.txt"),
        ("delete the file named in notes.txt", "notes.txt"),
        ("remove the header of data.csv", "data.csv"),
        ("Delete notes.txt's first line", "notes.txt"),
        ("Read notes.txt. Delete the first paragraph.", "notes.txt"),
    ],
)
async def test_a_file_holding_what_goes_is_not_deleted(task: str, file: str) -> None:
    execution = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
    if execution.plan is None or all(n.tool != "delete_file" for n in execution.plan.nodes):
        # no delete step at all: the user is told the step is missing (plan181: a part named is never asked of a
        # deleter, "Read notes.txt. Delete the first paragraph." reads it and reports the delete missing)
        assert execution.missing and all("No suitable tool found" in m for m in execution.missing)
        return
    assert file not in [n.args.get("path") for n in execution.plan.nodes if n.tool == "delete_file"]
    assert "delete_file_path" in execution.missing_inputs
    assert any(f"'{file}'" in w and "given to no call" in w for w in execution.warnings)


@pytest.mark.parametrize(
    ("task", "paths"),
    [
        ("Delete notes.txt", ["notes.txt"]),
        ("Delete the file notes.txt", ["notes.txt"]),
        ("Please remove notes.txt from the folder", ["notes.txt"]),
        ("Remove notes.txt and a.jpg", ["notes.txt", "a.jpg"]),
        ("Remove a.wav and notes.txt", ["a.wav", "notes.txt"]),
        ("Remove the files notes.txt, a.jpg", ["notes.txt", "a.jpg"]),
        ("Caption photo.jpg, then delete the photo", ["photo.jpg"]),
    ],
)
async def test_a_file_named_as_what_goes_is_deleted(task: str, paths: list[str]) -> None:
    assert (await _deleted(task))[:2] == (paths, [])


async def test_files_deleted_with_no_deleting_tool_are_missing_not_edited() -> None:
    """The media catalogue alone has no tool deleting files: the step is missing, a.jpg not edited by notes.txt."""
    execution = (await plan_task("Remove notes.txt and a.jpg", default_registry([MEDIA]))).execution
    assert execution.plan is None
    assert execution.missing
