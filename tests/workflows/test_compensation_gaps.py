"""What a failed chain's compensation could not do is said in its record, and shown by the CLI: a page of steps to
undo that cannot be read, undos whose outcome cannot be stored, undos a cancel stopped. A run paused before its
failure holds its undos until resume."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from temporalio.api.enums.v1 import PendingActivityState
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle

from orchestra.errors import ErrorKind
from orchestra.record import (
    MAX_GAP_NODES,
    MAX_GAP_REASON,
    MAX_UNDO_GAPS,
    AgentState,
    ExecutionRecord,
    StepState,
    UndoGap,
)
from orchestra.settings import Settings
from orchestra.storage.stored import StoredValue
from tests.control_support import GATE_TIMEOUT_S, attempts_started, gate, until
from tests.helpers import failed_record, http_server, record_of, start_plan, worker_for
from tests.ops.support import run_command
from tests.workflows.test_compensation_chain import _carry_of, undos_scheduled
from tests.workflows.test_write_undo import FAILING
from tests.workflows.undos_accounted import besides_timeouts
from workflows.orchestration import OrchestrationWorkflow


# At 20 events a run each pad is a run of its own (~1 s): four hand the chain over as twelve did.
def gap_plan(undo: dict[str, Any], hold_url: str | None = None, *, undoable: int = 3, pad: int = 4) -> dict[str, Any]:
    """``undoable`` steps undone by ``undo``, side by side (so the chain's first run finishes them all), then ``pad``
    more one after another (so the chain hands over), a step held at ``hold_url`` if given, and a step that fails."""
    steps = [{"id": f"u{i}", "tool": "sleep", "args": {"seconds": 0}, "compensation": undo} for i in range(undoable)]
    pads = [{"id": f"p{i}", "tool": "sleep", "args": {"seconds": 0},
             "depends_on": [f"p{i - 1}"] if i else [s["id"] for s in steps]} for i in range(pad)]  # fmt: skip
    last = f"p{pad - 1}" if pad else "u0"
    hold = [{"id": "hold", "tool": "http_request", "args": {"url": hold_url}, "depends_on": [last],
             "retry": {"max_attempts": 1}}] if hold_url else []  # fmt: skip
    return {"name": "saga-gaps", "compensate_on_failure": True, "history_events_per_run": 20 if pad else 1000,
            "nodes": [*steps, *pads, *hold, {"id": "check", **FAILING, "depends_on": ["hold" if hold_url else last]}]}  # fmt: skip


def held_undo(url: str) -> dict[str, Any]:
    return {"tool": "http_request", "args": {"url": url}}


def stored_file(storage: Settings, stored: StoredValue) -> Path:
    return storage.storage_folder() / stored.claim["path"]


async def first_chunk_page(handle: WorkflowHandle[Any, Any]) -> StoredValue:
    record = await record_of(handle)
    pages = [page for chunk in record.earlier for page in chunk.undo]
    assert pages, record.earlier
    return pages[0]


async def test_a_page_of_steps_to_undo_that_cannot_be_read_is_said(
    client: Client, task_queue: str, tmp_path: Path, storage_settings: Settings
) -> None:
    """The first run's page of steps to undo is gone when the chain fails: none of them is undone, and the record
    says which run's page, and why (it was only logged)."""
    with gate() as (url, released):
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, gap_plan({"tool": "sleep", "args": {"seconds": 0}}, url))
            await until(handle.describe, attempts_started("hold"))
            stored_file(storage_settings, await first_chunk_page(handle)).unlink()
            released.set()
            record = await failed_record(handle)
            shown = await run_command(client, "--task-queue", task_queue, "result", handle.id)
    assert [(g.run_index, g.pages, g.unrecorded) for g in record.undo_gaps] == [(0, 1, False)], record.undo_gaps
    assert "could not be read" in record.undo_gaps[0].reason
    assert "not all undone" in shown.out and "run 1: 0 steps, 1 page of steps not read" in shown.out, shown.out


