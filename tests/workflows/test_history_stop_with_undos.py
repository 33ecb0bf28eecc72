"""A run of a plan with compensate_on_failure that its history stops (a flood of large signals) ends recorded and
says the undos it owed: stopped while its steps ran, the steps with an undo cut short and the completed ones never
undone are undo gaps, and the error is not retryable; stopped while an undo ran (its compensation of a failure), the
undo is cancelled and the undos left are said (workflows/recovery.py). Found by attack375: the flood during an undo
had the server terminate the run at 50 MB, its record lost; the stop during the steps said "(no undo runs)" only.
The stop is set low here (the run reads it where it is used), so that a few signals of 1 MB reach it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import temporalio.converter
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle

from orchestra import plan_chain
from orchestra.control import PAUSE_SIGNAL
from orchestra.record import ExecutionRecord, StepState
from tests.helpers import CANCELS_HEARD_SOON, start_plan, until, worker_for
from tests.workflows.test_replay import _replayer

STOP_BYTES = 2 * 1024 * 1024
SIGNAL_BYTES = 1024 * 1024
LONG_S = 150  # what the run would wait for; it ends long before
WITHIN_S = 120


def _undo(seconds: float) -> dict[str, Any]:
    return {"tool": "sleep", "args": {"seconds": seconds}}


async def _flooded(client: Client, handle: WorkflowHandle[Any, Any]) -> ExecutionRecord:
    config = client.config()
    config["data_converter"] = temporalio.converter.default()  # a plain Temporal client's: stores nothing outside
    flood = Client(**config).get_workflow_handle(handle.id)
    for at in range(3):
        await flood.signal(PAUSE_SIGNAL, f"{at}" + "x" * SIGNAL_BYTES)
    with pytest.raises(WorkflowFailureError) as failed:
        await asyncio.wait_for(handle.result(), WITHIN_S)
    details = getattr(failed.value.cause, "details", ())
    assert details, f"the run failed unrecorded: {failed.value.cause}"
    replayed = await _replayer().replay_workflow(await handle.fetch_history(), raise_on_replay_failure=False)
    assert replayed.replay_failure is None, replayed.replay_failure
    return ExecutionRecord.model_validate(details[0])


async def _until_listed(handle: WorkflowHandle[Any, Any], ready: Any) -> None:
    async def probe() -> bool:
        record = await handle.query("record", result_type=ExecutionRecord)
        return record is not None and ready(record)

    await until(probe, within=WITHIN_S)


async def test_stopped_while_its_steps_run_it_says_the_undos_owed(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan_chain, "HISTORY_STOP_BYTES", STOP_BYTES)
    plan = {
        "name": "overfull-undos-owed",
        "compensate_on_failure": True,
        "nodes": [
            {"id": "a", "tool": "sleep", "args": {"seconds": 0}, "compensation": _undo(0)},
            {"id": "long", "tool": "sleep", "args": {"seconds": LONG_S}, "depends_on": ["a"], "compensation": _undo(0)},
        ],
    }
    async with worker_for(client, task_queue, tmp_path, **CANCELS_HEARD_SOON):
        handle = await start_plan(client, task_queue, plan)
        await _until_listed(
            handle, lambda r: any(s.node_id == "long" and s.state == StepState.CALLING_TOOL for s in r.steps)
        )
        record = await _flooded(client, handle)
    assert record.error is not None and record.error.code == "history_too_large", record.error
    assert not record.error.retryable
    gaps = {node: gap.reason for gap in record.undo_gaps for node in gap.nodes}
    assert set(gaps) == {"a", "long"}, record.undo_gaps  # a never undone; long cut short mid-work
    assert record.step("a").compensation is None


async def test_stopped_while_an_undo_runs_it_ends_recorded(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan_chain, "HISTORY_STOP_BYTES", STOP_BYTES)
    plan = {
        "name": "overfull-while-undoing",
        "compensate_on_failure": True,
        "nodes": [
            {"id": "z", "tool": "sleep", "args": {"seconds": 0}, "compensation": _undo(0)},
            {"id": "a", "tool": "sleep", "args": {"seconds": 0}, "compensation": _undo(LONG_S), "depends_on": ["z"]},
            {"id": "b", "tool": "sleep", "args": {"seconds": 3}, "timeout_s": 1, "retry": {"max_attempts": 1},
             "depends_on": ["a"]},
        ],
    }  # fmt: skip
    async with worker_for(client, task_queue, tmp_path, **CANCELS_HEARD_SOON):
        handle = await start_plan(client, task_queue, plan)
        await _until_listed(handle, lambda r: any(s.node_id == "a" and s.compensation is not None for s in r.steps))
        record = await _flooded(client, handle)
    assert record.error is not None and record.error.code == "history_too_large", record.error
    undo = record.step("a").compensation
    assert undo is not None and undo.state == StepState.CANCELLED, undo
    assert [node for gap in record.undo_gaps for node in gap.nodes] == ["z"], record.undo_gaps  # never undone
