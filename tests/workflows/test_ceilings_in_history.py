"""A count's ceiling (temporal_bounds.at_most) and the agent's window check refuse a value where a plan
or a request is written, not where a run reads one back: a run started before they existed may hold a
value over one (its request, its carry on a hand-over), and refusing it then failed that run as
unreadable, or, on a replay, its workflow task for ever. A plan run started now is checked as written by
the run itself (a client that skips our validation sends raw JSON, read back like a value written before)."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.client import Client, WorkflowFailureError
from temporalio.client import WorkflowHistory as History
from temporalio.common import RawValue

from orchestra.agent.models import MAX_CALLS_PER_REPLY, AgentLimits
from orchestra.converter import PayloadConverter, compose
from orchestra.plan import MAX_FAILURES_TO_OPEN
from orchestra.replayers import replayer_without_deadline
from tests.helpers import worker_for
from worker import workflow_runner
from workflows.orchestration import OrchestrationWorkflow

# Recorded by the code before the plan run checked its own request: a raw-JSON start (request, null carry)
# whose counts are over every ceiling of the plan, which that code ran as given.
RECORDED = Path(__file__).with_name("ceilings_over_recorded.json")
OVER: dict[str, Any] = {
    "max_parallel": 10**12,
    "tool_concurrency": {"sleep": 99_999_999},
    "circuit_breaker": {"failures_to_open": MAX_FAILURES_TO_OPEN * 2},
    "nodes": [{"id": "a", "tool": "sleep", "args": {"seconds": 0}}],
}


def raw_json(value: Any) -> RawValue:
    return RawValue(Payload(metadata={"encoding": b"json/plain"}, data=json.dumps(value).encode()))


def test_values_over_a_ceiling_written_before_it_read_back_as_written() -> None:
    written = AgentLimits()
    # As a request of the code before the ceilings carried them (the fields take assignment unchecked).
    written.max_parallel, written.batch_size = MAX_CALLS_PER_REPLY * 2, MAX_CALLS_PER_REPLY * 3
    written.max_output_tokens = written.context_tokens
    converter = PayloadConverter()
    (read,) = converter.from_payloads(converter.to_payloads([written]), [AgentLimits])
    assert read == written


@pytest.mark.parametrize("over", ["max_parallel", "tool_concurrency", "circuit_breaker"])
async def test_a_plan_run_started_now_over_a_ceiling_is_refused_with_the_reason(
    client: Client, task_queue: str, tmp_path: Path, over: str
) -> None:
    plan = {"nodes": OVER["nodes"], over: OVER[over]}
    async with worker_for(client, task_queue, tmp_path):
        handle = await client.start_workflow(
            "OrchestrationWorkflow",
            args=[raw_json({"plan": plan}), raw_json(None)],  # as our starters send it: with its carry, null
            id=f"test-{uuid.uuid4()}",
            task_queue=task_queue,
        )
        with pytest.raises(WorkflowFailureError) as failed:
            await asyncio.wait_for(handle.result(), 60)
    cause = str(failed.value.cause)
    assert over in cause and ("ceiling" in cause or "never opens" in cause), cause
    events = [e.WhichOneof("attributes") for e in (await handle.fetch_history()).events]
    assert "activity_task_scheduled_event_attributes" not in events, "the plan was prepared or a step ran"


async def test_a_run_recorded_over_the_ceilings_before_the_check_replays(storage_settings) -> None:
    history = History.from_json("ceilings_over", RECORDED.read_text())
    replayer = replayer_without_deadline(
        workflows=[OrchestrationWorkflow],
        data_converter=compose(None, storage_settings),  # a worker's, which reads back what was written
        workflow_runner=workflow_runner(),
    )
    await replayer.replay_workflow(history)
