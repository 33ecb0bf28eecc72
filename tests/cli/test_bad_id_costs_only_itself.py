"""`list` times each chain from its first run's start by reading the earlier runs of its workflow ids, a
bounded number of pages per query. An id the dev server cannot match as written is found by its plain start,
which may match the runs of many other chains: queried with the plain ids of its batch, it filled the bound for
all of them, and every chain of the batch was shown from its last run's start. It costs only itself now, and
the note names it."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from temporalio.client import Client

from orchestra.cli import chain_starts
from tests.cli.cli import Cli
from tests.cli.test_chain_prefix_narrowed import _chains, _runs


async def test_an_id_matched_by_its_start_leaves_the_plain_ids_timed(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = f"p{uuid.uuid4().hex[:8]}"
    # Chains of the bad id's plain start, begun before it: its query reads their earlier runs too.
    await _chains(cli, client, task_queue, tmp_path, [f"{start}-{n}" for n in range(2)])
    bad, good = f"{start}\\bad", f"good-{uuid.uuid4()}"
    await _chains(cli, client, task_queue, tmp_path, [bad, good])
    runs = await _runs(cli, task_queue)
    good_runs = [r for r in runs if r["workflow_id"] == good]
    assert len(good_runs) > 2, runs  # a chain of several runs
    monkeypatch.setattr(chain_starts, "PAGE_SIZE", 1)
    monkeypatch.setattr(chain_starts, "PAGES", len(good_runs))  # the good id's earlier runs, and a page more
    shown = await cli.here("list", "--query", f"TaskQueue = '{task_queue}'", "--limit", "2", "--json")
    assert shown.code == 0, shown.err
    assert {r["workflow_id"] for r in shown.json} == {bad, good}, shown.json
    [good_row] = [r for r in shown.json if r["workflow_id"] == good]
    assert good_row["started"] == min(r["run_started"] for r in good_runs), (good_row, good_runs)
    assert "note: the earlier runs of 1 listed workflow id were not all read" in shown.err, shown.err
    assert repr(bad) in shown.err and good not in shown.err, shown.err
