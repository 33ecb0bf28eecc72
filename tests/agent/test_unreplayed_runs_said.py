"""An agent run whose history does not replay here (its workflow code changed since) is, once closed, never
asked for its record with the ``record`` query (which waited up to 5 s for a worker that may be gone): `status`
says once that what is shown is what its events alone say, `trajectory` that a closed run is not asked."""

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


async def test_a_closed_agent_run_that_does_not_replay_is_not_asked_and_says_so(
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
            # A worker (the code that ran it) still polls; this process replays with the changed code.
            monkeypatch.setattr(workflows.agent, "AgentWorkflow", ChangedAgentWorkflow)
            status = await run_here("status", handle.id, "--json", client=client)
            assert status.code == 0, status.err
            assert status.err.count(NOTE) == 1 and "a closed run is not asked" in status.err, status.err
            trajectory = await run_here("trajectory", handle.id, "--json", client=client)
            assert trajectory.code == 1 and "a closed run is not asked for it" in trajectory.err, trajectory.err
            for shown in (status, trajectory):
                assert "asking a worker" not in shown.err, shown.err
