"""An MCP server over streamable HTTP, its session closed at the end of a command and of a worker's life:
nothing of the closing is an error. The SDK's writer of requests closes what it was handed to read into
when it ends, and ours (``Notices``) had no ``aclose``: every HTTP session ended in an AttributeError,
swallowed as the server's going away, or quoted after the real reason when the server could not be reached
(tests/mcp/conftest.py fails any test whose transport's closing raises)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import anyio
import structlog
from mcp.shared.message import SessionMessage
from mcp.types import JSONRPCMessage, JSONRPCResponse

from orchestra.mcp.transports import Notices
from orchestra.record import AgentState, ExecutionRecord
from tests.cli.cli import clean_env, run_client
from tests.helpers import TEST_HOSTS, host_rule, settings_for, start_plan
from tests.mcp.support import asking_over_http, mcp_registry, tool_file
from worker import create_worker

ERROR_LEVELS = {"error", "critical", "exception"}


def registry_file(tmp_path: Path, url: str) -> Path:
    return tool_file(tmp_path, {"kind": "mcp", "name": "a", "url": url, "timeout_s": 60})


async def tools_command(tmp_path: Path, url: str, **env: str) -> tuple[int, str, str]:
    args = ["tools", "--refresh", "--registry", str(registry_file(tmp_path, url))]
    places = {"ORCHESTRA_WORKSPACE": str(tmp_path), "ORCHESTRA_DATA_DIR": str(tmp_path / "data")}
    result = await run_client(*args, env=clean_env(**places, **env))
    return result.code, result.out, result.err


async def test_tools_lists_an_http_servers_tools_and_its_session_ends_quietly(tmp_path):
    with asking_over_http() as url:
        code, out, err = await tools_command(tmp_path, url, ORCHESTRA_ALLOWED_HOSTS=host_rule(url))
    assert code == 0, err
    assert "a.ask" in out and "mcp: a" in out
    assert "Error" not in err and "Traceback" not in err, err


async def test_a_server_that_cannot_be_reached_is_told_by_its_reason_alone(tmp_path):
    # The loopback address not allowed: the session's first request is refused before it is sent.
    with asking_over_http() as url:
        code, out, err = await tools_command(tmp_path, url)
    assert code == 1 and "a.ask" not in out
    assert "DestinationRefused" in err and "ORCHESTRA_ALLOWED_HOSTS" in err, err
    assert "AttributeError" not in err and "aclose" not in err, err


async def test_a_run_calls_an_http_servers_tool_and_the_worker_closes_its_session_cleanly(client, task_queue, tmp_path):
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    settings = settings_for(task_queue, workspace)
    plan = {"name": "asked", "nodes": [{"id": "ask", "tool": "a.ask", "args": {}}]}
    with asking_over_http() as url, structlog.testing.capture_logs() as logs:
        settings.allowed_hosts = [*TEST_HOSTS, host_rule(url)]
        registry = await asyncio.to_thread(mcp_registry, settings, registry_file(tmp_path, url))
        try:
            async with create_worker(client, settings, registry):
                record = ExecutionRecord.model_validate(await (await start_plan(client, task_queue, plan)).result())
        finally:
            await registry.aclose()
    assert record.state == AgentState.COMPLETED, record
    assert json.loads(record.step("ask").output["text"])["ping"] == "ok"
    errors = [line for line in logs if line.get("log_level") in ERROR_LEVELS]
    assert not errors, errors


async def test_an_answer_that_comes_after_the_session_ended_is_dropped_not_raised():
    # A request's POST that ends after its session did fails the request: nobody reads that any more, and
    # its send raised out of the transport's closing (test_abandoned's resumed stream did so 5 times in 5).
    writer, reader = anyio.create_memory_object_stream[SessionMessage | Exception](0)
    notices = Notices(writer)
    answer = SessionMessage(JSONRPCMessage(JSONRPCResponse(jsonrpc="2.0", id=1, result={})))
    reader.close()
    await notices.send(answer)  # the session's reading end is closed: BrokenResourceError before
    await notices.aclose()
    await notices.send(answer)  # the link's writer is closed too: ClosedResourceError before
    await notices.send(ValueError("an unreadable answer"))
