"""An agent run terminated while a tool call runs, its worker gone: `status`, `result` and `history` say
the call (and its step) ended with the run, as they say of a plan run's steps; never "running" for ever."""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client

from orchestra.agent.models import AgentExecution
from orchestra.record import AgentState, StepState
from tests.agent.support import (
    agent_worker,
    registry_with_deploy,
    start_agent,
    terminated_while_calling,
    wait_for,
)
from tests.cli.cli import run_here
from tests.llm_server import call, completion, done, scripted

TERMINATED = "stopped: the run was terminated"


async def test_a_terminated_agent_run_s_open_call_ended_with_it(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    handle = await terminated_while_calling(client, task_queue, tmp_path)
    for command in ("status", "result"):
        shown = await run_here(command, handle.id, "--json", client=client)
        assert shown.code in (0, 1), shown.err
        raw = shown.json["record"] if command == "status" else shown.json
        record = AgentExecution.model_validate(raw)
        [step] = record.steps
        [held] = step.tool_calls
        assert held.state == StepState.CANCELLED and held.error is not None, held
        assert held.error.message == TERMINATED, held.error
        assert step.state not in (StepState.THINKING, StepState.CALLING_TOOL, StepState.REFLECTING), step
        assert record.state != AgentState.RUNNING, record.state
        text = await run_here(command, handle.id, client=client)
        assert "calling_tool" not in text.out and TERMINATED in text.out, text.out
    history = await run_here("history", handle.id, "--json", client=client)
    [row] = [r for r in history.json if r["node_id"] == "step-1.h1"]
    assert row["state"] == "stopped" and row["failure"] == TERMINATED, row


async def test_a_terminated_agent_run_s_call_awaits_no_approval(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    with scripted([completion("deploying", [call("d1", "deploy", target="prod")]), done()]) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base, registry_with_deploy()):
            handle = await start_agent(client, task_queue, tools=["deploy"])
            await wait_for(handle, lambda r: bool(r.waiting_approvals()))
            await handle.terminate("test")
    for command in ("status", "result"):
        shown = await run_here(command, handle.id, client=client)
        assert "waiting for approval" not in shown.out and "client.py approve" not in shown.out, shown.out
        assert TERMINATED in shown.out, shown.out
    late = await run_here("approve", handle.id, client=client)
    assert late.code == 1 and "already ended" in late.err, late.err


async def test_a_terminated_agent_run_s_trajectory_ends_its_open_call(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    handle = await terminated_while_calling(client, task_queue, tmp_path)
    shown = await run_here("trajectory", handle.id, client=client)
    assert shown.code == 0, shown.err
    assert "calling_tool" not in shown.out and TERMINATED in shown.out, shown.out
