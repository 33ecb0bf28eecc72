"""A closed run's record is its history replayed here, with the workflow's code. A run whose request was stored
outside its history (a plan over 32 KiB) did not replay: the replayer ran in the SDK's default namespace
("ReplayNamespace"), and the stored value is read only for the namespace it was stored under. `status` said
"its workflow code changed since?" of a run of today's code, and showed what its events alone say."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from temporalio.client import Client

from tests.cli.cli import Cli, until
from tests.cli.gated_runs import start
from tests.helpers import worker_for

WAITING = 600  # steps after the first: the plan is far over the 32 KiB stored outside the history
BIG: dict[str, Any] = {"name": "big", "nodes": [
    {"id": "nap", "tool": "sleep", "args": {"seconds": 600}},
    *({"id": f"a_step_with_a_rather_long_name_{n:04d}", "tool": "sleep", "args": {"seconds": 0},
       "depends_on": ["nap"]} for n in range(WAITING)),
]}  # fmt: skip


async def test_a_cancelled_run_with_a_stored_plan_replays_here(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli
) -> None:
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, BIG, here=True)
        await until(cli, ("status", workflow_id), lambda r: "calling_tool" in r.out, here=True)
        assert (await cli.here("cancel", workflow_id)).code == 0
        assert (await cli.here("result", workflow_id)).code == 1
    shown = await cli.here("status", workflow_id, "--json")
    assert shown.code == 0, shown.err
    assert "does not replay" not in shown.err, shown.err
    assert shown.json["record_rebuilt_from_history"] is False, shown.json["record_rebuilt_from_history"]
    steps = shown.json["record"]["steps"]
    assert len(steps) == WAITING + 1 and steps[0]["state"] == "cancelled", steps[0]
