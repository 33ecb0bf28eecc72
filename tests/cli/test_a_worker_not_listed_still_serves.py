"""A worker the server does not list polling (a poll not yet arrived at load) may be serving a run: `status` read the
pollers once, found none, and said "no worker is polling task queue Q" of a run whose step a worker was running,
rebuilding its record from the history instead of asking it (as `cancel` said "not taken effect" of a cancellation a
worker acted on: test_cancel_taken_by_a_worker_not_listed). When the run's history shows a worker the server does
not list acting on it lately, the pollers and the run are looked at again: a new act is a worker serving the run. A
worker that acted and then stopped leaves no new act: the run is said unserved, with that last act.

The server's list is pinned as it reads before a worker's poll reaches it: nobody listed (workers_seen.pollers).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

from orchestra.cli import second_look, workers_seen
from tests.cli.cli import Cli
from tests.cli.gated_runs import LONG, napping_run, start, status_json
from tests.cli.test_workers_seen_by_the_server import run_of_a_worker_shut_down
from tests.helpers import CANCELS_HEARD_SOON


def listing_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    async def none_listed(client: Client, namespace: str, task_queue: str) -> list[tuple[str, datetime | None]]:
        return []

    monkeypatch.setattr(workers_seen, "pollers", none_listed)


async def test_a_run_whose_step_a_worker_not_listed_runs_is_asked_not_said_unserved(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Heartbeats reach the server each second: the step's worker acts on the run within the command's look.
    async with napping_run(client, task_queue, tmp_path, cli, **CANCELS_HEARD_SOON) as (workflow_id, _):
        listing_no_worker(monkeypatch)
        said = await status_json(cli, workflow_id)
        assert said["no_worker"] is None and said["record_rebuilt_from_history"] is False, said
        plain = await cli.here("status", workflow_id)
        assert plain.code == 0 and "no worker" not in plain.out + plain.err, plain.out


async def test_a_run_a_worker_not_listed_acted_on_and_left_is_said_unserved_with_its_last_act(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with napping_run(client, task_queue, tmp_path, cli) as (workflow_id, _):
        pass
    listing_no_worker(monkeypatch)  # the stopped worker not listed either: its shutdown cannot be read off the list
    said = await status_json(cli, workflow_id)
    assert said["record_rebuilt_from_history"] is True, said
    no_worker = str(said["no_worker"])
    assert no_worker.startswith(f"no worker is polling task queue {task_queue!r}"), no_worker
    assert "not listed, " in no_worker and " UTC: none since" in no_worker, no_worker


async def test_a_run_no_unlisted_worker_acted_on_lately_is_said_unserved_without_a_second_look(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The honest no-worker case stays one read: a run whose worker the server lists shut down (its acts are that
    worker's), and a run no worker ever acted on, are said unserved without looking again (counted, not timed)."""
    looked: list[str] = []
    real = second_look.look_again

    async def counted(client: Client, task_queue: str, *rest: Any) -> bool:
        looked.append(task_queue)
        return await real(client, task_queue, *rest)

    monkeypatch.setattr(second_look, "look_again", counted)
    served_once = await run_of_a_worker_shut_down(client, task_queue, tmp_path, cli)
    never_served = await start(cli, tmp_path, LONG, here=True)
    for workflow_id in (served_once, never_served):
        said = await status_json(cli, workflow_id)
        assert str(said["no_worker"]).startswith(f"no worker is polling task queue {task_queue!r}"), said
    assert looked == []
