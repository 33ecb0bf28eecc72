"""A workflow task decides DECISIONS_PER_TASK steps at most (started, or settled by their conditions, counting the
dependents a settled step settles with it): 1,024 steps skipped by their conditions in one task cost it 0.45-0.87 s of
CPU, past the SDK's 2 s deadlock detector on a loaded worker, and a task failed so is redone whole, maybe for ever.
One false condition before a chain of 20,000 steps settled them all in one task: 0.94 s.

Saved histories (ORCHESTRA_SAVE_HISTORIES=1 saves this run's): decisions_bounded_now.json (recorded by this code);
it and the histories recorded before (skips_counted_apart_now.json) replay with test_saved_histories_replay."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError

from orchestra.record import ExecutionRecord, StepState
from tests.helpers import record_of, start_plan, worker_for
from tests.replaying import assert_replays
from tests.workflows.test_replay import HISTORIES, _replayer
from workflows.plan_driver import NEXT_STARTS, STEP_UNITS, WORK_PER_TASK

SAVED = "decisions_bounded_now"
NEXT = f"{NEXT_STARTS.total_seconds():g}s"  # the next ready steps' timer, as the history's JSON says it
FALSE = "a.output.slept_s > 1000"


def plan_of(skipped: int, chained: int) -> dict[str, Any]:
    """``skipped`` steps whose condition is false, all ready once ``a`` finished, each followed by a chain of
    ``chained`` steps (settled with it)."""
    nodes: list[dict[str, Any]] = [{"id": "a", "tool": "sleep", "args": {"seconds": 0}}]
    for i in range(skipped):
        nodes.append({"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["a"], "condition": FALSE})
        for j in range(chained):
            before = f"s{i}" if j == 0 else f"s{i}_{j - 1}"
            nodes.append({"id": f"s{i}_{j}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [before]})
    return {"name": "decisions", "max_parallel": 1000, "nodes": nodes}


def next_timers(history: dict[str, Any]) -> int:
    return sum(
        e["eventType"] == "EVENT_TYPE_TIMER_STARTED" and e["timerStartedEventAttributes"]["startToFireTimeout"] == NEXT
        for e in history["events"]
    )


@pytest.mark.parametrize(("skipped", "chained"), [(300, 0), (40, 4), (20, 60), (1, 2100), (2, 1500)])
async def test_a_task_decides_a_bounded_number_of_steps_counting_those_settled_with_them(
    client: Client, task_queue: str, tmp_path: Path, skipped: int, chained: int
) -> None:
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, plan_of(skipped, chained))
        record = ExecutionRecord.model_validate(await handle.result())
        history = await handle.fetch_history()
    settled = skipped * (1 + chained)
    assert [s.state for s in record.steps].count(StepState.SKIPPED) == settled
    # A task does WORK_PER_TASK at most (one step's more), the dependents settled with a step too; the next wait for a
    # timer.
    work = skipped * STEP_UNITS + skipped * chained
    assert next_timers(json.loads(history.to_json())) >= -(-work // (WORK_PER_TASK + STEP_UNITS)) - 1
    if (skipped, chained) == (40, 4):  # small enough to be saved whole
        if os.environ.get("ORCHESTRA_SAVE_HISTORIES"):
            (HISTORIES / f"{SAVED}.json").write_text(history.to_json())
        await _replayer().replay_workflow(history)
    else:
        await assert_replays(client, history)


@pytest.mark.parametrize("fail_fast", [False, True])
async def test_dependents_of_a_failed_step_left_to_later_tasks_are_said_skipped(
    client: Client, task_queue: str, tmp_path: Path, fail_fast: bool
) -> None:
    """A step failed by its condition: its chain is settled over several tasks, or at once when fail_fast stops the
    plan (skipped, as they were decided, not said unfinished)."""
    plan = plan_of(1, 2100)
    plan["nodes"][1]["condition"] = 'a.output.slept_s - "x" > 1'  # fails as it is evaluated
    plan["fail_fast"] = fail_fast
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, plan)
        with pytest.raises(WorkflowFailureError):
            await handle.result()  # a step failed
        record = await record_of(handle)
        history = await handle.fetch_history()
    states = {s.node_id: s.state for s in record.steps}
    assert states.pop("a") == StepState.COMPLETED and states.pop("s0") == StepState.ERROR
    assert set(states.values()) == {StepState.SKIPPED}, record.steps[-1]
    await assert_replays(client, history)
