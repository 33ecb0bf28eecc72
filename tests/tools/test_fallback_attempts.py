"""A node's alternative runs with the attempts its own tool and arguments allow, not its node's: a real
MCP server counts the calls of a tool that is not idempotent, used as the fallback of a GET, on a real dev
server whose attempt times out."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle
from temporalio.exceptions import ApplicationError

from orchestra.record import AgentState, ExecutionRecord, StepState
from tests.control_support import WITHIN_S
from tests.helpers import TEST_HOSTS, host_rule, http_server, settings_for, start_plan
from tests.mcp.support import SERVERS, listening, mcp_registry, tool_file
from worker import create_worker


@contextlib.contextmanager
def bank_over_http(calls: Path) -> Iterator[str]:
    """tests/tools/paying_mcp_server.py on a loopback port, writing each call it gets to ``calls``."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(SERVERS)}
    server = Path(__file__).parent / "paying_mcp_server.py"
    with listening(lambda port: ([sys.executable, str(server), str(port), str(calls)], env)) as port:
        yield f"http://127.0.0.1:{port}/mcp"


def not_found(_request: object) -> tuple[int, dict[str, str], bytes]:
    return 404, {}, b"no feed here"


async def run_failing_with_bank(
    client: Client, task_queue: str, tmp_path: Path, plan: Callable[[str], dict[str, Any]], timeout_s: float
) -> tuple[WorkflowHandle[Any, Any], ExecutionRecord, str]:
    """``plan(feed)`` run to its failure on a worker whose tool 'bank.pay' (its calls timing out after
    ``timeout_s``) is tests/tools/paying_mcp_server.py's, ``feed`` a URL answering 404; with the calls
    the bank received."""
    calls = tmp_path / "calls.txt"
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    settings = settings_for(task_queue, workspace)
    with bank_over_http(calls) as bank, http_server(not_found) as feed:
        settings.allowed_hosts = [*TEST_HOSTS, host_rule(bank), host_rule(feed)]
        declared = {"kind": "mcp", "name": "bank", "url": bank, "timeout_s": timeout_s}
        registry = await asyncio.to_thread(mcp_registry, settings, tool_file(tmp_path, declared))
        try:
            async with create_worker(client, settings, registry):
                handle = await start_plan(client, task_queue, plan(feed))
                with pytest.raises(WorkflowFailureError) as failure:
                    await asyncio.wait_for(handle.result(), WITHIN_S * 2)
        finally:
            await registry.aclose()
    assert isinstance(failure.value.cause, ApplicationError), failure.value
    return handle, ExecutionRecord.model_validate(failure.value.cause.details[0]), calls.read_text()


async def test_a_fallback_that_is_not_idempotent_is_called_once_when_its_attempt_times_out(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    def plan(feed: str) -> dict[str, Any]:
        return {"name": "pay", "nodes": [{
            "id": "pay", "tool": "http_request", "args": {"url": feed}, "timeout_s": 2,
            "retry": {"max_attempts": 3, "initial_interval_s": 0.1},
            "alternatives": [{"tool": "bank.pay", "args": {"amount": 10}}],
        }]}  # fmt: skip

    _, record, calls = await run_failing_with_bank(client, task_queue, tmp_path, plan, timeout_s=60)
    step = record.step("pay")
    assert record.state == AgentState.ERROR and step.state == StepState.ERROR, record
    assert step.tool == "bank.pay" and step.error is not None and step.error.code == "start_to_close", step
    assert calls == "pay 10\n", "paid once, not once per attempt of the GET (3 times before)"
    assert step.attempts == 1, "its own attempts counted, not its node's"


async def test_an_undo_that_is_not_idempotent_is_scheduled_with_one_attempt(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """A compensation had 5 attempts whatever its tool: a worker lost while the refund was in flight (or its
    120 s passed) sent it again. Its own tool's attempts now, as Temporal records the activity scheduled."""

    def plan(feed: str) -> dict[str, Any]:
        return {"name": "charge", "compensate_on_failure": True, "nodes": [
            {"id": "charge", "tool": "write_file", "args": {"path": "charged.txt", "content": "10"},
             "compensation": {"tool": "bank.pay", "args": {"amount": -10}}},
            {"id": "ship", "tool": "http_request", "args": {"url": feed}, "depends_on": ["charge"]},
        ]}  # fmt: skip

    handle, _, calls = await run_failing_with_bank(client, task_queue, tmp_path, plan, timeout_s=1)
    history = await handle.fetch_history()
    scheduled = {
        e.activity_task_scheduled_event_attributes.activity_id: e.activity_task_scheduled_event_attributes.retry_policy
        for e in history.events
        if e.HasField("activity_task_scheduled_event_attributes")
    }
    assert scheduled["charge.compensate"].maximum_attempts == 1, "5 before"
    assert calls == "pay -10\n"
