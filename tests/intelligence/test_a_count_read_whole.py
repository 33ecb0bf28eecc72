"""A count with a thousands separator is one number, never cut at its comma into two clauses (plan124): "run 'ls'
1,000 times" said the repeat was '000 times'."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.intelligence.reading import calls_asked_and_said, clauses_read

TYPED = Path(__file__).with_name("typed_tools.yaml")


@pytest.mark.parametrize(
    ("task", "said"), [("run 'ls' 1,000 times", "'1,000 times'"), ("roll 5 dice 2,000 times", "'2,000 times'")]
)
async def test_the_repeat_is_said_whole(task: str, said: str) -> None:
    _, missing, notes = await calls_asked_and_said(task, TYPED)
    assert missing and any(said in n for n in notes), notes


@pytest.mark.parametrize(
    ("text", "pieces"),
    [("Caption a.jpg,then read it aloud", 2), ("pick 1,2 and 3", 1), ("roll 5 dice 1,000 times", 1)],
)
def test_a_comma_between_digits_cuts_only_where_no_thousands_follow(text: str, pieces: int) -> None:
    assert len(clauses_read(text)) == pieces, clauses_read(text)
