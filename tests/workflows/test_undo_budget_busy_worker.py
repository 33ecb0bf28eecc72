"""The undos' budget counts their time, not a busy worker's: an undo waits at the server for a free activity slot, and
the budget ran on meanwhile, so with the worker's slots held by other runs' steps a failed run's first undo ran once
they freed, and the undos after it were said "budget ran out", never tried. The time an undo waited for a worker to
start it is added to the budget (workflows/recovery.py, BUDGET_FROM_START_PATCH).

Saved histories (ORCHESTRA_SAVE_HISTORIES=1 saves this run's): undo_budget_busy_worker_now.json (recorded by this code),
undo_budget_busy_worker_before.json (by the code before: two undos left); both replay with
test_saved_histories_replay."""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client

from orchestra.record import StepState
from tests.helpers import failed_record, http_server, json_body, start_plan
from tests.workflows.undo_budget import UNDOS, one_slot_held, replays, saga

BUDGET_S = 3  # the plan's timeout_s: its undos' budget
HOG_S = 4 * BUDGET_S  # the other run's step holds the worker's one activity slot past the budget's end


async def test_undos_waiting_for_a_busy_worker_keep_their_budget(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    with http_server(lambda _request: json_body({"undone": True})) as url:
        async with one_slot_held(client, task_queue, tmp_path, HOG_S):
            handle = await start_plan(client, task_queue, saga(url, BUDGET_S, name="saga-busy"))
            record = await failed_record(handle)
        history = await handle.fetch_history()
    await replays(history, "undo_budget_busy_worker_now")
    assert record.step("check").state == StepState.ERROR
    undos = {node: record.step(node).compensation for node in UNDOS}
    assert all(u is not None and u.state == StepState.COMPLETED for u in undos.values()), (undos, record.undo_gaps)
    assert not [gap for gap in record.undo_gaps if "budget" in gap.reason], record.undo_gaps
