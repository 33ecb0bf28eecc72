"""A hand-over whose chunk of finished steps is over the largest value a run can send ends the run, saying what
was too large, its size, the limit and what to do: the chunk went to the store as a local activity's argument,
the workflow task's completion failed to encode ("StoredPayloadTooLarge: payload of 531,651 bytes") and
Temporal retried the task for ever, the run hanging."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError

from orchestra.settings import Settings
from tests.helpers import start_plan
from tests.workflows.test_too_large_to_store import LIMIT, SAID, bounded
from worker import create_worker
from workflows.handover import STORE_SIZE_CHECKED_PATCH

STEPS = 700  # with ids of 155 characters: the plan and its schedule fit 300 KB, the steps' records do not
# A hang check only: a run that ends is done in well under it; one whose task is retried for ever never is.
HANG_CHECK_S = 240


async def test_a_hand_over_chunk_over_the_limit_ends_the_run(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    limited, worker_settings = bounded(client, storage_settings, task_queue, tmp_path)
    nodes = [{"id": f"s{i:03}_" + "x" * 150, "tool": "sleep", "args": {"seconds": 0}} for i in range(STEPS)]
    plan = {"name": "big-chunk", "max_parallel": 100, "history_events_per_run": 1_600, "nodes": nodes}
    async with create_worker(limited, worker_settings):
        handle = await start_plan(limited, task_queue, plan)
        with pytest.raises(WorkflowFailureError) as failed:
            await asyncio.wait_for(handle.result(), HANG_CHECK_S)
        history = await handle.fetch_history()
    assert isinstance(failed.value.cause, ApplicationError) and failed.value.cause.non_retryable
    message = failed.value.cause.message
    said = SAID.search(message)
    assert said is not None, message
    assert int(said[1].replace(",", "")) > LIMIT and said[2] == f"{LIMIT:,}", message
    assert "could not hand over to the next run of the chain" in message, message
    assert "the chunk of its finished steps" in message and "lower history_events_per_run" in message, message
    # The check is behind its patch, asked only when over the limit: a hand-over that fitted replays as it did.
    patches = [
        event.marker_recorded_event_attributes.details["patch-data"].payloads[0].data
        for event in history.events
        if event.HasField("marker_recorded_event_attributes")
        and "patch-data" in event.marker_recorded_event_attributes.details
    ]
    assert any(STORE_SIZE_CHECKED_PATCH.encode() in data for data in patches), patches
