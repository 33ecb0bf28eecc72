"""The ``sleep`` tool: wait a while, heartbeating so Temporal knows the worker is alive."""

from __future__ import annotations

import asyncio
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from orchestra.errors import ToolValidationError
from orchestra.temporal_bounds import MAX_TOOL_TIMEOUT_S, NUMBER, at_most
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.tools._support import HEARTBEAT_INTERVAL_S


class SleepInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # A wait past the worker's longest tool call failed only when the run reached it, after the steps
    # before it had run; NaN slept nothing and said it slept.
    seconds: Annotated[float, NUMBER, at_most(MAX_TOOL_TIMEOUT_S, "the worker's longest tool call")] = Field(
        ge=0, allow_inf_nan=False, description="how long to wait, at most the worker's maximum timeout (3,600 s)"
    )


class SleepOutput(BaseModel):
    slept_s: float = Field(description="the time actually waited")


async def run_sleep(args: SleepInput, ctx: ToolContext) -> SleepOutput:
    if args.seconds > ctx.confinement.max_timeout_s:
        raise ToolValidationError(
            f"seconds={args.seconds:g} exceeds the maximum of {ctx.confinement.max_timeout_s:g}", code="too_long"
        )
    loop = asyncio.get_running_loop()
    started = loop.time()
    deadline = started + args.seconds
    # Sleeping in slices of at most one heartbeat interval, instead of a separate heartbeat task,
    # keeps the per-call overhead to one sleep per second (the tool is used in benchmarks).
    while (remaining := deadline - loop.time()) > 0:
        ctx.heartbeat()
        await asyncio.sleep(min(remaining, HEARTBEAT_INTERVAL_S))
    return SleepOutput(slept_s=round(loop.time() - started, 6))


def sleep_tool() -> Tool:
    spec = ToolSpec(
        name="sleep",
        description="Wait for the given number of seconds (cancellable), then return.",
        capabilities=["sleep", "wait", "delay"],
        input_model=SleepInput,
        output_model=SleepOutput,
        input_types=[],
        output_types=[],
        side_effects=False,
        idempotent=True,
        timeout_s=3660.0,
    )
    return Tool(spec=spec, run=run_sleep)
