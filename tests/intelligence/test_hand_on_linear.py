"""Data the request gives elsewhere is handed on to a step in time linear in the request's length (fix47):
each step scanned every item of a kind ("write 'x' to out.txt and run ls, " over and over: 0.9 / 5.0 / 14.3 s
at 15,000 / 60,000 / 120,000 characters). Counted in calls, not timed: four times the request, about four
times the items compared, where every item for every step was sixteen times."""

from __future__ import annotations

import sys
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from orchestra.analysis import analyse_heuristic
from orchestra.analysis.so_far import key
from orchestra.registry import default_registry

MEDIA = Path(__file__).with_name("media_tools.yaml")


def _keys_made(task: str) -> int:
    registry = default_registry([MEDIA])
    made = 0

    def count(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal made
        made += event == "call" and frame.f_code is key.__code__

    sys.setprofile(count)
    try:
        analyse_heuristic(task, registry)
    finally:
        sys.setprofile(None)
    return made


@pytest.mark.parametrize("unit", ["write 'x' to out.txt and run ls, ", "Given the text 'k'. Run the script. "])
def test_items_compared_grow_with_the_request(unit: str) -> None:
    small, large = _keys_made(unit * 40), _keys_made(unit * 160)
    assert large < 6 * small, (small, large)
