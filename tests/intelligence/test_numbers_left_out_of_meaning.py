"""The words the sentence encoder compares with tools leave a clause's numbers out (fix106): "roll 5 dice" and
"roll 6 dice" are one text, so the encoder's cache serves both. Each clause differing by its number was embedded
anew: "roll {} dice." one a clause cost ~20 s of analysis at 15,000 characters (`bench.hostile_requests`)."""

from __future__ import annotations

from orchestra.analysis.clauses import clauses
from orchestra.analysis.data import extract
from orchestra.analysis.goals import goals_of, names_work
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


def _meanings(task: str) -> list[str]:
    index = default_registry([MEDIA]).index()
    extracted = extract(task)
    found = clauses(extracted.text, lambda word: names_work(word, index))
    return [goal.meaning for goal in goals_of(found, extracted, index)]


def test_clauses_differing_by_a_number_are_one_text_to_the_encoder() -> None:
    meanings = _meanings("Roll 5 dice. Roll 6 dice. Roll 1,000 dice. Roll 2.5 dice.")
    assert len(meanings) == 4 and len(set(meanings)) == 1, meanings
    assert not any(ch.isdigit() for ch in meanings[0]), meanings
