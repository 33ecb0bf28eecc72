"""Runs whose values pass Temporal's limits complete, with the values outside the history: in the data
folder (the embedded default) and in an S3-compatible server (moto, a real process on loopback)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from temporalio.api.common.v1 import Payload
from temporalio.client import Client, WorkflowHandle, WorkflowHistory

from orchestra.record import ExecutionRecord, StepState
from orchestra.settings import Settings
from orchestra.storage.display import storage_reference
from orchestra.storage.step_chunks import whole_record
from orchestra.storage.step_output import step_output
from tests.helpers import run_plan_to_failure, start_plan, worker_for
from tests.ops.support import run_command
from tests.storage.conftest import client_with

TEMPORAL_PAYLOAD_LIMIT = 2 * 1024 * 1024


@pytest.fixture(params=["folder", "s3"])
def stack(request: pytest.FixtureRequest, client: Client, storage_settings: Settings) -> tuple[Client, Settings]:
    """The session's client for the folder driver; a client on a fresh moto bucket for S3."""
    if request.param == "folder":
        return client, storage_settings
    s3 = request.getfixturevalue("s3_settings")
    return client_with(client, s3), s3


def history_payloads(message: Message) -> list[Payload]:
    """Every payload of a history (or of any message of it), references included: its Payload messages, walked as
    protobuf. Read through the history's JSON (MessageToJson, json.loads, ParseDict of each payload) a 500-step run's
    history took about three CPU seconds of the test's process, for the same payloads."""
    if isinstance(message, Payload):
        return [message]
    found: list[Payload] = []
    for field, value in message.ListFields():
        if field.type != FieldDescriptor.TYPE_MESSAGE or field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:  # a map: its values (memo and search attributes hold payloads)
            items = list(value.values())
        else:
            items = list(value) if field.is_repeated else [value]
        for item in items:
            if isinstance(item, Message):
                found += history_payloads(item)
    return found


def payloads_in(history: WorkflowHistory) -> list[Payload]:
    return [payload for event in history.events for payload in history_payloads(event)]


# What these tests check is where a large record goes, not liveness: on 2 loaded cores (4 test processes and
# other work) the test's own process, worker included, went unscheduled past the 5 s default heartbeat timeout
# with 64 steps at once, and a few steps failed their third attempt (CI at load 10-15; alone they pass).
PATIENT = {"heartbeat_timeout_s": 60}


async def run_to_end(
    client: Client, task_queue: str, workspace: Path, plan: dict[str, Any]
) -> tuple[ExecutionRecord, WorkflowHandle[Any, Any]]:
    async with worker_for(client, task_queue, workspace):
        handle = await start_plan(client, task_queue, plan)
        return ExecutionRecord.model_validate(await handle.result()), handle


async def history_of(handle: WorkflowHandle[Any, Any]) -> tuple[list[Payload], int]:
    history = await handle.fetch_history()
    return payloads_in(history), len(history.events)


def assert_completed(record: ExecutionRecord, steps: int) -> None:
    assert record.state.value == "completed", record.error
    assert len(record.steps) == steps and all(s.state == StepState.COMPLETED for s in record.steps)


async def test_500_steps_of_5kb_outputs_complete_with_a_record_over_2_mib(stack, task_queue, tmp_path):
    client, _ = stack
    (tmp_path / "blob.txt").write_text("x" * 5000)
    nodes = [{"id": f"s{i}", "tool": "read_file", "args": {"path": "blob.txt"}, **PATIENT} for i in range(500)]
    record, handle = await run_to_end(
        client, task_queue, tmp_path, {"name": "wide", "max_parallel": 64, "nodes": nodes}
    )

    assert_completed(record, 500)
    assert len(record.model_dump_json()) > TEMPORAL_PAYLOAD_LIMIT  # the run: this record was refused
    payloads, _ = await history_of(handle)
    assert max(p.ByteSize() for p in payloads) < TEMPORAL_PAYLOAD_LIMIT
    assert any(storage_reference(p) for p in payloads), "the record went to storage, a reference stayed"


