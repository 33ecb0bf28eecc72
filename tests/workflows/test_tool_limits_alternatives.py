"""A plan's ``tool_concurrency`` limits a tool's calls made as a step's alternative too: steps were held by their own
tool only, so a limit on a tool the plan calls only as an alternative (accepted by validation, which counts
alternatives as calls) limited nothing, and steps whose first tool failed all called it at once.

Saved histories (ORCHESTRA_SAVE_HISTORIES=1 saves this run's): tool_limits_alternatives_now.json (recorded by this
code), tool_limits_alternatives_before.json (by the code before: the calls at once); both replay with
test_saved_histories_replay."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import CancelledError

from orchestra.record import AgentState, StepState
from tests.control_support import gate_server
from tests.helpers import http_server, json_body, record_of, start_plan, until, worker_for
from tests.workflows.test_replay import HISTORIES, _replayer
from tests.workflows.test_write_undo import FAILING

STEPS = 4
SAVED = "tool_limits_alternatives_now"


def plan(url: str) -> dict[str, Any]:
    fallback = {"tool": "http_request", "args": {"url": url, "timeout_s": 60}}
    nodes = [{"id": f"s{i}", **FAILING, "alternatives": [fallback]} for i in range(STEPS)]
    nodes += [{"id": f"d{i}", **fallback} for i in range(2)]  # steps of the limited tool itself, held beside them
    return {"name": "limited-alternative", "tool_concurrency": {"http_request": 1}, "nodes": nodes}


async def test_a_limit_holds_the_calls_of_a_tool_made_as_alternatives(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    lock, at_once, most = threading.Lock(), [0], [0]

    def answer(_request: Any) -> tuple[int, dict[str, str], bytes]:
        with lock:
            at_once[0] += 1
            most[0] = max(most[0], at_once[0])
        time.sleep(1)  # long enough for the other steps' alternatives to come meanwhile
        with lock:
            at_once[0] -= 1
        return json_body({"ok": True})

    with http_server(answer) as url:
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, plan(url))
            record = await handle.result()
            history = await handle.fetch_history()
    if os.environ.get("ORCHESTRA_SAVE_HISTORIES"):
        (HISTORIES / f"{SAVED}.json").write_text(history.to_json())
    await _replayer().replay_workflow(history)
    assert all(step.state == StepState.COMPLETED for step in record.steps), record
    assert most[0] == 1, f"{most[0]} calls of http_request at once, over its limit of 1"


async def test_a_cancel_reaches_a_step_waiting_for_its_alternatives_slot(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    with gate_server() as held:
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, plan(held.url))
            await until(lambda: record_of(handle), lambda r: sum(bool(s.fallback_from) for s in r.steps) == STEPS)
            await handle.cancel()
            with pytest.raises(WorkflowFailureError) as failure:
                await handle.result()
            held.open.set()
            record = await record_of(handle)
    assert isinstance(failure.value.cause, CancelledError), failure.value.cause
    assert record.state == AgentState.CANCELLED, record.state
    waiting = [s for s in record.steps if s.fallback_from and s.state == StepState.CANCELLED]
    assert len(waiting) >= STEPS - 1, record.steps  # all but the one calling it at most


async def test_a_step_gone_on_to_its_alternative_lets_go_of_its_tools_slot(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """Its own tool refuses it at once; its alternative sleeps: the next step of its tool starts meanwhile."""
    slow = {"tool": "sleep", "args": {"seconds": 3}}
    with http_server(lambda _request: (400, {}, b"refused")) as url:
        refused = {"tool": "http_request", "args": {"url": url}, "retry": {"max_attempts": 1}}
        nodes = [{"id": f"r{i}", **refused, "alternatives": [slow]} for i in range(2)]
        limited = {"name": "limit-let-go", "tool_concurrency": {"http_request": 1}, "nodes": nodes}
        async with worker_for(client, task_queue, tmp_path):
            record = await (await start_plan(client, task_queue, limited)).result()
    first, second = sorted(record.steps, key=lambda s: s.scheduled_at or record.started_at)
    assert first.ended_at and second.scheduled_at and second.scheduled_at < first.ended_at, record.steps
