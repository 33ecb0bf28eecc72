"""An agent run whose history does not replay here (its workflow code changed since) is asked for its record
with the ``record`` query, which waits up to 5 s for a worker: `status` and `trajectory` say so first, once,
in the words a plan run's `result` uses. They waited unsaid."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from temporalio import workflow
from temporalio.client import Client

from orchestra.record import StepState
from tests.agent.support import agent_worker, registry_with_hold, start_agent, wait_for
from tests.cli.cli import run_here
from tests.llm_server import call, completion, done, scripted

NOTE = "history does not replay here"


@workflow.defn(name="AgentWorkflow")
class ChangedAgentWorkflow:
    """The agent workflow as changed incompatibly: it sleeps where the recorded one called the model."""

    @workflow.run
    async def run(self, request: Any) -> None:
        await workflow.sleep(3600)


async def test_an_agent_run_that_does_not_replay_says_it_asks_a_worker(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import workflows.agent

    released = asyncio.Event()
    with scripted([completion("holding", [call("h1", "hold")]), done()]) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base, registry_with_hold(released)):
            handle = await start_agent(client, task_queue, tools=["hold"])
            await wait_for(handle, lambda r: bool(r.steps and r.steps[0].tool_calls
                                                  and r.steps[0].tool_calls[0].state == StepState.CALLING_TOOL))  # fmt: skip
            await handle.terminate("test")
            released.set()
            # The worker (the code that ran it) answers the query; this process replays with the changed code.
            monkeypatch.setattr(workflows.agent, "AgentWorkflow", ChangedAgentWorkflow)
            for command in ("status", "trajectory"):
                shown = await run_here(command, handle.id, "--json", client=client)
                assert shown.code in (0, 1), shown.err
                assert shown.err.count(NOTE) == 1, shown.err
                assert "asking a worker for its record, for up to 5 s" in shown.err, shown.err
                assert "h1" in shown.out, shown.out
