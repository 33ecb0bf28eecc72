"""The floor for concurrent runs: the engine's own run_tool activity, called in a row, with nothing around it."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from orchestra.calls import ToolCall, ToolResult


@workflow.defn(name="BenchBareToolChain")
class BareToolChainWorkflow:
    @workflow.run
    async def run(self, steps: int) -> int:
        for i in range(steps):
            await workflow.execute_activity(
                "run_tool",
                ToolCall(tool="sleep", args={"seconds": 0}, node_id=f"s{i}"),
                result_type=ToolResult,
                start_to_close_timeout=timedelta(seconds=3660),
                heartbeat_timeout=timedelta(seconds=5),
            )
        return steps
