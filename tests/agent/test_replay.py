"""Replay of AgentWorkflow: fresh histories (parallel calls, a duplicate, a failure, an approval, a nudge)
and the saved ones in tests/histories/agent_*.json (ORCHESTRA_SAVE_HISTORIES=1 regenerates them, only
when a change is meant to be incompatible; otherwise use workflow.patched)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from orchestra.agent.models import AgentLimits, ApprovalDecision, Strategy
from tests.agent.support import agent_worker, start_agent, wait_for
from tests.agent.test_control import registry_with_deploy
from tests.llm_server import call, completion, done, scripted
from workflows.agent import AgentWorkflow

HISTORIES = Path(__file__).resolve().parents[1] / "histories"


def _replayer() -> Replayer:
    return Replayer(workflows=[AgentWorkflow], data_converter=pydantic_data_converter)


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
    result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure


@pytest.mark.parametrize("path", sorted(HISTORIES.glob("agent_*.json")), ids=lambda p: p.stem)
async def test_saved_agent_histories_replay(path: Path):
    await _replayer().replay_workflow(WorkflowHistory.from_json(path.stem, path.read_text()))


def test_a_saved_agent_history_exists():
    assert (HISTORIES / "agent_parallel_approval.json").exists()
