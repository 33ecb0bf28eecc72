"""What `list`, `result` and `status` say of runs ended from outside (terminated, cancelled) and of a
namespace that does not exist: the state the run ended in, its error said once, its step counts adding up."""

from __future__ import annotations

import re
from pathlib import Path

from temporalio.client import Client

from tests.cli.cli import Cli, run_here, until
from tests.cli.gated_runs import LONG, start
from tests.helpers import worker_for

FOOTER = re.compile(r"([\d,]+)/([\d,]+) steps? completed((?: · [\d,]+ [a-z ]+?)+) · ")


def counts_add_up(out: str) -> bool:
    """Whether the footer's counts (completed, failed, skipped, …, not started) add up to its total."""
    found = FOOTER.search(out)
    assert found, out
    parts = [int(n.replace(",", "")) for n in re.findall(r"· ([\d,]+) ", found[3])]
    return int(found[1].replace(",", "")) + sum(parts) == int(found[2].replace(",", ""))


async def test_a_terminated_run_lists_as_terminated_not_running(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli
) -> None:
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, LONG, here=True)
        await until(cli, ("status", workflow_id), lambda r: "calling_tool" in r.out, here=True)
        ended = await cli.here("cancel", workflow_id, "--terminate")
        assert ended.code == 0, ended.err
    result = await cli("result", workflow_id)
    print(result.out)
    assert "not started" in result.out and counts_add_up(result.out), result.out
    shown = await cli("list", "--query", f"WorkflowId = '{workflow_id}'", "--json")
    assert [(r["status"], r["state"]) for r in shown.json] == [("TERMINATED", "terminated")], shown.json
    table = await cli("list", "--query", f"WorkflowId = '{workflow_id}'")
    assert "terminated" in table.out and "running" not in table.out, table.out


async def test_a_cancelled_run_says_its_error_once_and_counts_every_step(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli
) -> None:
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, LONG, here=True)
        await until(cli, ("status", workflow_id), lambda r: "calling_tool" in r.out, here=True)
        assert (await cli.here("cancel", workflow_id)).code == 0
        shown = await cli("result", workflow_id)
    assert shown.code != 0, shown.out
    errors = [line for line in shown.out.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, shown.out
    assert "not started" in shown.out and counts_add_up(shown.out), shown.out


async def test_a_namespace_that_does_not_exist_is_said_so_by_every_command(cli: Cli) -> None:
    # `status` as `client.py`; the others in this process, connecting as it does (four client.py starts took 46 s
    # of the suite at load): the namespace's absence is told by the same code after the same connection.
    for args in (("status", "plan-x-1"), ("result", "plan-x-1"), ("list",), ("schedule", "describe", "s")):
        command = ("--namespace", "nosuchns", *args)
        shown = await (cli(*command) if args[0] == "status" else run_here(*command, client=None))
        assert shown.code == 2, (args, shown)
        assert "namespace 'nosuchns' not found" in shown.err and "no workflow" not in shown.err, (args, shown.err)
