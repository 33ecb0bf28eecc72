"""A replay stores nothing again. A worker that replays a run (restarted, its cache evicted, a query of a finished run)
re-encodes every command the run sent, and the SDK hands each large value to the store again. The store now finds
what it stored: with encryption on, every replay wrote new copies of the run's large values (a random nonce made each
encryption differ: storage grew with each replay); a worker restarted with a smaller ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES
refused the values an earlier worker had stored, and the run's workflow task was retried for ever."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowHandle

from orchestra.codec import EncryptionCodec
from orchestra.control import PauseRequest
from orchestra.converter import compose
from orchestra.record import AgentState, ExecutionRecord, StepState
from orchestra.registry import default_registry
from orchestra.settings import Settings
from orchestra.storage.folder import LAYOUT, segment
from tests.control_support import gate
from tests.helpers import record_of, settings_for, start_plan, until
from tests.workflows.test_handover_in_pieces import HANG_CHECK_S
from worker import create_worker
from workflows.orchestration import OrchestrationWorkflow

SMALLER = 16_000  # the restarted worker's limit, under the 40 KB values stored before
REPLAYS = 3


def _stored(client: Client, settings: Settings, handle: WorkflowHandle[Any, Any]) -> set[Path]:
    folder = settings.storage_folder() / LAYOUT / "ns" / segment(client.namespace) / "wf" / segment(handle.id)
    return {p for p in folder.rglob("*") if p.is_file()}


def _client(client: Client, settings: Settings, *, encrypted: bool) -> Client:
    """The session's connection with ``settings``' store, encrypting with a key of the test's when ``encrypted``."""
    config = client.config()
    config["data_converter"] = compose(EncryptionCodec(b"r" * 32) if encrypted else None, settings)
    return Client(**config)


def _large_plan(url: str) -> dict[str, Any]:
    """A plan of some 40 KB (stored: over the 32 KiB threshold) whose first step's call and output are large too; its
    last step starts after ``url`` answers."""
    big = {"id": "big", "tool": "json_query", "args": {"data": "x" * 40_000, "expression": "@"}}
    held = {"id": "held", "tool": "http_request", "args": {"url": url}, "retry": {"max_attempts": 1},
            "depends_on": ["big"]}  # fmt: skip
    after = {"id": "after", "tool": "json_query", "args": {"data": "${big.output.result}", "expression": "length(@)"},
             "depends_on": ["held"]}  # fmt: skip
    return {"name": "replayed", "nodes": [big, held, after]}


async def test_replaying_an_encrypted_run_writes_no_new_files(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    settings = storage_settings.model_copy(update={"data_dir": tmp_path / "data"})
    encrypted = _client(client, settings, encrypted=True)
    with gate() as (url, released):
        released.set()
        async with create_worker(encrypted, settings_for(task_queue, tmp_path), default_registry()):
            handle = await start_plan(encrypted, task_queue, _large_plan(url))
            await asyncio.wait_for(handle.result(), HANG_CHECK_S)
    first = _stored(encrypted, settings, handle)
    assert len(first) >= 3, first  # the plan, the large call and output, the owner file
    for _ in range(REPLAYS):  # each a worker of an empty cache: the query replays the whole run
        async with create_worker(encrypted, settings_for(task_queue, tmp_path), default_registry()):
            assert (await record_of(handle)).state == AgentState.COMPLETED
        assert _stored(encrypted, settings, handle) == first


@pytest.mark.parametrize("encrypted", [False, True])
async def test_a_worker_restarted_with_a_smaller_store_replays_what_an_earlier_one_stored(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path, encrypted: bool
) -> None:
    storage_settings = storage_settings.model_copy(update={"data_dir": tmp_path / "data"})
    client = _client(client, storage_settings, encrypted=encrypted)
    with gate() as (url, released):
        async with create_worker(client, settings_for(task_queue, tmp_path), default_registry()):
            handle = await start_plan(client, task_queue, _large_plan(url))
            await until(lambda: record_of(handle), lambda r: r.metrics.running == 1 and r.metrics.completed >= 1)
            await handle.execute_update(OrchestrationWorkflow.pause_run, PauseRequest(reason="restart the worker"))
            released.set()
            await until(lambda: record_of(handle), lambda r: r.step("held").state == StepState.COMPLETED)
        before = _stored(client, storage_settings, handle)
        # As a worker process restarted with ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES=16000: its client's store too.
        smaller = storage_settings.model_copy(update={"storage_max_payload_bytes": SMALLER})
        worker_settings = settings_for(task_queue, tmp_path).model_copy(update={"storage_max_payload_bytes": SMALLER})
        async with create_worker(_client(client, smaller, encrypted=encrypted), worker_settings, default_registry()):
            await handle.execute_update(OrchestrationWorkflow.resume_run)
            # A hang check only: the run ends well within it, or its workflow task is retried for ever.
            record = ExecutionRecord.model_validate(await asyncio.wait_for(handle.result(), HANG_CHECK_S))
    assert record.state == AgentState.COMPLETED, record.state
    assert record.step("after").output == {"result": 40_000}, record.step("after").output
    assert _stored(client, storage_settings, handle) >= before
