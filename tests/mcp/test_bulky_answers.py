"""A hostile server's answers that cost the worker in proportion to their size (tests/mcp/hostile_server.py):
many small objects, many content items, long names. Each call ends with an output within the worker's
output cap, or a specific failure, and what grows with the answer runs off the worker's event loop."""

from __future__ import annotations

import asyncio

import pytest

from orchestra.errors import ToolError
from orchestra.mcp import http_transport, hub, transports
from orchestra.mcp.answers import MAX_CONTENT_ITEMS
from orchestra.settings import Settings
from tests.mcp import unreadable_server
from tests.mcp.support import mcp_registry, tool_file
from tests.mcp.test_costly_schemas import held_until_the_loop_runs
from tests.mcp.test_hostile import CONTEXT, NEVER, hostile, settings
from tests.mcp.test_unreadable import over_http

CAP = Settings.model_fields["max_output_bytes"].default


async def call(tmp_path, mode: str, size: int):
    path = tool_file(tmp_path, hostile(mode, size, timeout_s=120))
    registry = await asyncio.to_thread(mcp_registry, settings(tmp_path), path)
    try:
        tool = registry.get("h.plain")
        return await asyncio.wait_for(tool.run(tool.spec.input_model.model_validate({}), CONTEXT), NEVER)
    finally:
        await registry.aclose()


async def test_structured_content_over_the_output_cap_is_left_out_and_said_to_be(tmp_path):
    # 60,000 objects, 1.5 MB: 2,000,000 (50 MB) made the step's output 50 MB and held the loop 13-28 s.
    output = await call(tmp_path, "call-structured", 60_000)
    assert output.json_ is None and output.truncated, "structured content past the cap became the output"
    assert output.text == "done"


async def test_a_large_answer_is_read_and_mapped_off_the_event_loop(tmp_path, monkeypatch):
    with (
        held_until_the_loop_runs(monkeypatch, transports, "parse_large") as parsed,
        held_until_the_loop_runs(monkeypatch, hub, "_read_result") as mapped,
    ):
        waiting = [parsed(), mapped()]
        output = await call(tmp_path, "call-structured", 60_000)
        assert all(task.done() for task in waiting), "the answer was not read or mapped in a thread"
        await asyncio.gather(*waiting)
    assert output.truncated


async def test_an_answer_of_more_content_items_than_the_bound_fails_its_call(tmp_path):
    # The SDK checks each item against every kind on the loop: 3,000,000 unknown items did not end in 120 s.
    with pytest.raises(ToolError) as failed:
        await call(tmp_path, "call-items", MAX_CONTENT_ITEMS + 1)
    assert failed.value.code == "mcp_unreadable_answer", failed.value
    assert "content items" in str(failed.value)


async def test_names_and_uris_of_content_items_count_towards_the_output_cap(tmp_path):
    output = await call(tmp_path, "call-links", 5_000)  # 5 MB of names
    assert output.truncated and 0 < len(output.content) < 5_000
    assert sum(len(item.get("name") or "") for item in output.content) <= CAP


@pytest.mark.parametrize("mode", ["big-structured", "big-event"])  # a JSON body; an event stream's message
async def test_a_large_http_answer_is_parsed_off_the_event_loop(tmp_path, monkeypatch, mode):
    with unreadable_server.serving() as base_url:
        registry = await asyncio.to_thread(over_http, tmp_path, base_url, mode)
        try:
            tool = registry.get("u.once")
            with held_until_the_loop_runs(monkeypatch, http_transport, "parse_large") as parsed:
                waiting = parsed()
                output = await asyncio.wait_for(tool.run(tool.spec.input_model.model_validate({}), CONTEXT), NEVER)
                assert waiting.done(), "the body was parsed on the event loop"
                await waiting
        finally:
            await registry.aclose()
    assert output.json_ is None and output.truncated
