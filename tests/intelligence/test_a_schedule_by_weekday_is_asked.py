"""plan347: a schedule by the days of the week ("Every Monday, delete old.txt", "each weekday", "on Fridays") was
no repeat to the reading of repeats: the delete was done once, now, in silence. A plan does a call once, so the
work said on a weekday is asked for with why, as "Daily, delete old.txt" is. A day said once ("On Monday") or a day
that only names which files ("the files changed on Monday") is no repeat and keeps its plan."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import calls_asked_and_said


@pytest.mark.parametrize(
    "task",
    [
        "Every Monday, delete old.txt",
        "Each weekday, delete old.txt",
        "On Mondays, delete old.txt",
        "Mondays, delete old.txt",
        "Every Friday at 5pm, delete old.txt",
        "Weekly on Fridays, delete old.txt",
        "Delete old.txt every Friday",
        "Delete old.txt on weekdays",
        "Delete old.txt every other Tuesday",
        "Delete old.txt each Sunday",
        "Delete old.txt on business days",
        "Fortnightly, delete old.txt",
        "Delete old.txt quarterly",
        "Every other day, delete old.txt",
        "Every Monday, fetch http://example.com/a",
    ],
)
async def test_work_on_each_weekday_is_asked_with_why(task: str) -> None:
    calls, missing, notes = await calls_asked_and_said(task)
    assert [tool for tool, _ in calls] in (["delete_file"], ["http_request"]), calls
    given = [v for _, args in calls for v in args.values() if not str(v).startswith("${inputs.")]
    assert missing and not given, (calls, missing)  # nothing done once unasked
    assert any("once" in n for n in notes), notes


@pytest.mark.parametrize(
    "task",
    [
        "On Monday, delete old.txt",
        "Delete old.txt",
        "Delete old.txt on Friday",
        "Monday is a holiday. Delete old.txt",
        "Weekends are quiet; delete old.txt",
        "Delete old.txt, the Monday report",
    ],
)
async def test_a_day_said_once_is_no_repeat(task: str) -> None:
    calls, _, _ = await calls_asked_and_said(task)
    assert ("delete_file", {"path": "old.txt"}) in calls, calls
