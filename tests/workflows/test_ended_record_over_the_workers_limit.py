"""A run whose every step completed on a worker storing less than its client ends COMPLETED, its record recorded.

Found failing: the plan of tests/workflows/test_worker_limit_below_the_clients.py (80 steps, a worker storing at most
120,000 bytes a value) ran every step, then ended ERROR "every step completed; but the run's record is 28x,xxx bytes":
the record lists each step (some 3.5 KB) and goes whole as the run's result. Now its steps are stored in pieces that fit
the worker's room (workflows/record_pieces.py) and the record keeps the references, which `result` and `status` read
back."""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client

from orchestra.record import StepState
from orchestra.settings import Settings
from orchestra.storage.step_chunks import whole_record
from tests.ops.support import run_command
from tests.workflows.test_worker_limit_below_the_clients import JOINS, LEAVES, _plan, _run_on_the_small_worker


async def test_a_record_over_the_workers_limit_is_stored_in_pieces_and_the_run_completes(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    record = await _run_on_the_small_worker(client, storage_settings, task_queue, tmp_path, _plan(False), False)
    assert record.state.value == "completed", record.error
    assert not record.steps and record.earlier, "the record's steps are stored, by reference"
    whole = await whole_record(client.data_converter, record)
    assert [s.state for s in whole.steps] == [StepState.COMPLETED] * (LEAVES + JOINS)
    assert record.metrics.tool_call_count == LEAVES + JOINS

    shown = await run_command(client, "result", record.id, "--json")
    assert shown.code == 0, shown.err
    listed = shown.json["steps"]
    assert len(listed) == LEAVES + JOINS and {s["state"] for s in listed} == {"completed"}, shown.out[:2000]
    status = await run_command(client, "status", record.id, "--json")
    assert status.code == 0 and status.json["status"] == "COMPLETED", status.out[:2000]
    assert len(status.json["record"]["steps"]) == LEAVES + JOINS
