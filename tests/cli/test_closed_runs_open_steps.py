"""A closed run's steps as `result` and `status` show them: a step its history leaves open ended with the
run (terminated, timed out), and its record is read from its result or history, never from a query that
no worker of a closed run may answer."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.client import Client

from orchestra.calls import RunRequest
from orchestra.cli import runs
from orchestra.plan import Plan
from orchestra.plan_chain import first_run_args
from tests.cli.cli import Cli, until
from tests.cli.gated_runs import LONG, start
from tests.cli.test_runs_ended_from_outside import counts_add_up
from tests.helpers import worker_for


def said_running(out: str) -> bool:
    return "calling_tool" in out or "· 0 running ·" not in out


async def test_a_terminated_run_s_open_step_ended_with_it(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli
) -> None:
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, LONG, here=True)
        await until(cli, ("status", workflow_id), lambda r: "calling_tool" in r.out, here=True)
        assert (await cli.here("cancel", workflow_id, "--terminate")).code == 0
    for command in ("result", "status"):
        shown = await cli(command, workflow_id)
        print(shown.out)
        assert "stopped: the run was terminated" in shown.out, shown.out
        assert not said_running(shown.out) and counts_add_up(shown.out), shown.out


@pytest.mark.parametrize("worker_stays", [True, False], ids=["worker up", "worker gone"])
async def test_a_timed_out_run_s_open_step_ended_with_it(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, worker_stays: bool
) -> None:
    workflow_id = f"plan-long-timeout-{task_queue}"
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        await client.start_workflow(
            "OrchestrationWorkflow",
            args=first_run_args(RunRequest(plan=Plan.model_validate(LONG))),
            id=workflow_id,
            task_queue=task_queue,
            execution_timeout=timedelta(seconds=6),  # the run's own limit, not a test's threshold
        )
        await until(cli, ("status", workflow_id), lambda r: "calling_tool" in r.out, here=True)
        if worker_stays:
            await _timed_out(cli, workflow_id)
    await _timed_out(cli, workflow_id)
    shown = await cli("result", workflow_id)
    print(shown.out)
    assert "stopped: the run timed out" in shown.out, shown.out
    assert not said_running(shown.out) and counts_add_up(shown.out), shown.out


async def _timed_out(cli: Cli, workflow_id: str) -> None:
    await until(cli, ("list", "--query", f"WorkflowId = '{workflow_id}'"), lambda r: "timed_out" in r.out, here=True)


async def test_a_closed_run_without_a_worker_is_not_queried(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, LONG, here=True)
        await until(cli, ("status", workflow_id), lambda r: "calling_tool" in r.out, here=True)
        assert (await cli.here("cancel", workflow_id, "--terminate")).code == 0
    asked: list[str] = []
    query = runs._query

    async def counted(*args: object) -> object:
        asked.append(str(args[2]))
        return await query(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(runs, "_query", counted)
    shown = [await cli.here(command, workflow_id) for command in ("result", "status")]
    assert asked == [], asked
    assert all("nap" in s.out for s in shown), shown
