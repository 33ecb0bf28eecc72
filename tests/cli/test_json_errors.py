"""`--json` asks for JSON on stdout: a command that failed printed nothing there (its error on stderr only), and
a script reading stdout as JSON broke on an empty document. The error is on stdout as JSON too now, with the
exit code, whatever the failure: an unknown id, a run that has ended, a refused query, a server down."""

from __future__ import annotations

import json
from pathlib import Path

from temporalio.client import Client

from tests.cli.cli import Cli, Result
from tests.cli.gated_runs import start
from tests.helpers import worker_for

ONE = {"name": "one", "nodes": [{"id": "nap", "tool": "sleep", "args": {"seconds": 0}}]}


def _said(result: Result, code: int) -> None:
    assert result.code == code, (result.out, result.err)
    said = json.loads(result.out)
    assert said["exit_code"] == code and said["error"] and said["error"] in result.err, (result.out, result.err)


async def test_a_failed_command_asked_for_json_says_its_error_in_json(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, closed_address: str
) -> None:
    _said(await cli.here("status", "no-such-run", "--json"), 4)
    _said(await cli.here("pause", "no-such-run", "--json"), 4)
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        ended = await start(cli, tmp_path, ONE, here=True)
        assert (await cli.here("result", ended)).code == 0
    _said(await cli.here("pause", ended, "--json"), 1)
    _said(await cli.here("resume", ended, "--native", "--json"), 1)
    _said(await cli.here("list", "--query", "WorkflowId = 'a", "--json"), 2)
    down = await Cli({**cli.env, "TEMPORAL_ADDRESS": closed_address}, cli.client)("status", ended, "--json")
    _said(down, 3)  # as client.py, its own process
    done = await cli.here("status", ended, "--json")  # a command that succeeds prints its own JSON, alone
    assert done.code == 0 and "error" not in json.loads(done.out), done.out
