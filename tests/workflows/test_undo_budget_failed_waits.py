"""A failed undo's wait for a busy worker is not counted against the undos' budget either: the budget added the time
an undo waited for a worker to start it only when the undo completed, so with the worker's slots held by another run's
step a failed run's first undo waited out the budget, failed at once, and the undos after it were said "budget ran
out", never tried (workflows/recovery.py, FAILED_WAIT_PATCH). The wait is read from when the failing attempt started,
which the tool's failure carries (activities/tools.py).

Saved histories (ORCHESTRA_SAVE_HISTORIES=1 saves this run's): undo_budget_failed_waits_now.json (recorded by this code),
undo_budget_failed_waits_before.json (by the code before: two undos left); both replay with
test_saved_histories_replay."""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client

from orchestra.record import StepState
from tests.helpers import failed_record, http_server, start_plan
from tests.workflows.test_undo_budget_busy_worker import BUDGET_S, HOG_S
from tests.workflows.undo_budget import UNDOS, one_slot_held, replays, saga


async def test_undos_that_fail_after_waiting_for_a_busy_worker_keep_their_budget(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    with http_server(lambda _request: (400, {}, b"refused")) as url:  # each undo fails at its first attempt
        async with one_slot_held(client, task_queue, tmp_path, HOG_S):
            handle = await start_plan(client, task_queue, saga(url, BUDGET_S, name="saga-busy"))
            record = await failed_record(handle)
        history = await handle.fetch_history()
    await replays(history, "undo_budget_failed_waits_now")
    undos = {node: record.step(node).compensation for node in UNDOS}
    assert all(u is not None and u.state == StepState.ERROR for u in undos.values()), (undos, record.undo_gaps)
    assert not [gap for gap in record.undo_gaps if "budget" in gap.reason], record.undo_gaps
