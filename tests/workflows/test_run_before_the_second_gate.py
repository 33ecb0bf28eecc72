"""A run recorded before the second gate (workflows/patches_at_start.py) asked each of the first ORCHESTRATION_LATER
patches with its own marker at its start: it replays on this code as it ran (the second gate answers False there, with
no marker, and each patch is asked as before). The run before the second gate is this code with that gate unasked
(the SDK's answer of a history without its marker); a run with it records the two gates alone (test_patches_at_start)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from temporalio import workflow
from temporalio.client import Client

from orchestra.record import ExecutionRecord
from orchestra.temporal_bounds import MIN_EVENTS_PER_RUN
from tests.helpers import start_plan, worker_for
from tests.workflows.test_patches_at_start import patches_recorded
from tests.workflows.test_replay import _replayer
from workflows.patches_at_start import GATE_PATCH, ORCHESTRATION_LATER, SECOND_GATE_PATCH

PLAN = {
    "name": "before-the-second-gate",
    "history_events_per_run": MIN_EVENTS_PER_RUN,
    "nodes": [
        {"id": f"c{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"c{i - 1}"] if i else []}
        for i in range(3)
    ],
}


def _before_the_second_gate(sdk: Callable[[str], bool]) -> Callable[[str], bool]:
    return lambda patch_id: False if patch_id == SECOND_GATE_PATCH else sdk(patch_id)


async def test_a_run_before_the_second_gate_asks_each_patch_and_replays(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as before:
        before.setattr(workflow, "patched", _before_the_second_gate(workflow.patched))
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, PLAN)
            record = ExecutionRecord.model_validate(await handle.result())
    assert record.state.value == "completed" and len(record.runs) >= 2, record.runs
    for run in record.runs:
        history = await client.get_workflow_handle(handle.id, run_id=run).fetch_history()
        assert patches_recorded(history) == [GATE_PATCH, *ORCHESTRATION_LATER], run
        await _replayer().replay_workflow(history)  # on this code: the second gate unasked, each patch asked
