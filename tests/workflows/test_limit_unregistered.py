"""A worker built from the project's pieces without the value_limit activity (an application's own worker, written
before it existed) runs chains and large calls to the end: every read of the limit fails as an activity not
registered (refused by the SDK before it is scheduled: nothing recorded), and the run goes on with the limit it read at its start (value-limit-unread-keeps-the-runs,
values-measured-against-the-worker-sending-them). No workflow task is failed for ever. (Its histories replay on a
worker like it, not on one that registers value_limit, which reads where it did not: workers of a queue must agree.)"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from temporalio.client import Client
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
from tests.workflows.test_handover_in_pieces import HANG_CHECK_S
from worker import workflow_runner
from workflows.orchestration import OrchestrationWorkflow


def _without_the_limit(client: Client, settings: Settings) -> Worker:
    registry = default_registry()
    with_support_tools(registry)
    tools = ToolActivities(
        registry, settings.confinement(), None, client.data_converter, largest_value(settings, client.data_converter)
    )
    activities: list[Callable[..., Any]] = [
        tools.run_tool,
        tools.prepare_plan,
        tools.load_value,
        tools.forget_replaced,
        HealthActivities(HealthReporter(client, settings.task_queue)).open_circuits,
        ValueActivities(client.data_converter).store_values,
    ]
    return Worker(
        client,
        task_queue=settings.task_queue,
        workflows=[OrchestrationWorkflow],
        activities=activities,
        workflow_runner=workflow_runner(),
    )


async def test_a_worker_without_value_limit_runs_a_chain_and_a_large_call_to_the_end(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    chain = [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"s{i - 1}"] if i else []}
             for i in range(9)]  # fmt: skip
    made = {"id": "made", "tool": "json_query", "args": {"data": "x" * 5_000, "expression": "@"}}
    big = {"id": "big", "tool": "json_query", "depends_on": ["made"],
           "args": {"data": ["${made.output.result}", "${made.output.result}"], "expression": "length(@)"}}  # fmt: skip
    plan = {"name": "limit-unregistered", "history_events_per_run": 25, "nodes": [*chain, made, big]}
    async with _without_the_limit(client, settings_for(task_queue, tmp_path)):
        handle = await start_plan(client, task_queue, plan)
        record = ExecutionRecord.model_validate(await asyncio.wait_for(handle.result(), HANG_CHECK_S))
    assert record.state.value == "completed" and len(record.runs) >= 3, (record.state, record.runs, record.error)
    assert record.metrics.completed == len(chain) + 2, record.metrics
