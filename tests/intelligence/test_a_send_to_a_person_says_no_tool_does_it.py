"""plan160: "Send notes.txt to me", "... to bob@example.com", "Share / Forward / Submit notes.txt" were missing steps
whose only word was "no registered tool matches; nearest: http_request", as if one could be found: the plan now says
no tool sends to a person (no e-mail, chat or sharing tool) and what to ask instead. Nothing is sent."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


@pytest.mark.parametrize(
    "task",
    [
        "Send notes.txt to me",
        "Send notes.txt to bob@example.com",
        "Email notes.txt to bob@example.com",
        "Share notes.txt",
        "Forward notes.txt to Bob",
        "Submit notes.txt",
        "Summarize notes.txt and send it to me",
    ],
)
async def test_a_send_to_a_person_is_missing_with_why(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    assert result.execution.missing, result.execution
    assert result.execution.plan is None or not any(n.tool == "http_request" for n in result.execution.plan.nodes)
    assert any("no e-mail, chat or sharing tool" in note for note in result.analysis.notes), result.analysis.notes


async def test_a_send_a_tool_does_is_no_such_note() -> None:
    result = await plan_task("Send notes.txt to http://example.com/up", as_the_cli_plans(MEDIA))
    assert not result.execution.missing and not any("sharing tool" in n for n in result.analysis.notes)
