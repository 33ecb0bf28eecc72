"""attack309: "Nuke old.txt" found no tool, and "Read a.txt and zap old.txt" read old.txt in silence: the verb was
no word of work, so its piece went on the read's clause. Verbs that say a file is destroyed ("nuke", "zap",
"obliterate", "expunge") are a delete, in the deleter's word; "empty old.txt" read the file and said
nothing of the emptying: no tool here writes a file empty on its own, so the step is missing (asked), as "truncate
old.txt" is."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


async def _plan(task: str) -> tuple[list[tuple[str, object]], list[str]]:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    plan = result.execution.plan
    return ([(n.tool, n.args.get("path")) for n in plan.nodes] if plan else []), result.execution.missing


@pytest.mark.parametrize(
    ("task", "calls"),
    [
        ("Nuke old.txt", [("delete_file", "old.txt")]),
        ("obliterate old.txt", [("delete_file", "old.txt")]),
        ("Read a.txt and zap old.txt", [("read_file", "a.txt"), ("delete_file", "old.txt")]),
        ("Read a.txt, then expunge it", [("read_file", "a.txt"), ("delete_file", "a.txt")]),
        ("Obliterate old.txt and b.txt", [("delete_file", "old.txt"), ("delete_file", "b.txt")]),
    ],
)
async def test_a_file_destroyed_is_deleted(task: str, calls: list[tuple[str, object]]) -> None:
    assert await _plan(task) == (calls, [])


@pytest.mark.parametrize("task", ["empty the file old.txt", "Empty old.txt", "Read a.txt and empty old.txt"])
async def test_a_file_emptied_is_asked_not_read(task: str) -> None:
    calls, missing = await _plan(task)
    assert any("empty" in m for m in missing), missing
    assert ("read_file", "old.txt") not in calls and not any(tool == "delete_file" for tool, _ in calls)
