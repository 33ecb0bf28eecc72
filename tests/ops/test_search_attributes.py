"""Runs keep their search attributes current (state, plan, tool calls), visibility queries find them by
state, and `stats` computes the seed's statistics from visibility."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from temporalio.client import WorkflowFailureError

from orchestra import search_attributes as sa
from orchestra.record import StepState
from tests.helpers import start_plan, until, wait_for_step, worker_for
from tests.ops.support import run_command
from workflows.orchestration import OrchestrationWorkflow


async def count(client, query: str) -> int:
    counted: int = (await client.count_workflows(query)).count
    return counted


async def test_visibility_finds_runs_by_state_and_stats_sums_them(client, task_queue, tmp_path):
    name = f"indexed-{uuid.uuid4().hex[:8]}"
    quick = {"name": name, "nodes": [
        {"id": "a", "tool": "sleep", "args": {"seconds": 0}},
        {"id": "b", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["a"]}]}  # fmt: skip
    slow = {"name": name, "nodes": [
        {"id": "a", "tool": "sleep", "args": {"seconds": 0.2}},
        {"id": "b", "tool": "sleep", "args": {"seconds": 60}, "depends_on": ["a"]}]}  # fmt: skip
    async with worker_for(client, task_queue, tmp_path):
        done = await start_plan(client, task_queue, quick)
        await done.result()
        held = await start_plan(client, task_queue, slow)
        await wait_for_step(held, "a", {StepState.CALLING_TOOL})
        await held.signal(OrchestrationWorkflow.pause, "maintenance")

        completed = f"OrchestraPlan='{name}' AND OrchestraState='completed'"
        paused = f"OrchestraPlan='{name}' AND OrchestraState='paused'"
        await until(lambda: count(client, completed), within=30)
        await until(lambda: count(client, paused), within=30)
        assert [w.id async for w in client.list_workflows(completed)] == [done.id]
        assert [w.id async for w in client.list_workflows(paused)] == [held.id]

        attributes = (await done.describe()).typed_search_attributes
        assert attributes.get(sa.STATE) == "completed" and attributes.get(sa.PLAN) == name
        assert attributes.get(sa.TOOL_CALLS) == 2 and attributes.get(sa.TOKENS) == 0

        argv = ("stats", "--kind", "plan", "--query", f"OrchestraPlan='{name}'", "--json")
        found: dict[str, Any] = {}

        async def both_counted() -> bool:
            ran = await run_command(client, *argv)
            found.update(json.loads(ran.out)["plan"])
            return bool(found["total"] == 2 and found["active"] == 1 and found["succeeded"] == 1)

        await until(both_counted)
        stats = found
        # The held run counts calls as they start, and the pause (a state change) indexed them: `a`, and
        # `b` too if `a` finished before the pause landed.
        assert stats["failed"] == 0 and stats["tool_calls"] in (3, 4)
        # Only the finished run has a duration: the average is exactly its own.
        finished = await done.describe()
        assert finished.close_time is not None
        expected_ms = (finished.close_time - finished.start_time).total_seconds() * 1000
        assert stats["average_duration_ms"] == pytest.approx(expected_ms, abs=1)
        await held.cancel()
        with pytest.raises(WorkflowFailureError):
            await held.result()

    cancelled = f"OrchestraPlan='{name}' AND OrchestraState='cancelled'"
    await until(lambda: count(client, cancelled), within=30)


async def test_stats_renders_a_table_and_rejects_a_bad_query(client):
    ran = await run_command(client, "stats", "--query", "OrchestraPlan='nothing-like-this'")
    assert ran.code == 0, ran.err
    assert "total runs" in ran.out and "OrchestraPlan='nothing-like-this'" in ran.out
    for heading in ("plan runs", "task runs", "agent runs"):
        assert heading in ran.out
    bad = await run_command(client, "stats", "--query", "NoSuchAttribute = 3")
    assert bad.code == 2 and "bad visibility query" in bad.err