async def test_undos_whose_outcome_cannot_be_stored_are_said(
    client: Client, task_queue: str, tmp_path: Path, storage_settings: Settings
) -> None:
    """The undo of the first run's step runs, but its record cannot be stored (the chain's storage folder is
    replaced by a file meanwhile): the record names the step as undone without a record of how."""
    with gate() as (hold_url, hold), gate() as (undo_url, undo):
        async with worker_for(client, task_queue, tmp_path):
            plan = gap_plan(held_undo(undo_url), hold_url, undoable=1)
            handle = await start_plan(client, task_queue, plan)
            await until(handle.describe, attempts_started("hold"))
            folder = stored_file(storage_settings, await first_chunk_page(handle)).parent
            hold.set()
            await until(handle.describe, attempts_started("u0.compensate"))
            folder.rename(folder.with_name("moved"))
            folder.write_text("not a folder")
            undo.set()
            record = await failed_record(handle)
            folder.unlink()
            folder.with_name("moved").rename(folder)
            shown = await run_command(client, "--task-queue", task_queue, "result", handle.id, "--json")
    gaps = [(g.run_index, g.nodes, g.count, g.unrecorded) for g in record.undo_gaps]
    assert gaps == [(0, ["u0"], 1, True)], record.undo_gaps
    assert json.loads(shown.out)["undo_gaps"][0]["nodes"] == ["u0"]


async def test_a_cancel_during_compensation_stops_the_undos_and_says_which_are_left(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """Cancelled while the first undo of an earlier run's page runs: that undo is shown cancelled, no other starts,
    and the run ends cancelled naming the steps not undone (it said nothing of them, nor of the undo cut short)."""
    with gate() as (url, released):
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, gap_plan(held_undo(url)))
            first = str(undo_started(await until(handle.describe, undo_started))).removesuffix(".compensate")
            await handle.cancel()
            released.set()
            with pytest.raises(WorkflowFailureError):
                await handle.result()
            shown = await run_command(client, "--task-queue", task_queue, "result", handle.id, "--json")
            record = ExecutionRecord.model_validate(json.loads(shown.out))
            undone = await undos_scheduled(client, handle.id, record.runs)
    assert record.state == AgentState.CANCELLED, record.state
    assert undone == [first], undone
    cut = record.step(first).compensation
    assert cut is not None and cut.state == StepState.CANCELLED, cut
    left = sorted({"u0", "u1", "u2"} - {first})
    assert [(sorted(g.nodes), g.count, g.pages) for g in record.undo_gaps] == [(left, 2, 0)], record.undo_gaps
    assert "cancelled" in record.undo_gaps[0].reason


def undo_started(described: Any) -> str | None:
    """The undo running on a worker, if one is."""
    started = [
        a.activity_id
        for a in described.raw_description.pending_activities
        if a.activity_id.endswith(".compensate") and a.state == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
    ]
    return started[0] if started else None


@contextmanager
def failing_gate() -> Iterator[tuple[str, threading.Event]]:
    """A loopback server that holds its requests until the test releases them, then answers 500: a step that runs
    as long as the test needs, then fails."""
    released = threading.Event()

    def handler(_request: Any) -> tuple[int, dict[str, str], bytes]:
        released.wait(GATE_TIMEOUT_S)
        return 500, {}, b"failed on purpose"

    with http_server(handler) as url:
        try:
            yield url, released
        finally:
            released.set()


def failing_after_undoables(url: str) -> dict[str, Any]:
    """Three steps with an undo, then a step held at ``url`` that fails when released."""
    undo = {"tool": "sleep", "args": {"seconds": 0}}
    steps = [{"id": f"u{i}", "tool": "sleep", "args": {"seconds": 0}, "compensation": undo} for i in range(3)]
    fails = {"id": "fails", "tool": "http_request", "args": {"url": url}, "retry": {"max_attempts": 1},
             "depends_on": [s["id"] for s in steps]}  # fmt: skip
    return {"name": "saga-paused", "compensate_on_failure": True, "nodes": [*steps, fails]}


def step_is(node_id: str, state: StepState) -> Callable[[ExecutionRecord], bool]:
    return lambda record: any(s.node_id == node_id and s.state == state for s in record.steps)


