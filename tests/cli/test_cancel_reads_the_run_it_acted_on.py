"""`cancel` reads again the run it acted on, by its run id: it read the workflow id's latest run, so a run that ended
before the cancellation reached it, its id reused meanwhile by a new run, was said "cancellation requested" of the
new open run, which no one asked to cancel. A real dev server, the command run in this process."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import Client

from orchestra.cli import control, runs
from orchestra.cli.context import Context
from tests.cli.cli import Cli
from tests.cli.gated_runs import LONG, start
from tests.cli.test_run_ended_before_the_act import status_of
from tests.helpers import start_plan


async def test_a_run_ended_and_its_id_reused_before_the_reread_is_said_ended(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    workflow_id = await start(cli, tmp_path, LONG, here=True)
    request = control._request_cancel

    async def ended_then_reused(ctx: Context, read: runs.RunStatus) -> None:
        await client.get_workflow_handle(read.workflow_id).terminate("ended by the test, before the cancellation")
        await request(ctx, read)  # the server takes it for the closed run without a word
        await start_plan(client, task_queue, LONG, workflow_id=read.workflow_id)  # a new run, the same id

    monkeypatch.setattr(control, "_request_cancel", ended_then_reused)
    said = await cli.here("cancel", workflow_id)
    assert said.code == 1, (said.code, said.out, said.err)
    assert "ended (TERMINATED) before the cancellation reached it" in said.err, said.err
    assert "requested" not in said.err, said.err
    reused = await status_of(client, workflow_id)
    assert not reused.workflow_extended_info.cancel_requested, "the new run was asked nothing"
    await client.get_workflow_handle(workflow_id).terminate("the test's end")
