"""`history` of a run that closed with activities still open (terminated, its worker gone): each such
activity ended with the run, when the run closed, as `status` and `result` say of its steps; never
"started" with no close for ever."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from temporalio.client import Client

from tests.cli.cli import Cli, until
from tests.cli.gated_runs import LONG, start
from tests.helpers import worker_for


async def test_a_terminated_run_s_open_activity_ended_with_it(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli
) -> None:
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, LONG, here=True)
        await until(cli, ("status", workflow_id), lambda r: "calling_tool" in r.out, here=True)
        assert (await cli.here("cancel", workflow_id, "--terminate")).code == 0
    shown = await cli("history", workflow_id)
    print(shown.out)
    assert shown.code == 0, shown.err
    nap = next(line for line in shown.out.splitlines() if line.lstrip().startswith("nap"))
    assert "started" not in nap.split() and "stopped" in nap, nap
    assert "the run was terminated" in nap, nap
    rows: list[dict[str, Any]] = (await cli.here("history", workflow_id, "--json")).json
    [open_one] = [row for row in rows if row["node_id"] == "nap"]
    assert open_one["state"] == "stopped" and open_one["closed_at"] is not None, open_one
    assert open_one["failure"] == "stopped: the run was terminated", open_one
