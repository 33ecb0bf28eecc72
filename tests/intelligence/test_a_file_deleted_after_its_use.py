"""A call losing what a file holds (a delete, a write over it) runs only after every other call that reads it, and
all the work made of them, has succeeded (a failed call skips the calls waiting for it): attack129 found "Copy
notes.txt to b.txt and delete notes.txt" deleting notes.txt beside its read, before the copy was written, "Delete
notes.txt, then summarize it" deleting it before it was read, and "Translate notes.txt and overwrite notes.txt"
writing it over beside its read, with the built-ins as `client.py plan` has them."""

from __future__ import annotations

import pytest

from orchestra.plan import PlanNode
from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


def _waited_for(node: PlanNode, by_id: dict[str, PlanNode]) -> set[str]:
    """Every call ``node`` waits for, by order or by taking its result."""
    found: set[str] = set()
    todo = [node]
    while todo:
        current = todo.pop()
        ups = {*current.depends_on, *(n for n in by_id if f"${{{n}." in str(current.args))}
        for up in ups - found:
            found.add(up)
            todo.append(by_id[up])
    return found


async def _plan(task: str, tool: str = "delete_file") -> tuple[PlanNode, dict[str, PlanNode]]:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None and not result.execution.missing, result.execution.problems
    by_id = {n.id: n for n in result.execution.plan.nodes}
    (losing,) = [n for n in by_id.values() if n.tool == tool and n.args.get("path") != "b.txt"]
    assert losing.args["path"] == "notes.txt", losing
    return losing, by_id


@pytest.mark.parametrize(
    "task",
    [
        "Copy notes.txt to b.txt and delete notes.txt",  # deleted beside the read, before the copy
        "Translate notes.txt and delete notes.txt",  # beside the read
        "Delete notes.txt and summarize it",  # beside the read
        "Delete notes.txt, then summarize it",  # before the read
        "Delete notes.txt. Summarize ./notes.txt.",
        "Run 'cat notes.txt' and delete notes.txt",
        "Summarize notes.txt, then delete notes.txt",  # held
    ],
)
async def test_a_file_is_deleted_after_all_work_with_it(task: str) -> None:
    delete, by_id = await _plan(task)
    assert _waited_for(delete, by_id) == set(by_id) - {delete.id}, list(by_id.values())


@pytest.mark.parametrize(
    "task", ["Translate notes.txt and overwrite notes.txt with it", "Summarize notes.txt and write 'hi' to notes.txt"]
)
async def test_a_file_is_written_over_after_all_work_with_it(task: str) -> None:
    write, by_id = await _plan(task, "write_file")
    assert _waited_for(write, by_id) == set(by_id) - {write.id}, list(by_id.values())


async def test_a_file_written_then_worked_on_is_read_after_the_write() -> None:
    write, by_id = await _plan("Write 'hi' to notes.txt, then summarize notes.txt", "write_file")
    (read,) = [n for n in by_id.values() if n.tool == "read_file"]
    assert _waited_for(write, by_id) == set() and write.id in _waited_for(read, by_id), list(by_id.values())


async def test_a_delete_waits_for_no_work_on_other_files() -> None:
    delete, by_id = await _plan("Summarize a.txt and delete notes.txt")
    assert _waited_for(delete, by_id) == set(), list(by_id.values())


async def test_a_file_of_the_users_written_over_keeps_an_undo_that_puts_it_back() -> None:
    # its undo once deleted what the run wrote, so a file read before the write (the user's) had none and a later
    # failure left the write's content; the undo now puts back what the write replaced (its `previous`)
    for task in (
        "Summarize notes.txt and write 'hi' to notes.txt",
        "Write 'hi' to notes.txt, then summarize notes.txt",
    ):
        write, _ = await _plan(task, "write_file")
        assert write.compensation is not None and write.compensation.tool == "delete_file", write
        assert write.compensation.args["previous"] == f"${{{write.id}.output.previous}}", write
