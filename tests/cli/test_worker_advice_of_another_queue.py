"""Every command that finds no worker polling a run's task queue says how to start one of that queue.

`python client.py up` runs the worker of the command's own queue (and says "already running" of it): told to a run of
another queue, as `cancel`, a `pause` unanswered and `trajectory` told it, it started nothing that serves the run.
`status` said it right (test_status_of_a_worker_busy_or_elsewhere); all now say it with one function (worker_advice).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.client import Client

from orchestra.agent.models import AgentRequest
from orchestra.cli import agent_chain, control
from tests.cli.cli import Cli, write_plan
from tests.cli.gated_runs import LONG, listed_polling
from tests.cli.test_closed_runs_never_queried import _Lost
from tests.helpers import worker_for


def said_for_another_queue(text: str, own: str, other: str) -> None:
    flat = " ".join(text.split())
    assert f"1 worker(s) poll task queue {own!r} (this command's) but not the run's" in flat, flat
    assert f"start a worker of that queue (`ORCHESTRA_TASK_QUEUE={other} python worker.py`)" in flat, flat
    assert "client.py up" not in flat, flat


async def started_elsewhere(cli: Cli, tmp_path: Path, other: str) -> str:
    started = await cli.here("start", "--plan", write_plan(tmp_path, LONG), "--task-queue", other)
    assert started.code == 0, started.err
    return started.out.strip()


@pytest.mark.parametrize(
    ("command", "said"), [("cancel", "it has not taken effect"), ("pause", "did not answer the pause")]
)
async def test_cancel_and_an_unanswered_pause_of_a_run_of_another_queue_say_how_to_serve_that_queue(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, command: str, said: str
) -> None:
    other = f"{task_queue}-other"
    monkeypatch.setattr(control, "UPDATE_WAIT", timedelta(seconds=1))  # nobody answers the pause: its wait is no test
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        await listed_polling(client, task_queue)
        workflow_id = await started_elsewhere(cli, tmp_path, other)
        acted = await cli.here(command, workflow_id)
    assert acted.code == 1 and said in acted.err, acted.err
    said_for_another_queue(acted.err, task_queue, other)


async def test_an_agent_run_of_another_queue_not_replayed_says_how_to_serve_that_queue(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = f"{task_queue}-other"
    agent_id = f"agent-elsewhere-{uuid.uuid4().hex[:8]}"
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        await listed_polling(client, task_queue)
        await client.start_workflow("AgentWorkflow", AgentRequest(task="t", tools=[]), id=agent_id, task_queue=other)
        monkeypatch.setattr(agent_chain, "Capture", _Lost)  # its history does not replay here: only a worker could say
        exported = await cli.here("trajectory", agent_id)
    assert exported.code == 1 and f"no worker polls task queue {other!r} to ask it" in exported.err, exported.err
    said_for_another_queue(exported.err, task_queue, other)
