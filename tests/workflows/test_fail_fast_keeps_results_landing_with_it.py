"""A fail_fast plan that stops in the workflow task that resolves its running steps' results records them with those
results (issue 9: records that never lie).

A drive woken by its own timer (the next ready steps started a moment later, plan_driver.NEXT_STARTS) ran before the
results resolved with that timer reached their steps (each takes the SDK some turns of its loop); a condition failing
then stopped the plan (fail_fast), and its cancel met results already resolved: the SDK raised CancelledError for
them, and steps whose activities completed in the history were recorded CANCELLED. Made here on purpose
(tests/workflows/held_activation.py): the timer's activation is held while the first steps complete and signals
arrive; the server fails that task (over 2 MiB of events buffered), and the next brings them all in one."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError

from orchestra.record import ExecutionRecord, StepState
from tests.helpers import worker_for
from tests.patience import patient
from tests.workflows.flood_support import completed_in, recorded
from tests.workflows.held_activation import ENDS_WITHIN_S, HeldActivations, in_one_task, start_held_plan
from tests.workflows.test_replay import _replayer
from workflows.plan_driver import STARTS_PER_TASK


def fires_a_timer(activation: Any) -> bool:
    return any(job.HasField("fire_timer") for job in activation.jobs)


async def test_steps_completed_in_the_task_a_fail_fast_stop_comes_in_keep_their_results(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    # The first task starts STARTS_PER_TASK steps; the failing condition is decided in the next, the timer's.
    nodes: list[dict[str, Any]] = [
        {"id": f"a{i}", "tool": "sleep", "args": {"seconds": 1}} for i in range(STARTS_PER_TASK)
    ]
    nodes.append({"id": "bad", "tool": "sleep", "args": {"seconds": 0}, "condition": "1 / 0 > 1"})
    plan = {"name": "fail-fast-lands", "fail_fast": True, "max_parallel": 64, "nodes": nodes}
    executor = HeldActivations()
    executor.arm(fires_a_timer)
    async with patient(worker_for(client, task_queue, tmp_path, workflow_task_executor=executor)):
        handle = await start_held_plan(client, task_queue, plan)
        await executor.until_holding()

        await in_one_task(client, handle, executor)  # the completions with large signals, in one
        with pytest.raises(WorkflowFailureError) as failed:  # `bad` failed it
            await asyncio.wait_for(handle.result(), ENDS_WITHIN_S)
    record = ExecutionRecord.model_validate(recorded(failed.value))
    history = await handle.fetch_history()
    completed = completed_in(history)
    assert completed, "some steps completed in the history"
    wrong = [(n, record.step(n).state) for n in sorted(completed) if record.step(n).state != StepState.COMPLETED]
    assert not wrong, wrong
    assert record.step("bad").state == StepState.ERROR, record.step("bad")
    replayed = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert replayed.replay_failure is None, replayed.replay_failure
