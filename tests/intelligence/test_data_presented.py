"""Data a clause presents for the work after it ("Given the text 'X', answer 'Y'") is that work's own: the
answerer's context is X, not a plan input. Only data presented so (in the same sentence, or in a sentence
of its own just before): a quoted text the request says anything else about ("do not use 'sk-...'") is
given to no step. Requests written for these tests, with the media catalogue."""

from __future__ import annotations

from orchestra.plan import Plan
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


async def _plan(task: str) -> Plan:
    result = await plan_task(task, default_registry([MEDIA]))
    assert result.execution.plan is not None
    return result.execution.plan


async def test_the_text_presented_is_the_context_of_the_question() -> None:
    # before: {"q": ..., "context": "${inputs.answer_question_context}"}
    for lead in ("Given the text", "Based on the text"):
        plan = await _plan(f"{lead} 'The museum opens at nine.', answer 'When does it open?'")
        (node,) = plan.nodes
        assert node.args == {"q": "When does it open?", "context": "The museum opens at nine."} and not plan.inputs


async def test_a_quoted_text_not_presented_for_the_work_goes_to_no_step() -> None:
    for task in ('do not use "sk-live-ABCDEF". answer "who wrote it?"', 'Never use "sk-live-ABCDEF", answer "who?"'):
        plan = await _plan(task)
        assert "sk-live-ABCDEF" not in str([n.args for n in plan.nodes]), task
        assert plan.inputs == {"answer_question_context": None}
