"""A record whose FINISHED steps alone pass the largest value a run can send: the live query leaves its last steps
out whatever their state, and the final record, too large to send whole, still says how the run ended (the query
failed, `status` showing nothing; the final record said only its size: a failed step's error was replaced)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError

from orchestra.record import ExecutionRecord, StepState
from orchestra.settings import Settings
from tests.control_support import gate
from tests.helpers import settings_for, start_plan, until
from tests.ops.support import run_command
from tests.storage.conftest import client_with
from tests.workflows.test_write_undo import FAILING
from worker import create_worker

LIMIT = 300_000
COMPLETED = 700
SKIPPED = 900  # each some 400 bytes skipped: 360 KB with not one step pending


def skipped_plan(url: str) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = [
        {"id": "hold", "tool": "http_request", "args": {"url": url}},
        {"id": "bad", **FAILING},
    ]
    nodes += [
        {"id": f"after_bad_{i:04}_" + "x" * 100, "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["bad"]}
        for i in range(SKIPPED)
    ]
    return {"name": "skipped-wide", "nodes": nodes}


async def test_finished_steps_past_the_limit_are_left_out_of_the_live_record_and_the_outcome_is_still_said(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    bounded = client_with(client, storage_settings.model_copy(update={"storage_max_payload_bytes": LIMIT}))
    worker_settings = settings_for(task_queue, tmp_path).model_copy(update={"storage_max_payload_bytes": LIMIT})
    with gate() as (url, opened):
        async with create_worker(bounded, worker_settings):
            handle = await start_plan(bounded, task_queue, skipped_plan(url))
            # Polled, not asked back to back: each answer is a record of 300 KB the worker running the plan builds.
            record = await until(
                lambda: handle.query("record", result_type=ExecutionRecord), lambda r: r.metrics.skipped == SKIPPED
            )
            status = await run_command(bounded, "--task-queue", task_queue, "status", handle.id)
            opened.set()
            with pytest.raises(WorkflowFailureError):
                await handle.result()
            shown = await run_command(bounded, "--task-queue", task_queue, "result", handle.id, "--json")
            ended = await handle.query("record", result_type=ExecutionRecord)
            final_status = await run_command(bounded, "--task-queue", task_queue, "status", handle.id)
    assert record.metrics.skipped == SKIPPED and record.steps_not_listed > 0, "the finished steps pass the limit"
    assert len(record.steps) + record.steps_not_listed == SKIPPED + 2
    assert record.step("bad").state == StepState.ERROR
    flat = " ".join(status.out.split())
    assert status.code == 0 and f"{record.steps_not_listed:,} more steps not listed" in flat, status.out
    final = ExecutionRecord.model_validate(json.loads(shown.out))
    # The ended record, over the limit, has its steps stored in pieces (workflows/record_pieces.py): the run ends as
    # it did, not for its record's size, and `result` reads every step back.
    assert final.error is not None and final.error.code != "value_too_large", final.error
    assert final.error.message.startswith("1 step(s) failed; first: bad (read_file)"), "how the run ended is said"
    assert len(final.steps) == SKIPPED + 2 and not final.steps_not_listed, "every step read back"
    assert ended.error == final.error, "the ended run's query answers within the limit"
    final_flat = " ".join(final_status.out.split())
    assert "first: bad (read_file)" in final_flat, final_status.out


async def test_a_completed_run_whose_record_is_too_large_completes_its_steps_stored_in_pieces(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    """700 steps of long ids: the plan fits, its record (times, state, output of each) does not, and is stored in pieces
    (workflows/record_pieces.py): it ended ERROR "every step completed; but the run's record is ..."."""
    bounded = client_with(client, storage_settings.model_copy(update={"storage_max_payload_bytes": LIMIT}))
    worker_settings = settings_for(task_queue, tmp_path).model_copy(update={"storage_max_payload_bytes": LIMIT})
    ids = [f"s{i:03}_" + "x" * 150 for i in range(COMPLETED)]
    nodes = [{"id": node_id, "tool": "sleep", "args": {"seconds": 0}} for node_id in ids]
    async with create_worker(bounded, worker_settings):
        handle = await start_plan(bounded, task_queue, {"name": "long-ids", "max_parallel": 100, "nodes": nodes})
        await handle.result()
        shown = await run_command(bounded, "--task-queue", task_queue, "result", handle.id, "--json")
        last = await run_command(bounded, "--task-queue", task_queue, "result", handle.id, "--output", ids[-1])
    final = ExecutionRecord.model_validate(json.loads(shown.out))
    assert len(final.runs) == 1, "one run's record: a chain's hands its steps over"
    assert final.error is None and final.state.value == "completed", final.error
    assert final.metrics.completed == COMPLETED and all(s.state == StepState.COMPLETED for s in final.steps)
    assert [s.node_id for s in final.steps] == ids, "every step read back from its pieces"
    assert last.code == 0 and last.out.strip(), f"a step's output is read: {last.err}"
