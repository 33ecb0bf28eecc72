"""A POST without an Idempotency-Key, turned away (503: surely not acted on), is sent at most as often as its
caller allows, whoever the caller: an agent's call, a node's alternative, a compensation. Each had one Temporal
attempt, but the tool's own tries within it (3) posted it three times: only a plan's own node said how many."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError

from orchestra.agent.models import AgentExecution
from tests.agent.support import agent_worker, start_agent
from tests.helpers import http_server, start_plan, worker_for
from tests.llm_server import call, completion, done, scripted


@contextmanager
def busy_server() -> Iterator[tuple[str, list[str]]]:
    """A loopback server answering each POST 503 (turned away) and each GET 404; yields its URL and what it got."""
    got: list[str] = []

    def answer(request: Any) -> tuple[int, dict[str, str], bytes]:
        got.append(f"{request.command} {request.path}")
        return (503, {"Retry-After": "0"}, b"busy") if request.command == "POST" else (404, {}, b"none")

    with http_server(answer) as url:
        yield url, got


async def test_an_agents_keyless_post_is_sent_once(client: Client, task_queue: str, tmp_path: Path) -> None:
    with busy_server() as (url, got):
        answers = [completion("posting", [call("c", "http_request", url=f"{url}/orders", method="POST")]), done()]
        with scripted(answers) as (base, _):
            async with agent_worker(client, task_queue, tmp_path, base):
                handle = await start_agent(client, task_queue, tools=["http_request"], continue_on_error=True)
                record = AgentExecution.model_validate(await handle.result())
    (made,) = record.steps[0].tool_calls
    assert made.error is not None and made.error.code == "http_503", made
    assert got == ["POST /orders"], "posted 3 times within its one attempt, before"


def _charge_then_fail(url: str) -> dict[str, Any]:
    return {"name": "charge", "compensate_on_failure": True, "nodes": [
        {"id": "charge", "tool": "write_file", "args": {"path": "charged.txt", "content": "10"},
         "compensation": {"tool": "http_request", "args": {"method": "POST", "url": f"{url}/refund"}}},
        {"id": "ship", "tool": "http_request", "args": {"url": f"{url}/ship"}, "depends_on": ["charge"]},
    ]}  # fmt: skip


def _get_else_post(url: str) -> dict[str, Any]:
    return {"name": "fetch", "nodes": [{
        "id": "fetch", "tool": "http_request", "args": {"url": f"{url}/feed"},
        "retry": {"max_attempts": 3, "initial_interval_s": 0.1},
        "alternatives": [{"tool": "http_request", "args": {"method": "POST", "url": f"{url}/order"}}],
    }]}  # fmt: skip


@pytest.mark.parametrize(("plan", "posted"), [(_charge_then_fail, "POST /refund"), (_get_else_post, "POST /order")])
async def test_a_keyless_post_run_for_a_node_is_sent_once(
    client: Client, task_queue: str, tmp_path: Path, plan: Any, posted: str
) -> None:
    with busy_server() as (url, got):
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, plan(url))
            with pytest.raises(WorkflowFailureError):
                await handle.result()
    assert [g for g in got if g.startswith("POST")] == [posted], "posted 3 times within its one attempt, before"
