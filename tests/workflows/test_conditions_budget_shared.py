"""The conditions of one workflow task share a budget of work (conditions.MAX_WORK_PER_TASK), so that a burst of
ready steps cannot stall the task; a step whose condition the task's budget cannot afford waits for the next task, as
steps past STARTS_PER_TASK do. It failed instead: twelve steps ready together after one output, each with the same
condition well within its own limit, and the last three failed "the conditions evaluated together in this workflow
task need more than 10000000 steps of work", for what else became ready with them.

Saved histories (ORCHESTRA_SAVE_HISTORIES=1 saves this run's): conditions_over_the_budget_wait_now.json (recorded by
this code), conditions_over_the_budget_failed_before.json (by the code before); both replay with
test_saved_histories_replay."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from temporalio.client import Client

from orchestra import conditions
from orchestra.record import ExecutionRecord, StepState
from tests.helpers import start_plan, worker_for
from tests.workflows.test_replay import HISTORIES, _replayer

# About 1.2 million units of work: 39 comparisons of a 15 KB output with itself, an eighth of a task's budget.
HEAVY = " and ".join(["a.output == a.output"] * 39)
SIBLINGS = 12
SAVED = "conditions_over_the_budget_wait_now"


def heavy_siblings() -> dict[str, Any]:
    return {
        "name": "heavy-conditions",
        "max_parallel": SIBLINGS,
        "nodes": [
            {"id": "a", "tool": "render_template", "args": {"template": "x" * 15_000}},
            *(
                {"id": f"c{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["a"], "condition": HEAVY}
                for i in range(SIBLINGS)
            ),
        ],
    }


def test_the_condition_alone_is_within_its_own_limit_and_several_are_over_a_tasks() -> None:
    scope = {"a": {"output": {"text": "x" * 15_000}}}
    budget = conditions.Budget()
    assert conditions.evaluate(HEAVY, scope, budget)
    spent = conditions.MAX_WORK_PER_TASK - budget.left
    assert spent * SIBLINGS > conditions.MAX_WORK_PER_TASK > spent * 2, spent


async def test_steps_ready_together_whose_conditions_are_over_the_tasks_budget_start_in_the_next_task(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, heavy_siblings())
        record = ExecutionRecord.model_validate(await handle.result())
        history = await handle.fetch_history()
    assert record.metrics.completed == SIBLINGS + 1, [(s.node_id, s.state, s.error) for s in record.steps]
    assert all(s.state == StepState.COMPLETED for s in record.steps)
    if os.environ.get("ORCHESTRA_SAVE_HISTORIES"):
        (HISTORIES / f"{SAVED}.json").write_text(history.to_json())
    await _replayer().replay_workflow(history)
