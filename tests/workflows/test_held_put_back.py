"""A step taken from its tool's queue (a plan's tool_concurrency) whose condition is over what its workflow task has
left of the conditions' budget goes back to the head of its queue, where it was: it went behind every step held after
it, and started after them.

Saved histories (ORCHESTRA_SAVE_HISTORIES=1 saves this run's): held_put_back_now.json (recorded by this code); it and
conditions_over_the_budget_wait_now.json (recorded before) replay with test_saved_histories_replay."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from temporalio.client import Client

from orchestra.record import ExecutionRecord, StepState
from orchestra.scheduling import HeldSteps
from tests.helpers import start_plan, worker_for
from tests.workflows.test_conditions_budget_shared import HEAVY
from tests.workflows.test_replay import HISTORIES, _replayer

SIBLINGS = 12  # 8 heavy conditions fill a task's budget
MAX_PARALLEL = 10  # the first batch takes 10: the 9th is over the budget, the 11th and 12th are still held
SAVED = "held_put_back_now"


def test_steps_put_back_are_taken_first_in_the_order_they_became_ready() -> None:
    held = HeldSteps({"t": 2}, lambda node: node[0])
    held.hold(["t1", "o1", "t2", "o2", "t3", "o3"])
    batch = held.take(5, {})
    assert batch == ["t1", "o1", "t2", "o2", "o3"]
    held.put_back(batch[1:])
    held.hold(["o4"])
    assert held.take(10, {"t": 1}) == ["o1", "t2", "o2", "o3", "o4"]
    assert held.take(10, {}) == ["t3"] and not held


def heavy_siblings() -> dict[str, Any]:
    return {
        "name": "held-heavy-conditions",
        "max_parallel": MAX_PARALLEL,
        "tool_concurrency": {"render_template": 1},
        "nodes": [
            {"id": "a", "tool": "render_template", "args": {"template": "x" * 15_000}},
            *(
                {"id": f"c{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["a"], "condition": HEAVY}
                for i in range(SIBLINGS)
            ),
        ],
    }


async def test_a_held_step_over_the_tasks_conditions_budget_keeps_its_place(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, heavy_siblings())
        record = ExecutionRecord.model_validate(await handle.result())
        history = await handle.fetch_history()
    assert all(s.state == StepState.COMPLETED for s in record.steps), [(s.node_id, s.state) for s in record.steps]
    started = [
        e["activityTaskScheduledEventAttributes"]["activityId"]
        for e in json.loads(history.to_json())["events"]
        if e["eventType"] == "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED"
    ]
    assert started == [f"c{i}" for i in range(SIBLINGS)], started  # a runs as a local activity
    if os.environ.get("ORCHESTRA_SAVE_HISTORIES"):
        (HISTORIES / f"{SAVED}.json").write_text(history.to_json())
    await _replayer().replay_workflow(history)
