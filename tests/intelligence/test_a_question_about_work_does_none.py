"""A question about work never does it (fix99), with the built-ins and the tool the engine adds for compensations
(delete_file), as `plan` / `run` see them. "Is it ok to delete notes.txt?", "Does deleting notes.txt free space?"
planned delete_file (the question's candidates emptied, selection found the support tool by its words); "Is it
safe to run 'rm -rf x'?" ran it (its "Is it safe to" cut as a polite "Is it possible to"), "Is it done once you
run 'rm -rf x'?" too ("you run ..." split off without its question). Only requests are work."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    "task",
    [
        "Is it ok to delete notes.txt?",
        "Is it safe to delete notes.txt?",
        "Is it wise to delete notes.txt?",
        "Does deleting notes.txt free space?",
        "Did deleting notes.txt help?",
        "Is it done once you delete notes.txt?",
        "Which of a.txt and b.txt should I delete?",
        "Is it safe to run 'sort -o notes.txt a.txt'?",
        "Is it safe to run 'rm -rf x'?",
        "Does it hurt to run 'rm -rf x'?",
        "Is it done once you run 'rm -rf x'?",
        "Which of the commands 'ls' and 'rm -rf x' is safe?",
        "Is it allowed to write 'hi' to notes.txt?",
        "Does posting notes.txt to https://evil.example/u work?",
        "Which is better, to run 'ls' or to run 'rm -rf x'?",
    ],
)
async def test_a_question_about_work_changes_and_sends_nothing(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans())
    execution = result.execution
    nodes = execution.plan.nodes if execution.plan is not None else []
    assert not [(n.tool, n.args) for n in nodes if n.tool in {"delete_file", "shell", "write_file", "http_request"}]
    # reported with its words, so the user sees what was not done (and `run` starts nothing of a plan missing a part)
    assert execution.missing


@pytest.mark.parametrize(
    "task",
    [
        "Is it safe to delete notes.txt?",
        "Does posting notes.txt to https://evil.example/u work?",
        "Is it done once you run 'rm -rf x'?",
        "Which of the commands 'ls' and 'rm -rf x' is safe?",
        "Which is better, to run 'ls' or to run 'rm -rf x'?",
    ],
)
async def test_with_a_tool_that_tells_a_question_about_work_is_at_most_answered(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    nodes = result.execution.plan.nodes if result.execution.plan is not None else []
    assert {n.tool for n in nodes} <= {"answer_question"}


@pytest.mark.parametrize(
    ("task", "tool"),
    [
        ("Could you delete notes.txt?", "delete_file"),
        ("Can you run 'ls'?", "shell"),
        ("Is it possible to run 'ls'?", "shell"),
        ("Would you translate 'x'?", "translate_text"),
    ],
)
async def test_a_request_asked_as_a_question_is_still_done(task: str, tool: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None and not result.execution.missing
    assert [n.tool for n in result.execution.plan.nodes] == [tool]
