"""Files with no extension named by convention (plan124): "Remove the password from Makefile" asked for audio to
denoise, "Summarize README" for the text to summarise. Known names only, as written: an ordinary word, a
lower-case "readme", a capital-initial word are no file."""

from __future__ import annotations

import pytest

from orchestra.analysis.data import extract
from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans, calls_asked_and_said


@pytest.mark.parametrize(
    ("task", "path"),
    [
        ("Summarize README", "README"),
        ("Translate the README into French", "README"),
        ("Summarize docs/README", "docs/README"),
        ("Summarize LICENSE.", "LICENSE"),
        ("Translate the CHANGELOG into German", "CHANGELOG"),
    ],
)
async def test_a_text_file_named_by_convention_is_read(task: str, path: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert calls[0] == ("read_file", {"path": path}) and not missing, calls


@pytest.mark.parametrize(("task", "path"), [("Delete .env", ".env"), ("Delete Dockerfile", "Dockerfile"),
                                            ("Delete config/.env.local", "config/.env.local")])  # fmt: skip
async def test_a_file_named_by_convention_is_deleted(task: str, path: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert calls == [("delete_file", {"path": path})] and not missing


async def test_a_part_of_a_file_named_by_convention_is_told_as_of_any_file() -> None:
    """As "Remove the password from config.txt": nothing deleted, no audio asked, the step missing with why."""
    for task in ("Remove the password from Makefile", "Remove the password from config.txt"):
        execution = (await plan_task(task, as_the_cli_plans(MEDIA))).execution
        assert execution.plan is None and execution.missing, task
        assert "No suitable tool found" in execution.missing[0], execution.missing


@pytest.mark.parametrize(
    "task",
    [
        "Write a readme for the project",
        "Summarize the license terms",
        "Translate Hello into French",
        "Summarize Chapter one",
        "Deploy the .NET app",
        "Explain what a Makefileish setup is",
    ],
)
def test_ordinary_words_are_no_file(task: str) -> None:
    assert [d for d in extract(task).items if d.kind == "path"] == []


@pytest.mark.parametrize(
    ("task", "cmd"),
    [
        ("run cat on .env", "cat .env"),
        ("run cat on docs/README", "cat docs/README"),
        ("run wc -l on Makefile", "wc -l Makefile"),
    ],
)
async def test_a_command_runs_on_a_file_named_by_convention(task: str, cmd: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task)
    assert (calls, missing) == ([("shell", {"cmd": cmd})], [])
