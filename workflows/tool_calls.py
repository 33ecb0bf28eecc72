"""Running one tool call as an activity with its node's options (workflow code)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.tools import ToolActivities
    from orchestra.calls import ToolCall, ToolResult
    from orchestra.validation import NodeExecution
    from workflows.activity_options import retry_policy

LOAD_TIMEOUT = timedelta(seconds=120)


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
    else:
        result = await workflow.execute_activity_method(
            ToolActivities.run_tool,
            call,
            heartbeat_timeout=timedelta(seconds=ex.heartbeat_timeout_s),
            cancellation_type=workflow.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
            **common,
        )
    return await with_output(result, call.node_id)


async def with_output(result: ToolResult, node_id: str) -> ToolResult:
    """A large output comes back stored on its own (output_ref): read it back for the steps and
    conditions that refer to it. The read's result is a payload as large as the output, which the SDK
    stores outside the history again; without encryption it is the same content, so the same object."""
    if result.output_ref is not None and result.output is None:
        result.output = await workflow.execute_local_activity_method(
            ToolActivities.load_value,
            result.output_ref,
            start_to_close_timeout=LOAD_TIMEOUT,
            retry_policy=RetryPolicy(maximum_attempts=5),
            summary=f"{node_id}: read stored output",
        )
    return result
