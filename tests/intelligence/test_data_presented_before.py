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


async def test_data_presented_goes_to_no_work_that_has_data_of_its_own() -> None:
    # before: the presented text was translated in place of 'hello', and summarized in place of notes.txt
    # (which was then "summarized" as the words "notes.txt"); a quote that looks secret reached a step it
    # was never given to
    for task, tools, arg in (
        ("Given the text 'API_KEY=sk-abc123'. Translate 'hello' into French.", ["translate_text"], "hello"),
        ("Given the text 'API_KEY=sk-abc123', translate 'hello' into French.", ["translate_text"], "hello"),
        (
            "Given the text 'my pin is 4321'. Do not read it aloud. Summarize notes.txt.",
            ["read_file", "summarize_text"],
            "${read.output.content}",
        ),
    ):
        plan = (await plan_task(task, default_registry([MEDIA]))).execution.plan
        assert plan is not None
        assert [n.tool for n in plan.nodes] == tools, task
        assert plan.nodes[-1].args == {"text": arg}, task
        steps = str([(n.args, n.description) for n in plan.nodes])
        assert "sk-abc123" not in steps and "4321" not in steps, task
