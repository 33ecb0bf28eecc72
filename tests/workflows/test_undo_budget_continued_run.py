"""No undo starts after the undos' budget has ended, in any run of a chain: a compensation that handed over (its history
full) before the budget's end, to a run that first ran after it, started one undo there before it noticed: the run's
timer, started before its first undo however little was left, fired only once that undo had started
(workflows/recovery.py, SPENT_BEFORE_THE_RUN_PATCH).

The plan hands over after every undo (``history_events_per_run``). Its first undo is held until the worker is shutting
down, then let finish well within the budget; the next worker starts after the budget's end, as after an outage.

Saved histories (ORCHESTRA_SAVE_HISTORIES=1 saves this one's): undo_budget_continued_run_now.json, the run that first
ran after the budget's end (recorded by this code); it replays with test_saved_histories_replay."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from temporalio.client import Client

from tests.helpers import http_server, json_body, start_plan, until, worker_for
from tests.workflows.test_compensation_chain import undos_scheduled
from tests.workflows.test_compensation_gaps import failed_record
from tests.workflows.test_replay import HISTORIES, _replayer
from tests.workflows.test_undo_budget_handover_waits import saga

BUDGET_S = 8  # the plan's timeout_s: its undos' budget
SAVED = "undo_budget_continued_run_now"


async def test_a_run_continued_after_the_budgets_end_starts_no_undo(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    release, requests = threading.Event(), []

    def answer(_request: Any) -> tuple[int, dict[str, str], bytes]:
        requests.append(time.monotonic())
        release.wait(4 * BUDGET_S)
        return json_body({"undone": True})

    with http_server(answer) as url:
        plan = {**saga(url), "timeout_s": BUDGET_S}
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
            history = await client.get_workflow_handle(handle.id, run_id=record.runs[-1]).fetch_history()
    if os.environ.get("ORCHESTRA_SAVE_HISTORIES"):
        (HISTORIES / f"{SAVED}.json").write_text(history.to_json())
    await _replayer().replay_workflow(history)
    assert undone == ["u2"], (undone, record.undo_gaps)
    budget = [gap for gap in record.undo_gaps if "budget ran out" in gap.reason]
    assert budget and sorted(budget[0].nodes) == ["u0", "u1"], record.undo_gaps
    # Said as it happened: no undo was running at the end here, and the end counts the undos' waits for a worker.
    assert "none started after" in budget[0].reason and "waited for a worker" in budget[0].reason, budget[0].reason


async def _now(requests: list[float]) -> list[float]:
    return requests
