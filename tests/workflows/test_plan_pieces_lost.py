"""A failed chain whose undos went on in a run that got its plan by reference (workflows/plan_pieces.py): when that
run cannot read its plan's steps back (a piece lost: pruned by hand, a disk fault) or is cancelled while it reads
them, it ends saying which undos it leaves, as a run that cannot read its schedule does. It ended saying neither:
no undo gap in its record, and, failed, no record with its error."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError, WorkflowHistory
from temporalio.exceptions import ApplicationError, CancelledError
from temporalio.worker import UnsandboxedWorkflowRunner

import activities.tools
import activities.values
import orchestra.storage.values
import workflows.handover
import workflows.orchestration
from orchestra import plan_chain
from orchestra.cli.replayed import replayed_plan_record
from orchestra.record import ExecutionRecord
from orchestra.storage.stored import StoredValue
from tests.helpers import start_plan, worker_for
from tests.workflows.test_compensation_chain import SMALL_PAGE
from tests.workflows.test_handover_in_pieces import patches_asked
from tests.workflows.test_replay import HISTORIES, _replayer
from tests.workflows.test_write_undo import FAILING
from workflows.orchestration import READS_END_SAID_PATCH

pytestmark = pytest.mark.timeout(180)

# The histories of the run that ended so, saved beside the replay tests; again with ORCHESTRA_SAVE_HISTORIES=plan_read_back.
SAVED = ("plan_read_back_lost", "plan_read_back_cancelled", "schedule_read_cancelled")


def _plan(count: int) -> dict[str, Any]:
    """``count`` steps whose undos write a file each (what says the compensation has begun), then a failure."""
    steps = [{"id": f"u{i}", "tool": "sleep", "args": {"seconds": 0},
              "compensation": {"tool": "write_file", "args": {"path": f"undone-{i}.txt", "content": "undone"}}}
             for i in range(count)]  # fmt: skip
    pads = [{"id": f"p{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"p{i - 1}"] if i else ["u0"]}
            for i in range(4)]  # fmt: skip
    return {"name": "pieces-lost", "compensate_on_failure": True, "history_events_per_run": 80, "max_parallel": 50,
            "nodes": [*steps, *pads, {"id": "check", **FAILING, "depends_on": [*(s["id"] for s in steps), "p3"]}]}  # fmt: skip


def _a_piece(value: Any) -> bool:
    """A piece of the plan's steps (PlanNode each), not a chunk of finished ones (StepRecord each)."""
    first = value[0] if isinstance(value, list) and value else None
    return isinstance(first, dict) and "id" in first and "tool" in first and "node_id" not in first


def _a_schedule(value: Any) -> bool:
    """The checked schedule, whole or a piece of it (orchestra/schedule_pieces.py: a chain's hand-over stores it in
    pieces)."""
    return isinstance(value, dict) and "deps" in value and ("phases" in value or "levels" in value)


class PieceReads:
    """The values ``of`` picks as stored (their hashes); once an undo has run, what a read of one meets: ``lose``
    deletes its file first, else the run is cancelled as it reads (once)."""

    def __init__(
        self, client: Client, workspace: Path, monkeypatch: pytest.MonkeyPatch, *, lose: bool,
        of: Callable[[Any], bool] = _a_piece,
    ) -> None:  # fmt: skip
        self.client, self.workspace, self.lose, self.of = client, workspace, lose, of
        self.pieces: set[str] = set()
        self.workflow_id = ""
        self.cancelled = False
        store, load = orchestra.storage.values.store_value, orchestra.storage.values.load_value

        async def storing(converter: Any, value: Any, owner: Any) -> StoredValue:
            stored = await store(converter, value, owner)
            if of(value):
                self.pieces.add(stored.claim["sha256"])
            return stored

        async def loading(converter: Any, stored: StoredValue, reader: Any = None) -> Any:
            if stored.claim.get("sha256") in self.pieces and any(workspace.glob("undone-*.txt")):
                await self._meet(stored.claim["sha256"])
            return await load(converter, stored, reader)

        monkeypatch.setattr(activities.values, "store_value", storing)
        monkeypatch.setattr(activities.tools, "load_value", loading)

    async def _meet(self, sha: str) -> None:
        if self.lose:
            for path in self.workspace.parent.rglob(sha):
                path.unlink()
            return
        if not self.cancelled:
            self.cancelled = True
            await self.client.get_workflow_handle(self.workflow_id).cancel()
            # Past 80% of the workflow task's timeout (4 s here): the task is heartbeaten, and the cancel reaches the
            # run while it waits on this read.
            await asyncio.sleep(4)


