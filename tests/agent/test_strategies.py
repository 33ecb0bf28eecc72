"""Each coordination strategy on real activities: overlap read from the recorded start/end times."""

from __future__ import annotations

import pytest

from orchestra.agent.models import AgentExecution, AgentLimits, Strategy
from orchestra.record import StepState
from tests.agent.support import agent_worker, intervals, max_overlap, start_agent
from tests.llm_server import call, completion, done, scripted

SLEEPS = [call(f"s{i}", "sleep", seconds=0.6 + i / 100) for i in range(4)]


async def _run(client, task_queue, tmp_path, calls, strategy, **limits) -> AgentExecution:
    with scripted([completion("go", calls), done()]) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(
                client, task_queue, tools=["sleep", "write_file", "read_file"], strategy=strategy,
                limits=AgentLimits(**limits),
            )  # fmt: skip
            return AgentExecution.model_validate(await handle.result())


async def test_sequential_runs_one_call_at_a_time_in_order(client, task_queue, tmp_path):
    record = await _run(client, task_queue, tmp_path, SLEEPS, Strategy.SEQUENTIAL)
    calls = record.steps[0].tool_calls
    spans = intervals(calls)
    assert max_overlap(spans) == 1
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(3)), "in the order of the reply"


@pytest.mark.parametrize("limit", [2, 4])
async def test_parallel_overlaps_at_most_max_parallel_calls(client, task_queue, tmp_path, limit):
    record = await _run(client, task_queue, tmp_path, SLEEPS, Strategy.PARALLEL, max_parallel=limit)
    spans = intervals(record.steps[0].tool_calls)
    assert max_overlap(spans) == limit


async def test_batch_runs_fixed_size_batches_one_after_another(client, task_queue, tmp_path):
    record = await _run(client, task_queue, tmp_path, SLEEPS, Strategy.BATCH, batch_size=2)
    spans = intervals(record.steps[0].tool_calls)
    assert max_overlap(spans[:2]) == 2 and max_overlap(spans[2:]) == 2
    assert max(e for _, e in spans[:2]) <= min(s for s, _ in spans[2:]), "the second batch waits for the first"


async def test_smart_orders_dependent_calls_and_runs_independent_groups_together(client, task_queue, tmp_path):
    calls = [
        call("w", "write_file", path="n.txt", content="42"),
        call("r", "read_file", path="n.txt"),  # same path, after a write: depends on w
        call("z1", "sleep", seconds=0.6),
        call("z2", "sleep", seconds=0.61),
    ]
    record = await _run(client, task_queue, tmp_path, calls, Strategy.SMART)
    w, r, z1, z2 = record.steps[0].tool_calls
    assert w.ended_at and r.started_at and w.ended_at <= r.started_at and "42" in (r.result or "")
    assert max_overlap(intervals([z1, z2])) == 2, "independent groups run in parallel"


async def test_identical_calls_in_one_reply_run_once(client, task_queue, tmp_path):
    calls = [call("a", "sleep", seconds=0.1), call("b", "sleep", seconds=0.1), call("c", "sleep", seconds=0.2)]
    with scripted([completion("go", calls), done()]) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["sleep"], strategy=Strategy.PARALLEL)
            record = AgentExecution.model_validate(await handle.result())
            history = await handle.fetch_history()
    a, b, _ = record.steps[0].tool_calls
    assert b.duplicate_of == "a" and b.state == StepState.COMPLETED and b.result == a.result
    scheduled = [e for e in history.events if e.HasField("activity_task_scheduled_event_attributes")]
    assert sum(1 for e in scheduled if e.activity_task_scheduled_event_attributes.activity_type.name == "run_tool") == 2
    tool_ids = [m["tool_call_id"] for m in seen[1]["body"]["messages"] if m["role"] == "tool"]
    assert tool_ids == ["a", "b", "c"], "every call of the reply gets its answer"
    assert record.metrics.tool_call_count == 2 and record.metrics.duplicate_calls == 1
