"""A starter writes its plan's pieces and their references (orchestra/plan_start.py): a reference to one piece of many
megabytes had the run decode it in one workflow task, past the SDK's 2 s deadlock detector on every attempt, the run
never ending. A piece over PLAN_PIECE_MOST_BYTES is refused unread, and a reference that says less than its value
holds is refused before the value is decoded: the run ends recorded, a VALIDATION failure."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError, WorkflowHistory
from temporalio.converter import StorageDriverWorkflowInfo
from temporalio.exceptions import ApplicationError

from orchestra.calls import RunRequest
from orchestra.errors import ErrorKind
from orchestra.plan import parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.plan_start import WORKFLOW_TYPE
from orchestra.record import ExecutionRecord
from orchestra.storage.values import store_value
from orchestra.temporal_bounds import PLAN_PIECE_MOST_BYTES
from tests.helpers import worker_for
from tests.workflows.test_replay import HISTORIES, _replayer
from workflows.orchestration import OrchestrationWorkflow

# The history of a refused run (PIECES_BOUNDED_PATCH), replayed below; save it again with
# ORCHESTRA_SAVE_HISTORIES=plan_piece_refused.
SAVED = "plan_piece_refused"
FIRST = {"name": "bounded", "nodes": [{"id": "a", "tool": "sleep", "args": {"seconds": 0}}]}


def _piece(size: int) -> list[dict[str, Any]]:
    """Steps of about ``size`` bytes of JSON in all, each one a run may run."""
    step = {"tool": "sleep", "args": {"seconds": 0}, "description": "x" * 100_000}
    return [{"id": f"s{i}", **step} for i in range(size // 100_000 + 1)]


@pytest.mark.parametrize(
    ("size", "says"),
    [
        (PLAN_PIECE_MOST_BYTES + 200_000, None),  # just over, said true
        (8 * PLAN_PIECE_MOST_BYTES, None),  # far over
        (PLAN_PIECE_MOST_BYTES + 200_000, 1_000),  # over, its reference says it is small
        (PLAN_PIECE_MOST_BYTES // 2, 1_000),  # within, but its reference lies
    ],
)
async def test_a_starters_piece_over_the_bound_ends_the_run_unread(
    client: Client, task_queue: str, tmp_path: Path, size: int, says: int | None
) -> None:
    workflow_id = f"test-{uuid.uuid4()}"
    owner = StorageDriverWorkflowInfo(namespace=client.namespace, id=workflow_id, type=WORKFLOW_TYPE)
    stored = await store_value(client.data_converter, _piece(size), owner)
    if says is not None:
        stored = stored.model_copy(update={"bytes": says})
    request = RunRequest(plan=parse_plan(FIRST), steps_stored=[stored])
    async with worker_for(client, task_queue, tmp_path):
        handle = await client.start_workflow(
            OrchestrationWorkflow.run, args=first_run_args(request), id=workflow_id, task_queue=task_queue
        )
        with pytest.raises(WorkflowFailureError) as failure:
            await handle.result()
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == ErrorKind.VALIDATION, cause
    assert "could not read the plan's steps, stored by its starter" in str(cause), cause
    assert ("its reference says 1,000" if says else f"piece 1 of 1 is {stored.bytes:,} bytes") in str(cause), cause
    record = ExecutionRecord.model_validate(cause.details[0])
    assert record.error is not None and record.error.type == ErrorKind.VALIDATION, record.error
    if SAVED in os.environ.get("ORCHESTRA_SAVE_HISTORIES", "") and says is None and size < 2 * PLAN_PIECE_MOST_BYTES:
        (HISTORIES / f"{SAVED}.json").write_text((await handle.fetch_history()).to_json())


async def test_a_refused_piece_s_history_replays() -> None:
    history = WorkflowHistory.from_json(SAVED, (HISTORIES / f"{SAVED}.json").read_text())
    result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
