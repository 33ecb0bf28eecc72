"""A file the request only tells of (in another's act, or in what the user says happened) is not read and written
by the user's write: "Have Bob delete old.txt. Write done to log.txt" wrote old.txt's text over log.txt. A write
whose words point back to the file ("Write it", "a copy", "the script") still takes it."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


async def _plan(task: str) -> tuple[list[tuple[str, dict[str, object]]], list[str]]:
    result = (await plan_task(task, as_the_cli_plans())).execution
    assert result.plan is not None, result.problems
    return [(n.tool, dict(n.args)) for n in result.plan.nodes], list(result.missing_inputs)


@pytest.mark.parametrize(
    ("task", "told", "written"),
    [
        ("Have Bob delete old.txt. Write done to log.txt", "old.txt", "log.txt"),
        ("Have Bob read old.txt. Write a note to log.txt", "old.txt", "log.txt"),
        ("The script run.sh failed yesterday. Write a note to log.txt", "run.sh", "log.txt"),
        ("Ask Bob to download x.csv. Save the report to r.txt", "x.csv", "r.txt"),
        ("Tell Alice to delete old.txt. Write a reminder to log.txt", "old.txt", "log.txt"),
        ("Bob will delete old.txt. Write done to log.txt", "old.txt", "log.txt"),
        ("My colleague needs to archive old.txt. Write a note to log.txt", "old.txt", "log.txt"),
        ("Let the team review draft.txt. Save a message to log.txt", "draft.txt", "log.txt"),
        ("Yesterday deploy.sh crashed. Write an entry to log.txt", "deploy.sh", "log.txt"),
        ("Get Bob to remove old.txt. Write a line to log.txt", "old.txt", "log.txt"),
        ("The backup job wrote dump.sql last night. Write a note to log.txt", "dump.sql", "log.txt"),
        ("Ask Carol to check report.pdf. Write a reminder to todo.txt", "report.pdf", "todo.txt"),
    ],
)
async def test_a_file_told_of_is_not_written(task: str, told: str, written: str) -> None:
    nodes, _ = await _plan(task)
    assert not any(told in map(str, args.values()) for _, args in nodes), nodes
    writes = [args for tool, args in nodes if tool == "write_file"]
    assert [w["path"] for w in writes] == [written], nodes
    assert "read." not in str(writes[0]["content"]), nodes


@pytest.mark.parametrize(
    ("task", "content"),
    [
        ("Have Bob delete old.txt. Write done to log.txt", "done"),
        ("Bob will delete old.txt. Write done to log.txt", "done"),
        ("Write done to log.txt", "done"),
        ("Write completed to status.txt", "completed"),
        ("Write no to answer.txt", "no"),
        ("Put finished in status.txt", "finished"),
        ("Write ok to status.txt", "ok"),
        ("Write started to status.txt", "started"),
        ("Write complete to status.txt", "complete"),
        ("Write failed to status.txt", "failed"),
    ],
)
async def test_a_word_of_how_work_went_is_written_as_said(task: str, content: str) -> None:
    nodes, asked = await _plan(task)
    assert [args.get("content") for tool, args in nodes if tool == "write_file"] == [content], nodes
    assert not asked


@pytest.mark.parametrize(
    ("task", "read", "written"),
    [
        ("Read old.txt. Write it to log.txt", "old.txt", "log.txt"),
        ("I have notes.txt. Write it to log.txt", "notes.txt", "log.txt"),
        ("I have notes.txt. Save a copy to b.txt", "notes.txt", "b.txt"),
        ("Read old.txt. Write a note to log.txt", "old.txt", "log.txt"),
        ("Here is notes.txt. Save its contents to b.txt", "notes.txt", "b.txt"),
        ("The file notes.txt has my notes. Write the file to b.txt", "notes.txt", "b.txt"),
        ("Copy notes.txt to b.txt", "notes.txt", "b.txt"),
        ("Given data.txt. Save that to b.txt", "data.txt", "b.txt"),
        ("The script run.sh failed yesterday. Save the script to b.sh", "run.sh", "b.sh"),
        ("I wrote notes.txt. Save it to b.txt", "notes.txt", "b.txt"),
        ("Write notes.txt to b.txt", "notes.txt", "b.txt"),
    ],
)
async def test_a_file_pointed_back_to_is_still_written(task: str, read: str, written: str) -> None:
    nodes, _ = await _plan(task)
    assert ("read_file", {"path": read}) in nodes, nodes
    writes = [args for tool, args in nodes if tool == "write_file"]
    assert [w["path"] for w in writes] == [written], nodes
    assert "read.output" in str(writes[0]["content"]), nodes
