"""plan344 (issue 11): "Move a.txt to the folder" listed a.txt (list_files, found by "folder"), or read and translated
it; a move or a rename is a change only a tool saying it moves does. With none (the built-ins have none) the step is
missing; never a listing, a read, nor a copy and a delete no one asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"
MOVER = Path(__file__).with_name("move_tools.yaml")

MOVES = [
    "Move a.txt to the folder",
    "Move a.txt into archive/",
    "Rename a.txt to b.txt",
    "Rename a.txt as b.txt",
    "Move a.txt to archive/a.txt",
    "Move the files to archive/",
    "Relocate a.txt to old/",
    "Move notes.txt to the backup folder",
    "Rename report.pdf to final.pdf",
    "Move photo.jpg into pictures/",
]


@pytest.mark.parametrize("catalogue", [MEDIA, THIRD_PARTY])
@pytest.mark.parametrize("task", MOVES)
async def test_a_move_no_tool_does_is_missing(task: str, catalogue: Path) -> None:
    result = await plan_task(task, as_the_cli_plans(catalogue))
    assert result.execution.missing, result.execution.plan
    plan = result.execution.plan
    assert plan is None or not plan.nodes, plan.nodes


@pytest.mark.parametrize(
    ("task", "args"),
    [
        ("Move a.txt into archive/", {"source": "a.txt", "destination": "archive/"}),
        ("Rename a.txt to b.txt", {"source": "a.txt", "destination": "b.txt"}),
        ("Move a.txt to archive/a.txt", {"source": "a.txt", "destination": "archive/a.txt"}),
    ],
)
async def test_a_tool_that_moves_does_it(task: str, args: dict[str, str]) -> None:
    result = await plan_task(task, as_the_cli_plans(MOVER, MEDIA))
    assert result.execution.plan is not None, result.execution.problems
    assert [(n.tool, n.args) for n in result.execution.plan.nodes] == [("move_file", args)]


@pytest.mark.parametrize(
    ("task", "tools"),
    [  # alike, not moves: as before
        ("List the files in archive/", ["list_files"]),
        ("Translate a.txt to French", ["read_file", "translate_text"]),
        ("Copy a.txt to b.txt", ["read_file", "write_file"]),
    ],
)
async def test_other_work_on_files_is_planned_as_before(task: str, tools: list[str]) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None
    assert [n.tool for n in result.execution.plan.nodes] == tools
