"""A step changing a file comes after the steps before it taking it, and a step taking it after one changing it
comes after that one (attack131): plan124 ordered only a delete after its file's readers, so "Summarize notes.txt
and write 'hi' over notes.txt" could summarize 'hi', "... and run 'rm notes.txt'" could find no notes.txt, and
"Write 'hi' to notes.txt, then summarize notes.txt" read notes.txt before the write (only the summary waited)."""

from __future__ import annotations

import pytest

from orchestra.plan import Plan
from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


async def _plan(task: str) -> Plan:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None and not result.execution.missing, result.execution.missing
    return result.execution.plan


@pytest.mark.parametrize(
    ("task", "changer"),
    [
        ("Summarize notes.txt and write 'hi' over notes.txt", "write_file"),
        ("Translate notes.txt and then save 'x' to ./notes.txt", "write_file"),
        ("Summarize notes.txt and run 'sort -o notes.txt notes.txt'", "shell"),
        ("Summarize notes.txt and run 'rm notes.txt'", "shell"),
        ("Caption a.jpg and delete a.jpg", "delete_file"),
    ],
)
async def test_a_file_is_changed_after_the_steps_reading_it(task: str, changer: str) -> None:
    plan = await _plan(task)
    change = next(n for n in plan.nodes if n.tool == changer)
    readers = {n.id for n in plan.nodes if n.tool in ("read_file", "caption_image")}
    assert readers and readers <= set(change.depends_on), (change.depends_on, plan.nodes)


@pytest.mark.parametrize(
    "task",
    [
        "Write 'hi' to notes.txt, then summarize notes.txt",
        "Run 'sort -o notes.txt notes.txt', then translate notes.txt",
    ],
)
async def test_a_file_is_read_after_the_step_changing_it_before(task: str) -> None:
    plan = await _plan(task)
    read = next(n for n in plan.nodes if n.tool == "read_file")
    change = next(n for n in plan.nodes if n.tool in ("write_file", "shell"))
    assert change.id in read.depends_on, plan.nodes


async def test_steps_on_other_files_stay_at_once() -> None:
    plan = await _plan("Summarize notes.txt and write 'hi' over b.txt")
    assert all(n.depends_on == [] for n in plan.nodes if n.tool in ("read_file", "write_file")), plan.nodes
