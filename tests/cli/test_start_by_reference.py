"""`start` stores a large plan's steps after its first piece before the start (orchestra/plan_start.py), cut as
ORCHESTRA_PLAN_PIECE_STEPS says: the run's first activation decodes one piece of the plan, not the whole request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

from orchestra.calls import RunRequest
from orchestra.cli.history import record_from_history
from orchestra.plan import parse_plan
from orchestra.plan_chain import PlanCarry, first_run_args
from orchestra.plan_start import by_reference
from orchestra.record import ExecutionRecord
from orchestra.settings import Settings
from tests.cli.cli import Cli, write_plan
from tests.helpers import worker_for

PLAN: dict[str, Any] = {
    "name": "by-reference",
    "nodes": [
        {"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, **({"depends_on": [f"s{i - 1}"]} if i else {})}
        for i in range(10)
    ],
}


async def test_start_sends_the_first_piece_and_stores_the_others(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORCHESTRA_PLAN_PIECE_STEPS", "4")
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        started = await cli.here("start", "--plan", write_plan(tmp_path, PLAN), "--id", f"plan-{task_queue}")
        assert started.code == 0, started.err
        handle = client.get_workflow_handle(f"plan-{task_queue}")
        record = ExecutionRecord.model_validate(await handle.result())
    assert record.state.value == "completed" and record.metrics.completed == 10, record.metrics
    history = await client.get_workflow_handle(handle.id, run_id=record.runs[0]).fetch_history()
    attributes = history.events[0].workflow_execution_started_event_attributes
    request, _ = await client.data_converter.decode(attributes.input.payloads, [object, PlanCarry])
    assert len(request["plan"]["nodes"]) == 4 and len(request["steps_stored"]) == 2, request


async def test_a_record_rebuilt_from_the_history_lists_the_stored_steps(client: Client, task_queue: str) -> None:
    """A run whose worker does not answer is shown from its history: every step of the plan, not its first piece."""
    workflow_id = f"plan-{task_queue}"
    request = await by_reference(client, RunRequest(plan=parse_plan(PLAN)), workflow_id, Settings(plan_piece_steps=4))
    assert request.steps_stored, "not started by reference"
    handle = await client.start_workflow(
        "OrchestrationWorkflow", args=first_run_args(request), id=workflow_id, task_queue=task_queue
    )
    events = [event async for event in handle.fetch_history_events()]
    await handle.terminate("seen")
    record = await record_from_history(client, workflow_id, handle.result_run_id or "", events, [])
    assert [step.node_id for step in record.steps] == [f"s{i}" for i in range(10)], record.steps
