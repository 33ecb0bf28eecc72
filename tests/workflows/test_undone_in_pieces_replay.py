"""Histories of attack210's two compensation patches, recorded before them (the same code with their branches never
taken) and after, under a worker limit of 16,000 bytes whose client's store takes more (so the code before ends
too):

- ``undone_stored_in_one_call_before`` / ``undone_stored_in_pieces_now``: the run undoing most of an earlier run's
  page of undos returning 9 KB each stores how they ended in one call / in pieces that fit (UNDONE_PIECES_PATCH);
- ``undos_handed_over_from_the_first_piece_before`` / ``undos_handed_over_from_the_last_piece_now``: a run whose
  compensation hands over with its own steps in several pieces goes on from the first / the last piece
  (UNDO_FROM_THE_LAST_PIECE_PATCH).

Every one replays on the current code. Save them again with ORCHESTRA_SAVE_HISTORIES=NAME (a *_before one from a
copy of the code with the patch's ``workflow.patched(...)`` made False)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.client import WorkflowHistory as History
from temporalio.exceptions import ApplicationError

from orchestra.record import ExecutionRecord
from orchestra.registry import default_registry
from tests.helpers import settings_for, start_plan
from tests.workflows.test_handover_in_pieces import patches_asked
from tests.workflows.test_replay import HISTORIES, _replayer
from tests.workflows.test_write_undo import FAILING
from tests.workflows.undos_accounted import besides_timeouts
from worker import create_worker
from workflows.orchestration import UNDO_FROM_THE_LAST_PIECE_PATCH
from workflows.recovery import UNDONE_PIECES_PATCH

WORKER_LIMIT = 16_000
# name: (the patch, whether it is asked in it)
SAVED = {
    "undone_stored_in_one_call_before": (UNDONE_PIECES_PATCH, False),
    "undone_stored_in_pieces_now": (UNDONE_PIECES_PATCH, True),
    "undos_handed_over_from_the_first_piece_before": (UNDO_FROM_THE_LAST_PIECE_PATCH, False),
    "undos_handed_over_from_the_last_piece_now": (UNDO_FROM_THE_LAST_PIECE_PATCH, True),
}


def _asked(history: History, patch: str) -> bool:
    return any(patch.encode() in data for data in patches_asked(list(history.events)))


def _earlier_page_plan() -> dict[str, Any]:
    """8 undoable steps the first run finishes, pads that hand over, and a failure: the runs after undo the page."""
    undone = [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0},
               "compensation": {"tool": "read_file", "args": {"path": "nine_kb.txt"}}} for i in range(8)]  # fmt: skip
    pads = [{"id": f"p{i}", "tool": "sleep", "args": {"seconds": 0},
             "depends_on": [f"p{i - 1}"] if i else [s["id"] for s in undone]} for i in range(6)]  # fmt: skip
    return {"name": "undone-one-call", "compensate_on_failure": True, "history_events_per_run": 20,
            "nodes": [*undone, *pads, {"id": "check", **FAILING, "depends_on": ["p5"]}]}  # fmt: skip


def _own_steps_plan() -> dict[str, Any]:
    """60 undoable steps side by side and a failure after the first, in one run (at most some 6 events a step, under
    400), whose 60 undos (6 events each) pass 400: its compensation hands over with its steps (30 KB) in pieces."""
    steps = [{"id": f"s{i:02}", "tool": "sleep", "args": {"seconds": 0},
              "compensation": {"tool": "sleep", "args": {"seconds": 0}}} for i in range(60)]  # fmt: skip
    return {"name": "undos-from-a-piece", "compensate_on_failure": True, "history_events_per_run": 400,
            "max_parallel": 100, "nodes": [*steps, {"id": "check", **FAILING, "depends_on": ["s00"]}]}  # fmt: skip


async def _failed_chain(client: Client, task_queue: str, tmp_path: Path, plan: dict[str, Any]) -> tuple[str, list[str]]:
    (tmp_path / "nine_kb.txt").write_text("u" * 9_000)
    small = settings_for(task_queue, tmp_path).model_copy(update={"storage_max_payload_bytes": WORKER_LIMIT})
    async with create_worker(client, small, default_registry()):
        handle = await start_plan(client, task_queue, plan)
        with pytest.raises(WorkflowFailureError) as failure:
            await handle.result()
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "PlanFailed", str(cause)
    record = ExecutionRecord.model_validate(cause.details[0])
    assert len(record.runs) >= 2 and not besides_timeouts(record.undo_gaps), (record.runs, record.undo_gaps)
    return handle.id, record.runs


Pick = Callable[[list[History]], History]


def _most_undos(histories: list[History]) -> History:
    """The run of the chain that ran the most undos (a compensating run hands over every few of them)."""
    return max(histories, key=lambda h: sum(b".compensate" in e.SerializeToString() for e in h.events))


SCENARIOS: list[tuple[Callable[[], dict[str, Any]], Pick, tuple[str, str]]] = [
    (_earlier_page_plan, _most_undos, ("undone_stored_in_one_call_before", "undone_stored_in_pieces_now")),
    (_own_steps_plan, lambda histories: histories[0], ("undos_handed_over_from_the_first_piece_before",
                                             "undos_handed_over_from_the_last_piece_now")),
]  # fmt: skip


@pytest.mark.parametrize("scenario", range(len(SCENARIOS)))
async def test_fresh_histories_of_undos_in_pieces_replay(
    client: Client, task_queue: str, tmp_path: Path, scenario: int
) -> None:
    plan, pick, names = SCENARIOS[scenario]
    workflow_id, runs = await _failed_chain(client, task_queue, tmp_path, plan())
    history = pick([await client.get_workflow_handle(workflow_id, run_id=run).fetch_history() for run in runs])
    for name in os.environ.get("ORCHESTRA_SAVE_HISTORIES", "").split(","):
        if name in names:
            (HISTORIES / f"{name}.json").write_text(history.to_json())
    result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
    patch, _ = SAVED[names[1]]
    assert _asked(history, patch), f"{patch} was not asked: the scenario no longer reaches it"


@pytest.mark.parametrize("name", sorted(SAVED))
async def test_histories_before_and_after_the_undo_patches_replay(name: str) -> None:
    patch, asked = SAVED[name]
    history = History.from_json(name, (HISTORIES / f"{name}.json").read_text())
    assert _asked(history, patch) == asked, name
    result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, f"{name}: {result.replay_failure}"
