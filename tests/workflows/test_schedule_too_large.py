"""A plan that fits the storage limit while its checked schedule does not: the run fails at prepare_plan once
(storing the schedule again fails the same way) and says what was too large, its size, the limit and what to
do (it was tried 3 times and said only "payload of N bytes exceeds the storage limit")."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError

from orchestra.record import ExecutionRecord
from orchestra.settings import Settings
from tests.helpers import settings_for, start_plan
from tests.storage.conftest import client_with
from worker import create_worker

LIMIT = 300_000
STEPS = 1_200  # with ids of 155 characters: the plan fits 300 KB, its checked schedule (about 388 KB) does not


async def test_a_schedule_over_the_storage_limit_fails_once_and_says_why(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bounded = client_with(client, storage_settings.model_copy(update={"storage_max_payload_bytes": LIMIT}))
    worker_settings = settings_for(task_queue, tmp_path).model_copy(update={"storage_max_payload_bytes": LIMIT})
    nodes = [{"id": f"s{i:04}_" + "x" * 149, "tool": "sleep", "args": {"seconds": 0}} for i in range(STEPS)]
    caplog.set_level(logging.WARNING, logger="temporalio.activity")
    async with create_worker(bounded, worker_settings):
        handle = await start_plan(bounded, task_queue, {"name": "wide-schedule", "nodes": nodes})
        with pytest.raises(WorkflowFailureError) as failed:
            await handle.result()
        record = await handle.query("record", result_type=ExecutionRecord)
    assert isinstance(failed.value.cause, ApplicationError) and failed.value.cause.non_retryable
    message = failed.value.cause.message
    said = re.search(r"is ([\d,]+) bytes, over the storage limit of ([\d,]+) bytes", message)
    assert said is not None, message
    assert int(said[1].replace(",", "")) > LIMIT and said[2] == f"{LIMIT:,}", message
    assert f"the plan's checked schedule ({STEPS:,} steps)" in message, message
    assert "fewer steps or shorter step ids" in message and "ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES" in message, message
    assert record.error is not None and record.error.message == message and not record.error.retryable
    attempts = [r for r in caplog.records if "prepare_plan" in r.getMessage() and "failed" in r.getMessage()]
    assert len(attempts) == 1, [r.getMessage()[:200] for r in attempts]
