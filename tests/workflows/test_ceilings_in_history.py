"""A count's ceiling (temporal_bounds.at_most) and the agent's window check refuse a value where a plan
or a request is written, not where a run reads one back: a run started before they existed may hold a
value over one (its request, its carry on a hand-over), and refusing it then failed that run as
unreadable, or, on a replay, its workflow task for ever."""

from __future__ import annotations

import uuid
from pathlib import Path

from temporalio.client import Client

from orchestra.agent.models import MAX_CALLS_PER_REPLY, AgentLimits
from orchestra.calls import RunRequest
from orchestra.converter import PayloadConverter
from orchestra.plan import MAX_FAILURES_TO_OPEN, parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.record import ExecutionRecord, StepState
from orchestra.temporal_bounds import MAX_PARALLEL
from tests.helpers import worker_for
from workflows.orchestration import OrchestrationWorkflow

PLAN = {"circuit_breaker": {}, "nodes": [{"id": "a", "tool": "sleep", "args": {"seconds": 0}}]}


def test_values_over_a_ceiling_written_before_it_read_back_as_written() -> None:
    written = AgentLimits()
    # As a request of the code before the ceilings carried them (the fields take assignment unchecked).
    written.max_parallel, written.batch_size = MAX_CALLS_PER_REPLY * 2, MAX_CALLS_PER_REPLY * 3
    written.max_output_tokens = written.context_tokens
    converter = PayloadConverter()
    (read,) = converter.from_payloads(converter.to_payloads([written]), [AgentLimits])
    assert read == written


async def test_a_run_whose_request_holds_counts_over_the_ceilings_runs(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    plan = parse_plan(PLAN)
    plan.tool_concurrency["sleep"] = MAX_PARALLEL * 5
    assert plan.circuit_breaker is not None
    plan.circuit_breaker.failures_to_open = MAX_FAILURES_TO_OPEN * 2
    async with worker_for(client, task_queue, tmp_path):
        handle = await client.start_workflow(
            OrchestrationWorkflow.run,
            args=first_run_args(RunRequest(plan=plan)),
            id=f"test-{uuid.uuid4()}",
            task_queue=task_queue,
        )
        record = ExecutionRecord.model_validate(await handle.result())
    assert [step.state for step in record.steps] == [StepState.COMPLETED], record.steps
