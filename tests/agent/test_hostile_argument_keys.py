"""A model's argument names reach the tool's failure as it is recorded: a key holding ESC or a bidi override
was quoted raw in the ActivityTaskFailed event's message, which `temporal workflow describe` and the Web UI
show as written (a link, a screen clear, a name shown reversed). Each key is escaped there (its escape, not
dropped: nothing joins). Real HTTP on loopback, the run on the dev server, its history read back."""

from __future__ import annotations

import asyncio
from pathlib import Path

from temporalio.client import Client

from orchestra.agent.models import AgentExecution
from orchestra.record import StepState
from tests.agent.support import agent_worker, start_agent
from tests.llm_server import call, completion, done, scripted

LINK_KEY = "\x1b]8;;http://evil.example/\x07click\x1b]8;;\x07"
RAW = ("\x1b", "\x07", "\u202e")


async def test_a_models_argument_keys_are_escaped_in_the_recorded_failure(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    args = {"path": "a.txt", LINK_KEY: 1, "n\u202eb": 2}
    answers = [completion("reading", [call("r", "read_file", **args)]), done()]
    with scripted(answers) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["read_file"])
            record = AgentExecution.model_validate(await asyncio.wait_for(handle.result(), 60))
            history = await handle.fetch_history()
    (failed,) = record.steps[0].tool_calls
    assert failed.state == StepState.ERROR and failed.error is not None
    messages = [
        e.activity_task_failed_event_attributes.failure.message
        for e in history.events
        if e.HasField("activity_task_failed_event_attributes")
    ]
    assert messages and all("Extra inputs are not permitted" in m for m in messages), messages
    for message in [*messages, failed.error.message]:
        assert not any(raw in message for raw in RAW), repr(message)
        assert "\\u001b]8;;http://evil.example/\\u0007click" in message and "n\\u202eb" in message, message
