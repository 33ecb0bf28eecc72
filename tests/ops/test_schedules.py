"""`schedule create|list|describe|trigger|pause|unpause|delete` on a real server.

Temporal Schedules need the dev server: the time-skipping test server (temporal-test-server 1.40)
answers CreateSchedule with "unimplemented", so these runs take real (short) time."""

from __future__ import annotations

import uuid

import pytest
import yaml
from temporalio.client import ScheduleActionExecutionStartWorkflow, ScheduleOverlapPolicy

from orchestra.cli.durations import parse_duration
from orchestra.cli.errors import CliError
from orchestra.record import AgentState, ExecutionRecord
from tests.helpers import until, worker_for
from tests.ops.support import run_command


async def run(client, task_queue: str, *argv: str) -> str:
    ran = await run_command(client, "--task-queue", task_queue, "schedule", *argv)
    assert ran.code == 0, ran.err
    return ran.out


async def test_a_schedule_starts_runs_of_a_plan(client, task_queue, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        yaml.safe_dump({"name": "nightly", "nodes": [{"id": "nap", "tool": "sleep", "args": {"seconds": 0}}]})
    )
    schedule_id = f"sched-{uuid.uuid4().hex[:8]}"
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        created = await run(client, task_queue, "create", schedule_id, "--plan", str(plan), "--every", "1h",
                            "--overlap", "buffer_one", "--trigger", "--note", "test")  # fmt: skip
        assert "created schedule" in created and "overlap buffer_one" in created
        handle = client.get_schedule_handle(schedule_id)

        async def started() -> bool:
            return bool((await handle.describe()).info.recent_actions)

        await until(started)  # --trigger: one run now; the next in an hour
        described = await handle.describe()
        assert described.schedule.policy.overlap == ScheduleOverlapPolicy.BUFFER_ONE
        action = described.info.recent_actions[0].action
        assert isinstance(action, ScheduleActionExecutionStartWorkflow)
        result = await client.get_workflow_handle(action.workflow_id).result()
        record = ExecutionRecord.model_validate(result)
        assert record.state == AgentState.COMPLETED and record.plan_name == "nightly"

        async def listed() -> bool:  # schedules are listed through visibility: eventually consistent
            return schedule_id in await run(client, task_queue, "list")

        await until(listed)
        shown = await run(client, task_queue, "describe", schedule_id)
        assert "every 1:00:00" in shown and action.workflow_id in shown
        await run(client, task_queue, "pause", schedule_id, "--note", "maintenance")
        assert (await handle.describe()).schedule.state.paused
        await run(client, task_queue, "unpause", schedule_id)
        assert not (await handle.describe()).schedule.state.paused
        await run(client, task_queue, "trigger", schedule_id)
        await until(lambda: _count_runs(handle, 2))
        await run(client, task_queue, "delete", schedule_id)
    gone = await run_command(client, "schedule", "pause", schedule_id)
    assert gone.code == 4 and "no schedule" in gone.err


async def _count_runs(handle, at_least: int) -> bool:
    return bool((await handle.describe()).info.num_actions >= at_least)


async def test_an_invalid_plan_or_spec_creates_nothing(client, task_queue, tmp_path):
    plan = tmp_path / "bad.yaml"
    plan.write_text(yaml.safe_dump({"name": "bad", "nodes": [{"id": "x", "tool": "no_such_tool", "args": {}}]}))
    bad = await run_command(client, "schedule", "create", "s-bad", "--plan", str(plan), "--every", "1h")
    assert bad.code == 2 and "invalid" in bad.err
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump({"name": "g", "nodes": [{"id": "n", "tool": "sleep", "args": {"seconds": 0}}]}))
    for when in (["--every", "soon"], []):
        refused = await run_command(client, "schedule", "create", "s-bad", "--plan", str(good), *when)
        assert refused.code == 2, refused.err


def test_durations():
    from datetime import timedelta

    assert parse_duration("1h30m") == timedelta(minutes=90)
    assert parse_duration("45s") == timedelta(seconds=45)
    with pytest.raises(CliError):
        parse_duration("10 parsecs")


# A folder name is cut and hashed past 120 characters (a 40-letter Cyrillic id is 240), so a run's folder
# name does not start with its schedule's: compared by name, every run of such a schedule failed.
@pytest.mark.parametrize("name", ["sched", "ежедневный-отчёт-по-продажам"])
async def test_a_schedule_of_a_plan_stored_outside_the_history_runs_it(
    client, storage_settings, task_queue, tmp_path, name: str
):
    """Its input is stored once, when the schedule is created, and every run it starts (another workflow
    id: the schedule's with the time appended) may read it, however values are bound to their workflow."""
    from tests.stored_plans import large_plan

    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(large_plan()))
    schedule_id = f"{name}-{uuid.uuid4().hex[:8]}"
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        await run(client, task_queue, "create", schedule_id, "--plan", str(plan), "--every", "1h", "--trigger")
        handle = client.get_schedule_handle(schedule_id)

        async def started() -> bool:
            return bool((await handle.describe()).info.recent_actions)

        await until(started)
        action = (await handle.describe()).info.recent_actions[0].action
        assert isinstance(action, ScheduleActionExecutionStartWorkflow)
        record = ExecutionRecord.model_validate(await client.get_workflow_handle(action.workflow_id).result())
        assert record.state == AgentState.COMPLETED and record.plan_name == "stored", record.error
        assert "stored" in await run(client, task_queue, "describe", schedule_id)
        await run(client, task_queue, "delete", schedule_id)
