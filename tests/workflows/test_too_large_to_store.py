"""A value over the storage limit fails what stored it once (storing it again fails the same way) and says what
was too large, its size, the limit and what to do: it was retried (the schedule 3 times, a step's tool run
again) and said only "payload of N bytes exceeds the storage limit"."""

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
SAID = re.compile(r"is ([\d,]+) bytes, over the storage limit of ([\d,]+) bytes")


def bounded(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path, limit: int = LIMIT
) -> tuple[Client, Settings]:
    """The client and the worker's settings with the storage limit at ``limit``."""
    limited = client_with(client, storage_settings.model_copy(update={"storage_max_payload_bytes": limit}))
    return limited, settings_for(task_queue, tmp_path).model_copy(update={"storage_max_payload_bytes": limit})


def failed_attempts(caplog: pytest.LogCaptureFixture, activity: str) -> list[str]:
    """The SDK's "Completing activity as failed" lines of ``activity`` (quoted, as the message writes it). Its
    activity is on the message, or only in the record's extra once the product's logging set-up ran in this
    process (configure_logging turns activity_info_on_message off): read from either."""
    return [
        m
        for r in caplog.records
        if "as failed" in (m := r.getMessage())
        and (activity in m or repr(getattr(r, "temporal_activity", {}).get("activity_type")) == activity)
    ]


async def test_a_schedule_over_the_storage_limit_fails_once_and_says_why(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    limited, worker_settings = bounded(client, storage_settings, task_queue, tmp_path)
    nodes = [{"id": f"s{i:04}_" + "x" * 149, "tool": "sleep", "args": {"seconds": 0}} for i in range(STEPS)]
    caplog.set_level(logging.WARNING, logger="temporalio.activity")
    async with create_worker(limited, worker_settings):
        handle = await start_plan(limited, task_queue, {"name": "wide-schedule", "nodes": nodes})
        with pytest.raises(WorkflowFailureError) as failed:
            await handle.result()
        record = await handle.query("record", result_type=ExecutionRecord)
    assert isinstance(failed.value.cause, ApplicationError) and failed.value.cause.non_retryable
    message = failed.value.cause.message
    said = SAID.search(message)
    assert said is not None, message
    assert int(said[1].replace(",", "")) > LIMIT and said[2] == f"{LIMIT:,}", message
    assert f"the plan's checked schedule ({STEPS:,} steps)" in message, message
    assert "fewer steps or shorter step ids" in message and "ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES" in message, message
    assert record.error is not None and record.error.message == message and not record.error.retryable
    assert len(failed_attempts(caplog, "'prepare_plan'")) == 1, "tried once"


async def test_a_step_output_over_the_storage_limit_fails_the_step_once_and_says_why(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    limited, worker_settings = bounded(client, storage_settings, task_queue, tmp_path)
    (tmp_path / "big.txt").write_text("b" * (LIMIT + 50_000))
    caplog.set_level(logging.WARNING, logger="temporalio.activity")
    plan = {"name": "big-output", "nodes": [{"id": "big", "tool": "read_file", "args": {"path": "big.txt"}}]}
    async with create_worker(limited, worker_settings):
        handle = await start_plan(limited, task_queue, plan)
        with pytest.raises(WorkflowFailureError):
            await handle.result()
        record = await handle.query("record", result_type=ExecutionRecord)
    error = record.step("big").error
    assert error is not None and not error.retryable and error.code == "value_too_large", error
    said = SAID.search(error.message)
    assert said is not None and int(said[1].replace(",", "")) > LIMIT and said[2] == f"{LIMIT:,}", error.message
    assert error.message.startswith("big's output is") and "have the step return less" in error.message
    assert record.step("big").attempts == 1 and len(failed_attempts(caplog, "'run_tool'")) == 1, "the tool ran once"
