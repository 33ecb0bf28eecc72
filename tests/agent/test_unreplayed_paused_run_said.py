"""A natively paused agent run whose history does not replay here (its workflow code changed since) is not asked
for its record: the server refuses every query of a paused run at once, so `status` announced a wait of up to
5 s for a worker's answer that never comes, and `trajectory` asked too. Both say instead that a paused run is
not asked, and show what its events alone say."""

from __future__ import annotations

import asyncio
import contextlib
import io
from pathlib import Path

import pytest
from temporalio.client import Client

from orchestra.cli import invoke
from orchestra.record import StepState
from tests.agent.support import agent_worker, registry_with_hold, start_agent, wait_for
from tests.agent.test_unreplayed_runs_said import NOTE, ChangedAgentWorkflow
from tests.cli.cli import run_here
from tests.llm_server import call, completion, done, scripted


async def test_a_natively_paused_agent_run_that_does_not_replay_is_not_asked_and_says_so(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import workflows.agent

    released = asyncio.Event()
    with scripted([completion("holding", [call("h1", "hold")]), done()]) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base, registry_with_hold(released)):
            handle = await start_agent(client, task_queue, tools=["hold"])
            await wait_for(handle, lambda r: bool(r.steps and r.steps[0].tool_calls
                                                  and r.steps[0].tool_calls[0].state == StepState.CALLING_TOOL))  # fmt: skip
            paused = await run_here("pause", handle.id, "--native", client=client)
            assert paused.code == 0, paused.err
            with monkeypatch.context() as changed:  # this process replays with the changed code
                changed.setattr(workflows.agent, "AgentWorkflow", ChangedAgentWorkflow)
                status = await run_here("status", handle.id, client=client)
                trajectory = await run_here("trajectory", handle.id, "--json", client=client)
                out, err = io.StringIO(), io.StringIO()
                with contextlib.suppress(TimeoutError):  # a paused run's `watch` goes on until it is resumed
                    await asyncio.wait_for(invoke(["watch", handle.id], out=out, err=err, client=client), 3)
                watched = err.getvalue()  # `watch` reads the run every half second: said once
            assert (await run_here("resume", handle.id, client=client)).code == 0
            released.set()
            await handle.result()
    assert status.code == 0 and "natively paused" in status.out, (status.out, status.err)
    assert (
        status.err.count(NOTE) == 1
        and "a natively paused run (the server refuses its queries) is not asked" in status.err
    ), status.err
    assert trajectory.code == 1 and "nor a natively paused one" in trajectory.err, trajectory.err
    assert watched.count(NOTE) == 1, watched
    assert "has not answered yet" not in status.out, status.out  # nobody was asked
    for shown in (status, trajectory):
        assert "asking a worker" not in shown.err, shown.err
