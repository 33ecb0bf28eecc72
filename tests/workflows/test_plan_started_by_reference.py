"""A large plan is started by reference (orchestra/plan_start.py): the starter stores its steps after the first piece,
and the chain's FIRST run decodes that piece only in its first activation (the request of 150,000 steps decoded whole
took 4.9-7.2 s there, past the SDK's 2 s deadlock detector), then reads the others back one an activation. Pieces are
cut by bytes as well as by steps; a piece that is not a list of steps ends the run said, as a refused plan.

The history of such a first run is saved beside the replay test; save it again with
ORCHESTRA_SAVE_HISTORIES=plan_started_by_reference."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle, WorkflowHistory
from temporalio.converter import StorageDriverWorkflowInfo
from temporalio.exceptions import ApplicationError

from orchestra import plan_chain
from orchestra.calls import RunRequest
from orchestra.errors import ErrorKind
from orchestra.plan import parse_plan
from orchestra.plan_chain import PlanCarry, first_run_args
from orchestra.plan_start import WORKFLOW_TYPE, by_reference
from orchestra.record import ExecutionRecord
from orchestra.settings import Settings
from orchestra.storage.values import store_value
from tests.helpers import start_plan, worker_for
from tests.workflows.test_replay import HISTORIES, _replayer
from workflows.orchestration import OrchestrationWorkflow

SAVED = "plan_started_by_reference"


def _plan(steps: int, arg: str = "", **settings: Any) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = [{"id": "w", "tool": "write_file", "args": {"path": "w.txt", "content": "chained"}}]
    nodes += [
        {"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"s{i - 1}" if i else "w"]}
        for i in range(steps)
    ]
    if arg:
        for node in nodes[1:]:
            node["description"] = arg
    nodes.append(
        {"id": "r", "tool": "read_file", "args": {"path": "${w.output.path}"}, "depends_on": [f"s{steps - 1}"]}
    )
    return {"name": "started-by-reference", "nodes": nodes, **settings}


async def _start(client: Client, task_queue: str, request: RunRequest, workflow_id: str) -> WorkflowHandle[Any, Any]:
    return await client.start_workflow(
        OrchestrationWorkflow.run, args=first_run_args(request), id=workflow_id, task_queue=task_queue
    )


async def _inputs(client: Client, history: WorkflowHistory) -> list[Any]:
    started = history.events[0]
    assert started.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED
    return await client.data_converter.decode(
        started.workflow_execution_started_event_attributes.input.payloads, [object, PlanCarry]
    )


async def test_the_first_run_gets_one_piece_and_reads_the_others_back(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    workflow_id = f"test-{uuid.uuid4()}"
    plan = parse_plan(_plan(12, history_events_per_run=25))
    request = await by_reference(client, RunRequest(plan=plan), workflow_id, Settings(plan_piece_steps=4))
    assert len(request.plan.nodes) == 4 and request.steps_stored is not None and len(request.steps_stored) == 3
    async with worker_for(client, task_queue, tmp_path):
        handle = await _start(client, task_queue, request, workflow_id)
        record = ExecutionRecord.model_validate(await handle.result())
    assert record.state.value == "completed" and record.metrics.completed == 14, record.metrics
    assert len(record.runs) >= 2, record.runs
    histories = [await client.get_workflow_handle(workflow_id, run_id=run).fetch_history() for run in record.runs]
    first, _ = await _inputs(client, histories[0])
    assert len(first["plan"]["nodes"]) == 4, "the first run's request held more than its first piece"
    for history in histories[1:]:
        handed, carry = await _inputs(client, history)
        # The runs after it get the starter's pieces, beside the first piece its hand-over stored.
        assert handed is None and carry.plan_pieces is not None and len(carry.plan_pieces) == 4
        assert "steps_stored" not in (carry.request_header or {})
    if SAVED in os.environ.get("ORCHESTRA_SAVE_HISTORIES", ""):
        (HISTORIES / f"{SAVED}.json").write_text(histories[0].to_json())


async def test_pieces_are_cut_by_bytes_too(client: Client) -> None:
    """Steps of large arguments: fewer of them a piece (by steps alone, 10,000 of them were tens of megabytes)."""
    plan = parse_plan(_plan(10, arg="x" * 3_000))
    request = await by_reference(
        client, RunRequest(plan=plan), f"test-{uuid.uuid4()}", Settings(plan_piece_bytes=7_000)
    )
    # The small first step and two large ones a piece; the small last step with the last two.
    assert len(request.plan.nodes) == 3 and request.steps_stored is not None and len(request.steps_stored) == 4
    one = [{"id": "s", "tool": "sleep", "description": "x" * 9_000}]
    assert plan_chain.in_pieces([*one, *one], 10, 7_000) == [one, one], "a step larger than a piece is a piece alone"


async def test_a_chain_s_hand_over_cuts_its_plan_by_bytes_too(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan started whole (`temporal workflow start`, a starter with no storage) is stored in pieces by its first
    hand-over (workflows/plan_pieces.py): by bytes too, as the starter cuts it (PIECES_BY_BYTES_PATCH)."""
    monkeypatch.setattr(plan_chain, "PLAN_PIECE_BYTES", 7_000)
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, _plan(10, arg="x" * 3_000, history_events_per_run=25))
        record = ExecutionRecord.model_validate(await handle.result())
    assert record.state.value == "completed" and len(record.runs) >= 2, record.runs
    history = await client.get_workflow_handle(handle.id, run_id=record.runs[1]).fetch_history()
    _, carry = await _inputs(client, history)
    assert carry.plan_pieces is not None and len(carry.plan_pieces) == 5, "cut by steps alone: one piece"


