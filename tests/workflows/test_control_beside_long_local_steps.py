"""A run's own control work never queues behind other runs' long steps. A step marked `local: true` ran as a local
activity whatever its timeout, holding one of the worker's local-activity slots while it ran, and every run's plan
validation (prepare_plan), stored-value reads and value limit are local activities that wait for a slot too: with the
slots held by long local steps, a new run's validation waited past its own limit and the run failed unstarted. A call
allowed longer than orchestra.tool_spec.LONGEST_LOCAL_CALL_S runs as a regular activity."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

from orchestra.record import AgentState, ExecutionRecord, StepState
from orchestra.tool_spec import LONGEST_LOCAL_CALL_S, runs_locally
from tests.helpers import record_of, start_plan, until, worker_for

SLOTS = 2  # the worker's local-activity slots, all asked for by the long steps
# No slot held by a long step frees before its timeout, over LONGEST_LOCAL_CALL_S: a run that waited for one could
# not complete within this (it waited ~70 s). It completes in seconds when it need not wait.
CEILING_S = LONGEST_LOCAL_CALL_S - 10
SLEEP_S = 300  # the long steps run past every timeout here


def long_local_steps(timeout_s: float) -> dict[str, Any]:
    return {
        "name": "long-local-steps",
        "nodes": [
            {"id": f"wait{i}", "tool": "sleep", "args": {"seconds": SLEEP_S}, "local": True, "timeout_s": timeout_s}
            for i in range(SLOTS)
        ],
    }


SHORT = {"name": "short", "nodes": [{"id": "now", "tool": "sleep", "args": {"seconds": 0}}]}


@pytest.mark.parametrize("timeout_s", [LONGEST_LOCAL_CALL_S + 1, 900])
async def test_a_run_starts_while_long_local_steps_of_another_run(
    client: Client, task_queue: str, tmp_path: Path, timeout_s: float
) -> None:
    async with worker_for(client, task_queue, tmp_path, max_concurrent_local_activities=SLOTS):
        long = await start_plan(client, task_queue, long_local_steps(timeout_s))
        await until(lambda: record_of(long), lambda r: all(s.state == StepState.CALLING_TOOL for s in r.steps))
        try:
            short = await start_plan(client, task_queue, SHORT)
            done = ExecutionRecord.model_validate(await asyncio.wait_for(short.result(), CEILING_S))
            assert done.state == AgentState.COMPLETED and done.step("now").state == StepState.COMPLETED
            still = await record_of(long)
            assert all(s.state == StepState.CALLING_TOOL for s in still.steps), "the long steps still run"
        finally:
            await long.terminate("test over")


def test_a_short_local_step_still_runs_locally() -> None:
    assert runs_locally(True, LONGEST_LOCAL_CALL_S) and not runs_locally(True, LONGEST_LOCAL_CALL_S + 1)
    assert not runs_locally(False, 1)
