"""plan344 (issue 11): "Write 'x' to a.txt and then to b.txt" wrote a.txt and reported a step "to b.txt" no tool does:
the second write takes the same words."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    ("task", "files"),
    [
        ("Write 'x' to a.txt and then to b.txt", ["a.txt", "b.txt"]),
        ("Write 'x' to a.txt and to b.txt", ["a.txt", "b.txt"]),
        ("Save 'x' in a.txt, and also into b.txt", ["a.txt", "b.txt"]),
        ("Write 'x' to a.txt, to b.txt and to c.txt", ["a.txt", "b.txt", "c.txt"]),
        ("Write 'x' to a.txt, then to b.txt", ["a.txt", "b.txt"]),
        ("Store 'x' in a.txt and then in b.txt", ["a.txt", "b.txt"]),
    ],
)
async def test_the_words_go_to_each_place(task: str, files: list[str]) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert not result.execution.missing, result.execution.missing
    assert result.execution.plan is not None
    assert [(n.tool, n.args) for n in result.execution.plan.nodes] == [
        ("write_file", {"path": f, "content": "x"}) for f in files
    ]


@pytest.mark.parametrize(
    ("task", "writes"),
    [  # alike: other words to the second file, as before
        ("Write 'x' to a.txt and 'y' to b.txt", [("a.txt", "x"), ("b.txt", "y")]),
        ("Write 'x' to a.txt and yes to b.txt", [("a.txt", "x"), ("b.txt", "yes")]),
    ],
)
async def test_other_words_go_where_said(task: str, writes: list[tuple[str, str]]) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.plan is not None
    assert [(n.tool, n.args) for n in result.execution.plan.nodes] == [
        ("write_file", {"path": f, "content": c}) for f, c in writes
    ]
