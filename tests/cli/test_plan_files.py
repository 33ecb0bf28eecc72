"""A task becomes a plan file (`plan --out`) that runs as it is, and a scheduled task is planned and
validated when its schedule is created. `plan`, `validate`, `run` and `schedule create` run as `client.py`
once each (their wiring); the other forms in this process, through the same code."""

from __future__ import annotations

import json
import uuid

import yaml

from orchestra.record import AgentState, ExecutionRecord, StepState
from tests.cli.cli import until
from tests.helpers import worker_for

TASK = "list the files and write them to files.json"


async def test_plan_writes_a_plan_file_that_runs(client, task_queue, tmp_path, cli):
    plan_file = tmp_path / "listing.yaml"
    planned = await cli("plan", TASK, "--out", str(plan_file))
    assert planned.code == 0, planned.err
    assert f"wrote the plan to {plan_file}" in planned.err and "phase 1: write (write_file)" in planned.out
    written = yaml.safe_load(plan_file.read_text())
    assert [node["id"] for node in written["nodes"]] == ["list", "write"]
    validated = await cli("validate", "--plan", str(plan_file))
    assert validated.code == 0 and "2 steps in 2 phases" in validated.out
    (tmp_path / "workspace" / "seen.txt").write_text("x")
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        ran = await cli("run", "--plan", str(plan_file), "--json")
    assert ran.code == 0, ran.err
    record = ExecutionRecord.model_validate_json(ran.out)
    assert record.state == AgentState.COMPLETED and record.step("write").state == StepState.COMPLETED
    listed = json.loads((tmp_path / "workspace" / "files.json").read_text())
    assert {"path": "seen.txt", "size": 1, "is_dir": False} in listed


async def test_plan_out_refuses_a_task_without_a_runnable_plan(tmp_path, cli):
    target = tmp_path / "nothing.yaml"
    refused = await cli.here("plan", "teleport the cat", "--out", str(target))
    assert refused.code == 2 and not target.exists()


async def test_an_out_file_that_cannot_be_written_is_named_not_a_traceback(tmp_path, cli):
    """``--out`` into a folder that does not exist, or onto a folder, raised OSError: a traceback, exit 1."""
    (tmp_path / "folder").mkdir()
    for target in (tmp_path / "missing" / "plan.yaml", tmp_path / "folder"):
        refused = await cli.here("plan", TASK, "--out", str(target))
        assert refused.code == 2, refused.err
        assert f"cannot write {target}" in refused.err and "Traceback" not in refused.err, refused.err
    agent = await cli.here("trajectory", "no-such-run", "--out", str(tmp_path / "missing" / "t.json"))
    assert agent.code == 4 and "Traceback" not in agent.err, agent.err


async def test_a_scheduled_task_is_planned_and_validated_at_create(client, task_queue, tmp_path, cli):
    unplannable = await cli.here("schedule", "create", f"s-{uuid.uuid4().hex[:6]}", "--task",
                            "download http://127.0.0.1:9/page and count the words", "--every", "1h")  # fmt: skip
    assert unplannable.code == 2, unplannable.out + unplannable.err
    assert "no runnable plan" in unplannable.err and "count" in unplannable.err

    schedule_id = f"s-{uuid.uuid4().hex[:6]}"
    (tmp_path / "workspace" / "seen.txt").write_text("x")
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        created = await cli("schedule", "create", schedule_id, "--task", TASK, "--every", "1h", "--trigger")
        assert created.code == 0, created.err
        assert "each run: plan list-the-files" in created.out and "planned from the task" in created.out
        described = await until(
            cli, ("schedule", "describe", schedule_id, "--json"), lambda r: r.json["recent_runs"], here=True
        )
        assert described.json["workflow"] == "OrchestrationWorkflow"
        assert described.json["request"]["task"] == TASK
        run_id = described.json["recent_runs"][0]["workflow_id"]
        result = await cli.here("result", run_id)
        assert (await cli.here("schedule", "delete", schedule_id)).code == 0
    assert result.code == 0 and "state COMPLETED" in result.out, result.out + result.err
    assert (tmp_path / "workspace" / "files.json").exists()
