"""A hand-over whose values do not fit the storage limit as one stored value stores them in pieces that each fit,
and the chain goes on; one that cannot be cut ends the run as value_too_large, saying which it is. Before, the
values went to the store as one local activity argument, the workflow task's completion failed to encode
("StoredPayloadTooLarge: payload of 535,961 bytes") and Temporal retried the task for ever: the run never ended."""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError

from orchestra.codec import EncryptionCodec
from orchestra.converter import compose
from orchestra.record import ExecutionRecord, StepRecord, StepState
from orchestra.settings import Settings
from orchestra.storage.step_chunks import whole_record
from tests.helpers import start_plan
from tests.workflows.test_too_large_to_store import LIMIT, bounded
from tests.workflows.test_write_undo import FAILING
from tests.workflows.undos_accounted import undos_unaccounted
from worker import create_worker
from workflows.handover_pieces import HAND_OVER_PIECES_PATCH, Fit
from workflows.patches_at_start import AGENT_PATCHES, GATE_PATCH, ORCHESTRATION_PATCHES

STEPS = 700  # with ids of 155 characters: the plan and its schedule fit 300 KB, the first run's steps do not
# The first run's steps: about 380 KB in 2,000 events (at 1,600, 285-295 KB: whether they crossed 300 KB hung on load).
# Under half the limit, the same margin at half the CPU: 400 steps in runs of 1,150 events, the first run's some 350
# steps about 204 KB (at 1,000 events, 288 steps, 167 KB).
HALF_STEPS, HALF_EVENTS, HALF_LIMIT = 400, 1_150, LIMIT // 2
# A hang check only: a run that ends is done well within it; one whose task is retried for ever never is.
HANG_CHECK_S = 300


def long_ids_plan(steps: int, events_per_run: int = 2_000) -> dict[str, Any]:
    nodes = [{"id": f"s{i:03}_" + "x" * 150, "tool": "sleep", "args": {"seconds": 0}} for i in range(steps)]
    return {"name": "big-chunk", "max_parallel": 100, "history_events_per_run": events_per_run, "nodes": nodes}


def patches_asked(events: list[Any]) -> list[bytes]:
    """The patches a run took: its markers' data, and with the gate's, the ids the gate takes with no marker of their
    own (workflows/patches_at_start.py)."""
    asked = [
        event.marker_recorded_event_attributes.details["patch-data"].payloads[0].data
        for event in events
        if event.HasField("marker_recorded_event_attributes")
        and "patch-data" in event.marker_recorded_event_attributes.details
    ]
    gated = any(GATE_PATCH.encode() in data for data in asked)
    return asked + [patch.encode() for patch in (*ORCHESTRATION_PATCHES, *AGENT_PATCHES) if gated]


