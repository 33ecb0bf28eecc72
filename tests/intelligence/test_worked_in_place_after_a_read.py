"""plan182 (issue 8): "Read notes.txt and translate it in place" asked where to write the translation: "it" is the one
file the clause before names, written over as "Translate notes.txt in place" writes it. Where that clause names more
than one thing, the place is still asked."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    ("task", "made"),
    [
        ("Read notes.txt and translate it in place", "translate"),
        ("Read notes.txt, then summarize it in-place", "summarize"),
    ],
)
async def test_the_file_read_is_written_over(task: str, made: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert not result.execution.missing_inputs, result.execution.missing_inputs
    assert result.execution.plan is not None
    written = result.execution.plan.nodes[-1]
    assert (written.tool, written.args) == (
        "write_file",
        {"path": "notes.txt", "content": f"${{{made}.output.text}}"},
    )


@pytest.mark.parametrize(
    "task", ["Read a.txt and b.txt, then translate it in place", "Write 'hi' to a.txt, then translate it in place"]
)
async def test_it_of_two_things_is_asked(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.missing_inputs, result.execution