async def paused_when_it_fails(client: Client, task_queue: str) -> WorkflowHandle[Any, Any]:
    """A run paused (from the CLI) while its last step runs, which then fails: its undos start while it is paused."""
    with failing_gate() as (url, released):
        handle = await start_plan(client, task_queue, failing_after_undoables(url))
        await until(lambda: record_of(handle), step_is("fails", StepState.CALLING_TOOL))
        paused = await run_command(client, "--task-queue", task_queue, "pause", handle.id, "--reason", "hold on")
        assert paused.code == 0, paused.err
        released.set()
        await until(lambda: record_of(handle), step_is("fails", StepState.ERROR))
    return handle


async def test_undos_of_a_run_paused_before_its_failure_wait_for_resume(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """Paused while a step runs, which then fails: no undo starts until resume (they all ran on under "paused").
    Meanwhile `status` shows the run paused, a pause is refused as "already paused" (it said "nothing to pause"),
    and resume is accepted."""
    async with worker_for(client, task_queue, tmp_path):
        handle = await paused_when_it_fails(client, task_queue)
        held = await undos_scheduled(client, handle.id, [handle.result_run_id or ""])
        status = await run_command(client, "--task-queue", task_queue, "status", handle.id)
        again = await run_command(client, "--task-queue", task_queue, "pause", handle.id, "--reason", "again")
        await handle.signal(OrchestrationWorkflow.pause, "the Web UI's")  # no answer: the record says why
        signalled = await until(lambda: record_of(handle), lambda r: r.refused_signals)
        resumed = await run_command(client, "--task-queue", task_queue, "resume", handle.id)
        record = await failed_record(handle)
    assert held == [], held
    assert "state PAUSED (cooperative: hold on)" in status.out and "HTTP 500" in status.out, status.out
    assert again.code == 1 and "already paused" in again.err and "nothing to pause" not in again.err, again.err
    assert [(r.signal, "already paused" in r.reason) for r in signalled.refused_signals] == [("pause", True)]
    assert signalled.pause_reason == "hold on", signalled.pause_reason
    assert resumed.code == 0 and "no steps left to start" in resumed.out and "undos" in resumed.out, resumed.out
    assert all(c and c.state == StepState.COMPLETED for c in (record.step(f"u{i}").compensation for i in range(3)))
    assert besides_timeouts(record.undo_gaps) == [], record.undo_gaps


async def test_a_step_stopped_while_it_ran_is_said_not_undone(client: Client, task_queue: str, tmp_path: Path) -> None:
    """fail_fast stops a step with an undo while it runs: it never completed, so it is not undone (an undo of work
    that may not be there), and the record says so (it said nothing: its work, if done, stayed unsaid)."""
    with gate() as (url, released):
        held = {"id": "held", "tool": "http_request", "args": {"url": url}, "retry": {"max_attempts": 1},
                "compensation": {"tool": "sleep", "args": {"seconds": 0}}}  # fmt: skip
        done = {
            "id": "done",
            "tool": "sleep",
            "args": {"seconds": 0},
            "compensation": {"tool": "sleep", "args": {"seconds": 0}},
        }
        check = {"id": "check", **FAILING, "depends_on": ["done"]}
        plan = {"name": "saga-cut", "compensate_on_failure": True, "fail_fast": True, "nodes": [held, done, check]}
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, plan)
            record = await failed_record(handle)
            released.set()
            undone = await undos_scheduled(client, handle.id, record.runs)
    assert record.step("held").state == StepState.CANCELLED and undone == ["done"], undone
    assert [(g.nodes, g.run_index, g.unrecorded) for g in record.undo_gaps] == [(["held"], 0, False)], record.undo_gaps


