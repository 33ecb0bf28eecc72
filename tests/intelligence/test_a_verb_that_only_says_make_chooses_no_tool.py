"""A step the analysis found no tool for is searched again by the selector, which served it by a verb that only
says "make" or "do" found in a tool's words: "Let's make it a bit more challenging. Translate 'hello' into French."
planned an http_request ("Make an HTTP request"), its URL asked for, a call nobody asked for. Such a step is
missing, with its nearest tools; the rest is planned. Requests written for these tests, with the media catalogue
and the built-ins."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


@pytest.mark.parametrize(
    "request_",
    [
        "Let's make it a bit more challenging. Translate 'hello' into French.",
        "Make it a little nicer. Translate 'hello' into French.",
    ],
)
async def test_no_tool_is_chosen_by_make_alone(request_: str) -> None:
    result = await plan_task(request_, default_registry([MEDIA]))
    assert result.execution.plan is not None
    assert [n.tool for n in result.execution.plan.nodes] == ["translate_text"]
    assert not result.execution.missing_inputs
    assert any("make" in m and "creation required" in m for m in result.execution.missing), result.execution.missing


@pytest.mark.parametrize(
    ("request_", "tool"),
    [("Make a request to https://example.com/a", "http_request"), ("Get https://example.com/a", "http_request")],
)
async def test_a_verb_with_what_it_works_on_still_finds_its_tool(request_: str, tool: str) -> None:
    result = await plan_task(request_, default_registry([MEDIA]))
    assert result.execution.plan is not None
    assert [n.tool for n in result.execution.plan.nodes] == [tool]
    assert not result.execution.missing