async def test_a_hand_over_over_the_limit_is_stored_in_pieces_and_the_chain_completes(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    limited, worker_settings = bounded(client, storage_settings, task_queue, tmp_path, HALF_LIMIT)
    async with create_worker(limited, worker_settings):
        handle = await start_plan(limited, task_queue, long_ids_plan(HALF_STEPS, HALF_EVENTS))
        await asyncio.wait_for(handle.result(), HANG_CHECK_S)
        record = await handle.query("record", result_type=ExecutionRecord)
        first = limited.get_workflow_handle(handle.id, run_id=record.runs[0])
        events = [event async for event in first.fetch_history_events()]
    assert record.state.value == "completed" and len(record.runs) >= 2, (record.state, record.runs)
    first_run = [chunk for chunk in record.earlier if chunk.run_index == 0]
    assert len(first_run) >= 2, "the first run's steps went in pieces"
    assert all(chunk.stored is not None and chunk.stored.bytes <= HALF_LIMIT for chunk in first_run), first_run
    whole = await whole_record(limited.data_converter, record)
    assert len(whole.steps) == HALF_STEPS and all(s.state == StepState.COMPLETED for s in whole.steps)
    assert [s.node_id for s in whole.steps] == [n["id"] for n in long_ids_plan(HALF_STEPS)["nodes"]]
    assert any(HAND_OVER_PIECES_PATCH.encode() in data for data in patches_asked(events))


async def test_an_undo_that_cannot_be_cut_ends_the_run_as_value_too_large(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    """One undo reads 90 outputs of 4 KB no other step reads: they go with it in its undo page, and that page
    (about 350 KB) cannot be cut under a 300 KB limit."""
    limited, worker_settings = bounded(client, storage_settings, task_queue, tmp_path)
    (tmp_path / "four_kb.txt").write_text("x" * 3800)
    writes = [{"id": f"w{i}", "tool": "read_file", "args": {"path": "four_kb.txt"}} for i in range(90)]
    reads = {f"v{i}": f"${{w{i}.output.content}}" for i in range(90)}
    undo = {"id": "undo_all", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [w["id"] for w in writes],
            "compensation": {"tool": "render_template", "args": {"template": "{{ v0 }}", "values": reads}}}  # fmt: skip
    pads = [{"id": f"p{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"p{i - 1}" if i else "undo_all"]}
            for i in range(30)]  # fmt: skip
    plan = {"name": "undo-too-large", "compensate_on_failure": True, "history_events_per_run": 480,
            "max_parallel": 40, "nodes": [*writes, undo, *pads]}  # fmt: skip
    async with create_worker(limited, worker_settings):
        handle = await start_plan(limited, task_queue, plan)
        with pytest.raises(WorkflowFailureError) as failed:
            await asyncio.wait_for(handle.result(), HANG_CHECK_S)
    cause = failed.value.cause
    assert isinstance(cause, ApplicationError) and cause.non_retryable and cause.type == "value_too_large", cause
    message = cause.message
    assert "could not hand over to the next run of the chain" in message, message
    assert "the undo of step 'undo_all', with the outputs of other steps it reads," in message, message
    assert f"over the storage limit of {LIMIT:,} bytes" in message and "cannot be stored in pieces" in message


def _step(i: int) -> StepRecord:
    return StepRecord(node_id=f"s{i:04}_" + "€" * 100, tool="sleep", phase=0, state=StepState.COMPLETED)


async def test_every_piece_fits_as_the_storage_measures_it_encrypted() -> None:
    """The pieces, encoded and encrypted as the store writes them, each within the limit: the measure is the
    payload converter's (UTF-8 bytes, '€' three of them), with room for the codec's envelope."""
    limit = 40_000
    codec = EncryptionCodec.from_env(
        {"ORCHESTRA_CODEC_KEY": base64.b64encode(b"k" * 32).decode(), "ORCHESTRA_CODEC_KEY_ID": "k" * 200}
    )
    assert codec is not None
    converter = compose(codec, None)
    fit = Fit(limit, "the storage limit ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES")
    steps = [_step(i) for i in range(400)]
    assert not fit.fits([steps])
    pieces = fit.cut(steps, lambda step: step.node_id)
    calls = fit.calls([*pieces, {"schedule": "y" * 30_000}])
    assert len(pieces) > 1 and [s for p in pieces for s in p] == steps
    for value in [*pieces, *calls]:
        [payload] = await converter.encode([value])
        assert payload.ByteSize() <= limit
    with pytest.raises(ApplicationError) as failed:
        fit.cut([StepRecord(node_id="z" * 50_000, tool="sleep", phase=0)], lambda step: "the record of step 'z'")
    assert "the record of step 'z' is" in failed.value.message and failed.value.details[0]["code"] == "value_too_large"


def test_with_nothing_stored_outside_nothing_is_cut() -> None:
    off, name = Settings(storage="off").largest_value()
    assert Fit(off, name).fits(["x" * (off + 1)])


async def test_undo_pages_over_the_limit_are_halved_and_every_step_is_undone(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    """200 undoable steps whose undos read their 4 KB outputs: one page of them (about 800 KB with those outputs)
    is halved until each fits 300 KB, and the failed chain undoes every one that completed, reading the pages back
    (one that did not is in a gap)."""
    limited, worker_settings = bounded(client, storage_settings, task_queue, tmp_path)
    (tmp_path / "four_kb.txt").write_text("x" * 3800)
    count = 200
    steps = [{"id": f"s{i}", "tool": "read_file", "args": {"path": "four_kb.txt"},
              "compensation": {"tool": "render_template",
                               "args": {"template": "ok", "values": {"v": f"${{s{i}.output.content}}"}}}}
             for i in range(count)]  # fmt: skip
    pads = [{"id": f"p{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"p{i - 1}"] if i else ["s0"]}
            for i in range(12)]  # fmt: skip
    plan = {"name": "saga-pages-halved", "compensate_on_failure": True, "history_events_per_run": 300,
            "max_parallel": 50, "nodes": [*steps, *pads, {"id": "check", **FAILING, "depends_on": [*(s["id"] for s in steps), "p11"]}]}  # fmt: skip
    async with create_worker(limited, worker_settings):
        handle = await start_plan(limited, task_queue, plan)
        with pytest.raises(WorkflowFailureError) as failure:
            await asyncio.wait_for(handle.result(), HANG_CHECK_S)
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "PlanFailed", str(cause)
    record = ExecutionRecord.model_validate(cause.details[0])
    pages = [page for chunk in record.earlier for page in chunk.undo]
    assert len(pages) >= 3 and all(page.bytes <= LIMIT for page in pages), [page.bytes for page in pages]
    whole = await whole_record(limited.data_converter, record)
    # By undos_accounted's rule: a step timing out on a loaded worker owes no undo (it is in a gap); it failed this.
    assert not (unaccounted := undos_unaccounted(whole, [f"s{i}" for i in range(count)])), unaccounted


async def test_outputs_later_steps_read_over_the_limit_together_go_in_several_calls(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    """100 outputs of 5 KB, each read by a step of a later run: each stored on its own (over the 4 KB a carry
    keeps), 500 KB together under a 300 KB limit; the store is called several times and the chain completes."""
    limited, worker_settings = bounded(client, storage_settings, task_queue, tmp_path)
    (tmp_path / "five_kb.txt").write_text("y" * 5000)
    count = 100
    reads = [{"id": f"w{i}", "tool": "read_file", "args": {"path": "five_kb.txt"}} for i in range(count)]
    pads = [{"id": f"p{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"p{i - 1}" if i else "w0"]}
            for i in range(30)]  # fmt: skip
    later = [{"id": f"r{i}", "tool": "render_template", "depends_on": ["p29"],
              "args": {"template": "ok", "values": {"v": f"${{w{i}.output.content}}"}}}
             for i in range(count)]  # fmt: skip
    plan = {"name": "outputs-in-calls", "history_events_per_run": 450, "max_parallel": 50,
            "nodes": [*reads, *pads, *later]}  # fmt: skip
    async with create_worker(limited, worker_settings):
        handle = await start_plan(limited, task_queue, plan)
        await asyncio.wait_for(handle.result(), HANG_CHECK_S)
        record = await handle.query("record", result_type=ExecutionRecord)
        first = limited.get_workflow_handle(handle.id, run_id=record.runs[0])
        events = [event async for event in first.fetch_history_events()]
    assert record.state.value == "completed" and len(record.runs) >= 2, (record.state, record.runs)
    whole = await whole_record(limited.data_converter, record)
    assert all(whole.step(f"r{i}").output == {"text": "ok"} for i in range(count))
    assert any(HAND_OVER_PIECES_PATCH.encode() in data for data in patches_asked(events))
    assert len(store_calls(events)) >= 2, "the outputs went in several calls of the store"


def store_calls(events: list[Any]) -> list[Any]:
    """The local activity markers of the store's calls."""
    return [
        event
        for event in events
        if event.HasField("marker_recorded_event_attributes")
        and "data" in event.marker_recorded_event_attributes.details
        and b'"store_values"' in event.marker_recorded_event_attributes.details["data"].payloads[0].data
    ]
