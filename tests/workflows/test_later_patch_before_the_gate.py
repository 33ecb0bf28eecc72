"""A run recorded before the gate (workflows/patches_at_start.py) never asked the patches made after it, and goes on as
it ran: ``patched`` of one of ORCHESTRATION_LATER answers False there, with no marker. Asked where the code meets it
(after local results), the SDK answered True to such a run going on on this code (a worker restarted under it) and
wrote the marker in that workflow task, which a replay may reach in another one: the replay failure the gate is for.

The run before the gate is this code with the gate unasked (the SDK's answer of a history without its marker); its
history, which asks PIECES_WITHIN_THE_LIMIT_PATCH at its hand-over, is saved beside the replay tests (again with
ORCHESTRA_SAVE_HISTORIES=later_patch_unasked_before_the_gate)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from temporalio import workflow
from temporalio.client import Client, WorkflowHistory

from orchestra.record import ExecutionRecord
from orchestra.temporal_bounds import MIN_EVENTS_PER_RUN
from tests.helpers import start_plan, worker_for
from tests.workflows.test_patches_at_start import patches_recorded
from tests.workflows.test_replay import HISTORIES, _replayer
from workflows.handover import PIECES_WITHIN_THE_LIMIT_PATCH
from workflows.patches_at_start import GATE_PATCH, ORCHESTRATION_LATER

SAVED = "later_patch_unasked_before_the_gate"
PLAN = {
    "name": "before-the-gate",
    "history_events_per_run": MIN_EVENTS_PER_RUN,
    "nodes": [
        {"id": f"c{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"c{i - 1}"] if i else []}
        for i in range(3)
    ],
}


def _before_the_gate(sdk: Callable[[str], bool], asked: list[str]) -> Callable[[str], bool]:
    def patched(patch_id: str) -> bool:
        asked.append(patch_id)
        return False if patch_id == GATE_PATCH else sdk(patch_id)

    return patched


async def test_a_run_before_the_gate_takes_no_later_patch(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert PIECES_WITHIN_THE_LIMIT_PATCH in ORCHESTRATION_LATER
    asked: list[str] = []
    with monkeypatch.context() as before:
        before.setattr(workflow, "patched", _before_the_gate(workflow.patched, asked))
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, PLAN)
            record = ExecutionRecord.model_validate(await handle.result())
    assert record.state.value == "completed" and len(record.runs) >= 2, record.runs
    histories = [await client.get_workflow_handle(handle.id, run_id=run).fetch_history() for run in record.runs]
    for history in histories:
        recorded = patches_recorded(history)
        assert GATE_PATCH not in recorded and recorded, recorded  # a run before the gate: each patch where met
        assert not set(ORCHESTRATION_LATER) & set(recorded), f"a patch made after the gate was taken: {recorded}"
        await _replayer().replay_workflow(history)
    if SAVED in os.environ.get("ORCHESTRA_SAVE_HISTORIES", ""):
        (HISTORIES / f"{SAVED}.json").write_text(histories[0].to_json())


async def test_a_saved_run_before_the_gate_replays_with_a_later_patch_asked() -> None:
    history = WorkflowHistory.from_json(SAVED, (HISTORIES / f"{SAVED}.json").read_text())
    assert GATE_PATCH not in patches_recorded(history)
    result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
