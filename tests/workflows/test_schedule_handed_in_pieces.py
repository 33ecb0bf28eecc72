"""The runs of a chain after its first read the plan's checked schedule in pieces (orchestra/schedule_pieces.py), stored
by the chain's first hand-over, one piece an activation, their readiness built a piece at a time with the steps done
before left out: stored whole, 150,000 steps' schedule (4.8 MB) was decoded in one activation of every continued run,
past the deadlock detector's 2 s on a loaded worker (bench/first_activation.py --continued measures it at size).

The histories of a chain's first run (which stores the pieces) and of the next (which reads them) are saved beside the
replay tests; save them again with ORCHESTRA_SAVE_HISTORIES=schedule_handed_in_pieces."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pydantic_core
import pytest
from temporalio.client import Client, WorkflowHistory

from bench.plan_scale import TASK_ENDS
from orchestra import plan_chain
from orchestra.plan import parse_plan
from orchestra.record import ExecutionRecord
from orchestra.registry import default_registry
from orchestra.schedule_pieces import ScheduleJoiner, cut, head_of
from orchestra.scheduling import Readiness
from orchestra.validation import prepare_plan
from tests.helpers import start_plan, worker_for
from tests.workflows.test_handover_in_pieces import patches_asked
from tests.workflows.test_plan_by_reference import _started_with
from tests.workflows.test_replay import HISTORIES, _replayer
from workflows.handover import SCHEDULE_HANDED_IN_PIECES_PATCH

SAVED = ("schedule_handed_in_pieces_first", "schedule_handed_in_pieces_next")
STEPS = 12


def _plan(steps: int) -> dict[str, Any]:
    """A chain of steps after one that writes a file, the last reading it (a read the schedule carries), and an undo
    reading its own step's output: every part of a schedule's piece, across runs."""
    nodes: list[dict[str, Any]] = [
        {"id": "w", "tool": "write_file", "args": {"path": "w.txt", "content": "chained"},
         "compensation": {"tool": "delete_file", "args": {"path": "${w.output.path}"}}},
    ]  # fmt: skip
    nodes += [
        {"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"s{i - 1}" if i else "w"]}
        for i in range(steps)
    ]
    nodes.append(
        {"id": "r", "tool": "read_file", "args": {"path": "${w.output.path}"}, "depends_on": [f"s{steps - 1}"]}
    )
    return {"name": "schedule-handed-in-pieces", "history_events_per_run": 25, "nodes": nodes,
            "compensate_on_failure": True}  # fmt: skip


def _summaries(history: WorkflowHistory) -> list[str]:
    said = (json.loads(e.user_metadata.summary.data) for e in history.events if e.user_metadata.HasField("summary"))
    return [s for s in said if isinstance(s, str)]


@pytest.mark.parametrize("piece_steps", [3, 10_000])
async def test_the_runs_after_the_first_read_the_schedule_in_pieces(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece_steps: int
) -> None:
    monkeypatch.setattr(plan_chain, "PLAN_PIECE_STEPS", piece_steps)
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, _plan(STEPS))
        record = ExecutionRecord.model_validate(await handle.result())
    assert record.state.value == "completed" and record.metrics.completed == STEPS + 2, record.metrics
    assert record.metrics.tool_call_count == STEPS + 2, "a step done before ran again"
    assert len(record.runs) >= 3, record.runs
    assert record.step("r").output is not None and record.step("r").output["content"] == "chained"
    histories = [await client.get_workflow_handle(handle.id, run_id=run).fetch_history() for run in record.runs]
    pieces = -(-(STEPS + 2) // piece_steps)
    for history in histories[1:]:
        _, carry = await _started_with(client, history)
        assert carry.schedule is None and carry.schedule_ref is None, "the schedule was handed over whole"
        assert carry.schedule_pieces is not None and len(carry.schedule_pieces) == pieces
        assert carry.schedule_head is not None and not carry.schedule_head.deps
        reads = [s for s in _summaries(history) if s.startswith("read the plan's schedule")]
        assert reads == [f"read the plan's schedule ({at + 1} of {pieces})" for at in range(pieces)], reads
    for history in histories:
        failed = [e for e in history.events if e.event_type in TASK_ENDS[1:]]
        assert not failed, failed
        await _replayer().replay_workflow(history)
    assert any(SCHEDULE_HANDED_IN_PIECES_PATCH.encode() in data for data in patches_asked(list(histories[0].events)))
    if "schedule_handed_in_pieces" in os.environ.get("ORCHESTRA_SAVE_HISTORIES", ""):
        # The first run as the shipped worker cuts the plan (in pieces of PLAN_PIECE_STEPS, stored two a call: cut in
        # others, its store calls replay differently); the next reading the schedule in several pieces.
        name, history = (SAVED[0], histories[0]) if piece_steps == 10_000 else (SAVED[1], histories[1])
        (HISTORIES / f"{name}.json").write_text(history.to_json())


async def test_histories_with_the_schedule_in_pieces_replay() -> None:
    for name in SAVED:
        history = WorkflowHistory.from_json(name, (HISTORIES / f"{name}.json").read_text())
        result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{name}: {result.replay_failure}"


@pytest.mark.parametrize("done", [set(), {"w"}, {"w", "s0", "s1", "s2"}, {f"s{i}" for i in range(0, STEPS, 2)}])
def test_a_continued_runs_readiness_built_in_pieces_is_the_one_built_whole(done: set[str]) -> None:
    schedule = prepare_plan(parse_plan(_plan(STEPS)), default_registry()).schedule()
    joiner = ScheduleJoiner(head_of(schedule), done)
    for piece in cut(schedule, 4, 1_000_000):
        joiner.add(piece)
    assert joiner.joined().model_dump() == schedule.model_dump()
    whole, built = Readiness(schedule.deps, {}, done), joiner.readiness
    assert (built.waiting_on, built.dependents) == (whole.waiting_on, whole.dependents)
    assert built.take_ready(100) == whole.take_ready(100)


@pytest.mark.parametrize("wide", [1, 500, 3_000])
def test_the_schedule_is_cut_by_bytes_too(wide: int) -> None:
    """A step of thousands of dependencies made a piece of megabytes, cut by count alone."""
    nodes: list[dict[str, Any]] = [{"id": f"leaf_{i:05}", "tool": "sleep", "args": {"seconds": 0}} for i in range(wide)]
    nodes += [
        {"id": f"join{j}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [n["id"] for n in nodes[:wide]]}
        for j in range(5)
    ]
    schedule = prepare_plan(parse_plan({"name": "wide", "nodes": nodes}), default_registry()).schedule()
    size = 20_000
    pieces = list(cut(schedule, 10_000, size))
    for piece in pieces:
        written = len(pydantic_core.to_json(piece.model_dump(mode="json", exclude_defaults=True)))
        assert written <= size or len(piece.deps) == 1, (written, len(piece.deps))
    assert [n for p in pieces for n in p.deps] == list(schedule.deps)
    joiner = ScheduleJoiner(head_of(schedule))
    for piece in pieces:
        joiner.add(piece)
    assert joiner.joined().model_dump() == schedule.model_dump()
