"""A server that keeps saying things nobody asked for (tests/mcp/hostile_server.py, ``notice-storm``): its
notifications stop before the SDK's session, whose hand-offs cost 0.3 ms of the event loop each (200,000
of them held a call 60 s), and however often it says its tools changed, they are listed again at most
once per ON_DEMAND_MIN_S."""

from __future__ import annotations

import asyncio

from orchestra.mcp.answers import TURN_EVERY
from tests.mcp.support import mcp_registry, reaching_session, tool_file
from tests.mcp.test_hostile import CONTEXT, NEVER, hostile, settings


async def test_a_storm_of_notifications_never_reaches_the_session_and_the_call_is_answered(tmp_path, monkeypatch):
    reached = reaching_session(monkeypatch, "_received_notification")
    path = tool_file(tmp_path, hostile("notice-storm", 20_000, timeout_s=120))
    registry = await asyncio.to_thread(mcp_registry, settings(tmp_path), path)
    try:
        tool = registry.get("h.plain")
        output = await asyncio.wait_for(tool.run(tool.spec.input_model.model_validate({}), CONTEXT), NEVER)
        assert output.text.isdigit(), output.text
        assert reached == [], f"{len(reached):,} notifications went through the SDK's session"

        # Said at every list, and 20,000 times besides: listed again once at most, however often asked (after
        # the first call: the SDK lists the tools itself once, for the tool's output schema).
        counts = []
        for _ in range(2):
            await registry.refresh()
            await registry.refresh()
            again = await asyncio.wait_for(tool.run(tool.spec.input_model.model_validate({}), CONTEXT), NEVER)
            counts.append(int(again.text))
        assert counts[1] - counts[0] <= 1, counts
    finally:
        await registry.aclose()


async def test_a_flood_of_short_lines_gives_the_event_loop_its_turns(tmp_path):
    """Each line is parsed on the event loop (about 20 µs): 100,000 short notifications had it in slices of
    one read (64 KiB, 2,114 of them; 2.6 s of the loop at most at once), the worker's other activities
    waiting. It gets a turn after every TURN_EVERY lines: a task that takes every turn it is given counts
    the notifications read between two of its turns (ticks, not time)."""
    lines = 100_000
    path = tool_file(tmp_path, hostile("line-flood", lines, timeout_s=120))
    registry = await asyncio.to_thread(mcp_registry, settings(tmp_path), path)
    most = 0

    async def ticking() -> None:
        nonlocal most
        before = 0
        while True:
            connection = registry.mcp._connections.get("h") if registry.mcp else None
            if connection is not None and connection._link is not None:
                stopped = connection._link.notices.stopped
                most, before = max(most, stopped - before), stopped
            await asyncio.sleep(0)

    try:
        tool = registry.get("h.plain")
        ticker = asyncio.create_task(ticking())
        try:
            output = await asyncio.wait_for(tool.run(tool.spec.input_model.model_validate({}), CONTEXT), NEVER)
        finally:
            ticker.cancel()
        assert output.text == "done", output.text
        assert 0 < most <= TURN_EVERY, f"{most:,} notifications read between two turns of the loop"
    finally:
        await registry.aclose()
