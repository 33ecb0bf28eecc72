"""`list` of a chain of runs (a plan run that continued as new): its earlier runs are over, handed over to
the next, and their state attribute still says what it said when they handed over ('running')."""

from __future__ import annotations

from tests.cli.cli import Cli
from tests.cli.gated_runs import start
from tests.helpers import worker_for

STEPS = 8
CHAIN = {"name": "chain", "history_events_per_run": 12, "nodes": [
    {"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, **({"depends_on": [f"s{i - 1}"]} if i else {})}
    for i in range(STEPS)]}  # fmt: skip


async def test_a_chain_lists_as_one_run_and_its_earlier_runs_as_continued(client, task_queue, tmp_path, cli: Cli):
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, CHAIN, here=True)
        assert (await cli.here("result", workflow_id)).code == 0
    query = f"TaskQueue = '{task_queue}'"

    shown = await cli("list", "--query", query, "--json")
    assert shown.code == 0, shown.err
    print(shown.out)
    assert [(r["status"], r["state"]) for r in shown.json] == [("COMPLETED", "completed")], shown.json

    everything = await cli("list", "--query", query, "--continued", "--json")
    assert everything.code == 0, everything.err
    rows = everything.json
    assert len(rows) > 2 and {r["workflow_id"] for r in rows} == {workflow_id}
    assert [(r["status"], r["state"]) for r in rows[1:]] == [("CONTINUED_AS_NEW", "continued")] * (len(rows) - 1)

    table = await cli("list", "--query", query, "--continued")
    assert table.code == 0 and "running" not in table.out, table.out


async def test_a_chain_is_listed_from_its_first_run_s_start(client, task_queue, tmp_path, cli: Cli):
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, CHAIN, here=True)
        assert (await cli.here("result", workflow_id)).code == 0
    query = f"TaskQueue = '{task_queue}'"
    runs = (await cli.here("list", "--query", query, "--continued", "--json")).json
    first_start = min(r["run_started"] for r in runs)
    assert first_start < runs[0]["run_started"], runs  # the chain's last run began after its first

    chain = (await cli("list", "--query", query, "--json")).json
    assert [(r["workflow_id"], r["started"]) for r in chain] == [(workflow_id, first_start)], chain
    table = await cli("list", "--query", query)
    assert first_start in table.out, table.out
