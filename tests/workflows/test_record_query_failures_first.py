"""A record answered in part (the record query's QUERY_STEPS, or the largest value a run can send) still names the
steps that went wrong: a step failed past the first QUERY_STEPS in plan order was counted ("1 failed") and never
shown, neither which nor why, by `status` or `--json`; a running one likewise."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from temporalio.client import Client, WorkflowExecutionStatus

from orchestra.record import QUERY_STEPS, ExecutionRecord, StepState
from orchestra.settings import Settings
from tests.control_support import current_details, gate
from tests.helpers import settings_for, start_plan, until
from tests.ops.support import run_command
from tests.storage.conftest import client_with
from tests.workflows.test_write_undo import FAILING
from worker import create_worker

LIMIT = 300_000  # the largest value a run may send: some 600 steps of long ids pass its query's share
LONG = "x" * 200


def late_failure_plan(url: str, waiting: int = QUERY_STEPS, suffix: str = "") -> dict[str, Any]:
    """A step held open, ``waiting`` steps waiting on it, and, last in plan order, a step that fails at once."""
    nodes: list[dict[str, Any]] = [
        {"id": "hold", "tool": "http_request", "args": {"url": url}},
        {"id": "quick", "tool": "sleep", "args": {"seconds": 0}},
    ]
    nodes += [
        {"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["hold"]} for i in range(QUERY_STEPS)
    ]
    nodes.append({"id": "late_bad", **FAILING, "depends_on": ["quick"]})
    return {"name": "late-failure", "nodes": nodes}


async def test_a_step_failed_past_the_bound_is_shown_with_its_error(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    with gate() as (url, release):
        async with create_worker(client, settings_for(task_queue, tmp_path)):
            handle = await start_plan(client, task_queue, late_failure_plan(url))
            record = await until(lambda: handle.query("record", result_type=ExecutionRecord), _failed_and_holding)
            status = await run_command(client, "--task-queue", task_queue, "status", handle.id)
            as_json = await run_command(client, "--task-queue", task_queue, "status", handle.id, "--json")
            details = await current_details(handle)
            watching = asyncio.create_task(run_command(client, "--task-queue", task_queue, "watch", handle.id))
            await handle.cancel()
            release.set()
            watched = await watching
            await until(lambda: handle.describe(), lambda d: d.status != WorkflowExecutionStatus.RUNNING)
            # The closed run's record is its history replayed here (cli/replayed.py): every step listed, no bound.
            closed = await run_command(client, "--task-queue", task_queue, "status", handle.id, "--json")
    assert record.steps_not_listed > 0 and "late_bad" not in [s.node_id for s in record.steps], "past the bound"
    flat = " ".join(status.out.split())
    assert status.code == 0 and "late_bad" in flat and "missing.txt" in flat, flat[-600:]
    # The Web UI said `status` "lists every step": it lists the first QUERY_STEPS of a running run's steps.
    assert "lists every step" not in details and f"at most {QUERY_STEPS:,}" in details, details[-400:]
    shown = json.loads(as_json.out)
    assert as_json.code == 0, as_json.out
    assert _noted(shown)["late_bad"]["state"] == "error", "the JSON names the failed step too"
    assert "late_bad validation: path 'missing.txt'" in watched.out, "watch's own line for it, not only the table"
    assert closed.code == 0, closed.out[-600:]
    closed_steps = {step["node_id"]: step for step in json.loads(closed.out)["record"]["steps"]}
    assert closed_steps["late_bad"]["error"]["message"], "and the closed run's, listed"
    noted = {s.node_id: s for s in record.steps_noted}
    assert noted["late_bad"].state == StepState.ERROR and noted["late_bad"].error is not None


def _failed_and_holding(record: ExecutionRecord) -> bool:
    return record.metrics.failed == 1 and record.metrics.running >= 1


async def test_a_step_failed_past_the_bytes_a_run_may_send_is_shown_with_its_error(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    bounded = client_with(client, storage_settings.model_copy(update={"storage_max_payload_bytes": LIMIT}))
    worker_settings = settings_for(task_queue, tmp_path).model_copy(update={"storage_max_payload_bytes": LIMIT})
    with gate() as (url, release):
        async with create_worker(bounded, worker_settings):
            handle = await start_plan(bounded, task_queue, late_failure_plan(url, QUERY_STEPS - 100, LONG))
            record = await until(lambda: handle.query("record", result_type=ExecutionRecord), _failed_and_holding)
            status = await run_command(bounded, "--task-queue", task_queue, "status", handle.id)
            await handle.cancel()
            release.set()
    assert 0 < record.steps_not_listed < QUERY_STEPS, "the bytes, not the count, leave steps out"
    assert [s.node_id for s in record.steps_noted] == ["late_bad"]
    flat = " ".join(status.out.split())
    assert status.code == 0 and "late_bad" in flat and "missing.txt" in flat, flat[-600:]


def _noted(shown: dict[str, Any]) -> dict[str, Any]:
    record = shown["record"]
    assert record["steps_not_listed"] > 0, "listed in part"
    return {step["node_id"]: step for step in record["steps_noted"]}
