"""An undo's wait for a busy worker is given back to the undos' budget in the next run of the chain too: the wait was
owed until the budget's timer fired, and a compensation that handed over meanwhile (its history full) gave the next
run the budget's end without it, so that run's timer fired on time, the wait lost, and the undos after were said
"budget ran out", never tried (workflows/recovery.py, HANDED_OVER_WAIT_PATCH).

The plan hands over after every undo (``history_events_per_run``): its first undo waits for the worker's one slot,
held by another run's step, for about HOG_S seconds, well within the budget; the second is held at the server past the
budget's end as it was counted without that wait, and released well before its end counting it.

Saved histories (ORCHESTRA_SAVE_HISTORIES=1 saves this run's, the run that waited for its undo and handed over):
undo_budget_handover_waits_now.json (recorded by this code), undo_budget_handover_waits_before.json (by the code
before); both replay with test_saved_histories_replay."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from temporalio.client import Client, WorkflowHistory

from orchestra.record import ExecutionRecord
from tests.control_support import scheduled_activity_ids
from tests.helpers import failed_record, http_server, json_body, start_plan
from tests.workflows.test_compensation_chain import undos_scheduled
from tests.workflows.test_undo_budget_busy_worker import HOG_S as _HOG_S
from tests.workflows.undo_budget import one_slot_held, replays
from tests.workflows.undo_budget import saga as undone_saga

BUDGET_S = 25  # the plan's timeout_s: its undos' budget
HOG_S = 20  # the other run's step holds the worker's one slot about this long after the failing run starts
MARGIN_S = (HOG_S - 2) / 2  # the second undo is released this long after the budget's end counted without the wait
assert HOG_S > _HOG_S  # (a longer hold than the busy-worker test's: its wait must stand out of the runs' own time)


def saga(undo_url: str) -> dict[str, Any]:
    """Handing over after every undo; its undos' calls held up to 120 s."""
    return undone_saga(undo_url, BUDGET_S, 120, name="saga-handing-over", history_events_per_run=10)


SAVED = "undo_budget_handover_waits_now"  # the run that waited for its undo and handed over


async def first_undoing(client: Client, workflow_id: str, runs: list[str]) -> WorkflowHistory:
    """The history of the first run of the chain that scheduled an undo."""
    for run in runs:
        history = await client.get_workflow_handle(workflow_id, run_id=run).fetch_history()
        if any(a.endswith(".compensate") for a in scheduled_activity_ids(history)):
            return history
    raise AssertionError("no run undid a step")


def first_undo_asked(history: WorkflowHistory) -> datetime:
    """When the run scheduled its first undo (its event's time)."""
    for event in history.events:
        if event.activity_task_scheduled_event_attributes.activity_id.endswith(".compensate"):
            return event.event_time.ToDatetime(tzinfo=UTC)
    raise AssertionError("no undo scheduled")


async def test_an_undos_wait_is_given_back_in_the_run_it_hands_over_to(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    release, requests = threading.Event(), []

    def answer(_request: Any) -> tuple[int, dict[str, str], bytes]:
        requests.append(time.monotonic())
        if len(requests) == 2:  # the second undo: held past the budget's end as counted without the first one's wait
            release.wait(4 * BUDGET_S)
        return json_body({"undone": True})

    with http_server(answer) as url:
        async with one_slot_held(client, task_queue, tmp_path, HOG_S) as hog:
            handle = await start_plan(client, task_queue, saga(url))
            await asyncio.sleep(BUDGET_S + MARGIN_S)
            release.set()
            record = await failed_record(handle)
        undone = await undos_scheduled(client, handle.id, record.runs)
        history = await first_undoing(client, handle.id, record.runs)
    await replays(history, SAVED)
    # As recorded, not by the test's clock: the first undo was asked for well before the held slot freed.
    freed = ExecutionRecord.model_validate(await hog.result()).step("hog").ended_at
    assert freed is not None and (freed - first_undo_asked(history)).total_seconds() > MARGIN_S, (
        "it waited for the slot"
    )
    assert sorted(undone) == ["u0", "u1", "u2"], (undone, record.undo_gaps)
    assert not [gap for gap in record.undo_gaps if "budget" in gap.reason], record.undo_gaps
