"""A large plan's pieces (its steps, its checked schedule) are cut within the storage limit, not at the plan's piece
size alone (1 MB, PLAN_PIECE_BYTES): under a smaller ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES the starter's store refused
a piece and the start failed, the validation's store refused a piece of the schedule, and a hand-over ended the run
("a piece of the plan's checked schedule ... cannot be stored in pieces"). Here the client and the worker store at most
LIMIT bytes a value, and a plan and a schedule several times that run as a chain to the end."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

from temporalio.client import Client

from orchestra.calls import RunRequest
from orchestra.limits import payload_size
from orchestra.plan import parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.plan_start import by_reference
from orchestra.record import ExecutionRecord, StepState
from orchestra.registry import default_registry
from orchestra.settings import Settings
from orchestra.storage.step_chunks import whole_record
from orchestra.stored_room import piece_bytes, value_room
from orchestra.validation import prepare_plan
from tests.helpers import settings_for
from tests.storage.conftest import client_with
from tests.workflows.test_handover_in_pieces import HANG_CHECK_S
from tests.workflows.test_plan_by_reference import _started_with
from worker import create_worker
from workflows.orchestration import OrchestrationWorkflow

LIMIT = 160_000  # the run's record (some 120 KB) fits; the plan and its schedule (some 550 KB each) do not
LEAVES, JOINS = 60, 60


def _plan() -> dict[str, Any]:
    """Joins each after every leaf, the ids long: a join is some 9 KB."""
    leaves = [{"id": f"leaf{i:03}" + "x" * 140, "tool": "sleep", "args": {"seconds": 0}} for i in range(LEAVES)]
    joins = [
        {"id": f"join{j:03}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [n["id"] for n in leaves]}
        for j in range(JOINS)
    ]
    return {"name": "pieces-within-the-limit", "max_parallel": 8, "history_events_per_run": 120,
            "nodes": [*leaves, *joins]}  # fmt: skip


def test_a_piece_is_cut_within_the_room_a_stored_value_has() -> None:
    room = value_room(LIMIT, "the storage limit")
    assert room is not None and 0 < room < LIMIT
    assert piece_bytes(1_000_000, room) == room and piece_bytes(1_000, room) == 1_000
    assert piece_bytes(1_000_000, None) == 1_000_000  # nothing stored outside: Temporal's limit bounds the request


async def test_a_plan_larger_than_a_small_storage_limit_runs_as_a_chain_to_the_end(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    small = storage_settings.model_copy(update={"storage_max_payload_bytes": LIMIT})
    limited = client_with(client, small)
    plan = parse_plan(_plan())
    schedule = prepare_plan(plan, default_registry()).schedule()
    assert payload_size(RunRequest(plan=plan)) > 3 * LIMIT and payload_size(schedule) > 3 * LIMIT
    workflow_id = f"test-{uuid.uuid4()}"
    request = await by_reference(limited, RunRequest(plan=plan), workflow_id, small)
    assert request.steps_stored and all(ref.bytes <= LIMIT for ref in request.steps_stored), request.steps_stored
    worker_settings = settings_for(task_queue, tmp_path).model_copy(update={"storage_max_payload_bytes": LIMIT})
    async with create_worker(limited, worker_settings):
        handle = await limited.start_workflow(
            OrchestrationWorkflow.run, args=first_run_args(request), id=workflow_id, task_queue=task_queue
        )
        record = ExecutionRecord.model_validate(await asyncio.wait_for(handle.result(), HANG_CHECK_S))
    assert record.state.value == "completed" and record.metrics.completed == LEAVES + JOINS, record.error
    assert record.metrics.tool_call_count == LEAVES + JOINS, "a step done before ran again"
    assert len(record.runs) >= 3, record.runs
    for run in record.runs[1:]:
        history = await limited.get_workflow_handle(workflow_id, run_id=run).fetch_history()
        _, carry = await _started_with(limited, history)
        assert carry.schedule_pieces is not None and len(carry.schedule_pieces) > 3, "the schedule was not cut"
        stored = [*carry.schedule_pieces, *(carry.plan_pieces or [])]
        assert all(ref.bytes <= LIMIT for ref in stored), [ref.bytes for ref in stored]
    whole = await whole_record(limited.data_converter, record)
    assert [s.node_id for s in whole.steps] == [n.id for n in plan.nodes]
    assert all(s.state == StepState.COMPLETED for s in whole.steps)
