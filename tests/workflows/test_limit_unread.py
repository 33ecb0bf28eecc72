"""A chain whose worker cannot read its value limit (its local activity value_limit fails) goes on with the limit its
run had, as an undo page's store did. Before, a continued run's start and every hand-over failed the run with the
read's ActivityError. The fallback is recorded as the read's failure is: the chain's histories replay."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from temporalio import activity
from temporalio.client import Client
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from activities.health import HealthActivities, HealthReporter
from activities.tools import ToolActivities
from activities.values import ValueActivities
from orchestra.record import ExecutionRecord
from orchestra.registry import default_registry
from orchestra.settings import Settings
from orchestra.storage.drivers import largest_value
from orchestra.tools.cleanup import with_support_tools
from tests.helpers import settings_for, start_plan
from tests.workflows.test_handover_in_pieces import HANG_CHECK_S, patches_asked
from tests.workflows.test_replay import _replayer
from worker import workflow_runner
from workflows.orchestration import OrchestrationWorkflow
from workflows.value_sizes import LIMIT_FALLBACK_PATCH


@activity.defn(name="value_limit")
async def _unreadable_limit() -> tuple[int, str]:
    raise ApplicationError("this worker cannot tell its storage limit", non_retryable=True)


def _unreadable(client: Client, settings: Settings) -> Worker:
    """The project's worker for OrchestrationWorkflow, whose value_limit fails."""
    registry = default_registry()
    with_support_tools(registry)
    tools = ToolActivities(
        registry, settings.confinement(), None, client.data_converter, largest_value(settings, client.data_converter)
    )
    health = HealthActivities(HealthReporter(client, settings.task_queue))
    activities: list[Callable[..., Any]] = [
        tools.run_tool,
        tools.prepare_plan,
        tools.load_value,
        tools.forget_replaced,
        health.open_circuits,
    ]
    return Worker(
        client,
        task_queue=settings.task_queue,
        workflows=[OrchestrationWorkflow],
        activities=[*activities, ValueActivities(client.data_converter).store_values, _unreadable_limit],
        workflow_runner=workflow_runner(),
    )


def _plan() -> dict[str, Any]:
    nodes = [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"s{i - 1}"] if i else []}
             for i in range(9)]  # fmt: skip
    return {"name": "limit-unread", "history_events_per_run": 25, "nodes": nodes}


async def test_a_chain_whose_worker_cannot_read_its_limit_completes_and_replays(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    async with _unreadable(client, settings_for(task_queue, tmp_path)):
        handle = await start_plan(client, task_queue, _plan())
        record = ExecutionRecord.model_validate(await asyncio.wait_for(handle.result(), HANG_CHECK_S))
    assert record.state.value == "completed" and len(record.runs) >= 3, (record.state, record.runs, record.error)
    # The middle run read the limit (and failed to) both when it started and when it handed over.
    middle = await client.get_workflow_handle(handle.id, run_id=record.runs[1]).fetch_history()
    assert any(LIMIT_FALLBACK_PATCH.encode() in data for data in patches_asked(list(middle.events)))
    assert len([e for e in middle.events if b"cannot tell its storage limit" in e.SerializeToString()]) >= 2
    for run_id in record.runs:
        history = await client.get_workflow_handle(handle.id, run_id=run_id).fetch_history()
        result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{run_id}: {result.replay_failure}"
