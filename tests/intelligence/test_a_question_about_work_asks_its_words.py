"""A question about work that a tool which tells may answer asks its own words (plan101): with a question
answerer, "Is it safe to delete notes.txt?" gave the file's name as `q` and asked for the context (fix97's rule
covered a tool the analysis chose; here selection finds it, the work having no tool). Now `q` is the words, and
the file's name is no context (no reader is planned for it: its name as the text asked of)."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from orchestra.tools.cleanup import with_support_tools
from tests.intelligence.reading import MEDIA


@pytest.mark.parametrize(
    "task",
    [
        "Is it safe to delete notes.txt?",
        "Does deleting notes.txt free space?",
        "Is it wise to delete notes.txt and a.txt?",
    ],
)
async def test_the_question_about_work_is_its_words(task: str) -> None:
    registry = default_registry([MEDIA])
    with_support_tools(registry)
    result = await plan_task(task, registry)
    assert result.execution.plan is not None
    calls = [(n.tool, n.args) for n in result.execution.plan.nodes]
    assert [tool for tool, _ in calls] == ["answer_question"]
    question, context = calls[0][1]["q"], calls[0][1]["context"]
    assert question.split()[:4] == task.split()[:4] and "notes.txt" in question  # the words, not the file's name
    assert str(context).startswith("${inputs.")  # asked for, not the file's name as its text