async def test_a_cancel_while_the_undos_wait_for_resume_ends_the_run_cancelled(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """Paused before its failure, then cancelled while its undos wait: it ends cancelled at once, none undone, naming
    the steps not undone."""
    async with worker_for(client, task_queue, tmp_path):
        handle = await paused_when_it_fails(client, task_queue)
        await handle.cancel()
        with pytest.raises(WorkflowFailureError):
            await handle.result()
        shown = await run_command(client, "--task-queue", task_queue, "result", handle.id, "--json")
        record = ExecutionRecord.model_validate(json.loads(shown.out))
        undone = await undos_scheduled(client, handle.id, record.runs)
    assert record.state == AgentState.CANCELLED and undone == [], undone
    assert [(sorted(g.nodes), g.count) for g in record.undo_gaps] == [(["u0", "u1", "u2"], 3)], record.undo_gaps


async def test_a_run_going_on_with_the_undos_that_cannot_start_says_what_it_left(
    client: Client, task_queue: str, tmp_path: Path, storage_settings: Settings
) -> None:
    """The compensation hands over, and the next run cannot read the plan's schedule (gone from storage): the run
    ends with the record saying the undos left were not run, and why (it ended with the schedule's error only)."""
    with gate() as (url, released):
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, gap_plan(held_undo(url), undoable=6))
            await until(handle.describe, undo_started)
            carry = await _carry_of(client, handle.id, (await handle.describe()).run_id or "")
            assert carry.schedule_pieces, "the schedule is stored in pieces"
            stored_file(storage_settings, carry.schedule_pieces[0]).unlink()
            released.set()
            record = await failed_record(handle, ErrorKind.SYSTEM)
            undone = await undos_scheduled(client, handle.id, record.runs)
    assert record.error is not None and "schedule" in record.error.message, record.error
    assert 1 <= len(undone) < 6, undone
    assert [(g.pages, g.unrecorded) for g in record.undo_gaps] == [(1, False)], record.undo_gaps
    assert "schedule" in record.undo_gaps[0].reason


def test_the_gaps_a_record_keeps_are_bounded_whatever_the_chain() -> None:
    """A chain of thousands of gaps of their own reasons, node ids of 1,000 characters, a storage error of any
    length: the record keeps MAX_UNDO_GAPS gaps of MAX_GAP_NODES nodes and MAX_GAP_REASON characters, the last noted
    among them (how the compensation ended: it was dropped past the cap), and counts the rest."""
    record = ExecutionRecord(id="w", run_id="r", plan_name="p", started_at=datetime.now(UTC))
    for i in range(MAX_UNDO_GAPS + 3):
        record.note_undo_gap(UndoGap(reason=f"{i}" + "e" * 50_000, nodes=["n" * 1000] * 200, count=200))
    record.note_undo_gap(UndoGap(reason="nothing left"))
    record.note_undo_gap(UndoGap(reason="the budget ran out", nodes=["last"], count=1))
    assert len(record.undo_gaps) == MAX_UNDO_GAPS and record.undo_gaps_dropped == 4
    assert [g.reason for g in record.undo_gaps[-2:]] == [f"{MAX_UNDO_GAPS - 2}" + "e" * 998, "the budget ran out"]
    assert all(
        len(g.nodes) == MAX_GAP_NODES and len(g.reason) == MAX_GAP_REASON and g.count == 200
        for g in record.undo_gaps[:-1]
    )


def test_gaps_of_one_reason_fold_into_one_spanning_their_runs() -> None:
    """Gaps of one reason, from runs 2 to 6 of a chain (an unreadable page each): one gap counting their pages and
    steps, naming the runs it spans; one of another reason, or unrecorded, stays apart."""
    record = ExecutionRecord(id="w", run_id="r", plan_name="p", started_at=datetime.now(UTC))
    for run in (3, 1, 5, 2, 4):
        record.note_undo_gap(UndoGap(reason="pages lost", run_index=run, pages=1, nodes=[f"s{run}"], count=1))
    record.note_undo_gap(UndoGap(reason="pages lost", unrecorded=True, run_index=0, nodes=["u"], count=1))
    [lost, unrecorded] = record.undo_gaps
    assert (lost.pages, lost.count, lost.run_index, lost.run_span) == (5, 5, None, (1, 5)), lost
    assert lost.nodes == ["s3", "s1", "s5", "s2", "s4"] and lost.runs_said() == "runs 2-6: ", lost
    assert unrecorded.runs_said() == "run 1: " and record.undo_gaps_dropped == 0
