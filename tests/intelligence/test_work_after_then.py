"""After "then", a word that is no pronoun, determiner nor linking word opens the next piece of work, a verb the
planner knows or not (plan124): "wait 2 minutes, then roll 5 dice" rolled the dice and dropped the wait unsaid
(one clause, "wait 2 minutes roll 5 dice")."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import calls_asked_and_said, clauses_read

TYPED = Path(__file__).with_name("typed_tools.yaml")


@pytest.mark.parametrize("task", ["wait 2 minutes, then roll 5 dice", "wait 2 minutes and then roll 5 dice"])
async def test_the_wait_and_the_work_after_it_are_both_done(task: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, TYPED)
    assert calls == [("sleep", {"seconds": 120.0}), ("roll_dice", {"dice": 5})] and not missing, calls


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("Translate notes.txt, then the result goes to out.txt", 1),  # a determiner: no new work
        ("Summarize notes.txt, then it is saved", 1),  # a subject
        ("Caption a.jpg, then frobnicate the caption", 2),  # an unknown verb after "then"
    ],
)
def test_what_opens_after_then(text: str, pieces: int) -> None:
    assert len([c for c in clauses_read(text) if c[1]]) == pieces, clauses_read(text)
