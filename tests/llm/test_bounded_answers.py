"""A model endpoint's answer is bounded in time and size, whatever it sends: a byte dripped every fraction
of a second kept each read within httpx's per-read timeout, and the call (the planner's CLI, an agent's
model step) lasted as long as the endpoint liked; a body that never ends was read whole into the worker's
memory. Real HTTP on loopback; the agent's run on the dev server."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError

from orchestra.agent.models import AgentExecution, AgentLimits, AgentRequest
from orchestra.errors import ErrorKind
from orchestra.llm import ChatClient, ChatRequest, LLMAnswerTooLarge, LLMBadResponse, LLMConfig, LLMTimeout, Message
from orchestra.llm.errors import LLM_TOO_LARGE
from orchestra.record import AgentState
from tests.helpers import settings_for
from tests.llm.streams import OPENING, dripped, endless, streaming
from worker import create_worker
from workflows.agent import AgentWorkflow

SMALL_CAP = 1 << 20
ASK = ChatRequest(messages=[Message(role="user", content="hi")])


def config(base: str, **fields: float) -> LLMConfig:
    return LLMConfig(base_url=base, model="scripted", api_key="sk-test", **fields)


async def test_an_answer_dripped_a_byte_at_a_time_ends_at_the_calls_timeout():
    with streaming(dripped(every_s=0.2, count=100)) as (base, _seen):  # 20 s of drip, each read 0.2 s apart
        async with ChatClient(config(base, timeout_s=1)) as chat:
            with pytest.raises(LLMTimeout, match="did not finish its answer within 1s") as caught:
                await chat.chat(ASK)
    assert caught.value.retryable, "a slow endpoint may be quicker next time"


@pytest.mark.parametrize("status", [200, 500], ids=["answer", "error page"])
async def test_an_answer_that_never_ends_is_read_only_up_to_the_cap(status):
    with streaming(endless(count=64), status) as (base, _seen):  # 64 MB, the cap 1 MB
        async with ChatClient(config(base, max_answer_bytes=SMALL_CAP)) as chat:
            with pytest.raises(LLMBadResponse if status == 200 else Exception) as caught:
                await chat.chat(ASK)
    if status == 200:
        assert isinstance(caught.value, LLMAnswerTooLarge) and caught.value.code == LLM_TOO_LARGE
        assert "over 1,048,576 bytes" in str(caught.value) and not caught.value.retryable
    else:
        assert "HTTP 500" in str(caught.value), "an error page past the cap is still the status it says"


@pytest.mark.parametrize("body", [b"[" * 200_000, OPENING + b'", "x": ' + b"[" * 200_000],
                         ids=["nested array", "nested in a choice"])  # fmt: skip
async def test_an_answer_nested_past_the_parser_is_a_bad_response(body):
    """json.loads' RecursionError went past the client's ``except ValueError``: a raw error, retried."""
    with streaming(body) as (base, _seen):
        async with ChatClient(config(base)) as chat:
            with pytest.raises(LLMBadResponse, match="not JSON"):
                await chat.chat(ASK)


async def test_an_agent_step_given_an_endless_answer_fails_the_run_once_with_why(
    client: Client, task_queue: str, tmp_path: Path
):
    with streaming(endless(count=64)) as (base, seen):  # 64 MB, the cap 1 MB
        llm = config(base, max_answer_bytes=SMALL_CAP)
        async with create_worker(client, settings_for(task_queue, tmp_path), None, llm=llm):
            handle = await client.start_workflow(
                AgentWorkflow.run,
                AgentRequest(task="do the thing", tools=["sleep"], limits=AgentLimits(llm_max_attempts=3)),
                id=f"agent-test-{uuid.uuid4()}",
                task_queue=task_queue,
            )
            with pytest.raises(WorkflowFailureError) as failure:
                await asyncio.wait_for(handle.result(), 120)
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "agent_llm_failed"
    record = AgentExecution.model_validate(cause.details[0])
    error = record.steps[0].error
    assert record.state == AgentState.ERROR and error is not None
    assert (error.type, error.code, error.retryable) == (ErrorKind.LLM_ERROR, LLM_TOO_LARGE, False)
    assert len(seen) == 1, "not asked again: the endpoint that wrote it once writes it again"
