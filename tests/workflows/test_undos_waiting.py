"""A run paused before its failure holds its undos until resume: its record, `status` and the Web UI's details say
how many wait and how to go on (they listed only the undos started: none, as if there were nothing to undo)."""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client

from orchestra.record import StepState
from tests.control_support import current_details, until
from tests.helpers import failed_record, record_of, worker_for
from tests.ops.support import run_command
from tests.workflows.test_compensation_gaps import paused_when_it_fails


async def test_the_undos_a_paused_run_holds_are_counted_with_how_to_go_on(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    async with worker_for(client, task_queue, tmp_path):
        handle = await paused_when_it_fails(client, task_queue)
        held = await until(lambda: record_of(handle), lambda r: r.undos_waiting is not None)
        details = await until(lambda: current_details(handle), lambda d: "wait for resume" in d)
        status = await run_command(client, "--task-queue", task_queue, "status", handle.id)
        resumed = await run_command(client, "--task-queue", task_queue, "resume", handle.id)
        record = await failed_record(handle)
    waiting = held.undos_waiting
    assert waiting is not None and waiting.count == 3 and sorted(waiting.nodes) == ["u0", "u1", "u2"], waiting
    assert "3 undos" in details and "client.py resume" in details and "client.py cancel" in details, details
    flat = " ".join(status.out.split())
    assert "3 undos (" in flat and "wait for resume" in flat and f"client.py resume {handle.id}" in flat, status.out
    assert resumed.code == 0, resumed.err
    assert record.undos_waiting is None, "resumed: the undos ran, none waits"
    assert all(c and c.state == StepState.COMPLETED for c in (record.step(f"u{i}").compensation for i in range(3)))
