"""An MCP answer no HTTP client reads, which the server would give the same request again — an unasked
101, informational answers without end, a head without end — fails the call for good, idempotent tool or
not: one rule with http_request, which never sends such a request again (before, an idempotent MCP tool's
call was sent again on each of its step's attempts, to the same answer). A real MCP server
(``server-everything`` over streamable HTTP, its ``echo`` marked idempotent) behind a loopback proxy that
gives a ``tools/call`` that answer; run by a real worker."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, cast

import pytest
from temporalio.client import Client, WorkflowFailureError

from orchestra.errors import ToolError
from orchestra.informational import MAX_HEAD_BYTES, MAX_INFORMATIONAL
from orchestra.registry import ToolRegistry
from orchestra.settings import Settings
from orchestra.tool_spec import ToolContext
from tests.helpers import host_rule, start_plan, worker_for
from tests.mcp.answering_proxy import SWITCH, answering_proxy
from tests.mcp.support import everything_over_http, mcp_registry, tool_file

CONTEXT = cast(ToolContext, None)
ANSWERS = {
    "switched": (SWITCH, "(101)"),
    "processing": (b"HTTP/1.1 102 Processing\r\n\r\n" * (MAX_INFORMATIONAL + 5), "no final one"),
    "endless-head": (b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * (MAX_HEAD_BYTES + 1024), "head is longer than"),
}


def registry_behind(tmp_path: Path, url: str) -> ToolRegistry:
    workspace = tmp_path / "workspace"
    workspace.mkdir(exist_ok=True)
    config = Settings(workspace=workspace, data_dir=tmp_path / "data", allowed_hosts=[host_rule(url)])
    registry = mcp_registry(config, tool_file(tmp_path, {"kind": "mcp", "name": "e", "url": url, "timeout_s": 60}))
    assert not registry.server_problems.get("e"), registry.server_problems
    assert registry.get("e.echo").spec.idempotent, "the test needs a tool that is retried on a lost connection"
    return registry


@pytest.mark.parametrize("kind", list(ANSWERS))
async def test_an_answer_that_would_come_again_ends_an_idempotent_call_for_good(tmp_path: Path, kind: str) -> None:
    answer, said = ANSWERS[kind]
    with everything_over_http() as upstream, answering_proxy(upstream, answer) as (proxy, url):
        registry = await asyncio.to_thread(registry_behind, tmp_path, url)
        tool = registry.get("e.echo")
        try:
            with pytest.raises(ToolError) as failed:
                await asyncio.wait_for(tool.run(tool.spec.input_model.model_validate({"message": "hi"}), CONTEXT), 90)
        finally:
            await registry.aclose()
    assert failed.value.code == "mcp_unreadable_answer" and said in str(failed.value), failed.value
    assert not failed.value.retryable, "retried for an idempotent tool, before: the same answer came each time"
    assert proxy.calls == 1


async def test_a_run_sends_the_call_once_whatever_its_steps_attempts(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    answer, _ = ANSWERS["switched"]
    retry: dict[str, Any] = {"max_attempts": 3, "initial_interval_s": 0.1}
    plan = {"name": "final", "nodes": [{"id": "echo", "tool": "e.echo", "args": {"message": "hi"}, "retry": retry}]}
    with everything_over_http() as upstream, answering_proxy(upstream, answer) as (proxy, url):
        registry = await asyncio.to_thread(registry_behind, tmp_path, url)
        try:
            async with worker_for(client, task_queue, tmp_path / "workspace", registry):
                with pytest.raises(WorkflowFailureError):
                    await (await start_plan(client, task_queue, plan)).result()
        finally:
            await registry.aclose()
    assert proxy.calls == 1, "sent on each of the step's 3 attempts, before"
