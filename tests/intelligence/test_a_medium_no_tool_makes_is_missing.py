"""A medium asked as the form of a result ("give it to me as a video", "in a video format") that no tool of the
registry makes is missing, said so: with no video maker the kind was dropped from what the step asks, and the step
went to whatever its other words found (a transcriber by "turn it into", a captioner, http_request by "make").
Requests written for these tests, with the media catalogue (no tool makes video)."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans

NOTHING_MAKES_VIDEO = "no registered tool makes video"


@pytest.mark.parametrize(
    ("task", "planned"),
    [
        # before: caption_image was given the summary
        ("Summarize notes.txt and give it to me as a video", ["read_file", "summarize_text"]),
        # before: transcribe_audio was given the speech made
        ("Turn the transcript into speech as a video", ["read_aloud"]),
        # before: transcribe_audio given the summary, which the step refused ("takes audio")
        ("Summarize notes.txt in a video format", ["read_file", "summarize_text"]),
        # before: http_request, found by "make", its URL asked for
        ("Make the story as a video", []),
    ],
)
async def test_a_medium_no_tool_makes_is_missing(task: str, planned: list[str]) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    plan = result.execution.plan
    assert ([n.tool for n in plan.nodes] if plan else []) == planned, plan
    assert any(NOTHING_MAKES_VIDEO in m for m in result.execution.missing), result.execution.missing


async def test_a_medium_a_tool_makes_is_still_made() -> None:
    result = await plan_task("Summarize notes.txt and give it to me as audio", as_the_cli_plans(MEDIA))
    plan = result.execution.plan
    assert plan is not None and not result.execution.missing, result.execution.missing
    assert [n.tool for n in plan.nodes] == ["read_file", "summarize_text", "read_aloud"]
