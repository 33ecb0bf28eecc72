"""A failed chain undoes what every run of it did: a write finished by the chain's first run is undone when a
later run fails, its undo shown against its step, and the copy it kept for the undo removed (or kept when the
undo could not put the file back)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner

import workflows.handover
from orchestra.calls import RunRequest
from orchestra.plan_chain import PlanCarry
from orchestra.record import ExecutionRecord, StepRecord, StepState
from orchestra.registry import default_registry
from orchestra.settings import Settings
from orchestra.storage.step_chunks import whole_record
from tests.helpers import failed_record, settings_for, start_plan, worker_for
from tests.ops.support import run_command
from tests.storage.conftest import client_with
from tests.workflows.test_write_undo import FAILING, _copies, _undone
from tests.workflows.test_write_undo import _write as write
from tests.workflows.undos_accounted import undos_unaccounted
from worker import create_worker
from workflows.handover import UNDO_PAGE, in_pages, undo_order

# Pages of steps to undo for the paging test: a tenth of UNDO_PAGE, its steps and history a tenth as long too
# (405 steps at 1000 events a run took 30 s of the suite and showed no more).
SMALL_PAGE = 20


# At 20 events a run each pad is a run of its own: four put the failure four hand-overs past the writes (twelve,
# as before, took a dozen seconds more of each test and showed no more).
PADS = 4
LAST_PAD = f"p{PADS - 1}"


def chain_plan(writes: list[dict[str, Any]], pad: int = PADS) -> dict[str, Any]:
    """The writes, then ``pad`` steps one after another (so the chain hands over), then a failing step."""
    last = writes[-1]["id"]
    pads = [{"id": f"p{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"p{i - 1}" if i else last]}
            for i in range(pad)]  # fmt: skip
    return {"name": "saga-chain", "compensate_on_failure": True, "history_events_per_run": 20,
            "nodes": [*writes, *pads, {"id": "check", **FAILING, "depends_on": [f"p{pad - 1}"]}]}  # fmt: skip


async def _undone_chain(client: Client, task_queue: str, tmp_path: Path, plan: dict[str, Any]) -> ExecutionRecord:
    """The failed chain's record as a user reads it (every run's steps listed); the first run's writes, and what
    their undos read of them, went with its chunk rather than along the carry."""
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, plan)
        record = await failed_record(handle)
        assert len(record.runs) >= 2, record.runs
        carry = await _carry_of(client, handle.id, record.runs[-1])
        shown = await run_command(client, "--task-queue", task_queue, "result", handle.id, "--json")
    undos = {s["node_id"]: s["compensation"]["state"] for s in json.loads(shown.out)["steps"] if s.get("compensation")}
    assert undos.get("over") in {"completed", "error"}, ("the CLI shows the first run's undo", shown.err)
    assert not {"over", "made"} & {s.node_id for s in carry.record.steps}, "the first run's writes went with its chunk"
    assert not {"over", "made"} & {*carry.scope, *carry.stored}, "so did what their undos read of them"
    return await whole_record(client.data_converter, record)


async def undos_scheduled(client: Client, workflow_id: str, runs: list[str]) -> list[str]:
    """The steps whose undo every run of the chain scheduled, in the order they were (a compensation may hand over
    to the next run of the chain mid-way)."""
    undone: list[str] = []
    for run in runs:
        async for event in client.get_workflow_handle(workflow_id, run_id=run).fetch_history_events():
            scheduled = event.activity_task_scheduled_event_attributes
            if scheduled.activity_id.endswith(".compensate"):
                undone.append(scheduled.activity_id.removesuffix(".compensate"))
    return undone


async def _carry_of(client: Client, workflow_id: str, run_id: str) -> PlanCarry:
    """What the run started with (the carry the run before handed over)."""
    async for event in client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history_events():
        payloads = event.workflow_execution_started_event_attributes.input.payloads
        _, carry = await client.data_converter.decode(payloads, [RunRequest, PlanCarry])
        assert isinstance(carry, PlanCarry)
        return carry
    raise AssertionError("no history")


async def test_a_chain_failing_in_a_later_run_undoes_the_writes_of_its_first(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_bytes(b"the user's\n")
    plan = chain_plan([write("over", "a.txt"), write("made", "b.txt", after="over")])
    record = await _undone_chain(client, task_queue, tmp_path, plan)
    assert (tmp_path / "a.txt").read_bytes() == b"the user's\n"
    assert not (tmp_path / "b.txt").exists()
    assert _undone(record, "over")["restored"] is True and _undone(record, "made")["deleted"] is True
    assert _copies(tmp_path) == [], "the copy the first run's write kept goes once its undo put the file back"


async def test_every_run_of_a_chain_is_undone_newest_first_each_undo_shown(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """Steps with a compensation in every run (the last included): one undo each, in the order they ended
    backwards across the runs, none of them listed in the carry of a later run. At 20 events a run, six steps make
    a chain of several runs (fourteen took 28 s and showed no more)."""
    count = 6
    steps = [{"id": f"u{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"u{i - 1}"] if i else [],
              "compensation": {"tool": "sleep", "args": {"seconds": 0}}} for i in range(count)]  # fmt: skip
    plan = {"name": "saga-every-run", "compensate_on_failure": True, "history_events_per_run": 20,
            "nodes": [*steps, {"id": "check", **FAILING, "depends_on": [f"u{count - 1}"]}]}  # fmt: skip
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, plan)
        record = await failed_record(handle)
        assert len(record.runs) >= 3, record.runs
        assert "u0" not in {s.node_id for s in record.steps}, "the first run's steps are not carried along the chain"
        undone = await undos_scheduled(client, handle.id, record.runs)
    assert undone == [f"u{i}" for i in reversed(range(count))]
    whole = await whole_record(client.data_converter, record)
    shown = {s.node_id: s.compensation.state if s.compensation else None for s in whole.steps}
    assert shown == {**{f"u{i}": StepState.COMPLETED for i in range(count)}, "check": None}


async def test_an_undo_that_fails_in_a_chain_is_shown_and_its_copy_kept(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """The first run's write is changed by a later step, so its undo keeps the file and the copy of what the user
    had; another undo of the first run fails outright. Both are shown against their steps."""
    (tmp_path / "a.txt").write_bytes(b"the user's\n")
    broken = {"id": "broken", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["over"],
              "compensation": {"tool": "read_file", "args": {"path": "missing.txt"}}}  # fmt: skip
    edit = {"id": "edit", "tool": "write_file", "args": {"path": "a.txt", "content": "edited"}, "depends_on": ["p1"]}
    plan = chain_plan([write("over", "a.txt"), broken])
    plan["nodes"] = [*plan["nodes"][:-1], edit, {**plan["nodes"][-1], "depends_on": ["edit", LAST_PAD]}]
    record = await _undone_chain(client, task_queue, tmp_path, plan)
    undone = _undone(record, "over")
    assert undone["restored"] is False and "changed since it was written; kept" in undone["reason"], undone
    failed = record.step("broken").compensation
    assert failed is not None and failed.state == StepState.ERROR and failed.error is not None, failed
    assert (tmp_path / "a.txt").read_text() == "edited"
    assert [p.read_bytes() for p in _copies(tmp_path) if p.suffix != ".json"] == [b"the user's\n"]


def test_the_steps_to_undo_are_paged_newest_first() -> None:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    steps = [StepRecord(node_id=f"s{i}", tool="sleep", phase=0, state=StepState.COMPLETED, ended_at=at + timedelta(seconds=i % 7 * 10 + i))
             for i in range(UNDO_PAGE * 2 + 3)]  # fmt: skip
    pages = in_pages(undo_order(steps))
    assert [len(p) for p in pages] == [UNDO_PAGE, UNDO_PAGE, 3]
    ended = [item.ended_at for page in pages for item in page]
    assert ended == sorted(ended, reverse=True) and len({item.node for p in pages for item in p}) == len(steps)


async def test_with_nothing_stored_outside_the_history_the_chunks_steps_are_undone_in_place(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """ORCHESTRA_STORAGE=off: the chunk lists its steps in the carry, and their undos are recorded there."""
    off = Settings(storage="off", task_queue=task_queue, workspace=tmp_path, data_dir=tmp_path.parent)
    plain = client_with(client, off)
    (tmp_path / "a.txt").write_bytes(b"the user's\n")
    plan = chain_plan([write("over", "a.txt"), write("made", "b.txt", after="over")])
    async with create_worker(plain, off):
        handle = await start_plan(plain, task_queue, plan)
        record = await failed_record(handle)
    assert len(record.runs) >= 2 and all(chunk.stored is None for chunk in record.earlier), record.earlier
    assert (tmp_path / "a.txt").read_bytes() == b"the user's\n" and not (tmp_path / "b.txt").exists()
    whole = await whole_record(plain.data_converter, record)
    assert _undone(whole, "over")["restored"] is True and _undone(whole, "made")["deleted"] is True


async def test_undos_read_outputs_of_other_runs_as_if_the_chain_were_one_run(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """An undo of the first run reads a step of the second, and one of the second reads a step of the first."""
    early = {"id": "early", "tool": "write_file", "args": {"path": "early.txt", "content": "1"},
             "compensation": {"tool": "render_template",
                              "args": {"template": "{{ v }}", "values": {"v": "${late.output.path}"}}}}  # fmt: skip
    plan = chain_plan([early])
    late = {"id": "late", "tool": "write_file", "args": {"path": "late.txt", "content": "2"}, "depends_on": [LAST_PAD],
            "compensation": {"tool": "render_template",
                             "args": {"template": "{{ v }}", "values": {"v": "${early.output.path}"}}}}  # fmt: skip
    plan["nodes"] = [*plan["nodes"][:-1], late, {**plan["nodes"][-1], "depends_on": ["late"]}]
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, plan)
        record = await failed_record(handle)
    record = await whole_record(client.data_converter, record)
    assert record.step("early").ended_at and len(record.runs) >= 2
    read = {node: repr(record.step(node).compensation) for node in ("early", "late")}
    assert "late.txt" in read["early"] and "early.txt" in read["late"], read


async def test_a_chunk_with_more_steps_to_undo_than_a_page_is_undone_page_by_page(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Read by the workflow at each paging: unsandboxed, it pages by SMALL_PAGE.
    monkeypatch.setattr(workflows.handover, "UNDO_PAGE", SMALL_PAGE)
    count = SMALL_PAGE * 2 + 5
    steps = [{"id": f"u{i}", "tool": "sleep", "args": {"seconds": 0},
              "compensation": {"tool": "sleep", "args": {"seconds": 0}}} for i in range(count)]  # fmt: skip
    pads = [{"id": f"p{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"p{i - 1}"] if i else ["u0"]}
            for i in range(4)]  # fmt: skip
    plan = {"name": "saga-pages", "compensate_on_failure": True, "history_events_per_run": 100, "max_parallel": 50,
            "nodes": [*steps, *pads, {"id": "check", **FAILING, "depends_on": [*(s["id"] for s in steps), "p3"]}]}  # fmt: skip
    async with worker_for(client, task_queue, tmp_path, workflow_runner=UnsandboxedWorkflowRunner()):
        handle = await start_plan(client, task_queue, plan)
        record = await failed_record(handle)
    paged = [chunk for chunk in record.earlier if chunk.undo]
    assert max(len(c.undo) for c in paged) >= 2, [len(c.nodes) for c in record.earlier]
    assert all(len(c.undone) >= len(c.undo) for c in paged), (
        "each page's undos are stored (a page handed over mid-way in two)"
    )
    whole = await whole_record(client.data_converter, record)
    undoable = [f"u{i}" for i in range(count)]
    assert not (unaccounted := undos_unaccounted(whole, undoable)), unaccounted
    undone = [s.node_id for s in whole.steps if s.compensation is not None]
    assert set(undone) <= set(undoable), sorted(set(undone) - set(undoable))


async def test_a_chain_whose_undoable_steps_outgrow_the_payload_limit_hands_over_and_undoes_them(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """125 steps with 4 KB outputs their undos read, on a worker whose runs may carry 512 KiB: listed in the carry
    with what their undos read (about 8 KB a step, 1 MB in all) they passed it at a hand-over some runs in, and the
    chain failed there, undoing nothing (found with 500 steps under 2 MiB; the same ratio at a quarter of the steps,
    the carry past the limit half-way along a chain of some nine runs; with the default 50 MB limit, so did 50,000
    writes' 1 KB). They go with the chunks, and every one is undone."""
    count, text = 125, "x" * 3990
    steps = [{"id": f"s{i}", "tool": "render_template", "args": {"template": text, "values": {}},
              "compensation": {"tool": "render_template",
                               "args": {"template": "{{ v }}", "values": {"v": f"${{s{i}.output.text}}"}}}}
             for i in range(count)]  # fmt: skip
    pads = [{"id": f"p{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"p{i - 1}"] if i else ["s0"]}
            for i in range(12)]  # fmt: skip
    plan = {"name": "saga-large", "compensate_on_failure": True, "history_events_per_run": 150, "max_parallel": 50,
            "nodes": [*steps, *pads, {"id": "check", **FAILING, "depends_on": [*(s["id"] for s in steps), "p11"]}]}  # fmt: skip
    small = settings_for(task_queue, tmp_path).model_copy(update={"storage_max_payload_bytes": 512 * 1024})
    async with create_worker(client, small, default_registry()):
        handle = await start_plan(client, task_queue, plan)
        record = await failed_record(handle)
    record = await whole_record(client.data_converter, record)
    assert len(record.runs) >= 2, record.runs
    assert not (unaccounted := undos_unaccounted(record, [f"s{i}" for i in range(count)])), unaccounted
    undone = [s for s in record.steps if s.compensation is not None]
    assert all(s.compensation and s.compensation.output == {"text": text} for s in undone)
