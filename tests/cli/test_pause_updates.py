"""`pause` and `resume` go through the runs' pause_run / resume_run updates: they print what the run
answered (or why it refused, exit 1), see a pause however it was made (signal or update, CLI or another
client), and keep working with the native pause around them. The commands run in the test's process
(tests/cli/test_control.py runs them as `client.py`, for their wiring)."""

from __future__ import annotations

import re

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from orchestra.cli import control, runs
from orchestra.cli.context import Context, settings_from
from orchestra.cli.errors import CliError
from orchestra.control import PauseRequest
from orchestra.record import AgentState
from tests.cli.cli import Cli, until
from tests.cli.gated_runs import FIRST_DONE, HOLD_S, gated, gated_run
from tests.control_support import gate_server, native_pause
from tests.helpers import start_plan, worker_for
from workflows.orchestration import OrchestrationWorkflow


async def control_events(client: Client, workflow_id: str) -> list[str]:
    """The pause and resume the run took, in order: 'signal NAME' or 'update NAME'."""
    found = []
    async for event in client.get_workflow_handle(workflow_id).fetch_history_events():
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
            found.append(f"signal {event.workflow_execution_signaled_event_attributes.signal_name}")
        elif event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
            name = event.workflow_execution_update_accepted_event_attributes.accepted_request.input.name
            found.append(f"update {name}")
    return found


async def test_pause_and_resume_print_what_the_run_answered(client, task_queue, tmp_path, cli: Cli):
    async with gated_run(client, task_queue, tmp_path, cli) as (gate, workflow_id):
        not_paused = await cli.here("resume", workflow_id)
        assert not_paused.code == 1 and "the run is not paused" in not_paused.err, not_paused.err
        paused = await cli.here("pause", workflow_id, "--reason", "lunch")
        assert paused.code == 0, paused.err
        assert "1 running step finishes, nothing new starts until resume" in paused.out

        again = await cli.here("pause", workflow_id, "--reason", "tea")
        assert again.code == 1 and "already paused since" in again.err and "(lunch)" in again.err, again.err
        assert "Traceback" not in again.err

        gate.open.set()
        await until(cli, ("status", workflow_id), lambda r: FIRST_DONE.search(r.out), here=True)
        resumed = await cli.here("resume", workflow_id, "--json")
        assert resumed.code == 0, resumed.err
        answer = resumed.json
        assert answer["workflow_id"] == workflow_id and answer["natively_paused"] is False
        assert answer["answer"]["state"] == AgentState.RUNNING and answer["answer"]["paused"] is False
        assert "new steps start as they become ready" in answer["message"]
        result = await cli.here("result", workflow_id)
    assert result.code == 0, result.out
    assert await control_events(client, workflow_id) == ["update pause_run", "update resume_run"]


async def test_pause_json_is_the_runs_answer(client, task_queue, tmp_path, cli: Cli):
    async with gated_run(client, task_queue, tmp_path, cli) as (gate, workflow_id):
        paused = await cli.here("pause", workflow_id, "--reason", "window", "--json")
        gate.open.set()
        await cli.here("resume", workflow_id)
        result = await cli.here("result", workflow_id)
    assert paused.code == 0, paused.err
    answer = paused.json["answer"]
    assert (answer["state"], answer["paused"], answer["pause_reason"], answer["in_flight"]) == (
        "paused", True, "window", 1)  # fmt: skip
    assert paused.json["message"].endswith(answer["message"])
    assert result.code == 0


async def test_resume_of_a_natively_paused_run_ends_a_pause_made_by_update(client, task_queue, tmp_path, cli: Cli):
    """Paused by another client's update, then natively (the Web UI's Pause): a plain `resume` undoes both."""
    async with gated_run(client, task_queue, tmp_path, cli) as (gate, workflow_id):
        handle = client.get_workflow_handle(workflow_id)
        await handle.execute_update(OrchestrationWorkflow.pause_run, PauseRequest(reason="window"))
        await native_pause(client, workflow_id)

        status = await cli.here("status", workflow_id)
        assert "PAUSED (native Temporal pause; cooperatively paused too: window)" in status.out, status.out
        assert (await cli.here("status", workflow_id, "--json")).json["record"]["pause_reason"] == "window"

        gate.open.set()
        resumed = await cli.here("resume", workflow_id)
        assert resumed.code == 0, resumed.err
        assert "unpaused it (native Temporal pause)" in resumed.out, resumed.out
        assert "resumed its cooperative pause" in resumed.out, resumed.out
        result = await cli.here("result", workflow_id)
    assert result.code == 0 and "state COMPLETED" in result.out


async def test_an_update_refused_because_the_run_was_natively_paused_meanwhile_says_so(
    client, task_queue, tmp_path, cli_env
):
    """What `pause` read of the run is stale: it was natively paused in between, and the server refuses
    the update. The command says why, with no traceback."""
    ctx = Context(settings_from({}, cli_env))
    with gate_server(HOLD_S) as gate:
        async with worker_for(client, task_queue, tmp_path / "workspace"):
            handle = await start_plan(client, task_queue, gated(gate.url))
            await gate.wait_reached()
            stale = await runs.describe(ctx, handle.id)
            await native_pause(client, handle.id)
            with pytest.raises(CliError) as refused:
                await control.pause_run(ctx, stale, reason="late")
            gate.open.set()
            assert (await control.resume(ctx, handle.id, native_only=False)) == 0
            await handle.result()
    assert refused.value.code == 1
    assert re.search(rf"natively paused.*`python client.py resume {handle.id}`", str(refused.value)), refused.value


async def test_pause_and_resume_of_a_task_run_act_on_its_plan_run(client, task_queue, tmp_path, cli: Cli):
    """A TaskWorkflow (started from a script) plans, then runs the plan as its child: that is what pauses."""
    from workflows.task import TaskRequest

    task_id = f"task-gated-{task_queue}"
    with gate_server(HOLD_S) as gate:
        async with worker_for(client, task_queue, tmp_path / "workspace"):
            handle = await client.start_workflow(
                "TaskWorkflow", TaskRequest(task=f"download {gate.url}/gate and write it to page.txt"), id=task_id,
                task_queue=task_queue,
            )  # fmt: skip
            await gate.wait_reached()
            paused = await cli.here("pause", task_id, "--reason", "lunch")
            assert paused.code == 0, paused.err
            assert f"{runs.task_child_id(task_id)} (plan run of task {task_id})" in paused.out, paused.out
            status = await until(cli, ("status", task_id), lambda r: "cooperative: lunch" in r.out, here=True)
            assert "state PAUSED" in status.out
            gate.open.set()
            resumed = await cli.here("resume", task_id)
            assert resumed.code == 0, resumed.err
            await handle.result()
    assert await control_events(client, runs.task_child_id(task_id)) == ["update pause_run", "update resume_run"]