async def _ended(client: Client, task_queue: str, tmp_path: Path, reads: PieceReads) -> BaseException:
    async with worker_for(client, task_queue, tmp_path, workflow_runner=UnsandboxedWorkflowRunner()):
        handle = await start_plan(client, task_queue, _plan(SMALL_PAGE + 10))
        reads.workflow_id = handle.id
        with pytest.raises(WorkflowFailureError) as failure:
            await handle.result()
    assert reads.pieces, "the chain's first hand-over stored its plan in pieces"
    if "plan_read_back" in os.environ.get("ORCHESTRA_SAVE_HISTORIES", ""):
        history = await client.get_workflow_handle(reads.workflow_id).fetch_history()  # its last run: the one ended
        name = SAVED[0] if reads.lose else SAVED[1] if reads.of is _a_piece else SAVED[2]
        (HISTORIES / f"{name}.json").write_text(history.to_json())
    assert failure.value.cause is not None
    return failure.value.cause


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workflows.handover, "UNDO_PAGE", SMALL_PAGE)  # the undos hand over (unsandboxed: seen)
    monkeypatch.setattr(plan_chain, "PLAN_PIECE_STEPS", 3)  # several pieces: reads the cancel can fall between


@pytest.mark.usefixtures("small")
async def test_undos_left_when_the_plan_cannot_be_read_back_are_said(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cause = await _ended(client, task_queue, tmp_path, PieceReads(client, tmp_path, monkeypatch, lose=True))
    assert isinstance(cause, ApplicationError), cause
    assert "could not read the plan's steps" in str(cause), cause
    assert cause.details, "the failure holds the run's record, as a schedule it cannot read does"
    record = ExecutionRecord.model_validate(cause.details[0])
    assert record.state.value == "error"
    gaps = [g for g in record.undo_gaps if g.reason.startswith("could not read the plan's steps")]
    assert gaps and (gaps[0].pages or gaps[0].count), record.undo_gaps


@pytest.mark.usefixtures("small")
@pytest.mark.parametrize("of", [_a_piece, _a_schedule], ids=["plan", "schedule"])
async def test_a_cancel_while_the_plan_is_read_back_cancels_the_run_and_says_the_undos_left(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, of: Callable[[Any], bool]
) -> None:
    """Read back, its plan or its schedule, by a local activity the cancel cuts short: the run failed, "could not
    read ...: cancelled"."""
    # A workflow task reading local activities one after another goes on until 80% of its timeout: only then are the
    # cancel's events delivered. At 120 s, a read of 100 s; at 4 s, of a few seconds.
    monkeypatch.setattr(workflows.orchestration, "WORKFLOW_TASK_TIMEOUT", timedelta(seconds=4))
    reads = PieceReads(client, tmp_path, monkeypatch, lose=False, of=of)
    cause = await _ended(client, task_queue, tmp_path, reads)
    assert isinstance(cause, CancelledError), cause
    handle = await client.get_workflow_handle(reads.workflow_id).describe()
    record = await replayed_plan_record(client, reads.workflow_id, handle.run_id)
    assert record is not None and record.state.value == "cancelled", record
    gaps = [g for g in record.undo_gaps if g.reason.startswith("the run was cancelled")]
    assert gaps and (gaps[0].pages or gaps[0].count), record.undo_gaps


async def test_runs_that_could_not_read_their_plan_back_replay() -> None:
    for name in SAVED:
        history = WorkflowHistory.from_json(name, (HISTORIES / f"{name}.json").read_text())
        result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{name}: {result.replay_failure}"
        assert any(READS_END_SAID_PATCH.encode() in data for data in patches_asked(list(history.events)))
