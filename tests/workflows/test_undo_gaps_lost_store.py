"""A chain that lost the stored pages of the steps its runs finished: more than MAX_UNDO_GAPS pages cannot be read when
it fails. The record said one gap per page, kept the first 50, and dropped what came last: how the compensation ended
(a cancel stopped it), the one gap a user needs most."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.worker import UnsandboxedWorkflowRunner

import orchestra.record
from orchestra.record import AgentState, ExecutionRecord
from orchestra.settings import Settings
from tests.control_support import attempts_started, gate, until
from tests.helpers import record_of, start_plan, worker_for
from tests.ops.support import run_command
from tests.workflows.test_compensation_gaps import held_undo, stored_file
from tests.workflows.test_write_undo import FAILING

# The record keeps at most MAX_UNDO_GAPS gaps (50); the test lowers it to KEPT_GAPS, so that a chain of a few runs
# loses more pages than the record keeps gaps: the 60 runs it took at 50 cost a minute, and showed no more.
KEPT_GAPS = 3
PADS = 9  # a run of the chain now holds more steps (its patches settled by one marker: patches_at_start)


def many_runs(undo_url: str, hold_url: str) -> dict[str, Any]:
    """Two steps with an undo, the second's held at ``undo_url`` (so a cancel during it leaves the first's), then PADS
    steps with an undo one after another (a
    page of them to undo per run of the chain), a step held at ``hold_url``, and a step that fails."""
    undo = {"tool": "sleep", "args": {"seconds": 0}}
    first = [{"id": "u1", "tool": "sleep", "args": {"seconds": 0}, "compensation": undo},
             {"id": "u0", "tool": "sleep", "args": {"seconds": 0}, "compensation": held_undo(undo_url),
              "depends_on": ["u1"]}]  # fmt: skip
    pads = [{"id": f"p{i}", "tool": "sleep", "args": {"seconds": 0}, "compensation": undo,
             "depends_on": [f"p{i - 1}" if i else "u0"]} for i in range(PADS)]  # fmt: skip
    hold = {"id": "hold", "tool": "http_request", "args": {"url": hold_url}, "depends_on": [f"p{PADS - 1}"],
            "retry": {"max_attempts": 1}}  # fmt: skip
    return {"name": "saga-lost-store", "compensate_on_failure": True, "history_events_per_run": 20,
            "nodes": [*first, *pads, hold, {"id": "check", **FAILING, "depends_on": ["hold"]}]}  # fmt: skip


async def test_a_chain_that_lost_its_pages_keeps_the_gap_of_how_its_compensation_ended(
    client: Client, task_queue: str, tmp_path: Path, storage_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every run's page of steps to undo but those of u0 and u1 is removed: the compensation reads none of them,
    then is cancelled during u0's undo. The record says one gap of every page lost (counted exactly, runs spanned)
    and the cancel's gap; status shows both."""
    # Read by the record at each gap noted: unsandboxed, the workflow sees the lower cap.
    monkeypatch.setattr(orchestra.record, "MAX_UNDO_GAPS", KEPT_GAPS)
    with gate() as (hold_url, hold), gate() as (undo_url, undo):
        async with worker_for(client, task_queue, tmp_path, workflow_runner=UnsandboxedWorkflowRunner()):
            handle = await start_plan(client, task_queue, many_runs(undo_url, hold_url))
            await until(handle.describe, attempts_started("hold"), within=240)
            earlier = (await record_of(handle)).earlier
            chunks = [chunk for chunk in earlier if chunk.undo and not {"u0", "u1"} & set(chunk.nodes)]
            lost = [page for chunk in chunks for page in chunk.undo]
            assert len(lost) > KEPT_GAPS, f"only {len(lost)} pages: the chain is too short"
            for page in lost:
                stored_file(storage_settings, page).unlink()
            hold.set()
            await until(handle.describe, attempts_started("u0.compensate"), within=240)
            await handle.cancel()
            undo.set()
            with pytest.raises(WorkflowFailureError):
                await handle.result()
            shown = await run_command(client, "--task-queue", task_queue, "result", handle.id, "--json")
            status = await run_command(client, "--task-queue", task_queue, "result", handle.id)
    record = ExecutionRecord.model_validate(json.loads(shown.out))
    assert record.state == AgentState.CANCELLED, record.state
    [unread] = [g for g in record.undo_gaps if g.pages and "could not be read" in g.reason]
    runs = (min(c.run_index for c in chunks), max(c.run_index for c in chunks))
    assert (unread.pages, unread.count, unread.run_span) == (len(lost), 0, runs), unread
    assert "cancelled during its compensation" in record.undo_gaps[-1].reason, record.undo_gaps
    assert record.undo_gaps_dropped == 0, record.undo_gaps_dropped
    said = f"runs {runs[0] + 1}-{runs[1] + 1}: 0 steps, {len(lost)} pages of steps not read"
    assert said in status.out and "cancelled during its compensation" in status.out, status.out
