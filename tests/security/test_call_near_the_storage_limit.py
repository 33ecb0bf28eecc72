"""A step's call that fits the value limit by its JSON but not as the payload the store is handed (metadata, and
the codec's nonce, tag and key id around it) was sent, refused by the store, and its workflow task failed for ever
("Failed encoding completion"): the run hung, though the plan had passed every check. Now such a call fails its
step, naming the limit, as any call over it does; and the run that asked the patch replays."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowFailureError

from orchestra.calls import ToolCall
from orchestra.limits import payload_size
from orchestra.record import ExecutionRecord
from orchestra.replayers import replayer_without_deadline
from orchestra.settings import Settings
from tests.helpers import start_plan
from tests.workflows.test_handover_in_pieces import patches_asked
from tests.workflows.test_too_large_to_store import bounded
from worker import create_worker, workflow_runner
from workflows.orchestration import OrchestrationWorkflow
from workflows.value_sizes import ENVELOPE_PATCH

LIMIT = 40_000  # over the storage threshold (32 KiB): the call is stored, and the store measures it
SHORT_OF_IT = 5  # bytes of JSON under the limit: fewer than any payload's metadata


async def test_a_call_fitting_by_its_json_only_fails_its_step_and_replays(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    limited, worker_settings = bounded(client, storage_settings, task_queue, tmp_path, LIMIT)
    empty = payload_size(ToolCall(tool="write_file", args={"path": "out.txt", "content": ""}, node_id="w"))
    args = {"path": "out.txt", "content": "c" * (LIMIT - SHORT_OF_IT - empty)}
    assert payload_size(ToolCall(tool="write_file", args=args, node_id="w")) == LIMIT - SHORT_OF_IT
    plan = {"name": "near-the-limit", "nodes": [{"id": "w", "tool": "write_file", "args": args}]}
    async with create_worker(limited, worker_settings):
        handle = await start_plan(limited, task_queue, plan)
        with pytest.raises(WorkflowFailureError):
            # Before, the run never ended: its workflow task failed again and again.
            await asyncio.wait_for(handle.result(), 60)
        record = await handle.query("record", result_type=ExecutionRecord)
    error = record.step("w").error
    assert error is not None and f"is {LIMIT:,} bytes" in error.message, error
    assert not (tmp_path / "out.txt").exists(), "the tool never ran"
    history = await handle.fetch_history()
    assert any(ENVELOPE_PATCH.encode() in asked for asked in patches_asked(list(history.events)))
    # In the run's namespace: the store gives a run's values to its own workflow only.
    replayer = replayer_without_deadline(
        workflows=[OrchestrationWorkflow], namespace=limited.namespace, data_converter=limited.data_converter,
        workflow_runner=workflow_runner(),
    )  # fmt: skip
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, str(result.replay_failure)[:3000]
