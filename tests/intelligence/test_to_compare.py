"""What a tool taking several results of a kind at once is given of the results made so far."""

from __future__ import annotations

from orchestra.analysis.models import TaskStep
from orchestra.analysis.so_far import Planned


def _makers(*ids: str) -> list[TaskStep]:
    return [TaskStep(id=i, action=f"make {i}", capability="make", produces=["text"]) for i in ids]


def test_a_tool_taking_more_results_than_were_made_is_given_all_of_them() -> None:
    # Three text slots, two results, none named: both. The newest were cut by a slice counted from the end,
    # which for more slots than results gave only the last one.
    makers = _makers("summary", "translation")
    planned = Planned().update(makers)
    assert [s.id for s in planned.to_compare(makers, [], "text", 3)] == ["summary", "translation"]


def test_a_tool_taking_two_of_three_results_is_given_the_newest_two() -> None:
    makers = _makers("a", "b", "c")
    planned = Planned().update(makers)
    assert [s.id for s in planned.to_compare(makers, [], "text", 2)] == ["b", "c"]
