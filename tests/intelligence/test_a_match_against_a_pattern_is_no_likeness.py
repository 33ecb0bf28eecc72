"""attack421: "matches" became a word of likeness, and a text checked against a rule was scored for how alike it is to
the rule's characters: "Check if 'A' matches the pattern '[a-z]+'" and "Check whether report.txt matches the regex
'ERROR.*'" planned a sentence similarity tool (a text extractor before, which matches patterns). A pattern, a regex or
a schema is matched by rule; two texts are still compared ("check whether 'A' matches 'B'")."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import tools_chosen


@pytest.mark.parametrize(
    "task",
    [
        "Check if 'abc' matches the pattern '[a-z]+'.",
        "Check whether report.txt matches the regex 'ERROR.*'.",
        "Does 'order 66' match the pattern 'order [0-9]+'?",
    ],
)
def test_a_pattern_matched_is_not_measured(task: str) -> None:
    chosen = tools_chosen(task)
    assert "sentence_similarity" not in chosen and "extract_text" in chosen, chosen


def test_two_texts_matched_are_still_measured() -> None:
    assert tools_chosen("Check whether 'The fox jumps.' matches 'The dog leaps.'") == ["sentence_similarity"]
