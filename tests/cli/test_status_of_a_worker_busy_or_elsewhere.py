"""`status` of a run whose worker is there but cannot take more work, or polls another task queue.

- A worker whose activity slots are all busy still polls workflow tasks, and answers queries: its run is asked, never
  said to have no worker.
- A run started on another task queue than the worker's was said to have "no worker" and told to "start a worker
  (`python client.py up`)", which runs the worker of this command's queue, the one already running: the worker the user
  had started read as none at all. The worker polling this command's queue is named, and how to serve the run's.
"""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client

from tests.cli.cli import Cli, write_plan
from tests.cli.gated_runs import LONG, listed_polling, nap_running, start, status_json
from tests.helpers import until, worker_for


async def test_a_worker_whose_activity_slots_are_all_busy_is_asked(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli
) -> None:
    async with worker_for(client, task_queue, tmp_path / "workspace", max_concurrent_activities=1):
        await listed_polling(client, task_queue)
        workflow_id = await start(cli, tmp_path, LONG, here=True)
        await until(lambda: status_json(cli, workflow_id), nap_running)  # the nap holds the only activity slot
        said = await status_json(cli, workflow_id)
        assert said["no_worker"] is None and said["record_rebuilt_from_history"] is False, said
        assert nap_running(said), said  # answered by the worker itself
        plain = await cli.here("status", workflow_id)
        assert plain.code == 0 and "no worker" not in plain.out + plain.err, plain.out + plain.err


async def test_a_run_of_another_task_queue_names_the_worker_polling_this_commands(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli
) -> None:
    other = f"{task_queue}-other"
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        await listed_polling(client, task_queue)
        started = await cli.here("start", "--plan", write_plan(tmp_path, LONG), "--task-queue", other)
        assert started.code == 0, started.err
        said = await status_json(cli, started.out.strip())
    no_worker = " ".join(str(said["no_worker"]).split())
    assert no_worker.startswith(f"no worker is polling task queue {other!r}"), no_worker
    assert f"1 worker(s) poll task queue {task_queue!r} (this command's) but not the run's" in no_worker, no_worker
    assert f"start a worker of that queue (`ORCHESTRA_TASK_QUEUE={other} python worker.py`)" in no_worker, no_worker
    assert "python client.py up" not in no_worker, no_worker
