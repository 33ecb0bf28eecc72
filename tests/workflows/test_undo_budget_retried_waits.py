"""A retried undo's waits for a busy worker are given back to the undos' budget too: only the first attempt's wait was
counted, and only when that attempt completed the undo, so an undo turned away once after waiting out the budget for
the worker's one slot was retried, completed, and the undos after it were said "budget ran out", never tried
(workflows/recovery.py, EVERY_WAIT_PATCH; every attempt's wait measured by the worker: orchestra/slot_waits.py).

Saved histories (ORCHESTRA_SAVE_HISTORIES=1 saves this run's): undo_budget_retried_waits_now.json (recorded by this
code); it replays with test_saved_histories_replay."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from temporalio.client import Client

from orchestra.record import StepState
from tests.helpers import failed_record, http_server, json_body, start_plan
from tests.workflows.test_undo_budget_busy_worker import HOG_S
from tests.workflows.undo_budget import UNDOS, one_slot_held, replays, saga

BUDGET_S = 4  # the plan's timeout_s: its undos' budget, which the first undo's wait for the held slot outlasts
assert HOG_S > 2 * BUDGET_S


async def test_a_retried_undos_waits_are_given_back(client: Client, task_queue: str, tmp_path: Path) -> None:
    requests: list[int] = []

    def answer(_request: Any) -> tuple[int, dict[str, str], bytes]:
        requests.append(1)
        if len(requests) == 1:  # the first undo's first attempt is turned away: Temporal retries it
            return 503, {}, b"busy"
        return json_body({"undone": True})

    with http_server(answer) as url:
        async with one_slot_held(client, task_queue, tmp_path, HOG_S):
            handle = await start_plan(client, task_queue, saga(url, BUDGET_S, name="saga-busy"))
            record = await failed_record(handle)
        history = await handle.fetch_history()
    await replays(history, "undo_budget_retried_waits_now")
    assert len(requests) == 4, "the first undo was sent twice, the others once"
    undos = {node: record.step(node).compensation for node in UNDOS}
    assert all(u is not None and u.state == StepState.COMPLETED for u in undos.values()), (undos, record.undo_gaps)
    assert not [gap for gap in record.undo_gaps if "budget" in gap.reason], record.undo_gaps
