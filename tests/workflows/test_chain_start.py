"""The first run of a chain gets its request decoded by type, as every later run does: each starter of a
plan run (the CLI, a schedule, a task's child run) sends the request and an empty carry, the two
arguments the workflow declares (the SDK decodes by type hints only when as many arguments come). A
start input made by hand, one argument or two, still fails the run as unreadable, not its task."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, ScheduleActionExecutionStartWorkflow, WorkflowHandle

from orchestra.calls import RunRequest
from orchestra.plan import parse_plan
from orchestra.plan_chain import PlanCarry
from orchestra.record import AgentState, ExecutionRecord, StepRecord, StepState
from orchestra.tool_spec import RetryHints
from orchestra.validation import NodeExecution, PlanSchedule
from tests.control_support import until
from tests.helpers import nothing_left_unfinished, settings_for, worker_for
from tests.ops.support import run_command
from tests.stored_plans import failure_of
from worker import create_worker
from workflows.orchestration import OrchestrationWorkflow
from workflows.task import TaskOutcome, TaskRequest, TaskWorkflow

PLAN = {"name": "started", "nodes": [{"id": "a", "tool": "sleep", "args": {"seconds": 0}}]}
TASK = "list the files and write them to files.json"  # the offline planner plans it


async def start_input(client: Client, workflow_id: str) -> list[Any]:
    """The arguments the first run of ``workflow_id`` was started with, decoded without type hints."""
    async for event in client.get_workflow_handle(workflow_id).fetch_history_events():
        assert event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED
        return await client.data_converter.decode(event.workflow_execution_started_event_attributes.input.payloads)
    raise AssertionError("no history")


def request_and_empty_carry(arguments: list[Any]) -> bool:
    return len(arguments) == 2 and arguments[1] is None and bool(RunRequest.model_validate(arguments[0]).plan.name)


async def test_every_starter_of_a_plan_run_sends_the_request_and_an_empty_carry(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(yaml.safe_dump(PLAN))
    schedule_id = f"s-{uuid.uuid4().hex[:6]}"
    cli = ("--task-queue", task_queue)
    async with worker_for(client, task_queue, tmp_path):
        started = await run_command(client, *cli, "start", "--plan", str(plan_file))
        assert started.code == 0, started.err
        by_cli = started.out.strip()
        task = await client.execute_workflow(
            TaskWorkflow.run, TaskRequest(task=TASK), id=f"task-{uuid.uuid4()}", task_queue=task_queue
        )
        created = await run_command(client, *cli, "schedule", "create", schedule_id, "--plan", str(plan_file),
                                    "--every", "1h", "--trigger")  # fmt: skip
        assert created.code == 0, created.err
        schedule = client.get_schedule_handle(schedule_id)
        try:
            described = await until(schedule.describe, lambda d: bool(d.info.recent_actions))
        finally:
            await schedule.delete()
        action = described.info.recent_actions[0].action
        assert isinstance(action, ScheduleActionExecutionStartWorkflow), action
        by_schedule = action.workflow_id
        for workflow_id in (by_cli, by_schedule):
            await client.get_workflow_handle(workflow_id).result()
    outcome = TaskOutcome.model_validate(task)
    assert outcome.record is not None and outcome.record.state == AgentState.COMPLETED
    for workflow_id in (by_cli, outcome.record.id, by_schedule):
        assert request_and_empty_carry(await start_input(client, workflow_id)), workflow_id


async def test_a_start_input_made_by_hand_with_an_empty_carry_fails_the_run_as_unreadable(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """The request alone: tests/workflows/test_nothing_hangs.py."""
    with nothing_left_unfinished():
        async with create_worker(client, settings_for(task_queue, tmp_path)):
            handle: WorkflowHandle[Any, Any] = await client.start_workflow(
                "OrchestrationWorkflow", args=[{"plan": {"name": "no nodes", "nodes": []}}, None],
                id=f"test-{uuid.uuid4()}", task_queue=task_queue,
            )  # fmt: skip
            cause = await failure_of(handle)
    assert cause.type == "PayloadValidationError" and cause.non_retryable
    assert "cannot be read" in cause.message and "nodes" in cause.message


async def test_a_request_sent_alone_still_runs(client: Client, task_queue: str, tmp_path: Path) -> None:
    """A starter that is not ours (the Web UI, `temporal workflow start`) sends the request alone."""
    async with worker_for(client, task_queue, tmp_path):
        handle: WorkflowHandle[Any, Any] = await client.start_workflow(
            "OrchestrationWorkflow", {"plan": PLAN}, id=f"test-{uuid.uuid4()}", task_queue=task_queue
        )
        record = ExecutionRecord.model_validate(await handle.result())
    assert record.state == AgentState.COMPLETED


async def test_a_carry_given_by_a_starter_is_refused_and_nothing_runs(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """A carry says which steps are done and with what output, and holds the checked schedule: given on a
    first run, it would run an unchecked plan on forged results ('a' never ran; 'b' would write FORGED)."""
    plan = {"name": "forged", "nodes": [
        {"id": "a", "tool": "read_file", "args": {"path": "secret.txt"}},
        {"id": "b", "tool": "write_file", "args": {"path": "out.txt", "content": "${a.output.content}"},
         "depends_on": ["a"]},
    ]}  # fmt: skip
    profile = NodeExecution(timeout_s=30, heartbeat_timeout_s=30, retry=RetryHints(), local=False, summary="x")
    record = ExecutionRecord(
        id="x", run_id="y", plan_name="forged", task="", runs=["r0"], started_at=datetime.now(UTC),
        steps=[StepRecord(node_id="a", tool="read_file", state=StepState.COMPLETED, phase=0)],
    )  # fmt: skip
    schedule = PlanSchedule(deps={"a": [], "b": ["a"]}, phases=[["a"], ["b"]], profiles=[profile],
                            profile_of=[0, 0], reads={"b": ["a"]})  # fmt: skip
    carry = PlanCarry(
        record=record, schedule=schedule, scope={"a": {"state": "completed", "output": {"content": "FORGED"}}}
    )
    with nothing_left_unfinished():
        async with worker_for(client, task_queue, tmp_path):
            handle = await client.start_workflow(
                OrchestrationWorkflow.run, args=[RunRequest(plan=parse_plan(plan)), carry],
                id=f"test-{uuid.uuid4()}", task_queue=task_queue,
            )  # fmt: skip
            cause = await failure_of(handle)
    assert cause.type == "CarryRefused" and cause.non_retryable
    assert not any(tmp_path.rglob("out.txt")), "no step ran"


async def test_a_refused_run_started_with_a_signal_still_fails_and_nothing_runs(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """The refusal is raised by run(): handlers of what came with the start (signal-with-start) run before
    it, on a run that holds no request. They must neither fail its workflow task nor let anything run."""
    plan = {
        "name": "refused",
        "nodes": [{"id": "b", "tool": "write_file", "args": {"path": "out.txt", "content": "x"}}],
    }
    profile = NodeExecution(timeout_s=30, heartbeat_timeout_s=30, retry=RetryHints(), local=False, summary="x")
    record = ExecutionRecord(
        id="x", run_id="y", plan_name="refused", task="", runs=["r0"], started_at=datetime.now(UTC)
    )
    schedule = PlanSchedule(deps={"b": []}, phases=[["b"]], profiles=[profile], profile_of=[0], reads={})
    carry = PlanCarry(record=record, schedule=schedule, scope={})
    for signal, args in (("pause", ["by the starter"]), ("resume", [])):
        with nothing_left_unfinished():
            async with worker_for(client, task_queue, tmp_path):
                handle = await client.start_workflow(
                    OrchestrationWorkflow.run, args=[RunRequest(plan=parse_plan(plan)), carry],
                    id=f"test-{uuid.uuid4()}", task_queue=task_queue, start_signal=signal, start_signal_args=args,
                )  # fmt: skip
                cause = await failure_of(handle)
        assert cause.type == "CarryRefused", cause
        assert not any(tmp_path.rglob("out.txt")), "no step ran"
