"""`list` times a chain from its first run's start whatever its id holds: quotes and backslashes are
escaped in the chain-start query (chain_starts.py), not a reason to leave the chain out of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from temporalio.client import Client

from tests.cli.cli import Cli, write_plan
from tests.cli.test_list_of_chains import CHAIN
from tests.helpers import worker_for

# A quote, and a quote that would end the string early and add a condition of its own.
IDS = ["plan-it's", "plan-x') OR WorkflowId IN ('y"]
# Backslashes, listed beside the others, must not cost those their chain's start (a raw \0 made the whole
# query fail there); their own chains are timed too (test_chain_ids_any_characters.py).
BACKSLASHED = ["plan-nul\\0", "plan-ends\\", "plan-it\\'s"]
# A chain of a few runs is enough to have a first run's start to find: five chains of CHAIN's eight steps took
# most of the test's 68 s in the suite at load.
SHORT_CHAIN = {**CHAIN, "nodes": cast(list[Any], CHAIN["nodes"])[:4]}


async def test_chains_whose_ids_hold_quotes_are_listed_from_their_first_run_s_start(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli
) -> None:
    plan = write_plan(tmp_path, SHORT_CHAIN)
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        for workflow_id in IDS + BACKSLASHED:
            started = await cli.here("start", "--plan", plan, "--id", workflow_id)
            assert started.code == 0, started.err
        for workflow_id in IDS + BACKSLASHED:
            assert (await cli.here("result", workflow_id)).code == 0
    query = f"TaskQueue = '{task_queue}'"
    runs = (await cli.here("list", "--query", query, "--continued", "--limit", "1000", "--json")).json
    assert all(sum(r["workflow_id"] == workflow_id for r in runs) > 1 for workflow_id in IDS), runs  # handed over
    first = {workflow_id: min(r["run_started"] for r in runs if r["workflow_id"] == workflow_id) for workflow_id in IDS}
    chains = (await cli("list", "--query", query, "--json")).json
    assert {r["workflow_id"]: r["started"] for r in chains if r["workflow_id"] in IDS} == first, chains
