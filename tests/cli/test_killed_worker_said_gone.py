"""A worker killed (SIGKILL: no shutdown heartbeat) was counted polling for the minute or more the server lists its
poller: a one-shot `status` asked its run, waited its 5 s query for nobody and said "the server lists 1 worker(s)
polling … (busy, or gone since its last poll?)". A worker of this host is known gone at once by its process: the run is
answered from its history, naming the worker whose process is gone."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from orchestra import process_place
from orchestra.cli import workers_seen
from orchestra.cli.process_gone import process_gone_here
from tests.cli.cli import Cli
from tests.cli.gated_runs import LONG, listed_polling, nap_running, start, status_json
from tests.helpers import until
from tests.ops.support import worker_process


async def run_of_a_killed_worker(
    temporal_env: WorkflowEnvironment, client: Client, task_queue: str, tmp_path: Path, cli: Cli
) -> tuple[str, str]:
    """A LONG run whose `python worker.py` was killed (SIGKILL) while its `nap` ran: the run's id, the worker's identity."""
    async with worker_process(
        temporal_env, task_queue, tmp_path, ORCHESTRA_STORAGE_DIR=cli.env["ORCHESTRA_STORAGE_DIR"]
    ):
        [identity] = await listed_polling(client, task_queue)  # "ready" is said before the first poll arrives
        workflow_id = await start(cli, tmp_path, LONG, here=True)
        served = await until(lambda: status_json(cli, workflow_id), nap_running)
        assert served["no_worker"] is None and served["record_rebuilt_from_history"] is False, served  # asked
        os.kill(int(identity.split("@")[0]), signal.SIGKILL)

        async def reaped() -> bool:  # by this test's event loop, as a worker's parent would
            return process_gone_here(identity)

        await until(reaped)
    return workflow_id, identity


async def test_a_killed_worker_of_this_host_is_said_gone_at_once(
    temporal_env: WorkflowEnvironment, client: Client, task_queue: str, tmp_path: Path, cli: Cli
) -> None:
    workflow_id, identity = await run_of_a_killed_worker(temporal_env, client, task_queue, tmp_path, cli)
    status = await cli("status", workflow_id, "--json")  # one-shot: a process that read no stamp of the server's yet
    assert status.code == 0, status.err
    said = json.loads(status.out)
    assert said["record_rebuilt_from_history"] is True, said
    no_worker = str(said["no_worker"])
    assert no_worker.startswith(f"no worker is polling task queue {task_queue!r}"), no_worker
    assert f"worker {identity}: not running, its process on this host is gone" in no_worker, no_worker
    assert [step["node_id"] for step in said["record"]["steps"]][:1] == ["nap"], said["record"]


async def test_a_killed_worker_of_another_host_is_said_with_when_it_polled_last(
    temporal_env: WorkflowEnvironment,
    client: Client,
    task_queue: str,
    tmp_path: Path,
    cli: Cli,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Of another host's worker (or an untagged one) nothing is known here but what the server says: it was "busy, or
    gone since its last poll?", with no word of when that poll was, then only when ("last seen polling at T"), leaving
    the reader to do the sums on a clock that may not be the server's. Now for how long by the server's clock, and how
    much longer a killed one stays listed."""
    workflow_id, _ = await run_of_a_killed_worker(temporal_env, client, task_queue, tmp_path, cli)
    monkeypatch.setattr(workers_seen, "process_gone_here", lambda identity: False)  # as of another host's process
    status = await cli.here("status", workflow_id)
    assert status.code == 0, status.err
    said = " ".join(status.out.split())
    assert f"the server lists 1 worker(s) polling task queue {task_queue!r} but none answered yet" in said, said
    quiet = re.search(r"; no poll for (\d+) s \(the last at 20\S+ \S+ UTC\): busy, or gone without saying so", said)
    more = re.search(r"a killed one stays listed until unseen for 90 s: (\d+) s more at most\)", said)
    assert quiet and more, said
    assert int(quiet[1]) + int(more[1]) == 90 or int(more[1]) == 0, said  # one window, counted on the server's clock


def test_only_a_process_of_this_place_that_does_not_run_is_gone() -> None:
    here, tag = socket.gethostname(), process_place.own_tag()
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()  # reaped: no process of that number (until another takes it, which only keeps it counted)
    assert process_gone_here(f"{ended.pid}@{here}/0123abcd{tag}") is True
    assert process_gone_here(f"{ended.pid}@{here}/0123abcd") is False  # no tag (an older worker's): not known
    assert process_gone_here(f"{ended.pid}@{here}") is False  # the SDK's own: not known
    assert process_gone_here(f"{os.getpid()}@{here}/0123abcd{tag}") is False  # running
    unreaped = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        os.waitid(os.P_PID, unreaped.pid, os.WEXITED | os.WNOWAIT)  # ended, and left for its parent to reap
        stat = process_place.stat_fields(unreaped.pid)
        assert stat is not None
        assert (
            process_gone_here(f"{unreaped.pid}@{here}/0123abcd/{process_place.place()}.{process_place.start(stat)}")
            is True
        )
    finally:
        unreaped.wait()
    assert process_gone_here("my-worker") is False  # named by its application: not known
    assert process_gone_here(f"0@{here}/0123abcd{tag}") is False  # 0 would probe this process group, not a process
    assert process_gone_here(f"99999999999999999999@{here}/0123abcd{tag}") is False
