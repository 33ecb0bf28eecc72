"""Replay of AgentWorkflow: fresh histories (parallel calls, a duplicate, a failure, an approval, a nudge)
and the saved ones in tests/histories/agent_*.json (ORCHESTRA_SAVE_HISTORIES=1 regenerates them, only
when a change is meant to be incompatible; otherwise use workflow.patched)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from temporalio.client import WorkflowFailureError, WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from orchestra.agent.models import AgentLimits, ApprovalDecision, Strategy
from orchestra.control import PauseRequest
from orchestra.record import StepState
from orchestra.replayers import replayer_without_deadline
from tests.agent.support import agent_worker, registry_with_deploy, registry_with_hold, start_agent, wait_for
from tests.clock_warp import read_later
from tests.llm_server import call, completion, done, scripted
from workflows.agent import AgentWorkflow

HISTORIES = Path(__file__).resolve().parents[1] / "histories"


def _replayer() -> Replayer:
    return replayer_without_deadline(workflows=[AgentWorkflow], data_converter=pydantic_data_converter)


async def _assert_replays(history: WorkflowHistory) -> None:
    """As recorded, and with its clock read an hour later from the run's start on (tests/clock_warp.py):
    the run's commands may not depend on workflow.now()."""
    for name, replayed in (("as recorded", history), ("read an hour later", read_later(history))):
        result = await _replayer().replay_workflow(replayed, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{name}: {result.replay_failure}"


async def test_fresh_agent_history_replays(client, task_queue, tmp_path):
    answers = [
        completion("Let me think."),
        completion("in parallel", [call("a", "sleep", seconds=0.2), call("b", "sleep", seconds=0.2),
                                   call("c", "sleep", seconds=0.2), call("x", "read_file", path="missing.txt")]),
        completion("deploying", [call("d", "deploy", target="staging")]),
        done("done"),
    ]  # fmt: skip
    with scripted(answers) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base, registry_with_deploy()):
            handle = await start_agent(client, task_queue, tools=["sleep", "read_file", "deploy"],
                                       strategy=Strategy.PARALLEL, limits=AgentLimits(max_parallel=2))  # fmt: skip
            await wait_for(handle, lambda r: bool(r.waiting_approvals()))
            await handle.execute_update(AgentWorkflow.approve, ApprovalDecision())
            await handle.result()
            history = await handle.fetch_history()
    if os.environ.get("ORCHESTRA_SAVE_HISTORIES") == "1":
        HISTORIES.mkdir(exist_ok=True)
        (HISTORIES / "agent_parallel_approval.json").write_text(history.to_json())
    await _assert_replays(history)


async def test_fresh_agent_control_history_replays(client, task_queue, tmp_path):
    """Paused by the update, resumed by the signal, then cancelled while a call runs."""
    released = asyncio.Event()
    answers = [completion("first", [call("s", "sleep", seconds=0)]), completion("hold", [call("h", "hold")]), done()]
    with scripted(answers) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base, registry_with_hold(released)):
            handle = await start_agent(client, task_queue, tools=["sleep", "hold"])
            await handle.execute_update(AgentWorkflow.pause_run, PauseRequest(reason="replay"))
            await handle.signal(AgentWorkflow.resume)
            await wait_for(handle, lambda r: any(c.tool == "hold" and c.state == StepState.CALLING_TOOL
                                                 for s in r.steps for c in s.tool_calls))  # fmt: skip
            await handle.cancel()
            with pytest.raises(WorkflowFailureError):
                await handle.result()
            history = await handle.fetch_history()
    if os.environ.get("ORCHESTRA_SAVE_HISTORIES") == "1":
        (HISTORIES / "agent_pause_cancel.json").write_text(history.to_json())
    await _assert_replays(history)


@pytest.mark.parametrize("path", sorted(HISTORIES.glob("agent_*.json")), ids=lambda p: p.stem)
async def test_saved_agent_histories_replay(path: Path):
    await _replayer().replay_workflow(WorkflowHistory.from_json(path.stem, path.read_text()))


def test_the_saved_agent_histories_exist():
    assert (HISTORIES / "agent_parallel_approval.json").exists()
    assert (HISTORIES / "agent_pause_cancel.json").exists()
