"""The runs of a chain after its first get the plan by reference: no request (the SDK decoded it whole in each run's
first activation, which its 2 s deadlock detector cuts: 7.2 s for 150,000 steps on a loaded machine, failed and
retried for ever), but its steps stored in pieces by the first hand-over, read back one piece an activation.

The histories of a chain's first run (which stores them) and of the next (which reads them) are saved beside the
replay tests; save them again with ORCHESTRA_SAVE_HISTORIES=plan_by_reference."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowFailureError, WorkflowHistory
from temporalio.exceptions import ApplicationError

from orchestra import plan_chain
from orchestra.plan_chain import PlanCarry
from orchestra.record import ExecutionRecord
from tests.helpers import start_plan, worker_for
from tests.workflows.test_handover_in_pieces import patches_asked
from tests.workflows.test_replay import HISTORIES, _replayer
from workflows.plan_pieces import PLAN_BY_REFERENCE_PATCH

SAVED = ("plan_by_reference_first", "plan_by_reference_next")


def _plan(steps: int, **settings: Any) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = [{"id": "w", "tool": "write_file", "args": {"path": "w.txt", "content": "chained"}}]
    nodes += [
        {"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"s{i - 1}" if i else "w"]}
        for i in range(steps)
    ]
    nodes.append(
        {"id": "r", "tool": "read_file", "args": {"path": "${w.output.path}"}, "depends_on": [f"s{steps - 1}"]}
    )
    return {"name": "by-reference", "history_events_per_run": 25, "nodes": nodes, **settings}


async def _started_with(client: Client, history: WorkflowHistory) -> list[Any]:
    started = history.events[0]
    assert started.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED
    return await client.data_converter.decode(
        started.workflow_execution_started_event_attributes.input.payloads, [object, PlanCarry]
    )


async def _chain(
    client: Client, task_queue: str, tmp_path: Path, plan: dict[str, Any]
) -> tuple[ExecutionRecord, list[WorkflowHistory]]:
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, plan)
        record = ExecutionRecord.model_validate(await handle.result())
    histories = [await client.get_workflow_handle(handle.id, run_id=run).fetch_history() for run in record.runs]
    return record, histories


@pytest.mark.parametrize(("piece_steps", "pieces"), [(3, 5), (10_000, 1)])
async def test_the_runs_after_the_first_get_the_plan_in_pieces(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece_steps: int, pieces: int
) -> None:
    monkeypatch.setattr(plan_chain, "PLAN_PIECE_STEPS", piece_steps)
    record, histories = await _chain(client, task_queue, tmp_path, _plan(12))
    assert len(record.runs) >= 3, record.runs
    assert record.state.value == "completed" and record.metrics.completed == 14, record.metrics
    first = await _started_with(client, histories[0])
    assert first[0] is not None and first[1] is None
    for history in histories[1:]:
        request, carry = await _started_with(client, history)
        assert request is None, "a continued run got the whole request again"
        assert carry.plan_pieces is not None and len(carry.plan_pieces) == pieces
        assert carry.request_header is not None and "nodes" not in carry.request_header["plan"]
    if piece_steps == 10_000 and "plan_by_reference" in os.environ.get("ORCHESTRA_SAVE_HISTORIES", ""):
        for name, history in zip(SAVED, histories, strict=False):
            (HISTORIES / f"{name}.json").write_text(history.to_json())


async def test_a_chain_that_undoes_on_failure_reads_its_plan_back(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """The plan read back in pieces is the plan: a step failing in a later run fails the chain with its undos."""
    plan = _plan(12, compensate_on_failure=True)
    plan["nodes"][-1]["args"]["path"] = "missing.txt"
    plan["nodes"][-1]["retry"] = {"max_attempts": 1}
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, plan)
        with pytest.raises(WorkflowFailureError) as failure:
            await handle.result()
        history = await handle.fetch_history()
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "PlanFailed", cause
    assert "r (read_file)" in str(cause), cause
    record = ExecutionRecord.model_validate(cause.details[0])
    assert len(record.runs) >= 3 and record.metrics.completed == 13, record.metrics
    request, carry = await _started_with(client, history)
    assert request is None and carry is not None and carry.plan_pieces


async def test_histories_with_the_plan_by_reference_replay() -> None:
    for name in SAVED:
        history = WorkflowHistory.from_json(name, (HISTORIES / f"{name}.json").read_text())
        result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{name}: {result.replay_failure}"
    first = WorkflowHistory.from_json(SAVED[0], (HISTORIES / f"{SAVED[0]}.json").read_text())
    assert any(PLAN_BY_REFERENCE_PATCH.encode() in data for data in patches_asked(list(first.events)))
