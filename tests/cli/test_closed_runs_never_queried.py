"""A closed run is never asked for its record: its worker may be gone (the server lists a gone worker's poller
for minutes), and each query waited its whole 5 s for nobody. A terminated agent run whose history did not
replay here said it would ask a worker, then asked; `trajectory` asked each earlier run of a chain so. Now what
its history alone says is shown (its status, how it ended), and the note says a closed run is not asked."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from temporalio.client import Client
from temporalio.worker import Interceptor, WorkflowInboundInterceptor, WorkflowInterceptorClassInput

from orchestra.agent.models import AgentRequest
from orchestra.cli import agent_chain
from tests.agent.support import agent_worker, registry_with_deploy
from tests.cli.cli import Cli, until
from tests.cli.test_agent_runs import DEPLOY
from tests.llm_server import scripted


class _Lost(Interceptor):
    """As a history recorded by workflow code since changed incompatibly: its replay leaves no instance."""

    def __init__(self) -> None:
        self.instances: dict[str, object] = {}

    def workflow_interceptor_class(self, input: WorkflowInterceptorClassInput) -> type[WorkflowInboundInterceptor]:
        return WorkflowInboundInterceptor


async def test_a_terminated_agent_run_that_does_not_replay_is_shown_from_its_history_unasked(
    client: Client, task_queue: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    agent_id = f"agent-closed-{uuid.uuid4().hex[:8]}"
    with scripted(DEPLOY) as (base, _):
        async with agent_worker(client, task_queue, tmp_path / "workspace", base, registry_with_deploy()):
            await client.start_workflow(
                "AgentWorkflow", AgentRequest(task="deploy", tools=["deploy"]), id=agent_id, task_queue=task_queue
            )
            await until(cli, ("status", agent_id), lambda r: "waiting for approval" in r.out, here=True)
            await client.get_workflow_handle(agent_id).terminate("stopped by the test")
            monkeypatch.setattr(agent_chain, "Capture", _Lost)  # a worker still polls: it is not asked either
            commands: list[tuple[str, str]] = [("status", agent_id), ("result", agent_id), ("trajectory", agent_id)]
            for command in commands:
                shown = await cli.here(*command)
                assert "asking a worker" not in shown.err, (command, shown.err)
                assert "Traceback" not in shown.err, shown.err
                if command[0] == "trajectory":
                    assert shown.code == 1 and "a closed run is not asked for it" in shown.err, shown.err
                else:
                    assert "a closed run is not asked" in shown.err, (command, shown.err)
                    assert "terminated" in shown.out.lower(), (command, shown.out)  # how it ended
