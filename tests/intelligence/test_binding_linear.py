"""A step's calls are bound, and what none of them took is found, in time linear in the request (fix55).

Every call of a step was bound with the step's whole data, each item checked again per call ("Translate 'hello'
and a0.txt and a1.txt and ... b.txt": 1.6 / 8.8 s at 4,000 / 16,000 characters), and each item no call took
was looked for in every argument of every call. Counted in calls, not timed: four times the request, about
four times the work, where every item for every call was sixteen times."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from orchestra.analysis import data
from orchestra.analysis.models import DataItem, TaskStep
from orchestra.plan import PlanNode
from orchestra.planning.left_out import left_out
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry

MEDIA = Path(__file__).with_name("media_tools.yaml")


def _calls(work: Callable[[], object], counted: Callable[[FrameType], bool]) -> int:
    made = 0

    def count(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal made
        made += event == "call" and counted(frame)

    sys.setprofile(count)
    try:
        work()
    finally:
        sys.setprofile(None)
    return made


def _literals_checked(task: str) -> int:
    """How often the planner asked whether a literal is one the run would not read as written."""
    registry = default_registry([MEDIA])
    return _calls(lambda: asyncio.run(plan_task(task, registry)), lambda f: f.f_code is data.disguised_path.__code__)


def test_literals_checked_grow_with_the_files_beside_a_quote() -> None:
    def task(n: int) -> str:
        return "Translate 'hello' and " + "".join(f"a{i}.txt and " for i in range(n)) + "b.txt"

    small, large = _literals_checked(task(40)), _literals_checked(task(160))
    assert large < 6 * small, (small, large)


def _left_out_work(n: int) -> int:
    """Python calls made finding what a step of ``n`` files gave none of its ``n`` calls (each a text of its own)."""
    step = TaskStep(
        id="s", action="x", capability="x", data=[DataItem(kind="path", value=f"f{i}.txt") for i in range(n)]
    )
    calls = [PlanNode(id=f"s_{i}", tool="t", args={"text": f"other text {i}"}) for i in range(n)]
    found: list[str] = []
    work = _calls(lambda: found.extend(left_out(step, calls)), lambda f: True)
    assert found == [f"f{i}.txt" for i in range(n)]
    return work


def test_items_no_call_took_are_found_in_linear_work() -> None:
    small, large = _left_out_work(50), _left_out_work(200)
    assert large < 6 * small, (small, large)


def test_an_item_inside_a_longer_argument_is_held() -> None:
    step = TaskStep(id="s", action="x", capability="x", data=[DataItem(kind="text", value="a\0b")])
    calls = [PlanNode(id="s", tool="t", args={"a": "xa", "b": "by", "c": "za\0bz"})]
    assert left_out(step, calls) == []
    # held by no one text: the separator the texts are joined by is no match across two
    assert left_out(step, [PlanNode(id="s", tool="t", args={"a": "xa", "b": "by"})]) == ["a\0b"]
