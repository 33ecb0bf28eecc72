"""A full-size flood of large signals that arrives while a plan chain hands over ends the chain by itself, recorded.

Checked (product390): 36 signals of 1.5 MB (refused by the run: `resume` takes no input) sent while the steps of a
chain ran. The run's workflow tasks all failed while the flood lasted (its hand-over's continue-as-new refused while
signals waited, FORCE_CLOSE_COMMAND past 2 MiB of them), so its history took the whole flood: on the server's
default limit (50 MiB) it was terminated, its record lost. On the embedded stack's (orchestra/cli/stack.py
DEV_SERVER_CONFIG, which the suite's server starts with) the chain ends by itself: completed, or stopped at
plan_chain.HISTORY_STOP_BYTES with its record. Product bounds, not lowered.

The record is the truth (product396): the run whose history passed the stop in the workflow task that brought its
running step's completion stopped it before the result landed, and ended saying it still running (its next step,
never started, CANCELLED with it); it now hands over. Either ending is checked for what it says: completed, every
step completed; stopped, each step whose activity completed in the run's history completed, as many "still running"
as were cut short (tests/workflows/test_stop_keeps_results_landing_with_it.py makes that task on purpose)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from temporalio.client import Client, WorkflowExecutionStatus, WorkflowFailureError

from orchestra.control import RESUME_SIGNAL
from orchestra.record import ExecutionRecord
from tests.helpers import start_plan, worker_for
from tests.workflows.flood_support import assert_stop_recorded_truly, flood, recorded, until_a_step_runs

SIGNALS = 36
SIGNAL_BYTES = 1536 * 1024
STEPS = 20  # a second each: outlasting the flood
ENDS_WITHIN_S = 600  # a ceiling for a chain that never ends, not a margin


async def test_a_full_size_flood_while_a_chain_runs_ends_it_by_itself(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    nodes = [{"id": "s0", "tool": "sleep", "args": {"seconds": 1}}] + [
        {"id": f"s{i}", "tool": "sleep", "args": {"seconds": 1}, "depends_on": [f"s{i - 1}"]} for i in range(1, STEPS)
    ]
    async with worker_for(client, task_queue, tmp_path):
        started = await start_plan(client, task_queue, {"name": "flood-hand-over", "nodes": nodes})
        handle = client.get_workflow_handle(started.id)  # the chain's latest run, not its first

        await until_a_step_runs(handle)
        await flood(client, handle.id, SIGNALS, SIGNAL_BYTES, RESUME_SIGNAL)  # refused: resume takes none
        try:
            record = ExecutionRecord.model_validate(await asyncio.wait_for(handle.result(), ENDS_WITHIN_S))
        except WorkflowFailureError as failed:  # a step still running when the history passed its stop
            assert_stop_recorded_truly(ExecutionRecord.model_validate(recorded(failed)), await handle.fetch_history())
        else:
            assert record.metrics.completed == STEPS, record.metrics
    status = (await handle.describe()).status
    assert status in (WorkflowExecutionStatus.COMPLETED, WorkflowExecutionStatus.FAILED), status
