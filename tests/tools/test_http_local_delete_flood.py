"""The records a worker keeps for local DELETEs (what an attempt that did nothing said) cannot be flooded away:
other runs' DELETEs turned away, in flight or done, made a run's real record the oldest and forgot it, and
its DELETE told 404 at a wrong address was 'taken as deleted'."""

from __future__ import annotations

import asyncio
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError

from orchestra.record import ExecutionRecord
from orchestra.tools import earlier_attempts
from tests.helpers import serving, start_plan, until, worker_for

FLOODING_NODES = 8
KEPT = 4  # the bound, made small here so a few records flood it


class Turning(BaseHTTPRequestHandler):
    """``/victim`` is turned away (503) once, then not found; every other path is turned away always."""

    answered: ClassVar[list[tuple[str, int]]] = []
    lock = threading.Lock()

    def do_DELETE(self) -> None:
        with self.lock:
            victim_before = any(path == "/victim" for path, _ in self.answered)
            status = 404 if self.path == "/victim" and victim_before else 503
            self.answered.append((self.path, status))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def deleting(url: str, ids: list[str], attempts: int, interval_s: float) -> dict[str, Any]:
    retry = {"max_attempts": attempts, "initial_interval_s": interval_s}
    nodes = [
        {
            "id": i,
            "tool": "http_request",
            "args": {"method": "DELETE", "url": f"{url}/{i}"},
            "retry": retry,
            "local": True,
            "timeout_s": 30,  # a local activity only when short (orchestra.tool_spec.LONGEST_LOCAL_CALL_S)
        }
        for i in ids
    ]
    return {"name": "delete", "nodes": nodes}


def answered(path: str) -> int:
    return sum(p == path for p, _ in Turning.answered)


@pytest.mark.parametrize("flood_attempts", [1, 2], ids=["finished", "in-flight"])
async def test_other_runs_turned_away_leave_a_runs_record_alone(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flood_attempts: int
) -> None:
    monkeypatch.setattr(earlier_attempts, "KEPT_LOCALLY", KEPT)
    Turning.answered = []
    with serving(Turning) as url:
        async with worker_for(client, task_queue, tmp_path):
            victim = await start_plan(client, task_queue, deleting(url, ["victim"], 3, interval_s=4.0))
            await until(lambda: asyncio.sleep(0, answered("/victim")))
            flooding = [f"flood{n}" for n in range(FLOODING_NODES)]
            for ids in (flooding[::2], flooding[1::2]):  # two runs
                await start_plan(client, task_queue, deleting(url, ids, flood_attempts, interval_s=30.0))
            await until(lambda: asyncio.sleep(0, len(Turning.answered)), lambda n: n > FLOODING_NODES)
            with pytest.raises(WorkflowFailureError) as failure:
                await victim.result()
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "PlanFailed"
    record = ExecutionRecord.model_validate(cause.details[0])
    step = record.step("victim")
    assert ("/victim", 404) in Turning.answered
    assert step.error is not None and step.error.code == "http_404", "completed, 'taken as deleted', before"
