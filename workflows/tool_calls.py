"""Running one tool call as an activity with its node's options (workflow code)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.tools import ToolActivities
    from orchestra.calls import ToolCall, ToolResult
    from orchestra.validation import NodeExecution
    from workflows.activity_options import retry_policy


async def execute_tool(call: ToolCall, ex: NodeExecution, activity_id: str | None = None) -> ToolResult:
    """A local activity for short idempotent tools (no round trip to the server), a regular one with
    heartbeats otherwise, so cancellation reaches it and a dead worker is noticed."""
    common: dict[str, Any] = {
        "start_to_close_timeout": timedelta(seconds=ex.timeout_s),
        "retry_policy": retry_policy(ex.retry),
        "activity_id": activity_id or call.node_id,
        "summary": ex.summary,
    }
    result: ToolResult
    if ex.local:
        result = await workflow.execute_local_activity_method(ToolActivities.run_tool, call, **common)
        return result
    result = await workflow.execute_activity_method(
        ToolActivities.run_tool,
        call,
        heartbeat_timeout=timedelta(seconds=ex.heartbeat_timeout_s),
        cancellation_type=workflow.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
        **common,
    )
    return result
