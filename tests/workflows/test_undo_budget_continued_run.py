"""No undo starts after the undos' budget has ended, in any run of a chain: a compensation that handed over (its history
full) before the budget's end, to a run that first ran after it, started one undo there before it noticed: the run's
timer, started before its first undo however little was left, fired only once that undo had started
(workflows/recovery.py, SPENT_BEFORE_THE_RUN_PATCH).

The plan hands over after every undo (``history_events_per_run``). Its first undo is held until the worker is shutting
down, then let finish within the budget; the next worker starts after the budget's end, as after an outage. Which step
is undone first is the one that ended last, the machine's to say (the steps run at once); whether a run first ran
after the budget's end is read from its history and the budget's end it was handed, not from the test's clock.

Saved histories (ORCHESTRA_SAVE_HISTORIES=1 saves this one's): undo_budget_continued_run_now.json, the run that first
ran after the budget's end (recorded by this code); it replays with test_saved_histories_replay."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from temporalio.client import Client

from tests.helpers import failed_record, http_server, json_body, start_plan, until, worker_for
from tests.workflows.test_compensation_chain import _carry_of, undos_scheduled
from tests.workflows.undo_budget import UNDOS, replays, saga

# The plan's timeout_s: its undos' budget. Its end is at most this long after the first undo's call reached the test
# (the budget starts before the undo is scheduled, and gives back the undo's wait for a slot): the next worker starts
# later than that. The first undo is let finish about a second after that call: this leaves the slow machine the rest.
BUDGET_S = 12


async def test_a_run_continued_after_the_budgets_end_starts_no_undo(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    release, requests = threading.Event(), []

    def answer(_request: Any) -> tuple[int, dict[str, str], bytes]:
        requests.append(time.monotonic())
        release.wait(4 * BUDGET_S)
        return json_body({"undone": True})

    with http_server(answer) as url:
        plan = saga(url, BUDGET_S, 120, name="saga-handing-over", history_events_per_run=10)
        # The first undo is let finish once the worker polls no more, and ends within the budget: the run hands over.
        first = worker_for(client, task_queue, tmp_path, graceful_shutdown_timeout=timedelta(seconds=4 * BUDGET_S))
        running = asyncio.create_task(first.run())
        handle = await start_plan(client, task_queue, plan)
        await until(lambda: _now(requests), bool)
        shutting = asyncio.create_task(first.shutdown())
        await asyncio.sleep(1)
        release.set()
        await shutting
        await running
        await asyncio.sleep(requests[0] + BUDGET_S + 2 - time.monotonic())
        async with worker_for(client, task_queue, tmp_path):
            record = await failed_record(handle)
    undone = await undos_scheduled(client, handle.id, record.runs)
    assert len(record.runs) > 1, f"the first undo ended after the budget's end: the run did not hand over ({undone})"
    for run in record.runs[1:]:
        first_task, ends = await _first_task(client, handle.id, run), await _budget_end(client, handle.id, run)
        assert first_task >= ends, f"run {run} first ran at {first_task}, before the budget's end ({ends})"
    history = await client.get_workflow_handle(handle.id, run_id=record.runs[-1]).fetch_history()
    await replays(history, "undo_budget_continued_run_now")
    # One undo, started in the first run: every run after it first ran after the budget's end, and started none.
    assert len(undone) == 1 and undone[0] in UNDOS, (undone, record.undo_gaps)
    budget = [gap for gap in record.undo_gaps if "budget ran out" in gap.reason]
    assert budget and sorted([*budget[0].nodes, *undone]) == UNDOS, record.undo_gaps
    # Said as it happened: no undo was running at the end here, and the end counts the undos' waits for a worker.
    assert "none started after" in budget[0].reason and "waited for a worker" in budget[0].reason, budget[0].reason


async def _first_task(client: Client, workflow_id: str, run_id: str) -> datetime:
    """When the run's first workflow task started, as its history records (the run's own start_time)."""
    async for event in client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history_events():
        if event.HasField("workflow_task_started_event_attributes"):
            return event.event_time.ToDatetime(tzinfo=UTC)
    raise AssertionError(f"run {run_id} never ran")


async def _budget_end(client: Client, workflow_id: str, run_id: str) -> datetime:
    """The undos' budget's end the run was handed, the waits still owed added (workflows/recovery.py)."""
    cursor = (await _carry_of(client, workflow_id, run_id)).undoing
    assert cursor is not None and cursor.budget_ends_at is not None, cursor
    return cursor.budget_ends_at + timedelta(seconds=cursor.budget_owed_s)


async def _now(requests: list[float]) -> list[float]:
    return requests
