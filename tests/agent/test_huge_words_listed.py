"""A step whose one text the record's compaction did not cut (an unknown tool's 400 KB name, an endpoint's
megabyte model name or finish reason, a completion's reason) stayed too big at every level of detail: the
bounded record listed no step, the run's first step counted only in ``earlier``, and `status` and the result
showed none. Every text of a step is cut, so the step stays listed where it belongs. Pure, and one run on the
dev server with a real loopback endpoint."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from temporalio.client import Client

from orchestra.agent.models import AgentExecution, AgentLimits, AgentStep, AgentToolCall, Completion, Strategy
from orchestra.agent.trajectory import PAYLOAD_BUDGET_BYTES, bounded, payload_bytes
from tests.agent.support import agent_worker, start_agent
from tests.llm_server import call, completion, done, scripted

HUGE = "n" * 400_000


def _step(field: str) -> AgentStep:
    call_ = AgentToolCall(call_id="u", tool=HUGE if field == "tool" else "read_file", arguments="{}")
    words = {"model": HUGE, "finish_reason": HUGE} if field == "words" else {}
    reason = Completion(reason=HUGE) if field == "reason" else Completion()
    return AgentStep(number=1, started_at=datetime.now(UTC), tool_calls=[call_], completion=reason, **words)


@pytest.mark.parametrize("field", ["tool", "words", "reason"])
def test_a_step_with_a_huge_word_stays_listed_in_the_bounded_record(field: str) -> None:
    record = AgentExecution(id="x", run_id="r", task="t", strategy=Strategy.SMART, continue_on_error=True,
                            started_at=datetime.now(UTC), steps=[_step(field), AgentStep(number=2, started_at=datetime.now(UTC))],
                            model=HUGE if field == "words" else "m")  # fmt: skip
    small = bounded(record)
    assert payload_bytes(small) <= PAYLOAD_BUDGET_BYTES
    assert [s.number for s in small.steps] == [1, 2] and small.earlier.steps == 0


async def test_an_unknown_tool_of_a_huge_name_is_listed_in_the_first_step(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    answers = [completion("calling", [call("u", HUGE)]), done()]
    with scripted(answers) as (base, _seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(
                client, task_queue, tools=["write_file"], limits=AgentLimits(context_tokens=2_048)
            )
            record = AgentExecution.model_validate(await asyncio.wait_for(handle.result(), 60))
    assert record.success and record.earlier.steps == 0
    first = record.steps[0]
    assert first.number == 1 and first.tool_calls[0].tool.startswith("nnn") and len(first.tool_calls[0].tool) < 2_000
