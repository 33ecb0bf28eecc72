"""A plan that undoes on failure undoes what finished when its deadline (timeout_s) stops it, as when a step fails:
the steps still running are stopped and said never undone; the run still ends at its deadline (TIMEOUT). Before,
the deadline undid nothing and the files its steps wrote stayed."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle, WorkflowHistory
from temporalio.testing import WorkflowEnvironment

from orchestra.errors import ErrorKind
from orchestra.record import AgentState, ExecutionRecord, StepState
from tests.clock_warp import read_later
from tests.helpers import CANCELS_HEARD_SOON, record_of, start_plan, worker_for
from tests.workflows.test_compensation_chain import undos_scheduled
from tests.workflows.test_compensation_handover import undo_plan
from tests.workflows.test_replay import HISTORIES, _replayer
from tests.workflows.test_write_undo import _undone, _write

# Long enough that the writes finish well before the deadline on a loaded machine: each test waits it out once.
TIMEOUT_S = 12
# A long heartbeat timeout: on a loaded machine the default 5 s let the step fail before the deadline it waits for.
# Its cancel at the deadline is heard within a second (CANCELS_HEARD_SOON), not up to 60 s later.
STILL_RUNNING = {"tool": "sleep", "args": {"seconds": 600}, "heartbeat_timeout_s": 120}


def deadline_plan(*writes: dict[str, Any]) -> dict[str, Any]:
    """The writes, then a step with an undo that is still running at the deadline."""
    slow = {"id": "slow", **STILL_RUNNING, "compensation": {"tool": "sleep", "args": {"seconds": 0}},
            "depends_on": [w["id"] for w in writes]}  # fmt: skip
    return {"name": "saga-deadline", "compensate_on_failure": True, "timeout_s": TIMEOUT_S, "nodes": [*writes, slow]}


async def timed_out(handle: WorkflowHandle[Any, Any]) -> ExecutionRecord:
    with pytest.raises(WorkflowFailureError) as failure:
        await handle.result()
    assert getattr(failure.value.cause, "type", None) == ErrorKind.TIMEOUT, str(failure.value.cause)
    record = await record_of(handle)
    assert record.state == AgentState.ERROR and record.error is not None, record.state
    assert record.error.type == ErrorKind.TIMEOUT, record.error
    return record


@dataclass
class DeadlineRun:
    record: ExecutionRecord
    history: WorkflowHistory
    workspace: Path


@pytest.fixture(scope="module")
async def deadline_run(temporal_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory) -> DeadlineRun:
    """One run that writes two files, then meets its deadline: what it undid is checked, and its history replayed
    (each run waits out TIMEOUT_S: two runs of the same plan were twice the wait)."""
    client, task_queue, workspace = temporal_env.client, f"tq-{uuid.uuid4()}", tmp_path_factory.mktemp("deadline")
    (workspace / "a.txt").write_bytes(b"the user's\n")
    plan = deadline_plan(_write("over", "a.txt"), _write("made", "b.txt"))
    async with worker_for(client, task_queue, workspace, **CANCELS_HEARD_SOON):
        handle = await start_plan(client, task_queue, plan)
        record = await timed_out(handle)
        history = await handle.fetch_history()
    return DeadlineRun(record, history, workspace)


async def test_a_deadline_undoes_the_steps_that_finished_and_says_which_it_stopped(deadline_run: DeadlineRun) -> None:
    record, workspace = deadline_run.record, deadline_run.workspace
    assert _undone(record, "over")["restored"] is True
    assert (workspace / "a.txt").read_bytes() == b"the user's\n", "the user's content is back"
    assert _undone(record, "made")["deleted"] is True
    assert not (workspace / "b.txt").exists(), "the file the run made is removed"
    assert record.step("slow").state == StepState.CANCELLED and record.step("slow").compensation is None
    [gap] = record.undo_gaps
    assert gap.nodes == ["slow"] and "never undone" in gap.reason, gap


async def test_undos_at_the_deadline_handed_over_end_the_chain_at_its_deadline(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """Undos that fill the run's history go on in the next runs of the chain; the last ends TIMEOUT, not completed
    (no step failed: the deadline is what the chain's undos were for)."""
    plan = undo_plan(40, 200)
    plan["nodes"][-1] = {**plan["nodes"][-1], **STILL_RUNNING, "retry": {"max_attempts": 1}}
    plan["timeout_s"] = TIMEOUT_S
    async with worker_for(client, task_queue, tmp_path, **CANCELS_HEARD_SOON):
        handle = await start_plan(client, task_queue, plan)
        record = await timed_out(handle)
        undone = await undos_scheduled(client, handle.id, record.runs)
    assert sorted(undone) == sorted(f"u{i}" for i in range(40)), undone
    assert len(record.runs) > 2, "the undos handed over at least once"
    assert [g.nodes for g in record.undo_gaps if g.count] == [], record.undo_gaps


SAVED = "compensation_at_deadline"


async def test_undos_at_the_deadline_replay(deadline_run: DeadlineRun) -> None:
    """A run undoing at its deadline replays, read an hour later too; tests/histories/compensation_at_deadline.json
    is such a run recorded, and compensation_at_deadline_before.json the same plan recorded on the code before
    (no undo at the deadline): both replay with test_saved_histories_replay.
    ORCHESTRA_SAVE_HISTORIES=compensation_at_deadline saves this run's."""
    history = deadline_run.history
    if SAVED in os.environ.get("ORCHESTRA_SAVE_HISTORIES", "").split(","):
        (HISTORIES / f"{SAVED}.json").write_text(history.to_json())
    for read in (history, read_later(history)):
        result = await _replayer().replay_workflow(read, raise_on_replay_failure=False)
        assert result.replay_failure is None, result.replay_failure
