"""A server that keeps saying things nobody asked for (tests/mcp/hostile_server.py, ``notice-storm``): its
notifications stop before the SDK's session, whose hand-offs cost 0.3 ms of the event loop each (200,000
of them held a call 60 s), and however often it says its tools changed, they are listed again at most
once per ON_DEMAND_MIN_S."""

from __future__ import annotations

import asyncio

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
