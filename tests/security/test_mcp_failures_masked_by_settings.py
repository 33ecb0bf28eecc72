"""An MCP server whose start, handshake or listing fails quoting one of the worker's secret settings (a value it was
handed: the worker's codec key, another plan's ORCHESTRA_SECRET_*) puts it neither into the worker's log nor into a
history: the failure was masked with the server's own secrets only, and became what every lookup of its tools says
(a plan's validation, an agent's tool list) and the warning "MCP server unavailable". A real stdio MCP server in the
sandbox, a real worker, the whole history read back."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
import structlog
from temporalio.client import Client, WorkflowFailureError

from orchestra.codec import new_key
from tests.helpers import payload_text, start_plan
from tests.masked_words import EITHER_MASK, assert_masked
from tests.mcp.support import mcp_registry, tool_file
from tests.security.support import RUN_WITHIN_S, real_settings, real_worker

HERE = Path(__file__).resolve().parent
PASSPHRASE = "another plan's pass phrase: 7 ünïcode"


def failing(token: str, fail: str) -> dict[str, Any]:
    return {
        "kind": "mcp", "name": "f", "command": ["/usr/bin/python3", str(HERE / "telling_mcp_server.py")],
        "read_only": [str(HERE)], "timeout_s": 10, "env": {"TOKEN": token, "FAIL": fail},
    }  # fmt: skip


@pytest.mark.parametrize("fail", ["tools/list", "initialize", "exit"])
@pytest.mark.parametrize("setting", ["ORCHESTRA_SECRET_OTHER", "ORCHESTRA_CODEC_KEY"])
async def test_a_server_failure_quoting_a_worker_setting_is_masked_in_the_log_and_the_history(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str, fail: str
) -> None:
    secret = PASSPHRASE if setting == "ORCHESTRA_SECRET_OTHER" else new_key()
    monkeypatch.setenv(setting, secret)
    settings = real_settings(client, task_queue, tmp_path / "ws")
    with structlog.testing.capture_logs() as logs:
        registry = mcp_registry(settings, tool_file(tmp_path, failing(secret, fail)))
    try:
        assert "f.tell" not in registry
        plan = {"name": "told", "nodes": [{"id": "t", "tool": "f.tell", "args": {}}]}
        async with real_worker(client, settings, registry):
            handle = await start_plan(client, task_queue, plan)
            with pytest.raises(WorkflowFailureError) as refused:
                await asyncio.wait_for(handle.result(), RUN_WITHIN_S)
            history = payload_text(json.loads((await handle.fetch_history()).to_json()))
    finally:
        await registry.aclose()
    problems = json.dumps(registry.server_problems, ensure_ascii=False)
    logged = json.dumps([line for line in logs if line.get("event") == "MCP server unavailable"], ensure_ascii=False)
    assert "unavailable" in problems and "unavailable" in logged, (problems, logs)
    assert "unavailable" in str(refused.value.cause) and "unavailable" in history, history
    for words in (problems, logged, history):
        assert_masked(words, secret, mask=EITHER_MASK)
