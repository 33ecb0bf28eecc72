"""A full-size flood of large signals that arrives while a plan chain hands over ends the chain by itself, recorded.

Checked (product390): 36 signals of 1.5 MB (refused by the run: `resume` takes no input) sent while the steps of a
chain ran. The run's workflow tasks all failed while the flood lasted (its hand-over's continue-as-new refused while
signals waited, FORCE_CLOSE_COMMAND past 2 MiB of them), so its history took the whole flood: on the server's
default limit (50 MiB) it was terminated, its record lost. On the embedded stack's (orchestra/cli/stack.py
DEV_SERVER_CONFIG, which the suite's server starts with) the chain ends by itself: completed, or stopped at
plan_chain.HISTORY_STOP_BYTES with its record. Product bounds, not lowered."""

from __future__ import annotations

import asyncio
from pathlib import Path

import temporalio.converter
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowFailureError
from temporalio.service import RPCError, RPCStatusCode

from orchestra.control import RESUME_SIGNAL
from orchestra.record import ExecutionRecord, StepState
from tests.helpers import start_plan, until, worker_for

SIGNALS = 36
SIGNAL_BYTES = 1536 * 1024
STEPS = 20  # a second each: outlasting the flood
ENDS_WITHIN_S = 600  # a ceiling for a chain that never ends, not a margin


async def test_a_full_size_flood_while_a_chain_runs_ends_it_by_itself(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    config = client.config()
    config["data_converter"] = temporalio.converter.default()  # a plain Temporal client's: stores nothing outside
    plain = Client(**config)
    nodes = [{"id": "s0", "tool": "sleep", "args": {"seconds": 1}}] + [
        {"id": f"s{i}", "tool": "sleep", "args": {"seconds": 1}, "depends_on": [f"s{i - 1}"]} for i in range(1, STEPS)
    ]
    async with worker_for(client, task_queue, tmp_path):
        started = await start_plan(client, task_queue, {"name": "flood-hand-over", "nodes": nodes})
        handle = client.get_workflow_handle(started.id)  # the chain's latest run, not its first

        async def step_running() -> bool:
            record = await handle.query("record", result_type=ExecutionRecord)
            return record is not None and any(s.state == StepState.CALLING_TOOL for s in record.steps)

        await until(step_running)
        flood = plain.get_workflow_handle(handle.id)
        for at in range(SIGNALS):
            try:
                await flood.signal(RESUME_SIGNAL, f"{at}" + "x" * SIGNAL_BYTES)  # refused: resume takes none
            except RPCError as err:  # the chain ended during the flood
                assert err.status == RPCStatusCode.NOT_FOUND, err
                break
        try:
            await asyncio.wait_for(handle.result(), ENDS_WITHIN_S)
        except WorkflowFailureError as failed:
            details = getattr(failed.cause, "details", ())
            assert details, f"the chain ended unrecorded: {failed.cause}"
            record = ExecutionRecord.model_validate(details[0])
            assert record.error is not None and record.error.code == "history_too_large", record.error
    status = (await handle.describe()).status
    assert status in (WorkflowExecutionStatus.COMPLETED, WorkflowExecutionStatus.FAILED), status
