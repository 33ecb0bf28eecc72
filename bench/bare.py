"""The floor: minimal workflows over a no-op activity, with nothing of the engine around them."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import activity, workflow

# The same start_to_close the `sleep` tool's activity gets, so both sides ask the server for the same.
START_TO_CLOSE = timedelta(seconds=3660)


@activity.defn(name="bench_noop")
async def noop(seconds: float) -> None:
    if seconds > 0:
        await asyncio.sleep(seconds)


@workflow.defn(name="BenchBareChain")
class BareChainWorkflow:
    @workflow.run
    async def run(self, steps: int) -> float:
        """Run ``steps`` no-op activities one after another; return the makespan on the workflow clock."""
        started = workflow.now()
        for _ in range(steps):
            await workflow.execute_activity(noop, 0.0, start_to_close_timeout=START_TO_CLOSE)
        return (workflow.now() - started).total_seconds()


@workflow.defn(name="BenchBareFanout")
class BareFanoutWorkflow:
    @workflow.run
    async def run(self, width: int, seconds: float) -> float:
        """Start ``width`` activities of ``seconds`` together; return the makespan on the workflow clock."""
        started = workflow.now()
        await asyncio.gather(
            *(workflow.execute_activity(noop, seconds, start_to_close_timeout=START_TO_CLOSE) for _ in range(width))
        )
        return (workflow.now() - started).total_seconds()
