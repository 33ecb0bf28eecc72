"""`list` times a chain from its first run's start whatever its id holds, on the dev server's SQLite store
too: an id ending in a quote, or holding a backslash, a double quote or a control character, was found by no
escaping there (chain_starts.ids_condition), and its chain listed from its last run's start."""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client

from orchestra.cli.chain_starts import ids_condition
from tests.cli.cli import Cli, write_plan
from tests.cli.test_list_of_chains import CHAIN
from tests.helpers import worker_for

IDS = ["plan-ends'", "plan-back\\slash", "plan-ends\\", "plan-it\\'s", 'plan-"dq"', "plan-tab\tx"]


async def test_chains_of_any_id_are_listed_from_their_first_run_s_start(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli
) -> None:
    plan = write_plan(tmp_path, CHAIN)
    ids = [f"{workflow_id}-{task_queue}" for workflow_id in IDS]
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        for workflow_id in ids:
            started = await cli.here("start", "--plan", plan, "--id", workflow_id)
            assert started.code == 0, started.err
        for workflow_id in ids:
            assert (await cli.here("result", workflow_id)).code == 0
    query = f"TaskQueue = '{task_queue}'"
    runs = (await cli.here("list", "--query", query, "--continued", "--limit", "1000", "--json")).json
    first = {workflow_id: min(r["run_started"] for r in runs if r["workflow_id"] == workflow_id) for workflow_id in ids}
    last = {r["workflow_id"]: r["run_started"] for r in runs if r["state"] != "continued"}
    assert all(first[i] != last[i] for i in ids), (first, last)  # each is a chain of several runs
    chains = (await cli("list", "--query", query, "--json")).json
    assert {r["workflow_id"]: r["started"] for r in chains} == first, chains


def test_an_id_with_no_plain_start_is_looked_up_by_what_its_runs_say_alone() -> None:
    # Left out, its row showed a later run's start unsaid (tests/cli/test_chain_without_a_plain_start.py).
    assert ids_condition(["''", "\\y"]) == "WorkflowId != ''"  # no listed run to narrow by: bounded reading
    assert ids_condition(["a", "b\\c", "b\\d"]) == "WorkflowId IN ('a') OR WorkflowId STARTS_WITH 'b'"
