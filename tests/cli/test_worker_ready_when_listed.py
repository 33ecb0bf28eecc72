"""`worker.py` says "worker ready" once the server lists it polling its task queue, the thing `status` reads.

It said so on entering ``async with worker``, before its first poll reached the server: the server listed no poller
then (and the worker about 2 s later), so a `status` right after `up`, which waits for that line, said "no worker is
polling". Read at the moment the line is said, the server now lists the worker, and `status` of a run finds it.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

from temporalio.client import Client

from orchestra.cli.stack import Part, _wait_for_worker, is_worker_command
from orchestra.cli.workers_seen import pollers
from orchestra.worker_listed import UNLISTED_LINE, unlisted_note, until_listed
from tests.cli.cli import Cli, write_plan
from tests.cli.gated_runs import LONG
from tests.cli.test_worker_lines_format import WITHIN_S, spawn, stopped, worker_env
from tests.helpers import worker_for


async def test_status_right_after_worker_ready_finds_the_worker_polling(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli
) -> None:
    started = await cli.here("start", "--plan", write_plan(tmp_path, LONG))  # waits for a worker: none polls yet
    assert started.code == 0, started.err
    workflow_id = started.out.strip()
    process = spawn(worker_env(client, task_queue, ORCHESTRA_WORKSPACE=str(tmp_path / "workspace")))
    try:
        assert process.stdout is not None
        line = ""
        while "worker ready" not in line:
            line = await asyncio.wait_for(asyncio.to_thread(process.stdout.readline), WITHIN_S)
            assert line, f"the worker ended: {process.stderr.read() if process.stderr else ''}"
        listed = await pollers(client, client.namespace, task_queue)  # at once: what the line promised
        said = await cli.here("status", "--json", workflow_id)
    finally:
        stopped(process)
        await client.get_workflow_handle(workflow_id).terminate("the test is over")
    assert listed, "the worker said it was ready while the server listed no worker polling its task queue"
    assert said.code == 0 and json.loads(said.out)["no_worker"] is None, said.out + said.err


async def test_a_worker_the_server_does_not_list_is_said_unlisted_never_waited_for(
    client: Client, task_queue: str
) -> None:
    assert await until_listed(client, task_queue, "a worker that never polls", within_s=0.5) is False


async def test_up_says_the_worker_started_but_is_not_listed_yet(tmp_path: Path) -> None:
    log = tmp_path / "worker.log"
    log.write_text(json.dumps({"event": unlisted_note("q"), "level": "warning"}) + "\n")
    worker = Part("worker", tmp_path / "worker.pid", log, is_worker_command)
    said = await _wait_for_worker(worker, os.getpid())  # a live process, as the worker it launched
    assert said.startswith(f"; {UNLISTED_LINE} by the server") and "no worker polls" in said, said


async def test_a_tests_worker_is_listed_polling_once_entered(client: Client, task_queue: str, tmp_path: Path) -> None:
    """The tests' in-process worker (tests.helpers.worker_for) waits as worker.py does: entered before the server listed
    it, a test's `status` or `cancel` right after heard of no worker."""
    async with worker_for(client, task_queue, tmp_path / "workspace") as worker:
        listed = [who for who, _ in await pollers(client, client.namespace, task_queue)]
    assert worker.config().get("identity") in listed, listed
