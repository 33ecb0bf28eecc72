"""`start`, `pause`, `resume`, `status`, `history`, `watch`, `cancel`, `result` on live runs."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from orchestra.record import AgentState, ExecutionRecord, StepState
from tests.cli.cli import Cli, until, write_plan
from tests.control_support import Gate, gate_server
from tests.helpers import worker_for

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


async def test_cooperative_pause_holds_new_steps_until_resume(client, task_queue, tmp_path, cli):
    """`pause` and `resume` as `client.py` (their wiring); what the test waits on, in this process."""
    async with gated_run(client, task_queue, tmp_path, cli) as (gate, workflow_id):
        paused = await cli("pause", workflow_id, "--reason", "lunch")
        assert paused.code == 0, paused.err
        status = await until(
            cli, ("status", workflow_id), lambda r: "state PAUSED (cooperative: lunch)" in r.out, here=True
        )
        assert "Temporal status RUNNING" in status.out
        assert FIRST_CALLING.search(status.out) and SECOND_PENDING.search(status.out), status.out

        gate.open.set()  # `first` finishes while the run is paused
        status = await until(cli, ("status", workflow_id), lambda r: FIRST_DONE.search(r.out), here=True)
        assert "state PAUSED (cooperative: lunch)" in status.out
        assert SECOND_PENDING.search(status.out), "no new step starts while paused"

        resumed = await cli("resume", workflow_id)
        assert resumed.code == 0, resumed.err
        result = await cli.here("result", workflow_id, "--json")
    assert result.code == 0, result.err
    record = ExecutionRecord.model_validate_json(result.out)
    assert record.state == AgentState.COMPLETED
    assert all(step.state == StepState.COMPLETED for step in record.steps)
    events = await event_ids(client, workflow_id)
    assert (
        events["update pause_run"]
        < events["completed first"]
        < events["update resume_run"]
        < events["scheduled second"]
    )


async def test_cancel_keeps_the_record(client, task_queue, tmp_path, cli):
    """`cancel` as `client.py` (its wiring); the rest in this process."""
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, LONG, here=True)
        await until(cli, ("status", workflow_id), lambda r: "▶ calling_tool" in r.out, here=True)
        cancelled = await cli("cancel", workflow_id)
        assert cancelled.code == 0, cancelled.err
        result = await cli.here("result", workflow_id)
        assert result.code == 1
        assert "state CANCELLED" in result.out and "⊘ cancelled" in result.out
        history = await cli.here("history", workflow_id)
        assert history.code == 0 and "canceled" in history.out
        again = await cli.here("cancel", workflow_id)
    assert again.code == 1 and "already ended" in again.err


@pytest.mark.parametrize("where", ["here", "client.py"])
async def test_unknown_workflow_id_exits_4(cli, where):
    """Every command in this process (its code, from the command line to the exit code); one as
    `client.py` too, for the exit code the process hands back."""
    commands = ("status", "watch", "history", "result", "cancel", "pause")
    for command in commands if where == "here" else commands[:1]:
        result = await (cli.here if where == "here" else cli)(command, "no-such-workflow")
        assert result.code == 4, (command, result.err)
        assert "no workflow with id 'no-such-workflow'" in result.err


async def test_a_cooperative_pause_is_not_taken_twice_and_resume_ends_it(client, task_queue, tmp_path, cli):
    async with gated_run(client, task_queue, tmp_path, cli) as (gate, workflow_id):
        assert (await cli.here("pause", workflow_id, "--reason", "lunch")).code == 0
        await until(cli, ("status", workflow_id), lambda r: "cooperative: lunch" in r.out, here=True)
        again = await cli.here("pause", workflow_id)
        assert again.code == 1 and "the run is already paused since" in again.err and "(lunch)" in again.err
        native_only = await cli.here("resume", workflow_id, "--native")
        assert native_only.code == 1 and "is not natively paused" in native_only.err
        resumed = await cli.here("resume", workflow_id)
        assert resumed.code == 0 and "new steps start as they become ready" in resumed.out
        gate.open.set()
        result = await cli.here("result", workflow_id)
    assert result.code == 0
