"""A flood of large signals at full size ends the run recorded on the embedded stack's server.

Found (product390): 36 signals of 1.5 MB each, sent while a step ran, still had the server terminate the run at
53.5 MB of history, its record lost, though the run stops itself at plan_chain.HISTORY_STOP_BYTES (40 MiB). While
the signals came, every workflow task of the run was failed by the server (FORCE_CLOSE_COMMAND: more than 2 MiB of
events buffered during the task), so the stop landed only after the flood, past the server's 50 MiB. The embedded
dev server (orchestra/cli/stack.py DEV_SERVER_CONFIG, which the suite's server starts with) now ends a run at
200 MiB: the flood is taken whole and the run ends ERROR, its record kept. The bounds are the product's own, not
lowered: some 54 MB of history on the suite's server."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowFailureError

from orchestra.record import ExecutionRecord, StepState
from tests.helpers import CANCELS_HEARD_SOON, start_plan, worker_for
from tests.workflows.flood_support import flood, recorded, until_a_step_runs

SIGNALS = 36
SIGNAL_BYTES = 1536 * 1024
# The stop lands once the flood is over: after the server's back-off between failed workflow tasks (some 10 s)
# and a replay of the whole history. A ceiling for a run that never ends, not a margin.
ENDS_WITHIN_S = 600


async def test_a_full_size_flood_of_signals_ends_the_run_recorded(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    plan = {"name": "full-flood", "nodes": [{"id": "long", "tool": "sleep", "args": {"seconds": 3000}}]}
    async with worker_for(client, task_queue, tmp_path, **CANCELS_HEARD_SOON):
        handle = await start_plan(client, task_queue, plan)
        await until_a_step_runs(handle)
        await flood(client, handle.id, SIGNALS, SIGNAL_BYTES)
        with pytest.raises(WorkflowFailureError) as failed:
            await asyncio.wait_for(handle.result(), ENDS_WITHIN_S)
    status = (await handle.describe()).status
    assert status == WorkflowExecutionStatus.FAILED, f"the run ended {status.name if status else status}, not by itself"
    record = ExecutionRecord.model_validate(recorded(failed.value))
    assert record.error is not None and record.error.code == "history_too_large", record.error
    assert record.step("long").state == StepState.CANCELLED
