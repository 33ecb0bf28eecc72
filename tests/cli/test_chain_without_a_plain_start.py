"""An id the dev server's SQLite cannot match as written from its first character (a backslash, a double quote,
a quote before one) has no plain start to look its earlier runs up by: it was left out of the query, and its row
showed its last run's start (a chain listed as begun minutes later) with no note saying so. Its earlier runs are
looked up by what its listed runs say of the chain alone (kind, task queue, begun before), read within the bound
every lookup has."""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client

from tests.cli.cli import Cli
from tests.cli.test_chain_prefix_narrowed import _chains


async def test_a_chain_whose_id_has_no_plain_start_is_listed_from_its_first_run(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli
) -> None:
    ids = [f"\\{task_queue}", f'"{task_queue}', f"'\\{task_queue}"]
    await _chains(cli, client, task_queue, tmp_path, ids)
    query = f"TaskQueue = '{task_queue}'"
    runs = (await cli.here("list", "--query", query, "--continued", "--limit", "1000", "--json")).json
    shown = await cli.here("list", "--query", f"TaskQueue = '{task_queue}'", "--json")
    assert shown.code == 0, shown.err
    assert {r["workflow_id"] for r in shown.json} == set(ids), shown.json
    for row in shown.json:
        of_chain = [r["run_started"] for r in runs if r["workflow_id"] == row["workflow_id"]]
        assert len(of_chain) > 1 and row["started"] == min(of_chain), (row, of_chain)
