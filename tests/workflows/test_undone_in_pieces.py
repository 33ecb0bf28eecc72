"""How an earlier run's undos ended is stored where the chain's record reads it: in pieces that each fit the
storage limit. Before, one page's undos went to the store as one local activity argument: 40 undos returning
30 KB each (1.2 MB) under a 300 KB limit failed to encode, and the compensating run's workflow task was retried
for ever: the failed chain never ended."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError
from temporalio.worker import Replayer

from orchestra.record import ExecutionRecord, StepState
from orchestra.settings import Settings
from orchestra.storage.step_chunks import whole_record
from tests.helpers import start_plan
from tests.workflows.test_handover_in_pieces import HANG_CHECK_S, patches_asked
from tests.workflows.test_too_large_to_store import LIMIT, bounded
from tests.workflows.test_write_undo import FAILING
from worker import create_worker, workflow_runner
from workflows.orchestration import OrchestrationWorkflow
from workflows.recovery import UNDONE_PIECES_PATCH

COUNT = 40
UNDO_OUTPUT = 30_000  # inline (under the 32 KB storage threshold); 40 of them are 1.2 MB


def _plan() -> dict[str, Any]:
    steps = [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0},
              "compensation": {"tool": "read_file", "args": {"path": "thirty_kb.txt"}}}
             for i in range(COUNT)]  # fmt: skip
    pads = [{"id": f"p{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"p{i - 1}"] if i else ["s0"]}
            for i in range(12)]  # fmt: skip
    check = {"id": "check", **FAILING, "depends_on": [*(s["id"] for s in steps), "p11"]}
    return {"name": "undone-in-pieces", "compensate_on_failure": True, "history_events_per_run": 150,
            "max_parallel": 40, "nodes": [*steps, *pads, check]}  # fmt: skip


async def test_undos_of_an_earlier_run_over_the_limit_are_stored_in_pieces_and_the_chain_ends(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    limited, worker_settings = bounded(client, storage_settings, task_queue, tmp_path)
    (tmp_path / "thirty_kb.txt").write_text("u" * UNDO_OUTPUT)
    async with create_worker(limited, worker_settings):
        handle = await start_plan(limited, task_queue, _plan())
        with pytest.raises(WorkflowFailureError) as failure:
            await asyncio.wait_for(handle.result(), HANG_CHECK_S)
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "PlanFailed", str(cause)
    record = ExecutionRecord.model_validate(cause.details[0])
    paged = [chunk for chunk in record.earlier if chunk.undo]
    assert paged and any(len(chunk.undone) >= 2 for chunk in paged), [len(c.undone) for c in record.earlier]
    assert all(stored.bytes <= LIMIT for chunk in record.earlier for stored in chunk.undone)
    assert not record.undo_gaps, record.undo_gaps
    whole = await whole_record(limited.data_converter, record)
    undone = {s.node_id: s.compensation for s in whole.steps if s.compensation is not None}
    assert sorted(undone) == sorted(f"s{i}" for i in range(COUNT))
    # Every run of the chain replays on this code, the patch asked where the undos went in pieces.
    replayer = Replayer(workflows=[OrchestrationWorkflow], data_converter=limited.data_converter,
                        workflow_runner=workflow_runner())  # fmt: skip
    asked = []
    for run_id in record.runs:
        history = await limited.get_workflow_handle(handle.id, run_id=run_id).fetch_history()
        asked += [UNDONE_PIECES_PATCH.encode() in data for data in patches_asked(list(history.events))]
        result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, result.replay_failure
    assert any(asked)
    assert all(
        c.state == StepState.COMPLETED and isinstance(c.output, dict) and c.output["content"] == "u" * UNDO_OUTPUT
        for c in undone.values()
    )
