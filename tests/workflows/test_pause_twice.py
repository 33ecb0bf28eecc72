"""A pause signal on a run already paused keeps the first pause's reason and time, and the record says it
was refused (the signal has no answer to say it): it replaced the operator's reason, silently."""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client

from orchestra.record import AgentState, ExecutionRecord, StepState
from tests.control_support import gate, native_pause, native_unpause, until
from tests.helpers import record_of, start_plan, wait_for_step, worker_for
from tests.ops.support import run_command
from tests.workflows.test_control import two_steps
from workflows.orchestration import OrchestrationWorkflow


async def test_a_second_pause_keeps_the_first_reason_and_is_recorded_refused(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    with gate() as (url, released):
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, two_steps(url))
            await wait_for_step(handle, "first", {StepState.CALLING_TOOL})
            await handle.signal(OrchestrationWorkflow.pause, "maintenance window")
            first = await until(lambda: record_of(handle), lambda r: r.paused)
            await handle.signal(OrchestrationWorkflow.pause, "someone else's reason")
            await handle.signal(OrchestrationWorkflow.pause, "")
            held = await until(lambda: record_of(handle), lambda r: len(r.refused_signals) == 2)
            assert held.pause_reason == "maintenance window" and held.paused_at == first.paused_at
            assert held.state == AgentState.PAUSED
            for refused in held.refused_signals:
                assert refused.signal == "pause" and "already paused" in refused.reason
                assert "maintenance window" in refused.reason, "the refusal names the pause that holds"
            released.set()
            await handle.signal(OrchestrationWorkflow.resume)
            final = ExecutionRecord.model_validate(await handle.result())
    assert final.state == AgentState.COMPLETED and not final.paused


async def test_status_of_a_natively_paused_run_rebuilds_the_first_pause_reason(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """`status` rebuilds a natively paused run's cooperative pause from its history: as the run does, a pause over a
    pause keeps the first reason (it showed the second, which the run refused)."""
    with gate() as (url, released):
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, two_steps(url))
            await wait_for_step(handle, "first", {StepState.CALLING_TOOL})
            await handle.signal(OrchestrationWorkflow.pause, "maintenance window")
            await handle.signal(OrchestrationWorkflow.pause, "someone else's reason")
            await until(lambda: record_of(handle), lambda r: len(r.refused_signals) == 1)
            await native_pause(client, handle.id)
            status = await run_command(client, "--task-queue", task_queue, "status", handle.id)
            await native_unpause(client, handle.id)
            released.set()
            await handle.signal(OrchestrationWorkflow.resume)
            await handle.result()
    assert "maintenance window" in status.out and "someone else" not in status.out, status.out
