"""A NOT_FOUND is said of what the command asked for. `history` of a chain whose earlier run is gone (deleted, or past
the namespace's retention, as a long chain's first runs are) said "no workflow with id …" of a workflow `status` shows,
exit 4 as for an id nobody used; the schedule commands said "no schedule" without the namespace and server asked, as
every other "no …" names them."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import DeleteWorkflowExecutionRequest, GetWorkflowExecutionHistoryRequest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from tests.cli.cli import Cli
from tests.cli.gated_runs import start
from tests.cli.test_act_on_the_chain_read import CHAIN
from tests.cli.test_run_ended_before_the_act import status_of
from tests.helpers import until, worker_for


@pytest.mark.parametrize("action", ["describe", "pause", "unpause", "trigger", "delete"])
async def test_a_schedule_not_found_is_said_as_a_schedule_of_the_namespace(
    client: Client, cli: Cli, action: str
) -> None:
    said = await cli.here("schedule", action, "no-such-schedule")
    assert said.code == 4, (said.code, said.out, said.err)
    where = f"in namespace {client.namespace!r} at {client.service_client.config.target_host}"
    assert f"no schedule with id 'no-such-schedule' {where}" in said.err, said.err
    assert "workflow" not in said.err, said.err


async def gone(client: Client, workflow_id: str, run_id: str) -> bool:
    request = GetWorkflowExecutionHistoryRequest(
        namespace=client.namespace, execution=WorkflowExecution(workflow_id=workflow_id, run_id=run_id)
    )
    try:
        await client.workflow_service.get_workflow_execution_history(request)
    except RPCError as exc:
        return exc.status == RPCStatusCode.NOT_FOUND
    return False


async def test_a_chain_whose_first_run_is_gone_is_not_said_missing(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli
) -> None:
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, CHAIN, here=True)
        info = await until(
            lambda: status_of(client, workflow_id),
            lambda now: now.workflow_execution_info.execution.run_id != now.workflow_execution_info.first_run_id,
        )
    await client.get_workflow_handle(workflow_id).terminate("the test's end")
    first = info.workflow_execution_info.first_run_id
    await client.workflow_service.delete_workflow_execution(
        DeleteWorkflowExecutionRequest(
            namespace=client.namespace, workflow_execution=WorkflowExecution(workflow_id=workflow_id, run_id=first)
        )
    )
    await until(lambda: gone(client, workflow_id, first))
    said = await cli.here("history", workflow_id)
    assert said.code == 4, (said.code, said.out, said.err)
    assert f"no earlier run of workflow {workflow_id!r} (deleted, or past the namespace's retention?)" in said.err
    assert "no workflow with id" not in said.err, said.err
