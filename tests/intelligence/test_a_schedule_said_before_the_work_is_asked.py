"""plan334: a schedule said before the work ("Daily, delete old.txt", "Every morning, fetch http://x/a") was a
missing step "daily" beside a delete done once, or dropped in silence beside a fetch done once. A plan does a call
once: the schedule goes with the work it is said of, as "Delete old.txt daily" does, and what the call is given is
asked for with why, never done once in silence. Other lead-ins ("Quickly,", "Finally,") stay as they were."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import calls_asked_and_said


@pytest.mark.parametrize(
    ("task", "said"),
    [
        ("Daily, delete old.txt", "'daily'"),
        ("daily: delete old.txt", "'daily'"),
        ("Weekly, delete old.txt", "'weekly'"),
        ("Hourly, delete old.txt", "'hourly'"),
        ("Every morning, delete old.txt", "'every morning'"),
        ("Every night at 9pm, delete old.txt", "'every night'"),
        ("Each day, delete old.txt", "'every day'"),
        ("Once a week, delete old.txt", "'every week'"),
        ("Every other day, delete old.txt", "'every other day'"),
        ("Please, every evening, delete old.txt", "'every evening'"),
        ("Delete old.txt, every day", "'every day'"),
        ("Every morning, fetch http://example.com/a", "'every morning'"),
    ],
)
async def test_the_repeated_work_is_asked_with_why(task: str, said: str) -> None:
    calls, missing, notes = await calls_asked_and_said(task)
    assert [tool for tool, _ in calls] in (["delete_file"], ["http_request"]), calls
    given = [v for _, args in calls for v in args.values() if not str(v).startswith("${inputs.")]
    assert missing and not given, (calls, missing)  # nothing done once unasked
    assert any(said in n and "once" in n for n in notes), notes


async def test_every_piece_of_work_after_it_is_asked() -> None:
    calls, missing, _ = await calls_asked_and_said("Every morning, fetch http://example.com/a and delete old.txt")
    assert [tool for tool, _ in calls] == ["http_request", "delete_file"] and len(missing) == 2, (calls, missing)


@pytest.mark.parametrize(
    "task",
    [
        "Delete old.txt",
        "Quickly, delete old.txt",
        "Finally, delete old.txt",
        "Honestly, delete old.txt",
        "Right away, delete old.txt",
        "Every file is old. Delete old.txt",
        "Daily reports are noisy. Delete old.txt",
        "Fetch http://example.com/a. Delete old.txt",
        "Each of them is old: delete old.txt",
        "Daily, fetch http://example.com/a. Then delete old.txt",
    ],
)
async def test_work_said_without_a_schedule_is_done(task: str) -> None:
    calls, _, _ = await calls_asked_and_said(task)
    assert ("delete_file", {"path": "old.txt"}) in calls, calls
