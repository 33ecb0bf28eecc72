"""A question that names two things of a kind is for the tool its own words find that takes two of that kind
(a similarity of two sentences), not for a tool that answers any question: "Can you tell me how much these
two sentences have in common?" was question answering, the two sentences its question and context. A question
of one text stays question answering. Requests written for these tests, with the media catalogue."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import tools_chosen


@pytest.mark.parametrize(
    "task",
    [
        "I'm comparing two phrases: 'The dog runs fast.' and 'A dog is running quickly.'. Can you tell me how much"
        " these two sentences have in common?",
        "How close in meaning are these two sentences: 'I like tea' and 'Tea is what I enjoy'?",
    ],
)
def test_a_question_of_two_texts_goes_to_the_tool_taking_two(task: str) -> None:
    assert tools_chosen(task) == ["sentence_similarity"]


def test_a_question_of_one_text_is_answered() -> None:
    assert tools_chosen("Given the text 'Ann has two cats and a dog', how many pets does Ann have?") == [
        "answer_question"
    ]
