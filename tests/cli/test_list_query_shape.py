"""`list --query` wraps the user's query in parentheses and adds conditions after it: ``a') OR ('b`` closed
the parentheses early and listed every workflow of the namespace, of any kind and task queue; a quote left
open swallowed the conditions added after it, and Temporal's error quoted a query the user did not write.
On the real dev server."""

from __future__ import annotations

from typing import Any

from tests.cli.cli import Cli
from tests.cli.gated_runs import start
from tests.cli.test_list_of_chains import CHAIN
from tests.helpers import worker_for


async def test_a_query_is_kept_within_its_parentheses(client: Any, task_queue: str, tmp_path: Any, cli: Cli) -> None:
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, CHAIN, here=True)
        assert (await cli.here("result", workflow_id)).code == 0
    own = f"TaskQueue = '{task_queue}'"
    shown = await cli("list", "--query", f"{own} AND WorkflowId != 'a(b' AND (WorkflowId != \"c)\")", "--json")
    assert shown.code == 0 and [r["status"] for r in shown.json] == ["COMPLETED"], (shown.err, shown.json)
    for n, (query, why) in enumerate(
        (
            (f"{own} AND WorkflowId != 'x') OR (WorkflowId != 'y'", "')' at character"),
            (f"({own} AND WorkflowId != 'x'", "'(' not closed"),
            (f"{own} AND WorkflowId != 'x", "is not closed"),
            (f"{own} AND WorkflowId != 'x\\'", "is not closed"),
        )
    ):
        # The first as `client.py`, the others in this process: the same parsing, message and exit code.
        refused = await (cli.here if n else cli)("list", "--query", query, "--json")
        assert refused.code == 2 and why in refused.err and "WorkflowType" not in refused.err, (query, refused.err)
