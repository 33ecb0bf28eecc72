"""A run's request as a client that skips our validation writes it: raw JSON (the Temporal CLI, another
SDK). Values read back are let through the ceilings added since (``written_now``), so a request new now must
be checked by the workflow itself."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.client import WorkflowFailureError
from temporalio.common import RawValue

from tests.agent.support import USAGE, agent_worker
from tests.llm_server import done, scripted


def raw_json(text: str) -> RawValue:
    return RawValue(Payload(metadata={"encoding": b"json/plain"}, data=text.encode()))


@pytest.mark.parametrize("temperature", ["NaN", "Infinity", "-Infinity", "-0.5"])
async def test_a_temperature_in_raw_json_that_is_no_finite_number_fails_the_run_with_why(
    client, task_queue, tmp_path, temperature
):
    with scripted([done("finished", USAGE)]) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await client.start_workflow(
                "AgentWorkflow",
                raw_json(f'{{"task": "t", "temperature": {temperature}}}'),
                id=f"agent-raw-{uuid.uuid4()}",
                task_queue=task_queue,
            )
            with pytest.raises(WorkflowFailureError) as failed:
                await asyncio.wait_for(handle.result(), 60)
    assert "temperature" in str(failed.value.cause), failed.value.cause
    assert not seen, "the model was asked with no temperature (null) or the one refused"
