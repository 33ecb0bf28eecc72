"""A flood of large signals sent while an agent run waits ends the run recorded, before the server's history limit.

Found (product390): an agent run had no history stop. Signals sent while it waited on a tool call (or the model, an
approval, a pause) filled its history until the server terminated it, its record lost. Now a run whose history
reaches plan_chain.HISTORY_STOP_BYTES stops what it waits for and ends ERROR `history_too_large`, its transcript so
far in the record, as a plan run does. The bound is set low here (the run reads it where it is used), so that a few
signals of 1 MB reach it; the server's limit is never reached, so old code waits on for its call."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowFailureError

from orchestra import plan_chain
from orchestra.agent.models import AgentExecution
from orchestra.record import AgentState, StepState
from tests.agent.support import HOLD_S, agent_worker, registry_with_hold, start_agent, wait_for
from tests.llm_server import call, completion, done, scripted
from tests.workflows.flood_support import flood, recorded
from tests.workflows.test_replay import _replayer

STOP_BYTES = 2 * 1024 * 1024
SIGNAL_BYTES = 1024 * 1024


def calling(record: AgentExecution) -> bool:
    calls = record.steps[-1].tool_calls if record.steps else []
    return bool(calls) and calls[0].state == StepState.CALLING_TOOL


async def test_large_signals_while_an_agent_waits_end_it_recorded(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan_chain, "HISTORY_STOP_BYTES", STOP_BYTES)
    released = asyncio.Event()
    with scripted([completion("holding", [call("h1", "hold")]), done()]) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base, registry_with_hold(released)):
            handle = await start_agent(client, task_queue, tools=["hold"])
            await wait_for(handle, calling)
            await flood(client, handle.id, 3, SIGNAL_BYTES)
            try:
                with pytest.raises(WorkflowFailureError) as failed:
                    await asyncio.wait_for(handle.result(), HOLD_S / 2)
            finally:
                released.set()
    record = AgentExecution.model_validate(recorded(failed.value))
    assert record.state == AgentState.ERROR
    assert record.error is not None and record.error.code == "history_too_large", record.error
    assert "large signals or updates" in record.error.message and f"{STOP_BYTES:,}" in record.error.message
    step = record.steps[0]  # the transcript so far: the model's reply and its call, stopped
    assert step.thinking == "holding" and step.state == StepState.CANCELLED
    assert step.tool_calls[0].tool == "hold" and step.tool_calls[0].state == StepState.CANCELLED
    # Its history (some megabytes of signals: not saved) replays on this code.
    replayed = await _replayer().replay_workflow(await handle.fetch_history(), raise_on_replay_failure=False)
    assert replayed.replay_failure is None, replayed.replay_failure
