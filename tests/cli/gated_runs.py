"""Runs the CLI control tests drive: a plan whose first step a loopback gate holds while the test pauses,
resumes or cancels it, a plan whose first step naps, and where things happened in a run's history."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from temporalio.api.enums.v1 import EventType, TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client

from tests.cli.cli import Cli, write_plan
from tests.control_support import Gate, gate_server
from tests.helpers import until, worker_for

LONG = {"name": "long", "nodes": [{"id": "nap", "tool": "sleep", "args": {"seconds": 600}},
                                  {"id": "after", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["nap"]}]}  # fmt: skip
FIRST_CALLING = re.compile(r"first\s+http_request\s+▶ calling_tool")
FIRST_DONE = re.compile(r"first\s+http_request\s+✔ completed")
SECOND_PENDING = re.compile(r"second\s+sleep\s+· pending")
HOLD_S = 300  # a bound for a hung test only: the tests open the gate, and so does the block's end


def gated(url: str, heartbeat_timeout_s: float = 60) -> dict[str, Any]:
    """`first` is a request the test's server holds until the test opens the gate: the run cannot end,
    nor `second` start, before the test has done what it wants while `first` is running. A cancellation
    reaches `first` with its next heartbeat (the SDK sends them every 0.8 x the heartbeat timeout)."""
    return {
        "name": "gated",
        "nodes": [
            {"id": "first", "tool": "http_request", "args": {"url": f"{url}/gate", "timeout_s": 600},
             "timeout_s": 600, "heartbeat_timeout_s": heartbeat_timeout_s},
            {"id": "second", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["first"]},
            {"id": "last", "tool": "json_query", "args": {"data": {"n": 1}, "expression": "n"}, "depends_on": ["second"]},
        ],
    }  # fmt: skip


async def start(cli: Cli, tmp_path, plan: dict[str, Any], here: bool = False) -> str:
    """`start --plan`, as `client.py` or (``here``) in this process: the same output, without a process."""
    result = await (cli.here if here else cli)("start", "--plan", write_plan(tmp_path, plan))
    assert result.code == 0, result.err
    workflow_id = result.out.strip()
    assert workflow_id.startswith(f"plan-{plan['name']}-")
    assert f"/namespaces/default/workflows/{workflow_id}" in result.err
    return workflow_id


@asynccontextmanager
async def gated_run(
    client: Client, task_queue: str, tmp_path, cli: Cli, heartbeat_timeout_s: float = 60
) -> AsyncIterator[tuple[Gate, str]]:
    """A worker and a `gated` run started in this process, its `first` step held at the gate: the
    gate and the run's id."""
    with gate_server(HOLD_S) as gate:
        async with worker_for(client, task_queue, tmp_path / "workspace"):
            workflow_id = await start(cli, tmp_path, gated(gate.url, heartbeat_timeout_s), here=True)
            await gate.wait_reached()
            yield gate, workflow_id


async def status_json(cli: Cli, workflow_id: str) -> dict[str, Any]:
    """What `status --json` says of the run, asked in this process."""
    result = await cli.here("status", workflow_id, "--json")
    assert result.code == 0, result.err
    said = json.loads(result.out)
    assert isinstance(said, dict)
    return said


async def workflow_pollers(client: Client, task_queue: str) -> list[str]:
    """The identities the server lists polling ``task_queue`` for workflow tasks, however long ago."""
    request = DescribeTaskQueueRequest(
        namespace=client.namespace,
        task_queue=TaskQueue(name=task_queue),
        task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    )
    return [poller.identity for poller in (await client.workflow_service.describe_task_queue(request)).pollers]


async def listed_polling(client: Client, task_queue: str) -> list[str]:
    """Waits for the server to list a worker polling ``task_queue``, and returns the identities it lists. A worker
    says it is ready (and `async with` a worker returns) before its first poll reaches the server: a `status` asked in
    between truly hears of no worker, and answers from the history."""
    return await until(lambda: workflow_pollers(client, task_queue))


def nap_running(said: dict[str, Any]) -> bool:
    """Whether `status --json` shows LONG's `nap` calling its tool. (A step is never "running": that word in a record
    is the run's state, which one rebuilt from the history of a run no worker has served yet says too.)"""
    steps = (said["record"] or {}).get("steps", [])
    return any(step["node_id"] == "nap" and step["state"] == "calling_tool" for step in steps)


@asynccontextmanager
async def napping_run(
    client: Client, task_queue: str, tmp_path, cli: Cli, **worker_options: Any
) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    """A worker (of ``worker_options``) and a LONG run started in this process, once the server lists the worker
    polling and `status` says its `nap` is calling its tool: the run's id and what `status --json` said then. The
    worker stops at the block's end; the run goes on, unserved."""
    async with worker_for(client, task_queue, tmp_path / "workspace", **worker_options):
        await listed_polling(client, task_queue)
        workflow_id = await start(cli, tmp_path, LONG, here=True)
        said = await until(lambda: status_json(cli, workflow_id), nap_running)
        yield workflow_id, said


async def event_ids(client: Client, workflow_id: str) -> dict[str, int]:
    """Where things happened in the run's history (event ids, in order): signals and accepted updates by
    name, the native pause and unpause, and each activity's scheduling and completion by activity id."""
    found: dict[str, int] = {}
    scheduled: dict[int, str] = {}
    async for event in client.get_workflow_handle(workflow_id).fetch_history_events():
        kind = event.event_type
        if kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
            found.setdefault(f"signal {event.workflow_execution_signaled_event_attributes.signal_name}", event.event_id)
        elif kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
            update = event.workflow_execution_update_accepted_event_attributes.accepted_request.input.name
            found.setdefault(f"update {update}", event.event_id)
        elif kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_PAUSED:
            found.setdefault("paused", event.event_id)
        elif kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UNPAUSED:
            found.setdefault("unpaused", event.event_id)
        elif kind == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            scheduled[event.event_id] = event.activity_task_scheduled_event_attributes.activity_id
            found[f"scheduled {scheduled[event.event_id]}"] = event.event_id
        elif kind == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
            activity = scheduled[event.activity_task_completed_event_attributes.scheduled_event_id]
            found[f"completed {activity}"] = event.event_id
    return found
