"""The undos' budget counts their time, not a busy worker's: an undo waits at the server for a free activity slot, and
the budget ran on meanwhile, so with the worker's slots held by other runs' steps a failed run's first undo ran once
they freed, and the undos after it were said "budget ran out", never tried. The time an undo waited for a worker to
start it is added to the budget (workflows/recovery.py, BUDGET_FROM_START_PATCH).

Saved histories (ORCHESTRA_SAVE_HISTORIES=1 saves this run's): undo_budget_busy_worker_now.json (recorded by this code),
undo_budget_busy_worker_before.json (by the code before: two undos left); both replay with
test_saved_histories_replay."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from temporalio.client import Client

from orchestra.record import StepState
from tests.helpers import http_server, json_body, record_of, start_plan, until, worker_for
from tests.workflows.test_compensation_gaps import failed_record
from tests.workflows.test_replay import HISTORIES, _replayer
from tests.workflows.test_write_undo import FAILING

BUDGET_S = 3  # the plan's timeout_s: its undos' budget
HOG_S = 4 * BUDGET_S  # the other run's step holds the worker's one activity slot past the budget's end
QUICK = {"local": True, "timeout_s": 30}  # the failing run's own steps: local activities, beside the held slot


def saga(undo_url: str) -> dict[str, Any]:
    undo = {"tool": "http_request", "args": {"url": undo_url, "timeout_s": 30}}
    steps = [{"id": f"u{i}", "tool": "sleep", "args": {"seconds": 0}, "compensation": undo, **QUICK} for i in range(3)]
    check = {"id": "check", **FAILING, **QUICK, "depends_on": [s["id"] for s in steps]}
    return {"name": "saga-busy", "compensate_on_failure": True, "timeout_s": BUDGET_S, "nodes": [*steps, check]}


SAVED = "undo_budget_busy_worker_now"
HOG = {"name": "hog", "nodes": [{"id": "hog", "tool": "sleep", "args": {"seconds": HOG_S}}]}


async def test_undos_waiting_for_a_busy_worker_keep_their_budget(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    with http_server(lambda _request: json_body({"undone": True})) as url:
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
    assert record.step("check").state == StepState.ERROR
    undos = {f"u{i}": record.step(f"u{i}").compensation for i in range(3)}
    assert all(u is not None and u.state == StepState.COMPLETED for u in undos.values()), (undos, record.undo_gaps)
    assert not [gap for gap in record.undo_gaps if "budget" in gap.reason], record.undo_gaps
