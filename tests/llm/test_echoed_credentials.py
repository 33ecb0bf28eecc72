"""An endpoint that echoes its own credentials in a well-formed answer: the API key (or a gateway's key in
its URL) in the reply's text, a tool call's arguments, task_done's summary or the model's name, as it is
or encoded. They went whole into the run's history and record, and to the tools the model called (a file
written with the key). Errors quoting the key were masked already (tests/security/test_secrets.py); the
answers themselves are now too. Real HTTP on loopback, the run on the dev server, the history read back."""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from pathlib import Path
from urllib.parse import quote

from temporalio.client import Client

from orchestra.agent.models import AgentExecution
from orchestra.llm import ChatClient, ChatRequest, LLMConfig, Message
from orchestra.record import AgentState
from tests.agent.support import start_agent
from tests.helpers import payload_text
from tests.llm_server import call, completion, reply, scripted
from tests.security.support import RUN_WITHIN_S, real_settings
from tests.security.test_secrets import forms
from worker import create_worker


async def test_a_key_echoed_in_an_agents_answers_reaches_neither_history_nor_tools(
    client: Client, task_queue: str, tmp_path: Path
):
    key = f"sk-live-{uuid.uuid4().hex}+/="
    b64 = base64.b64encode(key.encode()).decode()
    answers = [
        completion(f"my key is {key}", [call("w", "write_file", path="k.txt", content=f"{b64} {quote(key, safe='')}")]),
        completion(None, [call("d", "task_done", summary=f"done: {json.dumps(key)} {key.encode().hex()}")]),
    ]
    with scripted(answers) as (base, seen):
        llm = LLMConfig(base_url=base, model="scripted", api_key=key, timeout_s=30)
        settings = real_settings(client, task_queue, tmp_path / "ws")
        async with create_worker(client, settings, llm=llm):
            handle = await start_agent(client, task_queue, tools=["write_file"])
            record = AgentExecution.model_validate(await asyncio.wait_for(handle.result(), RUN_WITHIN_S))
            history = payload_text(json.loads((await handle.fetch_history()).to_json()))
    assert seen[0]["auth"] == f"Bearer {key}", "the endpoint did get the key"
    assert record.state == AgentState.COMPLETED and record.final_result and "***" in record.final_result
    written = (tmp_path / "ws" / "k.txt").read_text()
    assert "***" in written, "the tool ran, with what the model was let say"
    leaked = {form for form in forms(key) if form in history or form in written}
    assert not leaked, f"found: {leaked}"
    assert "my key is ***" in history, "the rest of the answer is kept"


async def test_a_gateways_key_in_its_url_echoed_in_an_answer_is_masked_and_a_version_is_not():
    key = f"gw{uuid.uuid4().hex}"
    body = {"model": f"m-{key}", "choices": [{"message": {"role": "assistant", "content": f"{key} on 2024-06-01"}}]}
    with scripted([reply(body)]) as (base, _seen):
        llm = LLMConfig(base_url=f"{base}?api-version=2024-06-01&key={key}", model="m")
        async with ChatClient(llm) as chat:
            answer = await chat.chat(ChatRequest(messages=[Message(role="user", content="hi")]))
    assert answer.message.content == "*** on 2024-06-01" and answer.model == "m-***"
