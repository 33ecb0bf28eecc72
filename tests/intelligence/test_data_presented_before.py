"""Data a sentence presents and nothing else ("Given the text 'X'.") is for the work of the sentence after
it, as "Given the text 'X', answer 'Y'" is within one. Requests written for these tests, with the media
catalogue."""

from __future__ import annotations

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


async def test_a_text_presented_in_its_own_sentence_is_the_context_of_the_next_question() -> None:
    # before: {"q": ..., "context": "${inputs.answer_question_context}"}: the user was asked for the text again
    for task in (
        "Given the text 'The museum opens at nine.'. Answer 'When does it open?'",
        "Based on the text 'The museum opens at nine.' Answer 'When does it open?'",
    ):
        result = await plan_task(task, default_registry([MEDIA]))
        plan = result.execution.plan
        assert plan is not None
        (node,) = plan.nodes
        assert node.args == {"q": "When does it open?", "context": "The museum opens at nine."}, task
        assert not plan.inputs
