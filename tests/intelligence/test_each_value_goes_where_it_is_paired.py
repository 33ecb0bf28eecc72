"""attack261 (issue 8): "Write 'x' to a.txt and 'y' to b.txt" was read as one write of both values to both files:
it wrote 'x' to b.txt (a content nobody asked for there) and 'y' nowhere, and "Post 'x' to URL1 and 'y' to URL2"
posted 'x' to URL1 four times. A value and its place after "and" or a comma, the verb said once, is the same work
on that pair."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


async def _calls(task: str) -> list[tuple[str, dict[str, object]]]:
    result = await plan_task(task, as_the_cli_plans())
    assert result.execution.plan is not None, result.execution.problems
    assert not result.execution.warnings, result.execution.warnings
    return [(n.tool, n.args) for n in result.execution.plan.nodes]


@pytest.mark.parametrize(
    "task",
    [
        "Write 'x' to a.txt and 'y' to b.txt",
        "Write 'x' to a.txt, and 'y' to b.txt",
        "Write 'x' into a.txt and 'y' in b.txt",
        "Save 'x' as a.txt and 'y' as b.txt",
    ],
)
async def test_each_value_is_written_where_it_is_paired(task: str) -> None:
    written = [(args["path"], args["content"]) for tool, args in await _calls(task) if tool == "write_file"]
    assert written == [("a.txt", "x"), ("b.txt", "y")], written


async def test_three_pairs_are_three_writes() -> None:
    written = [(a["path"], a["content"]) for _, a in await _calls("Write 'x' to a.txt, 'y' to b.txt and 'z' to c.txt")]
    assert written == [("a.txt", "x"), ("b.txt", "y"), ("c.txt", "z")], written


async def test_each_value_is_posted_where_it_is_paired() -> None:
    posted = await _calls("Post 'x' to https://a.example.com and 'y' to https://b.example.com")
    assert [(a["url"], a["body"]) for _, a in posted] == [
        ("https://a.example.com", "x"),
        ("https://b.example.com", "y"),
    ]


async def test_one_value_for_two_places_goes_to_both() -> None:
    written = [(a["path"], a["content"]) for _, a in await _calls("Write 'x' to a.txt and b.txt")]
    assert written == [("a.txt", "x"), ("b.txt", "x")], written
