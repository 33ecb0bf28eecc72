"""Several results given to a tool that takes one of their kind are one call each (pass 44), unless the
clause says they go together: "summarize the transcript and the caption together" made two summaries
(attack50). Requests written for these tests, with the media catalogue."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA

FIRST = "Transcribe talk.wav and caption photo.jpg, then summarize the transcript and the caption"


async def _summaries(task: str) -> list[str]:
    result = await plan_task(task, default_registry([MEDIA]))
    plan = result.execution.plan
    assert plan is not None and not result.execution.missing_inputs
    return [str(n.args["text"]) for n in plan.nodes if n.tool == "summarize_text"]


@pytest.mark.parametrize("said", [" together", " in one summary", " combined", " jointly"])
async def test_results_said_to_go_together_are_one_call(said: str) -> None:
    (text,) = await _summaries(FIRST + said)
    assert "${transcribe.output.text}" in text and "${caption.output.text}" in text


async def test_results_not_said_together_are_one_call_each() -> None:
    assert await _summaries(FIRST) == ["${transcribe.output.text}", "${caption.output.text}"]
