"""Each coordination strategy on real activities.

Concurrency is counted by the tool itself, not read from timestamps: a ``gate`` call holds until every
call of its wave (``wave`` calls in order of arrival) is in flight, and records the peak number of calls
in flight and the order of starts and ends. A strategy that runs fewer calls at once than the wave
would leave a call waiting, which fails it after a generous ceiling; one that runs more shows in the
peak. Nothing depends on how fast anything starts.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from temporalio.client import Client

from orchestra.agent.models import AgentExecution, AgentLimits, Strategy
from orchestra.errors import ToolError
from orchestra.record import StepState
from orchestra.registry import ToolRegistry, default_registry
from orchestra.tool_spec import RetryHints, Tool, ToolContext, ToolSpec
from tests.agent.support import agent_worker, intervals, start_agent
from tests.llm_server import call, completion, done, scripted

HOLD_S = 30  # a ceiling for a call whose wave never fills (a failure), never a margin a pass relies on


class GateInput(BaseModel):
    label: str


class Gate:
    """The ``gate`` test tool: counts calls in flight and holds each until its whole wave has arrived."""

    def __init__(self, wave: int, total: int) -> None:
        self.wave, self.total = wave, total
        self.arrived = self.in_flight = self.peak = 0
        self.log: list[str] = []  # "+label" when a call starts, "-label" when it ends, in that order
        self.failures: list[str] = []
        self.changed = asyncio.Condition()

    async def run(self, args: GateInput, ctx: ToolContext) -> dict[str, str]:
        async with self.changed:
            self.arrived += 1
            wave_end = min(self.total, -(-self.arrived // self.wave) * self.wave)  # its wave: ceil to a multiple
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            self.log.append(f"+{args.label}")
            self.changed.notify_all()
            try:
                await asyncio.wait_for(self.changed.wait_for(lambda: self.arrived >= wave_end), HOLD_S)
            except TimeoutError:
                message = f"{args.label}: only {self.arrived} of {wave_end} calls arrived within {HOLD_S}s"
                self.failures.append(message)
                raise ToolError(message, retryable=False, code="wave_incomplete") from None
            finally:
                self.in_flight -= 1
                self.log.append(f"-{args.label}")
        return {"label": args.label}

    def registry(self) -> ToolRegistry:
        registry = default_registry()
        spec = ToolSpec(name="gate", description="Wait for the other calls of a wave.", input_model=GateInput,
                        retry=RetryHints(max_attempts=1))  # fmt: skip
        registry.register(Tool(spec=spec, run=self.run))
        return registry

    def position(self, entry: str) -> int:
        return self.log.index(entry)


GATES = [call(f"s{i}", "gate", label=f"s{i}") for i in range(4)]


async def _run(
    client: Client, task_queue: str, tmp_path: Path, gate: Gate, calls: list[dict[str, Any]], strategy: Strategy,
    **limits: Any,
) -> AgentExecution:  # fmt: skip
    with scripted([completion("go", calls), done()]) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base, gate.registry()):
            handle = await start_agent(
                client, task_queue, tools=["gate", "write_file", "read_file"], strategy=strategy,
                limits=AgentLimits(**limits),
            )  # fmt: skip
            record = AgentExecution.model_validate(await handle.result())
    assert not gate.failures
    assert all(c.state == StepState.COMPLETED for c in record.steps[0].tool_calls), record.steps[0].tool_calls
    return record


async def test_sequential_runs_one_call_at_a_time_in_order(client, task_queue, tmp_path):
    gate = Gate(wave=1, total=4)
    await _run(client, task_queue, tmp_path, gate, GATES, Strategy.SEQUENTIAL)
    assert gate.peak == 1
    assert gate.log == [f"{sign}s{i}" for i in range(4) for sign in "+-"], "one by one, in the order of the reply"


@pytest.mark.parametrize("limit", [2, 4])
async def test_parallel_overlaps_at_most_max_parallel_calls(client, task_queue, tmp_path, limit):
    gate = Gate(wave=limit, total=4)
    await _run(client, task_queue, tmp_path, gate, GATES, Strategy.PARALLEL, max_parallel=limit)
    assert gate.peak == limit


async def test_batch_runs_fixed_size_batches_one_after_another(client, task_queue, tmp_path):
    gate = Gate(wave=2, total=4)
    await _run(client, task_queue, tmp_path, gate, GATES, Strategy.BATCH, batch_size=2)
    assert gate.peak == 2
    first_batch_done = max(gate.position(f"-s{i}") for i in (0, 1))
    second_batch_starts = min(gate.position(f"+s{i}") for i in (2, 3))
    assert first_batch_done < second_batch_starts, "the second batch waits for the first"


async def test_smart_orders_dependent_calls_and_runs_independent_groups_together(client, task_queue, tmp_path):
    calls = [
        call("w", "write_file", path="n.txt", content="42"),
        call("r", "read_file", path="n.txt"),  # same path, after a write: depends on w
        call("z1", "gate", label="z1"),
        call("z2", "gate", label="z2"),
    ]
    gate = Gate(wave=2, total=2)
    record = await _run(client, task_queue, tmp_path, gate, calls, Strategy.SMART)
    w, r, _, _ = record.steps[0].tool_calls
    assert "42" in (r.result or ""), "r read what w wrote"
    (_, w_end), (r_start, _) = intervals([w, r])
    assert w_end <= r_start
    assert gate.peak == 2, "independent groups run in parallel"


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
