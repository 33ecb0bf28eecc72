"""`list --query` hides a chain's earlier runs unless the query has a condition on ExecutionStatus: the word
anywhere in the query (a quoted value, a longer name) turned the hiding off, and every continued run was listed
as if it were one of its own. On the real dev server."""

from __future__ import annotations

from typing import Any

from tests.cli.cli import Cli
from tests.cli.gated_runs import start
from tests.cli.test_list_of_chains import CHAIN
from tests.helpers import worker_for


async def test_only_a_real_status_condition_lists_continued_runs(
    client: Any, task_queue: str, tmp_path: Any, cli: Cli
) -> None:
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, CHAIN, here=True)
        assert (await cli.here("result", workflow_id)).code == 0
    own = f"TaskQueue = '{task_queue}'"
    # The first query of each kind as `client.py`, the others in this process (the same parsing and code, without
    # a process's start: six client.py starts took most of this test's 58 s in the suite at load).
    for index, words in enumerate(
        (
            "WorkflowId != 'executionstatus'",
            "WorkflowId != \"ExecutionStatus = 'ContinuedAsNew'\"",
            "WorkflowId != 'it''s ExecutionStatus'",
            "WorkflowType != 'MyExecutionStatus'",
        )
    ):
        shown = await (cli.here if index else cli)("list", "--query", f"{own} AND {words}", "--json")
        assert shown.code == 0, (words, shown.err)
        assert [r["status"] for r in shown.json] == ["COMPLETED"], (words, shown.json)
    for index, condition in enumerate(("ExecutionStatus = 'ContinuedAsNew'", "`ExecutionStatus` != 'Completed'")):
        asked = await (cli.here if index else cli)("list", "--query", f"{own} AND {condition}", "--json")
        assert asked.code == 0, (condition, asked.err)
        assert len(asked.json) > 1 and {r["status"] for r in asked.json} == {"CONTINUED_AS_NEW"}, asked.json
