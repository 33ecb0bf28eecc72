"""A COLUMNS that gives no width (0, negative, not a number, too narrow for a table) is ignored: `status` and
`list` print the run as without it, never nothing and never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import Client

from tests.cli.cli import Cli, Result, run_client
from tests.cli.gated_runs import start
from tests.helpers import worker_for

QUICK = {"name": "quick", "nodes": [{"id": "only", "tool": "sleep", "args": {"seconds": 0}}]}
UNUSABLE = ("0", "-5", "abc", " ", "1", "9" * 40, "٣٠")
# One real `client.py` a command: the width is read from the environment the same way in this process, so the
# other values run here (14 client.py starts took 100 s of the suite at load).
AS_CLIENT_PY = {"status": "abc", "list": "0"}


async def test_an_unusable_columns_is_ignored(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, QUICK, here=True)
        assert (await cli.here("result", workflow_id)).code == 0
    for columns in UNUSABLE:
        for args in (("status", workflow_id), ("list", "--query", f"WorkflowId = '{workflow_id}'")):
            shown: Result
            if AS_CLIENT_PY[args[0]] == columns:
                shown = await run_client(*args, env={**cli.env, "COLUMNS": columns})
            else:
                monkeypatch.setenv("COLUMNS", columns)
                shown = await cli.here(*args)
                monkeypatch.delenv("COLUMNS")
            assert shown.code == 0 and "Traceback" not in shown.err, (columns, args, shown)
            assert workflow_id in shown.out and "completed" in shown.out, (columns, args, shown)
