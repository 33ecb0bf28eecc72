"""A step settled by its condition starts nothing, so it does not count against STARTS_PER_TASK: a plan whose steps
were all skipped by a false condition settled 32 a workflow task, each task behind a timer of its own (100,000 skipped
steps: 3,125 timers). The steps a task decides are bounded by DECIDED_PER_TASK; the started ones still by
STARTS_PER_TASK.

Saved histories (ORCHESTRA_SAVE_HISTORIES=1 saves this run's): skips_counted_apart_now.json (recorded by this code),
skips_counted_as_starts_before.json (by the code before); both replay with test_saved_histories_replay. The larger
runs' histories replay here, their stored plans read as the worker read them (tests/replaying.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

from orchestra.record import ExecutionRecord, StepState
from tests.helpers import start_plan, worker_for
from tests.replaying import assert_replays
from tests.workflows.test_replay import HISTORIES, _replayer
from workflows.plan_driver import DECISIONS_PER_TASK, NEXT_STARTS, STARTS_PER_TASK

SAVED = "skips_counted_apart_now"
NEXT = f"{NEXT_STARTS.total_seconds():g}s"  # the next ready steps' timer, as the history's JSON says it


def plan_of(skipped: int, started: int, max_parallel: int) -> dict[str, Any]:
    """``skipped`` steps whose condition is false, then ``started`` whose condition is true (every other one while
    both are left), all ready together once ``a`` finished."""
    nodes: list[dict[str, Any]] = [{"id": "a", "tool": "sleep", "args": {"seconds": 0}}]
    runs, skips = started, skipped
    for i in range(skipped + started):
        run = runs > 0 and (skips == 0 or i % 2 == 1)
        runs, skips = runs - run, skips - (not run)
        nodes.append({
            "id": f"{'run' if run else 'skip'}{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["a"],
            "condition": "a.output.slept_s < 1000" if run else "a.output.slept_s > 1000",
        })  # fmt: skip
    return {"name": "skips", "max_parallel": max_parallel, "nodes": nodes}


def counts(history: dict[str, Any]) -> tuple[int, int]:
    """The timers the run started for its next ready steps, and the most activities one workflow task scheduled."""
    timers, most, scheduled = 0, 0, 0
    for event in history["events"]:
        kind = event["eventType"]
        if kind == "EVENT_TYPE_TIMER_STARTED" and event["timerStartedEventAttributes"]["startToFireTimeout"] == NEXT:
            timers += 1
        elif kind == "EVENT_TYPE_WORKFLOW_TASK_COMPLETED":
            scheduled = 0
        elif kind == "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED":
            scheduled += 1
            most = max(most, scheduled)
    return timers, most


@pytest.mark.parametrize(
    ("skipped", "started", "max_parallel"),
    [(40, 40, 100), (300, 0, 1000), (300, 0, 10), (1500, 0, 1000), (200, 100, 1000)],
)
async def test_steps_skipped_by_their_condition_are_not_counted_as_started(
    client: Client,
    task_queue: str,
    tmp_path: Path,
    skipped: int,
    started: int,
    max_parallel: int,
) -> None:
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, plan_of(skipped, started, max_parallel))
        record = ExecutionRecord.model_validate(await handle.result())
        history = await handle.fetch_history()
    states = [s.state for s in record.steps]
    assert states.count(StepState.SKIPPED) == skipped and states.count(StepState.COMPLETED) == started + 1
    timers, most = counts(json.loads(history.to_json()))
    # The started steps still come STARTS_PER_TASK a task (a task a timer); all those decided DECISIONS_PER_TASK.
    assert timers <= started // STARTS_PER_TASK + (skipped + started) // DECISIONS_PER_TASK + 1, timers
    assert most <= STARTS_PER_TASK
    if (skipped, started) == (40, 40):  # small enough to be saved whole, and replayed as the saved ones are
        if os.environ.get("ORCHESTRA_SAVE_HISTORIES"):
            (HISTORIES / f"{SAVED}.json").write_text(history.to_json())
        await _replayer().replay_workflow(history)
    else:  # a plan of 300 steps and more is stored outside the history: read back as the worker read it
        await assert_replays(client, history)
