"""`start`, `pause`, `resume`, `status`, `history`, `watch`, `cancel`, `result` on live runs."""

from __future__ import annotations

import pytest

from orchestra.record import AgentState, ExecutionRecord, StepState
from tests.cli.cli import until
from tests.cli.gated_runs import FIRST_CALLING, FIRST_DONE, LONG, SECOND_PENDING, event_ids, gated_run, start
from tests.helpers import worker_for


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
