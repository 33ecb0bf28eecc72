"""A model reply of megabytes of tiny JSON values (4 MB of zeros: 9 s of parsing and walking, the worker's
loop and its heartbeats held, the parser holding the GIL in its thread) is refused before it is parsed, and
not retried; a real reply whose text or arguments hold as many commas, in strings, is read as before. And
the model's name the reply gives is kept cut on each step, whatever its length."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowFailureError

from orchestra.agent.models import AgentExecution, AgentLimits
from orchestra.llm.client import MAX_ANSWER_VALUES, MAX_ANSWER_WORD_CHARS
from orchestra.record import StepState
from tests.agent.support import agent_worker, record_of, start_agent
from tests.llm_server import call, completion, done, reply, scripted

RUN_WITHIN_S = 120  # a ceiling for a hung run (a failure), not a measure


async def test_a_reply_of_too_many_values_is_refused_unparsed(client: Client, task_queue: str, tmp_path: Path) -> None:
    flood = reply({"choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "x"}}],
                   "junk": [0] * (2 * MAX_ANSWER_VALUES)})  # fmt: skip
    with scripted([flood]) as (base, seen):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["sleep"], limits=AgentLimits(llm_max_attempts=3))
            with pytest.raises(WorkflowFailureError):
                await asyncio.wait_for(handle.result(), RUN_WITHIN_S)
            record = await record_of(handle)
    [step] = record.steps
    assert step.state == StepState.ERROR and step.error is not None, step
    assert f"more than {MAX_ANSWER_VALUES:,} JSON values" in step.error.message, step.error
    assert len(seen) == 1, "an endpoint that wrote it once writes it again: not asked twice"


async def test_a_reply_whose_strings_hold_many_commas_is_read(client: Client, task_queue: str, tmp_path: Path) -> None:
    content = "a," * (2 * MAX_ANSWER_VALUES)
    answers = [completion("writing", [call("w", "write_file", path="commas.txt", content=content)]), done()]
    answers[0] = (*answers[0][:2], answers[0][2].replace(b'"scripted"', b'"' + b"m" * 1_000_000 + b'"'))
    with scripted(answers) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["write_file"])
            record = AgentExecution.model_validate(await asyncio.wait_for(handle.result(), RUN_WITHIN_S))
    assert record.success, record.error
    assert (tmp_path / "commas.txt").read_text() == content
    model = record.steps[0].model
    assert model is not None and model.startswith("mmm") and len(model) <= MAX_ANSWER_WORD_CHARS, len(model or "")
