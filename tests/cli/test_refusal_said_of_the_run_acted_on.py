"""An update the server refused (FAILED_PRECONDITION: the run is natively paused, or its workflow task keeps failing) was
explained by the workflow id's latest run: the run the update was sent to ended after the refusal and a new run took its
id, and the new run's native pause was given as the reason ("natively paused … `resume` it"), which would unpause a run
nobody asked about. The refusal is explained by the run acted on: it ended since, so there is nothing to do (exit 1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import Client

from orchestra.cli import control, runs
from orchestra.cli.context import Context
from tests.cli.cli import Cli
from tests.cli.gated_runs import LONG, start
from tests.cli.test_act_on_the_chain_read import native_pause
from tests.helpers import start_plan, worker_for


async def test_a_refused_pause_is_explained_by_the_run_it_was_sent_to(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    read, describe = control.open_run, runs.describe
    refused: list[bool] = []

    async def read_then_paused(ctx: Context, asked: str, kind: runs.Kind | None = None) -> runs.RunStatus:
        status = await read(ctx, asked, kind)
        await native_pause(client, asked)  # the update to come is refused: the run is natively paused
        refused.append(True)
        return status

    async def replaced_after_the_refusal(ctx: Context, workflow_id: str, run_id: str = "") -> runs.RunStatus:
        if refused:  # the refusal's explanation is being read: the run refused has ended, its id taken, paused
            refused.clear()
            await client.get_workflow_handle(workflow_id).terminate("ended by the test, after the refusal")
            await start_plan(client, task_queue, LONG, workflow_id=workflow_id)
            await native_pause(client, workflow_id)
        return await describe(ctx, workflow_id, run_id)

    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, LONG, here=True)
        monkeypatch.setattr(control, "open_run", read_then_paused)
        monkeypatch.setattr(runs, "describe", replaced_after_the_refusal)
        said = await cli.here("pause", workflow_id)
        monkeypatch.undo()
        assert said.code == 1, (said.code, said.out, said.err)
        assert "and the run has ended since (TERMINATED): nothing to do" in said.err, said.err
        assert "natively paused" not in said.err and "resume" not in said.err, said.err
        await client.get_workflow_handle(workflow_id).terminate("the test's end")
