"""A sub-goal said again with the same words ("... and a video of a dog" over and over) is ranked once:
each ranking searched the index and compared the clause with every tool again (pass 30's split made
one sub-goal per repeat). Counted by the calls of the ranking, not timed; the media catalogue."""

from __future__ import annotations

import pytest

from orchestra.analysis import analyse_heuristic, goals
from orchestra.registry import default_registry
from orchestra.selection.relevance import rank
from tests.intelligence.reading import MEDIA


def _rankings(task: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """How many times tools were ranked while analysing ``task``, and how many steps it has."""
    calls = 0

    def counted(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        return rank(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(goals, "rank", counted)
    steps = analyse_heuristic(task, default_registry([MEDIA])).steps
    return calls, len(steps)


def test_the_same_sub_goal_said_again_is_ranked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    few, few_steps = _rankings("Generate a picture of a cat" + " and a video of a dog" * 2 + ".", monkeypatch)
    many, many_steps = _rankings("Generate a picture of a cat" + " and a video of a dog" * 40 + ".", monkeypatch)
    assert many_steps - few_steps == 38  # every video is still a step of its own
    assert many == few  # before: one ranking more for each
