"""`status` and `watch` of an open run no worker serves: the record query waited its whole timeout for nobody
(twice over: 15 s for `status`, a hang to the user) and then said only "its record is not available"; `watch` said
why 10 s later. The server is asked first whether a worker polls the run's task queue: none seen lately, the run is
answered at once from its history, and said why. A worker there is still asked."""

from __future__ import annotations

import asyncio
import signal
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.client import Client

from orchestra.cli import workers_seen
from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import CLIENT, WITH_CTRL_C, Cli
from tests.cli.gated_runs import LONG, napping_run, start, status_json
from tests.helpers import until


def why(task_queue: str) -> str:
    return f"no worker is polling task queue {task_queue!r}; the record is rebuilt from the history"


async def test_a_run_whose_worker_stopped_is_answered_from_its_history_and_says_why(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with napping_run(client, task_queue, tmp_path, cli) as (workflow_id, served):
        assert served["no_worker"] is None and served["record_rebuilt_from_history"] is False  # asked its worker
    # The server lists the stopped worker's poller for minutes: the one unseen for longer than the window is gone.
    monkeypatch.setattr(workers_seen, "POLLER_SEEN_WITHIN", timedelta(seconds=1))
    # Waited for as the state status needs, the worker judged gone (its shutdown heartbeat, or its poller unseen for
    # the window by the server's clock as this process knows it: at load, later than a fixed sleep assumed).
    await until(lambda: workers_seen.unserved(client, task_queue), lambda seen: seen is not None)
    said = await status_json(cli, workflow_id)
    assert said["status"] == "RUNNING" and said["record_rebuilt_from_history"] is True, said
    assert str(said["no_worker"]).startswith(why(task_queue)), said["no_worker"]
    record = said["record"]
    assert isinstance(record, dict) and [step["node_id"] for step in record["steps"]][:1] == ["nap"], record
    plain = await cli.here("status", workflow_id)
    assert plain.code == 0 and why(task_queue) in plain.out and "nap" in plain.out, plain.out
    assert "record is not available" not in plain.out and "not answered yet" not in plain.out, plain.out


async def test_a_run_no_worker_ever_polled_for_is_answered_at_once(task_queue: str, tmp_path: Path, cli: Cli) -> None:
    workflow_id = await start(cli, tmp_path, LONG, here=True)  # no worker polls its task queue
    said = await status_json(cli, workflow_id)
    assert str(said["no_worker"]).startswith(why(task_queue)) and said["record_rebuilt_from_history"] is True, said
    assert isinstance(said["record"], dict), said  # the plan as started: its steps not begun


async def test_watch_says_at_once_that_no_worker_polls(task_queue: str, tmp_path: Path, cli: Cli) -> None:
    workflow_id = await start(cli, tmp_path, LONG, here=True)
    process = await asyncio.create_subprocess_exec(
        sys.executable, *WITH_CTRL_C, str(CLIENT), "watch", workflow_id, cwd=PROJECT_ROOT, env=cli.env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stderr is not None
    try:
        # Its first word on stderr, not the one it gave after NO_ANSWER_HINT_AFTER_S of silence.
        first = (await asyncio.wait_for(process.stderr.readline(), 120)).decode()
        assert "no answer from the run" in first and why(task_queue) in first, first
    finally:
        process.send_signal(signal.SIGINT)
        await asyncio.wait_for(process.communicate(), 120)
