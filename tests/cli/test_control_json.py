"""`cancel` takes `--json` as `pause` and `resume` do: what it did, as one JSON object on stdout (the
line it prints otherwise), for a cancellation requested and for a run terminated."""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client

from tests.cli.cli import Cli, until
from tests.cli.gated_runs import LONG, start
from tests.helpers import worker_for


async def test_cancel_says_what_it_did_in_json(client: Client, task_queue: str, tmp_path: Path, cli: Cli) -> None:
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        cancelled_id = await start(cli, tmp_path, LONG, here=True)
        terminated_id = await start(cli, tmp_path, LONG, here=True)
        await until(cli, ("status", cancelled_id), lambda r: "▶ calling_tool" in r.out, here=True)
        cancelled = await cli.here("cancel", cancelled_id, "--json")
        terminated = await cli.here("cancel", terminated_id, "--terminate", "--json")
    assert cancelled.code == 0, cancelled.err
    assert cancelled.json == {
        "workflow_id": cancelled_id, "action": "cancel_requested", "unpaused": False, "undoing": [],
        "message": "running steps are cancelled, finished results are kept",
    }  # fmt: skip
    assert terminated.code == 0, terminated.err
    assert terminated.json["workflow_id"] == terminated_id and terminated.json["action"] == "terminated"
    assert cancelled.err == terminated.err == ""
