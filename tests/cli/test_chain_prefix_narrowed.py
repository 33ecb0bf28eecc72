"""An id the dev server's SQLite cannot match as written (a backslash, a quote at its end) is timed from the
earlier runs of its plain start: a start as short as 'p' matched every handed-over run whose id began so, of
any kind and task queue, read up to 100 pages of 1,000. The query is narrowed by what the listed runs say of
their chain, and what is read is bounded, with a note when it stops there."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

from orchestra.cli import chain_starts
from tests.cli.cli import Cli, write_plan
from tests.cli.test_list_of_chains import CHAIN
from tests.helpers import worker_for


async def _chains(cli: Cli, client: Client, task_queue: str, tmp_path: Path, ids: list[str]) -> None:
    plan = write_plan(tmp_path, CHAIN)
    async with worker_for(client, task_queue, tmp_path / task_queue):
        for workflow_id in ids:
            started = await cli.here("start", "--plan", plan, "--id", workflow_id, "--task-queue", task_queue)
            assert started.code == 0, started.err
        for workflow_id in ids:
            assert (await cli.here("result", workflow_id)).code == 0


async def _runs(cli: Cli, task_queue: str) -> list[dict[str, Any]]:
    query = f"TaskQueue = '{task_queue}'"
    found: list[dict[str, Any]] = (await cli.here("list", "--query", query, "--continued", "--json")).json
    return found


async def test_a_short_plain_start_reads_only_its_own_chain_s_runs(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = f"p\\{task_queue}"  # plain start: 'p'
    await _chains(cli, client, task_queue, tmp_path, [target])
    runs = await _runs(cli, task_queue)
    earlier = [r for r in runs if r["state"] == "continued"]
    assert earlier, runs  # a chain of several runs
    # Later runs of the same plain start, in another task queue: listed first (newest first), they filled the
    # pages the target's earlier runs needed.
    other = f"tq-{uuid.uuid4()}"
    await _chains(cli, client, other, tmp_path, [f"p-{uuid.uuid4()}" for _ in range(2)])
    monkeypatch.setattr(chain_starts, "PAGE_SIZE", len(earlier) + 1)  # all of them, no more
    monkeypatch.setattr(chain_starts, "PAGES", 1)
    shown = await cli.here("list", "--query", f"TaskQueue = '{task_queue}'", "--json")
    assert shown.code == 0 and "not all read" not in shown.err, shown.err
    assert [r["started"] for r in shown.json] == [min(r["run_started"] for r in runs)], (shown.json, runs)


async def test_a_listing_that_stops_reading_earlier_runs_says_so(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = f"plan-ends'{task_queue}'"
    await _chains(cli, client, task_queue, tmp_path, [target])
    runs = await _runs(cli, task_queue)
    assert len([r for r in runs if r["state"] == "continued"]) > 1, runs
    monkeypatch.setattr(chain_starts, "PAGE_SIZE", 1)
    monkeypatch.setattr(chain_starts, "PAGES", 1)
    shown = await cli.here("list", "--query", f"TaskQueue = '{task_queue}'", "--json")
    assert shown.code == 0, shown.err
    assert "note: the earlier runs of 1 listed workflow id were not all read" in shown.err, shown.err
    assert "a later run's start" in shown.err, shown.err