async def test_a_plan_of_one_piece_is_started_whole(client: Client) -> None:
    request = RunRequest(plan=parse_plan(_plan(3)))
    assert await by_reference(client, request, f"test-{uuid.uuid4()}", Settings(plan_piece_steps=5)) is request


@pytest.mark.parametrize(
    "piece",
    [
        [{"id": "x", "tool": "sleep", "unknown": 1}],
        [{"tool": "sleep"}],
        {"not": "a list"},
        [{"id": "x", "tool": "sleep", "depends_on": 5}],
    ],
)
async def test_a_starters_piece_that_is_not_steps_ends_the_run_said(
    client: Client, task_queue: str, tmp_path: Path, piece: Any
) -> None:
    """A starter's pieces are its input: one that is not a list of steps failed the workflow task, no record."""
    workflow_id = f"test-{uuid.uuid4()}"
    owner = StorageDriverWorkflowInfo(namespace=client.namespace, id=workflow_id, type=WORKFLOW_TYPE)
    stored = await store_value(client.data_converter, piece, owner)
    request = RunRequest(plan=parse_plan(_plan(1)), steps_stored=[stored])
    async with worker_for(client, task_queue, tmp_path):
        handle = await _start(client, task_queue, request, workflow_id)
        with pytest.raises(WorkflowFailureError) as failure:
            await handle.result()
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == ErrorKind.VALIDATION, cause
    assert "the plan's steps stored by its starter are not a plan's steps" in str(cause), cause
    record = ExecutionRecord.model_validate(cause.details[0])
    assert record.error is not None and record.error.type == ErrorKind.VALIDATION, record.error


async def test_a_piece_of_another_workflow_is_not_read(client: Client, task_queue: str, tmp_path: Path) -> None:
    """A reference a starter writes can name only what was stored for the run itself: not another run's value."""
    owner = StorageDriverWorkflowInfo(namespace=client.namespace, id=f"other-{uuid.uuid4()}", type=WORKFLOW_TYPE)
    stored = await store_value(client.data_converter, [{"id": "x", "tool": "sleep"}], owner)
    request = RunRequest(plan=parse_plan(_plan(1)), steps_stored=[stored])
    async with worker_for(client, task_queue, tmp_path):
        handle = await _start(client, task_queue, request, f"test-{uuid.uuid4()}")
        with pytest.raises(WorkflowFailureError) as failure:
            await handle.result()
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError), cause
    assert "could not read the plan's steps, stored by its starter" in str(cause), cause


async def test_a_history_started_by_reference_replays() -> None:
    history = WorkflowHistory.from_json(SAVED, (HISTORIES / f"{SAVED}.json").read_text())
    result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
