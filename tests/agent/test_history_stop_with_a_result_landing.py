"""The agent's history stop always lands, even when the model's reply comes in the same workflow task (issue 9).

Found (product390): temporalio 1.35 (without PROCESS_WORKFLOW_ACTIVATION_JOBS_AS_SINGLE_BATCH) applies an
activation's signals, and checks the run's wait conditions, before it resolves the activities in it. The stop, woken
by the signals that filled the history, cancelled the model call; its reply, resolved after, was returned despite the
cancel (its cancellation is waited for), and the loop went on: it ran the calls the model asked for and asked the
model again, its history past the bound. Now the loop's checkpoints see the stop and raise. (A tool call's result
landing so stops all the same: the calls run under asyncio.gather, which raises once cancelled.)

Made here on purpose (tests/workflows/held_activation.py): the worker holds an activation while the model call completes
and large signals arrive; the server fails that task (over 2 MiB of events buffered), and the next brings them all,
past the (lowered) bound, in one."""

from __future__ import annotations

import asyncio
import threading
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowFailureError

from orchestra import plan_chain
from orchestra.agent.models import AgentExecution, AgentRequest
from orchestra.control import RESUME_SIGNAL
from orchestra.llm import LLMConfig
from orchestra.record import StepState
from tests.agent.support import registry_with_hold, wait_for
from tests.helpers import settings_for
from tests.llm_server import call, completion, done, scripted
from tests.patience import patient
from tests.workflows.flood_support import flood, recorded
from tests.workflows.held_activation import HeldActivations, in_one_task
from tests.workflows.test_replay import _replayer
from worker import create_worker
from workflows.agent import AgentWorkflow

STOP_BYTES = 1024 * 1024


def thinking(record: AgentExecution) -> bool:
    return bool(record.steps) and record.steps[-1].state == StepState.THINKING


HOLD_TASK = timedelta(minutes=5)  # the held task is failed by the buffer's limit, not by its timeout (10 s by default)
ENDS_WITHIN_S = 120  # a ceiling for a run that never ends, not a margin


async def test_a_model_reply_landing_with_the_history_stop_does_not_let_the_loop_go_on(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan_chain, "HISTORY_STOP_BYTES", STOP_BYTES)
    released, replying = asyncio.Event(), threading.Event()
    released.set()  # a call of `hold` the loop would make returns at once
    executor = HeldActivations()
    with scripted([completion("calling", [call("h1", "hold")]), done()], hold=replying) as (base, seen):
        llm = LLMConfig(base_url=base, model="scripted", api_key="sk-test", timeout_s=30)
        worker = create_worker(client, settings_for(task_queue, tmp_path), registry_with_hold(released), llm=llm,
                               workflow_task_executor=executor)  # fmt: skip
        async with patient(worker):
            handle = await client.start_workflow(
                AgentWorkflow.run, AgentRequest(task="do the thing", tools=["hold"]), id=f"agent-test-{uuid.uuid4()}",
                task_queue=task_queue, task_timeout=HOLD_TASK,
            )  # fmt: skip
            await wait_for(handle, thinking)
            executor.arm()
            await flood(client, handle.id, 1, 0, RESUME_SIGNAL)  # a small one (refused), whose activation is held
            await executor.until_holding()
            replying.set()

            await in_one_task(client, handle, executor)  # the completions with large signals, in one
            with pytest.raises(WorkflowFailureError) as failed:
                await asyncio.wait_for(handle.result(), ENDS_WITHIN_S)
    record = AgentExecution.model_validate(recorded(failed.value))
    assert record.error is not None and record.error.code == "history_too_large", record.error
    assert len(seen) == 1, "the model was asked nothing after the stop"
    assert len(record.steps) == 1 and record.steps[0].thinking == "calling", record.steps
    assert all(c.state != StepState.COMPLETED for c in record.steps[0].tool_calls), record.steps[0].tool_calls
    history = await handle.fetch_history()
    events = [e.event_type for e in history.events]
    assert EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED in events, "the held task was failed, its events brought together"
    assert events.count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) == 1, "no call ran after the model's reply"
    replayed = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert replayed.replay_failure is None, replayed.replay_failure
