"""A delete saying its file by where it was named ("the first file", "the latter", "the last one") deletes that file
of those named before it, and asks where there is none so placed (attack164): "Read a.txt; summarize b.txt; delete
the first file" deleted b.txt (the nearest clause's file), "Read a.txt and b.txt, then delete the second file" asked
for a path twice. A step only ordered after fanned-out calls is one call: "Delete a.txt and b.txt, then read c.txt
and delete it" read c.txt twice and asked for the delete's path twice."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


async def _calls(task: str) -> tuple[list[tuple[str, object]], list[str]]:
    """Each call's tool and path (the built-ins as the CLI has them), and the inputs the plan asks for."""
    result = await plan_task(task, as_the_cli_plans())
    nodes = result.execution.plan.nodes if result.execution.plan is not None else []
    return [(n.tool, n.args.get("path")) for n in nodes], result.execution.missing_inputs


@pytest.mark.parametrize(
    ("task", "gone"),
    [
        ("Read a.txt; summarize b.txt; delete the first file", "a.txt"),
        ("Read a.txt and b.txt, then delete the first file", "a.txt"),
        ("Read a.txt and b.txt, then delete the second file", "b.txt"),
        ("Read a.txt and b.txt, then delete the latter", "b.txt"),
        ("Read a.txt and b.txt. Delete the former.", "a.txt"),
        ("Read a.txt, b.txt and c.txt, then delete the last one", "c.txt"),
    ],
)
async def test_a_file_said_by_its_place_is_deleted(task: str, gone: str) -> None:
    calls, asked = await _calls(task)
    assert [p for t, p in calls if t == "delete_file"] == [gone] and not asked, (calls, asked)


@pytest.mark.parametrize(
    "task",
    [
        "Read a.txt, then delete the second file",  # no second file named
        "Read a.txt, b.txt and c.txt, then delete the latter",  # "the latter" of two
    ],
)
async def test_a_place_no_file_named_holds_deletes_none(task: str) -> None:
    calls, _ = await _calls(task)
    assert all(str(p).startswith("${inputs.") for t, p in calls if t == "delete_file"), calls


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        (
            "Delete a.txt and b.txt, then read c.txt and delete it",
            [("delete_file", "a.txt"), ("delete_file", "b.txt"), ("read_file", "c.txt"), ("delete_file", "c.txt")],
        ),
        (
            "Delete a.txt and b.txt, then read c.txt",
            [("delete_file", "a.txt"), ("delete_file", "b.txt"), ("read_file", "c.txt")],
        ),
    ],
)
async def test_a_step_ordered_after_fanned_out_calls_is_one_call(task: str, expected: list[tuple[str, object]]) -> None:
    calls, asked = await _calls(task)
    assert sorted(calls, key=str) == sorted(expected, key=str) and not asked, (calls, asked)
