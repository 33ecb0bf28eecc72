"""A failed chain's compensation larger than one run's history hands over to the next run where it stands: every
undo runs once, newest first across the hand-overs, and no run's history passes the plan's limit (50,000 undos
were some 300,000 events of one run, which the server ends unrecorded at 51,200)."""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError
from temporalio.worker import UnsandboxedWorkflowRunner

import workflows.handover
from orchestra.record import ExecutionRecord, StepState
from orchestra.settings import Settings
from orchestra.storage.step_chunks import whole_record
from tests.helpers import start_plan, worker_for
from tests.storage.conftest import client_with
from tests.workflows.test_compensation_chain import SMALL_PAGE, undos_scheduled
from tests.workflows.test_replay import HISTORIES, _replayer
from tests.workflows.test_write_undo import FAILING
from tests.workflows.undos_accounted import besides_timeouts, undos_unaccounted
from worker import create_worker

# What one workflow task may add past the limit it checks before each undo: the undo's own events, a page read,
# the store of a page's undos and the hand-over's store.
SLACK = 40


def undo_plan(count: int, events: int, *, parallel: int = 50) -> dict[str, Any]:
    """``count`` steps with an undo, a few more so the chain hands over, then a step that fails."""
    steps = [{"id": f"u{i}", "tool": "sleep", "args": {"seconds": 0},
              "compensation": {"tool": "sleep", "args": {"seconds": 0}}} for i in range(count)]  # fmt: skip
    pads = [{"id": f"p{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"p{i - 1}"] if i else ["u0"]}
            for i in range(4)]  # fmt: skip
    return {"name": "saga-handover", "compensate_on_failure": True, "history_events_per_run": events,
            "max_parallel": parallel,
            "nodes": [*steps, *pads, {"id": "check", **FAILING, "depends_on": [*(s["id"] for s in steps), "p3"]}]}  # fmt: skip


async def failed(client: Client, task_queue: str, plan: dict[str, Any]) -> tuple[str, ExecutionRecord]:
    handle = await start_plan(client, task_queue, plan)
    with pytest.raises(WorkflowFailureError) as failure:
        await handle.result()
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "PlanFailed", str(cause)
    return handle.id, ExecutionRecord.model_validate(cause.details[0])


async def undoing_lengths(client: Client, workflow_id: str, runs: list[str]) -> list[int]:
    """The history lengths of the runs after the one that failed, each of which only undoes (that one also ran
    steps, and its drive may pass the limit by the steps it lets finish)."""
    lengths, undoing = [], False
    for run in runs:
        events = [e async for e in client.get_workflow_handle(workflow_id, run_id=run).fetch_history_events()]
        if undoing:
            lengths.append(len(events))
        undoing = undoing or any(
            e.activity_task_scheduled_event_attributes.activity_id.endswith(".compensate") for e in events
        )
    return lengths


async def check_undone_once_newest_first(client: Client, workflow_id: str, record: ExecutionRecord, count: int) -> None:
    undone = await undos_scheduled(client, workflow_id, record.runs)
    whole = await whole_record(client.data_converter, record)
    undoable = [f"u{i}" for i in range(count)]
    assert not (unaccounted := undos_unaccounted(whole, undoable)), unaccounted
    # A step that timed out on a loaded worker before the failure owes none (tests/workflows/undos_accounted.py).
    completed = [node for node in undoable if whole.step(node).state == StepState.COMPLETED]
    assert sorted(undone) == sorted(completed), "each undo once, none skipped"
    ended = [whole.step(node).ended_at for node in undone]
    assert all(a and b and a >= b for a, b in itertools.pairwise(ended)), "newest first across hand-overs"
    shown = [s.node_id for s in whole.steps if s.compensation and s.compensation.state == StepState.COMPLETED]
    assert sorted(shown) == sorted(undone), "each undo shown against its step"
    assert besides_timeouts(record.undo_gaps) == []


async def test_a_compensation_larger_than_a_run_hands_over_where_it_stands(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More undos than a page (so a hand-over falls mid-page), at 80 events a run: a few hand-overs, each within
    a page. The pages are of SMALL_PAGE (the workflow reads UNDO_PAGE at each paging: unsandboxed, it sees the
    smaller): 210 undos at 200 a page and 400 events a run took 18 s of the suite at load, and showed no more."""
    monkeypatch.setattr(workflows.handover, "UNDO_PAGE", SMALL_PAGE)
    count, events = SMALL_PAGE + 10, 80
    async with worker_for(client, task_queue, tmp_path, workflow_runner=UnsandboxedWorkflowRunner()):
        workflow_id, record = await failed(client, task_queue, undo_plan(count, events))
        lengths = await undoing_lengths(client, workflow_id, record.runs)
        await check_undone_once_newest_first(client, workflow_id, record, count)
    assert lengths and max(lengths) <= events + SLACK, lengths
    paged = [chunk for chunk in record.earlier if chunk.undo]
    assert any(len(chunk.undone) > len(chunk.undo) for chunk in paged), "a page was undone in two runs"


async def test_with_nothing_stored_a_compensation_hands_over_its_listed_steps(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """ORCHESTRA_STORAGE=off: the chunks list their steps in the carry, each undo recorded on its step there."""
    off = Settings(storage="off", task_queue=task_queue, workspace=tmp_path, data_dir=tmp_path.parent)
    plain = client_with(client, off)
    count, events = 40, 80
    async with create_worker(plain, off):
        workflow_id, record = await failed(plain, task_queue, undo_plan(count, events, parallel=10))
        lengths = await undoing_lengths(plain, workflow_id, record.runs)
        await check_undone_once_newest_first(plain, workflow_id, record, count)
    assert all(chunk.stored is None for chunk in record.earlier)
    assert lengths and max(lengths) <= events + SLACK, lengths


async def test_a_compensation_handing_over_replays(client: Client, task_queue: str, tmp_path: Path) -> None:
    """The run that failed (its undos started, then handed over) and the one after it replay, fresh and saved
    (ORCHESTRA_SAVE_HISTORIES=compensation_handover saves them)."""
    count, events = 30, 60
    async with worker_for(client, task_queue, tmp_path):
        workflow_id, record = await failed(client, task_queue, undo_plan(count, events, parallel=10))
        undoing = []
        for run in record.runs:
            history = await client.get_workflow_handle(workflow_id, run_id=run).fetch_history()
            if any(
                e.activity_task_scheduled_event_attributes.activity_id.endswith(".compensate") for e in history.events
            ):
                undoing.append(history)
    assert len(undoing) >= 2, "the compensation went on in a run after the one that failed"
    produced = {"failed": undoing[0], "after": undoing[1]}
    if "compensation_handover" in os.environ.get("ORCHESTRA_SAVE_HISTORIES", "").split(","):
        for part, history in produced.items():
            (HISTORIES / f"compensation_handover_{part}.json").write_text(history.to_json())
    for part, history in produced.items():
        result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{part}: {result.replay_failure}"
    assert {p.stem for p in HISTORIES.glob("compensation_handover_*.json")} == {
        "compensation_handover_failed",
        "compensation_handover_after",
    }
