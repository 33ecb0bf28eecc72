"""`cancel` of a run no worker polls for: the server records the request, and nothing acts on it until a
worker runs the workflow's code. It said "running steps are cancelled" and exited 0 while the run went on
RUNNING; it says now that the cancellation has not taken effect and why, and exits 1."""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client, WorkflowExecutionStatus

from tests.cli.cli import Cli
from tests.cli.gated_runs import LONG, start
from tests.helpers import worker_for


async def test_a_cancel_no_worker_can_act_on_says_so(client: Client, task_queue: str, tmp_path: Path, cli: Cli) -> None:
    workflow_id = await start(cli, tmp_path, LONG, here=True)  # no worker polls its task queue
    cancelled = await cli.here("cancel", workflow_id)
    assert cancelled.code == 1, (cancelled.out, cancelled.err)
    assert "requested, but it has not taken effect" in cancelled.err, cancelled.err
    assert f"no worker polls task queue {task_queue!r}" in cancelled.err, cancelled.err
    assert f"cancel {workflow_id} --terminate" in cancelled.err and cancelled.out == "", cancelled.out
    again = await cli.here("cancel", workflow_id)
    assert again.code == 1 and "was already requested" in again.err, again.err
    assert f"no worker polls task queue {task_queue!r}" in again.err, again.err
    handle = client.get_workflow_handle(workflow_id)
    assert (await handle.describe()).status == WorkflowExecutionStatus.RUNNING
    async with worker_for(client, task_queue, tmp_path / "workspace"):  # what it said: a worker acts on it
        result = await cli.here("result", workflow_id)
    assert result.code == 1 and "state CANCELLED" in result.out, result.out
