"""A run measures a call, and its record, that could be over the limit of the worker sending them against that worker's
(SENT_VALUES_PATCH, asked once when the run starts; a local activity value_limit at each such value):
``calls_measured_against_the_sender_now`` is such a run, recorded. Runs recorded before (``handover_one_call_before``,
``chain_first``) replay without the reads.

Save it again with ORCHESTRA_SAVE_HISTORIES=calls_measured_against_the_sender_now."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from temporalio.client import Client
from temporalio.client import WorkflowHistory as History

from orchestra.record import ExecutionRecord
from tests.helpers import start_plan, worker_for
from tests.workflows.test_handover_in_pieces import patches_asked
from tests.workflows.test_replay import HISTORIES, _replayer
from workflows.patches_at_start import GATE_PATCH
from workflows.value_sizes import SENT_VALUES_PATCH

NOW = "calls_measured_against_the_sender_now"
SAVED = {"handover_one_call_before": False, "chain_first": False, NOW: True}  # name: the patch asked in it


def _asked(history: History) -> bool:
    return any(SENT_VALUES_PATCH.encode() in data for data in patches_asked(list(history.events)))


def _plan() -> dict[str, Any]:
    """A 5 KB output read twice: a call of some 10 KB, and a record, over READ_FROM."""
    made = {"id": "made", "tool": "json_query", "args": {"data": "x" * 5_000, "expression": "@"}}
    twice = ["${made.output.result}", "${made.output.result}"]
    big = {
        "id": "big",
        "tool": "json_query",
        "args": {"data": twice, "expression": "length(@)"},
        "depends_on": ["made"],
    }
    return {"name": "calls-limit", "nodes": [made, big]}


async def test_a_run_reading_the_senders_limit_replays(client: Client, task_queue: str, tmp_path: Path) -> None:
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, _plan())
        record = ExecutionRecord.model_validate(await handle.result())
    assert record.step("big").output == {"result": 2}, record.step("big")
    history = await handle.fetch_history()
    if NOW in os.environ.get("ORCHESTRA_SAVE_HISTORIES", "").split(","):
        (HISTORIES / f"{NOW}.json").write_text(history.to_json())
    events = [e.SerializeToString() for e in history.events]
    reads = [i for i, e in enumerate(events) if b"value_limit" in e]
    assert _asked(history) and len(reads) >= 2, "read for the call and for the record"
    # Asked before the schedule's read (and so before every later local activity): see SENT_VALUES_PATCH.
    settled = (SENT_VALUES_PATCH.encode(), GATE_PATCH.encode())  # asked, or taken by the gate (patches_at_start)
    patched_at = next(i for i, e in enumerate(events) if any(patch in e for patch in settled))
    assert patched_at < next(i for i, e in enumerate(events) if b"prepare_plan" in e), "asked after a local activity"
    result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure


async def test_histories_before_and_after_the_senders_limit_replay() -> None:
    for name, patched in SAVED.items():
        history = History.from_json(name, (HISTORIES / f"{name}.json").read_text())
        assert _asked(history) == patched, name
        result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{name}: {result.replay_failure}"
