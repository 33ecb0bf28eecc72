"""The undos' budget tests' set-up (tests/workflows/test_undo_budget_*.py): a saga whose three steps each have an undo
(an HTTP call to the test's server) and whose last step fails, run on a worker whose one activity slot another run's
step holds; and the saved-history check every one of them ends with."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from temporalio.client import Client, WorkflowHandle, WorkflowHistory

from orchestra.record import StepState
from tests.helpers import record_of, start_plan, until, worker_for
from tests.workflows.test_patches_at_start import save
from tests.workflows.test_replay import _replayer
from tests.workflows.test_write_undo import FAILING

QUICK = {"local": True, "timeout_s": 30}  # the failing run's own steps: local activities, beside the held slot
UNDOS = ["u0", "u1", "u2"]


def saga(undo_url: str, budget_s: float, undo_timeout_s: float = 30, **plan: Any) -> dict[str, Any]:
    """Three steps undone by a call to ``undo_url``, then one failing: the undos run newest first within ``budget_s``
    (the plan's timeout_s). The steps run at once: which ended last, and is undone first, is the machine's to say."""
    undo = {"tool": "http_request", "args": {"url": undo_url, "timeout_s": undo_timeout_s}}
    steps = [{"id": node, "tool": "sleep", "args": {"seconds": 0}, "compensation": undo, **QUICK} for node in UNDOS]
    check = {"id": "check", **FAILING, **QUICK, "depends_on": UNDOS}
    return {"name": "saga", "compensate_on_failure": True, "timeout_s": budget_s, "nodes": [*steps, check], **plan}


@asynccontextmanager
async def one_slot_held(
    client: Client, task_queue: str, workspace: Path, hold_s: float
) -> AsyncIterator[WorkflowHandle[Any, Any]]:
    """A worker with one activity slot, held from the block's start by another run's step for about ``hold_s``
    seconds (that run's handle); the block's end waits for that run to end."""
    hog = {"name": "hog", "nodes": [{"id": "hog", "tool": "sleep", "args": {"seconds": hold_s}}]}
    async with worker_for(client, task_queue, workspace, max_concurrent_activities=1):
        held = await start_plan(client, task_queue, hog)
        await until(lambda: record_of(held), lambda r: any(s.state == StepState.CALLING_TOOL for s in r.steps))
        yield held
        await held.result()


async def replays(history: WorkflowHistory, saved_as: str) -> None:
    """``history`` replays with this code; saved as ``saved_as`` (tests/histories) when ORCHESTRA_SAVE_HISTORIES
    names it (or is 1), for test_saved_histories_replay."""
    save(history, saved_as)
    await _replayer().replay_workflow(history)
