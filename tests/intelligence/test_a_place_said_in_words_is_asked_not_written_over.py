"""plan344 (issue 11): "Write the contents of a.txt to the path in b.txt" asked where to write (right), with a note
that a.txt would be written over its own source (wrong: a.txt is what is written). Where is said in words that name no
place: the note says so. A file said as both what and where is still noted as written over."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    ("task", "said"),
    [
        ("Write the contents of a.txt to the path in b.txt", "to the path"),
        ("Save a.txt under the name given in b.txt", "to the path"),
        ("Write a.txt to the path", "to the path"),
        ("Copy a.txt to the destination", "to the destination"),
        ("Save a.txt as the file name in b.txt", "to the path"),
        ("Write a.txt to the location b.txt holds", "to the path"),
    ],
)
async def test_where_said_in_words_is_asked_and_noted_so(task: str, said: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    plan = result.execution.plan
    assert plan is not None, result.execution.problems
    assert "write_file_path" in result.execution.missing_inputs
    assert not any("written over it" in note for note in result.analysis.notes), result.analysis.notes
    assert any("is what it writes" in note and said in note for note in result.analysis.notes), result.analysis.notes
    assert all(n.args.get("path") != "a.txt" for n in plan.nodes if n.tool == "write_file"), plan.nodes


@pytest.mark.parametrize("task", ["Save a.txt over a.txt", "Save the summary of a.txt to a.txt", "Copy a.txt to a.txt"])
async def test_a_file_written_over_itself_is_still_said_so(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert any("written over it would be lost" in note for note in result.analysis.notes), result.analysis.notes
