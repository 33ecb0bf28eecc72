"""A control command acts on the chain of the run it read: it acted on the workflow id's latest run, so a run that
ended after the command read it, its id taken meanwhile by a new run, had the new run (which nobody asked about)
cancelled, terminated, paused or resumed. It says the run read ended and does nothing (exit 1). A real dev server and
worker, the command run in this process."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import WorkflowExecutionStatus
from temporalio.api.workflowservice.v1 import PauseWorkflowExecutionRequest
from temporalio.client import Client

from orchestra.cli import control, runs
from orchestra.cli.context import Context
from tests.cli.cli import Cli
from tests.cli.gated_runs import LONG, event_ids, start
from tests.cli.test_run_ended_before_the_act import status_of
from tests.helpers import start_plan, until, worker_for

COMMANDS = [("cancel",), ("cancel", "--terminate"), ("pause",), ("pause", "--native"), ("resume",)]
RUNNING = WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
PAUSED = WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_PAUSED


async def native_pause(client: Client, workflow_id: str) -> None:
    request = PauseWorkflowExecutionRequest(
        namespace=client.namespace, workflow_id=workflow_id, reason="by the test", request_id=str(uuid.uuid4())
    )
    await client.workflow_service.pause_workflow_execution(request)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
async def test_a_new_run_under_the_id_read_is_left_alone(
    client: Client,
    task_queue: str,
    tmp_path: Path,
    cli: Cli,
    monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, ...],
) -> None:
    resuming = command[0] == "resume"  # resume acts on a natively paused run: the run read and the new one are
    read = control.open_run

    async def read_then_replaced(ctx: Context, asked: str, kind: runs.Kind | None = None) -> runs.RunStatus:
        status = await read(ctx, asked, kind)
        await client.get_workflow_handle(asked).terminate("ended by the test, after the command read it")
        await start_plan(client, task_queue, LONG, workflow_id=asked)  # a new run, the same id
        if resuming:
            await native_pause(client, asked)
        return status

    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, LONG, here=True)
        if resuming:
            await native_pause(client, workflow_id)
        monkeypatch.setattr(control, "open_run", read_then_replaced)
        said = await cli.here(*command, workflow_id)
        monkeypatch.setattr(control, "open_run", read)
        new = await status_of(client, workflow_id)
        assert new.workflow_execution_info.status == (PAUSED if resuming else RUNNING), "the new run goes on as it was"
        assert not new.workflow_extended_info.cancel_requested, "the new run was asked nothing"
        events = await event_ids(client, workflow_id)
        assert not [name for name in events if name.startswith(("update", "unpaused"))], events
        assert said.code == 1, (said.code, said.out, said.err)
        assert "the run read ended and the id now names another run: nothing done" in said.err, said.err
        await client.get_workflow_handle(workflow_id).terminate("the test's end")


CHAIN = {
    "name": "chain",
    "history_events_per_run": 10,
    "nodes": [
        *({"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, **({"depends_on": [f"s{i - 1}"]} if i else {})}
          for i in range(6)),
        {"id": "nap", "tool": "sleep", "args": {"seconds": 600}, "depends_on": ["s5"]},
    ],
}  # fmt: skip


@pytest.mark.parametrize("command", [("cancel", "--terminate"), ("pause",), ("pause", "--native")], ids=" ".join)
async def test_a_chain_continued_after_the_read_is_still_reached(
    client: Client,
    task_queue: str,
    tmp_path: Path,
    cli: Cli,
    monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, ...],
) -> None:
    """The run read continued as new before the act: the act reaches the chain's current run (the chain is the one
    read), as it did by the workflow id; naming the run read itself found it ended ("no workflow with id", exit 4)."""
    read = control.open_run

    async def read_then_continued(ctx: Context, asked: str, kind: runs.Kind | None = None) -> runs.RunStatus:
        status = await read(ctx, asked, kind)
        await until(lambda: status_of(client, asked), lambda now: now.workflow_execution_info.execution.run_id
                    != status.run_id and now.pending_activities)  # fmt: skip
        return status

    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, CHAIN, here=True)
        monkeypatch.setattr(control, "open_run", read_then_continued)
        said = await cli.here(*command, workflow_id)
        monkeypatch.setattr(control, "open_run", read)
        assert said.code == 0, (said.code, said.out, said.err)
        current = await status_of(client, workflow_id)
        assert current.workflow_execution_info.first_run_id != current.workflow_execution_info.execution.run_id
        if command[0] == "pause":
            status = await cli.here("status", workflow_id)
            paused = "natively paused" if "--native" in command else "state PAUSED"
            assert paused in status.out, status.out
            await client.get_workflow_handle(workflow_id).terminate("the test's end")
        else:
            assert (
                current.workflow_execution_info.status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED
            )
