"""A failed undo's wait for a busy worker is not counted against the undos' budget either: the budget added the time
an undo waited for a worker to start it only when the undo completed, so with the worker's slots held by another run's
step a failed run's first undo waited out the budget, failed at once, and the undos after it were said "budget ran
out", never tried (workflows/recovery.py, FAILED_WAIT_PATCH). The wait is read from when the failing attempt started,
which the tool's failure carries (activities/tools.py).

Saved histories (ORCHESTRA_SAVE_HISTORIES=1 saves this run's): undo_budget_failed_waits_now.json (recorded by this code),
undo_budget_failed_waits_before.json (by the code before: two undos left); both replay with
test_saved_histories_replay."""

from __future__ import annotations

import os
from pathlib import Path

from temporalio.client import Client

from orchestra.record import StepState
from tests.helpers import http_server, record_of, start_plan, until, worker_for
from tests.workflows.test_compensation_gaps import failed_record
from tests.workflows.test_replay import HISTORIES, _replayer
from tests.workflows.test_undo_budget_busy_worker import HOG, saga

SAVED = "undo_budget_failed_waits_now"


async def test_undos_that_fail_after_waiting_for_a_busy_worker_keep_their_budget(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    with http_server(lambda _request: (400, {}, b"refused")) as url:  # each undo fails at its first attempt
        async with worker_for(client, task_queue, tmp_path, max_concurrent_activities=1):
            hog = await start_plan(client, task_queue, HOG)
            await until(lambda: record_of(hog), lambda r: any(s.state == StepState.CALLING_TOOL for s in r.steps))
            handle = await start_plan(client, task_queue, saga(url))
            record = await failed_record(handle)
            await hog.result()
            history = await handle.fetch_history()
    if os.environ.get("ORCHESTRA_SAVE_HISTORIES"):
        (HISTORIES / f"{SAVED}.json").write_text(history.to_json())
    await _replayer().replay_workflow(history)
    undos = {f"u{i}": record.step(f"u{i}").compensation for i in range(3)}
    assert all(u is not None and u.state == StepState.ERROR for u in undos.values()), (undos, record.undo_gaps)
    assert not [gap for gap in record.undo_gaps if "budget" in gap.reason], record.undo_gaps
