"""An MCP server's tool description and input schema echoing one of the worker's secret settings (a value it was
handed: the admin gave it the worker's own token, or it found it) reach neither the agent's history nor the model:
they were masked with the server's own secrets only, so the agent_tools result carried the worker's codec key or
another plan's ORCHESTRA_SECRET_* into the history in clear, and every agent_llm_step sent it to the model. A real
stdio MCP server in the sandbox, a real scripted model on loopback, a real worker, the whole history read back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

from orchestra.agent.models import AgentExecution
from orchestra.codec import new_key
from orchestra.record import AgentState
from tests.agent.support import agent_worker, start_agent
from tests.helpers import payload_text
from tests.llm_server import done, scripted
from tests.masked_words import assert_masked
from tests.mcp.support import mcp_registry, tool_file
from tests.security.support import real_settings

HERE = Path(__file__).resolve().parent
PASSPHRASE = "another plan's pass phrase: 7 ünïcode"


def echoing(token: str) -> dict[str, Any]:
    return {
        "kind": "mcp", "name": "e", "command": ["/usr/bin/python3", str(HERE / "telling_mcp_server.py")],
        "read_only": [str(HERE)], "timeout_s": 10, "env": {"TOKEN": token},
    }  # fmt: skip


@pytest.mark.parametrize("setting", ["ORCHESTRA_SECRET_OTHER", "ORCHESTRA_CODEC_KEY"])
async def test_a_tool_description_echoing_a_worker_setting_is_masked_in_the_history_and_the_request(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    secret = PASSPHRASE if setting == "ORCHESTRA_SECRET_OTHER" else new_key()
    monkeypatch.setenv(setting, secret)
    settings = real_settings(client, task_queue, tmp_path / "ws")
    registry = mcp_registry(settings, tool_file(tmp_path, echoing(secret)))
    try:
        assert "e.tell" in registry, registry.server_problems
        with scripted([done("told")]) as (base, seen):
            async with agent_worker(client, task_queue, settings.workspace, base, registry):
                handle = await start_agent(client, task_queue, tools=["e.tell"])
                record = AgentExecution.model_validate(await handle.result())
                history = payload_text(json.loads((await handle.fetch_history()).to_json()))
    finally:
        await registry.aclose()
    assert record.state == AgentState.COMPLETED, record
    sent = json.dumps([request["body"] for request in seen], ensure_ascii=False)
    assert "uses the key" in history and "uses the key" in sent, "the description itself is kept"
    assert_masked(history, secret, mask="***")
    assert_masked(sent, secret, mask="***")
