"""`watch` of a natively paused run with an activity pending, which no worker serves: nothing in it can change
unseen (its history does not grow, its pending activity waits), yet it was rebuilt from its history at every
poll, twice a second, for as long as it was watched. It is read once, and again only when it changes."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionRequest
from temporalio.client import Client

from orchestra.cli import runs
from tests.cli.cli import Cli
from tests.cli.gated_runs import napping_run

POLLS = 6


async def test_watch_reads_a_paused_unserved_run_once(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with napping_run(client, task_queue, tmp_path, cli) as (workflow_id, _):
        paused = await cli.here("pause", workflow_id, "--native")
        assert paused.code == 0, paused.err
    # The worker is gone: the activity it ran waits for its retry, which nobody takes, once the server is done
    # recording its end (its retry scheduled, then due).
    await settled(client, workflow_id)
    described, reads, polled = 0, 0, asyncio.Event()
    describe, read = runs.describe, runs.read

    async def counted_describe(ctx: Any, workflow_id: str) -> runs.RunStatus:
        nonlocal described
        described += 1
        if described >= POLLS:
            polled.set()
        return await describe(ctx, workflow_id)

    async def counted_read(ctx: Any, run: runs.RunStatus) -> runs.RunView:
        nonlocal reads
        reads += 1
        return await read(ctx, run)

    monkeypatch.setattr(runs, "describe", counted_describe)
    monkeypatch.setattr(runs, "read", counted_read)
    watching = asyncio.ensure_future(cli.here("watch", workflow_id))
    try:
        await asyncio.wait_for(polled.wait(), 120)  # a ceiling for a hung test only
        assert reads == 1, f"read {reads} times in {described} polls"
    finally:
        watching.cancel()
        await asyncio.gather(watching, return_exceptions=True)


async def settled(client: Client, workflow_id: str) -> None:
    """Until the run's history and pending activities stay the same over a second."""
    request = DescribeWorkflowExecutionRequest(namespace=client.namespace)
    request.execution.workflow_id = workflow_id
    last: object = None
    for _ in range(120):  # a ceiling for a hung test only
        described = await client.workflow_service.describe_workflow_execution(request)
        now = (described.workflow_execution_info.history_length, list(described.pending_activities))
        if now == last:
            return
        last = now
        await asyncio.sleep(1)
    raise AssertionError(f"{workflow_id} never settled: {last}")
