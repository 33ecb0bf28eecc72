"""`result` and `status` of a run that failed by itself without attaching its record (its plan's deadline
passed), its worker gone: the record is the run's own, read from its history replayed here, never from a
query that waits its whole timeout for a worker that is not there (the server lists a gone worker's
poller for minutes, so "is anyone polling" cannot tell)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

from orchestra.cli import runs
from orchestra.record import ExecutionRecord
from tests.cli.cli import Cli, until
from tests.cli.gated_runs import start
from tests.helpers import worker_for

DEADLINE = {"name": "deadline", "timeout_s": 2, "nodes": [{"id": "nap", "tool": "sleep", "args": {"seconds": 600}}]}


async def test_a_failed_run_s_record_is_read_without_asking_a_worker(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, DEADLINE, here=True)
        await until(cli, ("status", workflow_id, "--json"), lambda r: r.json["status"] == "FAILED", here=True)
    asked: list[str] = []
    query = runs._query

    async def counted(*args: Any) -> Any:
        asked.append(str(args[2]))
        return await query(*args)

    monkeypatch.setattr(runs, "_query", counted)
    for command in ("result", "status"):
        shown = await cli.here(command, workflow_id, "--json")
        raw = shown.json["record"] if command == "status" else shown.json
        record = ExecutionRecord.model_validate(raw)
        [nap] = record.steps
        assert nap.state == "cancelled" and record.error is not None, record
        assert "deadline" in record.error.message, record.error
    assert asked == [], asked
    text = await cli("result", workflow_id)
    assert "deadline of 2" in text.out + text.err and "nap" in text.out, text.out


async def test_a_failed_run_whose_history_does_not_replay_is_shown_from_its_history_unasked(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orchestra.cli import replayed

    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, DEADLINE, here=True)
        await until(cli, ("status", workflow_id, "--json"), lambda r: r.json["status"] == "FAILED", here=True)

    async def does_not_replay(*args: Any) -> None:
        return None  # as a history recorded by workflow code since changed incompatibly

    monkeypatch.setattr(replayed, "replayed_plan_record", does_not_replay)
    shown = await cli.here("result", workflow_id)
    assert "does not replay here" in shown.err and "a closed run is not asked" in shown.err, shown.err
    assert "asking a worker" not in shown.err, shown.err
    assert "nap" in shown.out, shown.out
