"""What the CLI says of the workers polling a run's task queue is what the server knows, never a guess.

- A poller was judged gone by this machine's clock against the server's stamps: a client clock more than 90 s ahead
  said "no worker is polling" of a served run, and showed it rebuilt from its history instead of asking its worker.
- A task queue the server could not describe was said to have no worker: `cancel` said its cancellation "has not
  taken effect: no worker polls", `status` that no worker polls, when nobody could tell.
- An agent run whose history does not replay here was asked for its record with no worker polling: "asking a worker
  … for up to 5 s" and the wait, where a plan run is answered at once.
- A worker that shut down was counted polling when its last poll reached the server after its shutdown heartbeat's
  time (a re-poll in transit as it stopped, at load): its run was asked, and the query waited 5 s for nobody.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import pytest
from temporalio import workflow
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from orchestra.cli import runs, workers_seen
from tests.agent.support import start_agent
from tests.cli.cli import Cli
from tests.cli.gated_runs import LONG, listed_polling, nap_running, napping_run, start, status_json
from tests.helpers import until, worker_for

AHEAD = timedelta(minutes=10)


class AheadClock(datetime):
    """This machine's clock set AHEAD in the future of the server's (which runs here: only the client's is moved)."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> AheadClock:
        real = datetime.now(tz or UTC) + AHEAD
        return cls.fromtimestamp(real.timestamp(), tz)


async def test_a_client_clock_ahead_of_the_server_does_not_hide_a_live_worker(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        await listed_polling(client, task_queue)
        workflow_id = await start(cli, tmp_path, LONG, here=True)
        await until(lambda: status_json(cli, workflow_id), nap_running)
        for module in (runs, workers_seen):  # the clock either of them could read
            monkeypatch.setattr(module, "datetime", AheadClock, raising=False)
        said = await status_json(cli, workflow_id)
        assert said["no_worker"] is None and said["record_rebuilt_from_history"] is False, said
        watched = await cli.here("status", workflow_id)
        assert "no worker" not in watched.out + watched.err, watched.out


def describe_task_queue_failing(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's DescribeTaskQueue fails as a loaded frontend's does, every other call reaching the real server."""
    service = client.service_client
    call: Callable[..., Awaitable[Any]] = service._rpc_call

    async def failing(rpc: str, req: Any, resp_type: Any, **kwargs: Any) -> Any:
        if rpc == "describe_task_queue":
            raise RPCError("task queue partition not loaded", RPCStatusCode.UNAVAILABLE, b"")
        return await call(rpc, req, resp_type, **kwargs)

    monkeypatch.setattr(service, "_rpc_call", failing)


async def test_a_task_queue_the_server_cannot_describe_is_not_said_to_have_no_worker(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    workflow_id = await start(cli, tmp_path, LONG, here=True)
    describe_task_queue_failing(client, monkeypatch)
    cancelled = await cli.here("cancel", workflow_id)
    assert cancelled.code == 1 and cancelled.out == "", (cancelled.out, cancelled.err)
    assert "no worker polls" not in cancelled.err and "has not taken effect" not in cancelled.err, cancelled.err
    assert "requested, but whether it takes effect is not known" in cancelled.err, cancelled.err
    assert f"could not say which workers poll task queue {task_queue!r}" in cancelled.err, cancelled.err
    assert (await runs_cancel_requested(client, workflow_id)) is True  # what it said: the request is held
    again = await cli.here("cancel", workflow_id, "--json")
    assert again.code == 1 and "was already requested: whether it takes effect is not known" in again.err, again.err
    status = await cli.here("status", workflow_id)
    assert status.code == 0 and "no worker polls" not in status.out, status.out
    assert f"could not say which workers poll task queue {task_queue!r}" in status.out, status.out


async def runs_cancel_requested(client: Client, workflow_id: str) -> bool:
    from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionRequest

    request = DescribeWorkflowExecutionRequest(namespace=client.namespace)
    request.execution.workflow_id = workflow_id
    described = await client.workflow_service.describe_workflow_execution(request)
    return bool(described.workflow_extended_info.cancel_requested)


@workflow.defn(name="AgentWorkflow")
class ChangedAgentWorkflow:
    """The agent workflow as changed incompatibly since the run started: its replay gives no record."""

    @workflow.run
    async def run(self, request: Any) -> None:
        await workflow.sleep(3600)

    @workflow.query
    def record(self) -> None:
        return None


async def test_an_agent_run_no_worker_serves_is_not_asked_for_its_record(
    client: Client, task_queue: str, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import workflows.agent

    handle = await start_agent(client, task_queue)  # no worker polls its task queue
    monkeypatch.setattr(workflows.agent, "AgentWorkflow", ChangedAgentWorkflow)
    trajectory = await cli.here("trajectory", handle.id)
    assert trajectory.code == 1, (trajectory.out, trajectory.err)
    assert "asking a worker" not in trajectory.err, trajectory.err
    assert f"no worker polls task queue {task_queue!r} to ask it" in trajectory.err, trajectory.err


async def test_a_worker_that_shut_down_is_said_gone_at_once_with_when_it_was_last_seen(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli
) -> None:
    """The server lists a stopped worker's poller for minutes, and a one-shot command of its own process has read no
    time of the server's since that worker's last poll: the run was asked, its query waited 5 s for nobody, and "the
    server lists 1 worker(s) polling … (busy, or gone since its last poll?)" was said. The worker said it shut down
    (its last heartbeat): the run is answered from its history at once, with when the worker last polled."""
    workflow_id = await run_of_a_worker_shut_down(client, task_queue, tmp_path, cli)
    status = await cli("status", workflow_id, "--json")
    assert status.code == 0, status.err
    said = json.loads(status.out)
    assert said["record_rebuilt_from_history"] is True, said
    no_worker = str(said["no_worker"])
    assert no_worker.startswith(f"no worker is polling task queue {task_queue!r}"), no_worker
    assert "(a worker was last seen polling it at 20" in no_worker and " UTC)" in no_worker, no_worker
    plain = await cli("status", workflow_id)
    assert "not answered yet" not in plain.out and "busy, or gone" not in plain.out, plain.out


async def run_of_a_worker_shut_down(client: Client, task_queue: str, tmp_path: Path, cli: Cli) -> str:
    """A LONG run whose worker ran its `nap` and shut down, once the server holds the worker's last heartbeat."""
    async with napping_run(client, task_queue, tmp_path, cli) as (workflow_id, _):
        pass
    # The stopping worker's last heartbeat reaches the server a moment after its shutdown returns (later at load).
    await until(lambda: workers_seen.shut_down(client, client.namespace, task_queue), bool)
    return workflow_id


def last_polls_stamped_at(client: Client, monkeypatch: pytest.MonkeyPatch, at: datetime) -> None:
    """DescribeTaskQueue says each poller last polled ``at``, every other call reaching the real server."""
    service = client.service_client
    call: Callable[..., Awaitable[Any]] = service._rpc_call

    async def stamped(rpc: str, req: Any, resp_type: Any, **kwargs: Any) -> Any:
        answer = await call(rpc, req, resp_type, **kwargs)
        if rpc == "describe_task_queue":
            for poller in answer.pollers:
                poller.last_access_time.FromDatetime(at)
        return answer

    monkeypatch.setattr(service, "_rpc_call", stamped)


async def test_a_poll_reaching_the_server_after_the_shutdown_heartbeat_is_the_stopped_workers(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server stamps a poll when it arrives, by its clock; the worker stamps its shutdown heartbeat as it stops, by
    its own. Its re-poll after answering the last query, sent just before it stopped, arrived after that at load (2 of 3
    CI runs): the stopped worker was counted polling and its run asked for 5 s. Here the server says so of the last
    poll, as a loaded one did: a second after the heartbeat."""
    workflow_id = await run_of_a_worker_shut_down(client, task_queue, tmp_path, cli)
    stopped = await workers_seen.shut_down(client, client.namespace, task_queue)
    last_polls_stamped_at(client, monkeypatch, max(stopped.values()) + timedelta(seconds=1))
    said = await status_json(cli, workflow_id)
    assert said["record_rebuilt_from_history"] is True, said
    assert str(said["no_worker"]).startswith(f"no worker is polling task queue {task_queue!r}"), said


@workflow.defn(name="AgentWorkflow")
class RecordlessAgentWorkflow:
    """The agent workflow as changed since the run started, with no `record` left at all."""

    @workflow.run
    async def run(self, request: Any) -> None:
        await workflow.sleep(3600)


async def test_an_agent_run_replayed_by_code_without_a_record_is_said_unreadable(
    client: Client, task_queue: str, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import workflows.agent

    handle = await start_agent(client, task_queue)
    await handle.terminate("ended by the test")
    monkeypatch.setattr(workflows.agent, "AgentWorkflow", RecordlessAgentWorkflow)
    trajectory = await cli.here("trajectory", handle.id)
    assert trajectory.code == 1 and "Traceback" not in trajectory.err, trajectory.err
    assert "cannot be read: it has no record" in trajectory.err, trajectory.err


async def test_a_worker_of_the_same_process_still_polling_keeps_the_run_asked(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli
) -> None:
    """Workers of one process (of two clients) share an identity, and the server lists one poller for them: one of them
    stopping (its heartbeat says so) leaves the queue served by the other, whose run is asked, not said unserved."""
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        await listed_polling(client, task_queue)
        workflow_id = await start(cli, tmp_path, LONG, here=True)
        await until(lambda: status_json(cli, workflow_id), nap_running)
        other = await Client.connect(client.service_client.config.target_host, data_converter=client.data_converter)
        async with worker_for(other, task_queue, tmp_path / "other"):  # a client of its own: one worker a queue each
            pass
        said = await status_json(cli, workflow_id)
        assert said["no_worker"] is None and said["record_rebuilt_from_history"] is False, said
