"""A question the user presents in a sentence that tells ("I got notes.txt with a question associated - 'When does
the shop open?'") is answered when a later clause works on "the answer": the translation, the reading aloud or the
comparison of "the answer" had nothing to work on (notes.txt and the question were left unused). A clause that asks
for the answer itself ("find the answer in it") is the answering step, not a second one. "Check if the summary
matches the answer" compares the two results made (it summarised again)."""

from __future__ import annotations

import pytest

from orchestra.analysis import analyse_heuristic
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


def _steps(task: str) -> list[tuple[str, str, list[str]]]:
    steps = analyse_heuristic(task, default_registry([MEDIA])).steps
    return [(s.id, s.candidates[0] if s.candidates else "-", s.depends_on) for s in steps]


@pytest.mark.parametrize(
    ("task", "after"),
    [
        (
            "I have a report in notes.txt, and a question that goes with it: 'Who wrote the report?'. "
            "Translate the answer into French.",
            "translate_text",
        ),
        (
            "I got notes.txt with a question associated - 'When does the shop open?'. Could you read the answer aloud?",
            "read_aloud",
        ),
    ],
)
def test_the_answer_worked_on_is_of_the_question_presented(task: str, after: str) -> None:
    steps = _steps(task)
    tools = [tool for _, tool, _ in steps]
    assert tools.count("answer_question") == 1 and tools[-1] == after, steps
    answering = next(step_id for step_id, tool, _ in steps if tool == "answer_question")
    assert steps[-1][2] == [answering], steps
    [(_, _, read)] = [s for s in steps if s[1] == "answer_question"]
    assert read, steps  # it answers from notes.txt's text


def test_a_clause_asking_for_the_answer_is_the_one_answering_step() -> None:
    task = "I got notes.txt with a question associated - 'When does the shop open?'. Could you find the answer in it?"
    assert [tool for _, tool, _ in _steps(task)].count("answer_question") == 1


def test_the_summary_matched_with_the_answer_is_compared() -> None:
    task = (
        "I got notes.txt. Summarize notes.txt. Here's a question, 'When does the shop open?'. "
        "Check if the summary matches the answer for this question."
    )
    steps = _steps(task)
    tools = [tool for _, tool, _ in steps]
    assert tools.count("summarize_text") == 1 and tools.count("answer_question") == 1, steps
    assert tools[-1] == "sentence_similarity" and sorted(steps[-1][2]) == ["answer", "summarize"], steps


def test_two_questions_presented_are_no_one_answer() -> None:
    task = "I got notes.txt with two questions - 'When does the shop open?' and 'Who owns it?'. Translate the answer."
    assert "answer_question" not in [tool for _, tool, _ in _steps(task)]