async def test_70_steps_of_900kb_outputs_complete_and_each_full_output_can_be_fetched(stack, task_queue, tmp_path):
    client, settings = stack
    contents = {f"s{i}": f"{i:04d}" + uuid.uuid4().hex * 28_125 for i in range(70)}  # 900,004 bytes each
    for node, text in contents.items():
        (tmp_path / f"{node}.txt").write_text(text)
    nodes = [{"id": n, "tool": "read_file", "args": {"path": f"{n}.txt"}} for n in contents]
    record, handle = await run_to_end(client, task_queue, tmp_path, {"name": "big", "max_parallel": 8, "nodes": nodes})

    assert_completed(record, 70)
    payloads, _ = await history_of(handle)
    inline = sum(p.ByteSize() for p in payloads)
    assert inline < 2 * 1024 * 1024, f"{inline:,} bytes of payloads in the history: the outputs were not offloaded"
    assert all(p.ByteSize() < settings.storage_threshold_bytes for p in payloads)
    for node, text in contents.items():
        step = record.step(node)
        assert step.output_truncated and step.output_ref is not None
        full = await step_output(client, record, node)
        assert full["content"] == text and full["size"] == len(text)
        shown = await run_command(client, "--task-queue", task_queue, "result", handle.id, "--output", node)
        assert shown.code == 0, shown.err
        assert json.loads(shown.out) == full, f"{node}: `result --output` prints the step's full output"


async def test_a_plan_over_2_mib_as_a_document_starts_and_completes(stack, task_queue, tmp_path):
    client, _ = stack
    nodes = [
        {"id": f"q{i}", "tool": "json_query", "args": {"data": f"{i}:" + "y" * 45_000, "expression": "length(@)"}}
        for i in range(50)
    ]
    plan = {"name": "large-document", "max_parallel": 16, "nodes": nodes}
    assert len(json.dumps(plan)) > TEMPORAL_PAYLOAD_LIMIT
    record, handle = await run_to_end(client, task_queue, tmp_path, plan)

    assert_completed(record, 50)
    assert [record.step(f"q{i}").output["result"] for i in range(50)] == [45_001 + len(str(i)) for i in range(50)]
    payloads, _ = await history_of(handle)
    assert max(p.ByteSize() for p in payloads) < TEMPORAL_PAYLOAD_LIMIT


async def test_identical_outputs_of_a_fan_out_are_stored_once(client, storage_settings, task_queue, tmp_path):
    (tmp_path / "same.txt").write_text("z" * 100_000)
    nodes = [{"id": f"f{i}", "tool": "read_file", "args": {"path": "same.txt"}} for i in range(6)]
    record, _ = await run_to_end(client, task_queue, tmp_path, {"name": "fan", "max_parallel": 6, "nodes": nodes})

    assert_completed(record, 6)
    refs = {json.dumps(s.output_ref.claim, sort_keys=True) for s in record.steps if s.output_ref}
    assert len(refs) == 1 and len([s for s in record.steps if s.output_ref]) == 6
    stored = storage_settings.storage_folder() / json.loads(refs.pop())["path"]
    assert stored.is_file()
    # The workflow reads the output back (the same content, so the same object); the only other large
    # objects of the run are its record answers, which hold previews, not copies.
    outputs = [p for p in stored.parent.iterdir() if p.name != ".owner" and b"steps" not in p.read_bytes()]
    assert outputs == [stored]


async def test_a_failed_run_whose_record_is_over_2_mib_reaches_the_client_whole(client, task_queue, tmp_path):
    (tmp_path / "blob.txt").write_text("x" * 5000)
    nodes = [{"id": f"s{i}", "tool": "read_file", "args": {"path": "blob.txt"}, **PATIENT} for i in range(500)]
    nodes.append({"id": "missing", "tool": "read_file", "args": {"path": "no-such-file.txt"}})
    record = await run_plan_to_failure(
        client, task_queue, tmp_path, {"name": "fails", "max_parallel": 64, "nodes": nodes}
    )

    assert len(record.model_dump_json()) > TEMPORAL_PAYLOAD_LIMIT  # carried by the failure's details
    # Loaded, the run's history may pass the server's suggestion and the run hand over: the steps earlier
    # runs of the chain finished are then in the record by reference (485 of 500 listed in one such run).
    whole = await whole_record(client.data_converter, record)
    assert whole.step("missing").state == StepState.ERROR
    assert sum(s.state == StepState.COMPLETED for s in whole.steps) == 500
