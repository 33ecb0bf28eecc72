"""A control command acting on a run that ends between the command's reading it and its act: the server answers the
act NOT_FOUND ("workflow execution already completed"), which was said as "no workflow with id …" and exit 4 (no such
run), of a run `status` then shows. It says the run ended before the act reached it, and exits 1 as for a run read
as ended."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionRequest, DescribeWorkflowExecutionResponse
from temporalio.client import Client, WorkflowFailureError

from orchestra.cli import control, runs
from orchestra.cli.context import Context
from tests.cli.cli import Cli
from tests.cli.gated_runs import LONG, start
from tests.helpers import until, worker_for

ACTS = {
    ("cancel",): "cancellation",
    ("cancel", "--terminate"): "termination",
    ("pause",): "pause",
    ("pause", "--native"): "pause",
    ("resume",): "resume",
}


@pytest.mark.parametrize("command", list(ACTS), ids=" ".join)
async def test_a_run_ended_before_the_act_is_not_said_missing(
    client: Client, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    workflow_id = await start(cli, tmp_path, LONG, here=True)
    read = control.open_run

    async def read_then_ended(ctx: Context, asked: str, kind: runs.Kind | None = None) -> runs.RunStatus:
        status = await read(ctx, asked, kind)
        await client.get_workflow_handle(asked).terminate("ended by the test, after the command read it")
        return status

    monkeypatch.setattr(control, "open_run", read_then_ended)
    said = await cli.here(*command, workflow_id)
    assert said.code == 1, (said.code, said.out, said.err)
    assert f"ended (TERMINATED) before the {ACTS[command]} reached it" in said.err, said.err
    assert "no workflow with id" not in said.err, said.err
    monkeypatch.setattr(control, "open_run", read)
    as_json = await cli.here(*command, workflow_id, "--json")
    assert as_json.code == 1 and "error" in json.loads(as_json.out), as_json.out


async def test_a_run_ended_by_the_cancel_itself_is_said_cancelled(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = control._request_cancel

    async def request_then_ended(ctx: Context, read: runs.RunStatus) -> None:
        await request(ctx, read)
        with contextlib.suppress(WorkflowFailureError):  # the run's end: cancelled by the request, before the re-read
            await client.get_workflow_handle(read.workflow_id).result()

    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, LONG, here=True)
        await until(lambda: status_of(client, workflow_id), lambda said: said.pending_activities)
        monkeypatch.setattr(control, "_request_cancel", request_then_ended)
        said = await cli.here("cancel", workflow_id, "--json")
    assert said.code == 0, (said.out, said.err)
    assert json.loads(said.out)["action"] == "cancel_requested", said.out


async def status_of(client: Client, workflow_id: str) -> DescribeWorkflowExecutionResponse:
    request = DescribeWorkflowExecutionRequest(namespace=client.namespace)
    request.execution.workflow_id = workflow_id
    return await client.workflow_service.describe_workflow_execution(request)
