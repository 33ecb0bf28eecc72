"""Floods of large signals, as anyone who may signal a run can send them: from a plain Temporal client, whose inputs
are in the run's history whole (it stores nothing outside it)."""

from __future__ import annotations

from typing import Any

import temporalio.converter
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode

from orchestra.control import PAUSE_SIGNAL
from orchestra.record import ExecutionRecord, StepState
from tests.helpers import until


async def flood(client: Client, workflow_id: str, signals: int, size: int, signal: str = PAUSE_SIGNAL) -> None:
    """``signals`` signals of ``size`` bytes to the workflow's latest run, from a plain Temporal client; stops early,
    without error, once the workflow has ended (no run left to take them)."""
    config = client.config()
    config["data_converter"] = temporalio.converter.default()
    plain = Client(**config).get_workflow_handle(workflow_id)
    for at in range(signals):
        try:
            await plain.signal(signal, f"{at}" + "x" * size)
        except RPCError as err:
            assert err.status == RPCStatusCode.NOT_FOUND, err  # the run ended, not refused by a limit
            return


async def until_a_step_runs(handle: WorkflowHandle[Any, Any]) -> None:
    async def running() -> bool:
        record = await handle.query("record", result_type=ExecutionRecord)
        return record is not None and any(s.state == StepState.CALLING_TOOL for s in record.steps)

    await until(running)


def recorded(failed: WorkflowFailureError) -> Any:
    """The record a run that failed itself kept in its failure's details (as JSON)."""
    details = getattr(failed.cause, "details", ())
    assert details, f"the run ended unrecorded: {failed.cause}"
    return details[0]
