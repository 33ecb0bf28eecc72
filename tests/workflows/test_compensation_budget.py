"""A plan with a deadline gives its undos a budget as long, from the first undo on: the undo running when it runs
out finishes, none starts after it, and the record and `status` say which are left (they ran on, unbounded)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType, PendingActivityState
from temporalio.client import Client, WorkflowExecutionDescription, WorkflowFailureError, WorkflowHistory

from orchestra.record import AgentState, ExecutionRecord, StepState
from tests.clock_warp import read_later
from tests.control_support import gate_server, history_until
from tests.helpers import failed_record, start_plan, until, worker_for
from tests.ops.support import run_command
from tests.workflows.test_compensation_chain import _carry_of, undos_scheduled
from tests.workflows.test_compensation_handover import failed, undo_plan
from tests.workflows.test_replay import HISTORIES, _replayer
from tests.workflows.test_write_undo import FAILING
from tests.workflows.undos_accounted import besides_timeouts

# Long enough that the plan's steps fail well before its deadline on a loaded machine: the test waits it out once.
TIMEOUT_S = 15


def budget_plan(undo_url: str) -> dict[str, Any]:
    undo = {"tool": "http_request", "args": {"url": undo_url, "timeout_s": 120}}
    steps = [{"id": f"u{i}", "tool": "sleep", "args": {"seconds": 0}, "compensation": undo} for i in range(3)]
    check = {"id": "check", **FAILING, "depends_on": [s["id"] for s in steps]}
    return {"name": "saga-budget", "compensate_on_failure": True, "timeout_s": TIMEOUT_S, "nodes": [*steps, check]}


def budget_ran_out(history: WorkflowHistory) -> bool:
    from workflows.recovery import BUDGET_SUMMARY  # here: the module also records a history on the code before it

    started = {
        e.event_id
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_TIMER_STARTED
        and BUDGET_SUMMARY.encode() in e.user_metadata.summary.data
    }
    return any(
        e.timer_fired_event_attributes.started_event_id in started
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_TIMER_FIRED
    )


async def test_undos_stop_starting_once_their_budget_is_spent_and_say_what_is_left(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    with gate_server(hold_s=4 * TIMEOUT_S) as held:
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, budget_plan(held.url))
            await history_until(handle, budget_ran_out)  # the first undo is held at the gate meanwhile
            held.open.set()
            record = await failed_record(handle)
            undone = await undos_scheduled(client, handle.id, record.runs)
            status = await run_command(client, "--task-queue", task_queue, "status", handle.id)
    assert len(undone) == 1, f"no undo starts once the budget is spent: {undone}"
    first = record.step(undone[0]).compensation
    assert first is not None and first.state == StepState.COMPLETED, "the undo running then finished"
    [gap] = record.undo_gaps
    assert gap.count == 2 and sorted(gap.nodes) == sorted({"u0", "u1", "u2"} - set(undone)), gap
    assert "budget ran out" in gap.reason and f"{TIMEOUT_S} s" in gap.reason, gap.reason
    assert "budget ran out" in " ".join(status.out.split()), status.out


SAVED = "compensation_with_deadline"


async def test_undos_with_a_deadline_replay_before_and_after_the_budget(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """A run whose undos have a budget replays (its timer started, then cancelled when they are done), read an hour
    later too; tests/histories/compensation_with_deadline.json, recorded on the code before the budget (no timer),
    replays with test_saved_histories_replay. ORCHESTRA_SAVE_HISTORIES=compensation_with_deadline saves this run's."""
    plan = budget_plan("unused")
    for node in plan["nodes"]:
        if "compensation" in node:
            node["compensation"] = {"tool": "sleep", "args": {"seconds": 0}}
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, plan)
        record = await failed_record(handle)
        history = await handle.fetch_history()
    assert besides_timeouts(record.undo_gaps) == [] and all(record.step(f"u{i}").compensation for i in range(3)), (
        record.undo_gaps
    )
    if SAVED in os.environ.get("ORCHESTRA_SAVE_HISTORIES", "").split(","):
        (HISTORIES / f"{SAVED}.json").write_text(history.to_json())
    for read in (history, read_later(history)):
        result = await _replayer().replay_workflow(read, raise_on_replay_failure=False)
        assert result.replay_failure is None, result.replay_failure


async def test_the_budget_s_end_is_kept_across_the_chain_s_runs(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """A compensation handing over to the next run of its chain gives it the budget's end, not a new budget: each
    run's carry names the same end, a plan's timeout_s after the first undo started."""
    plan = undo_plan(60, 200)
    plan["timeout_s"] = 3600  # never reached here: what is checked is the end the runs carry
    async with worker_for(client, task_queue, tmp_path):
        workflow_id, record = await failed(client, task_queue, plan)
    carried = [(await _carry_of(client, workflow_id, run)).undoing for run in record.runs[1:]]
    ends = {cursor.budget_ends_at for cursor in carried if cursor is not None}
    assert len(ends) == 1 and None not in ends, f"one end for the chain's undos: {carried}"
    assert (
        besides_timeouts(record.undo_gaps) == [] and len(await undos_scheduled(client, workflow_id, record.runs)) == 60
    )


def an_undo_started(described: WorkflowExecutionDescription) -> bool:
    return any(
        a.activity_id.endswith(".compensate") and a.state == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
        for a in described.raw_description.pending_activities
    )


async def test_a_cancel_during_undos_with_a_budget_ends_the_run_cancelled(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """The budget's timer goes with the run: a cancel while an undo runs ends it cancelled, the others said left."""
    with gate_server(hold_s=4 * TIMEOUT_S) as held:
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, budget_plan(held.url))
            await until(handle.describe, an_undo_started, within=60)
            await handle.cancel()
            with pytest.raises(WorkflowFailureError):
                await handle.result()
            shown = await run_command(client, "--task-queue", task_queue, "result", handle.id, "--json")
    record = ExecutionRecord.model_validate(json.loads(shown.out))
    assert record.state == AgentState.CANCELLED, record.state
    assert [g.count for g in record.undo_gaps] == [2], record.undo_gaps
