"""A worker the server does not list polling (a poll not yet arrived, a partition not described) still takes a
cancellation: `cancel` read the pollers once, found none, and exited 1 saying "it has not taken effect: no worker polls"
while the worker was cancelling the run's step (a fresh-clone CI run, under load). It now looks at the run's history
too: a workflow task started after the request is a worker that took it."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import Client

from orchestra.cli import workers_seen
from tests.cli.cli import Cli
from tests.cli.gated_runs import napping_run
from tests.helpers import CANCELS_HEARD_SOON


async def test_a_cancel_taken_by_a_worker_the_server_does_not_list_says_it_was_requested(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with napping_run(client, task_queue, tmp_path, cli, **CANCELS_HEARD_SOON) as (workflow_id, _):
        # The server's list of pollers read as it was at that moment: no live worker in it.
        monkeypatch.setattr(workers_seen, "process_gone_here", lambda identity: True)
        cancelled = await cli.here("cancel", workflow_id)
        assert cancelled.code == 0, cancelled.err
        assert "running steps are cancelled" in cancelled.out, cancelled.out
        assert "has not taken effect" not in cancelled.err, cancelled.err
        result = await cli.here("result", workflow_id)
    assert result.code == 1 and "state CANCELLED" in result.out, result.out
