"""A replay checks the commands, not the clock: an activation slower than the SDK's 2 s deadlock limit (a busy
machine, `client.py result --output` beside running work) does not fail the replay of a history that replays."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from temporalio.client import Client, WorkflowHistory
from temporalio.worker import ExecuteWorkflowInput, WorkflowInboundInterceptor, WorkflowInterceptorClassInput

from orchestra.cli.agent_chain import Capture, replayer_of
from workflows.orchestration import OrchestrationWorkflow

HISTORY = Path(__file__).parent / "histories" / "chain_first.json"
# Past the SDK's deadlock limit (2 s) for one activation, as a loaded machine made one.
SLOW_SECONDS = 2.5


class SlowFirstActivation(Capture):
    """Capture, with the run's first activation held up past the deadlock limit."""

    def workflow_interceptor_class(self, input: WorkflowInterceptorClassInput) -> type[WorkflowInboundInterceptor]:
        captured = super().workflow_interceptor_class(input)

        class Slow(WorkflowInboundInterceptor):
            def __init__(self, next: WorkflowInboundInterceptor) -> None:
                super().__init__(captured(next))

            async def execute_workflow(self, input: ExecuteWorkflowInput) -> Any:
                time.sleep(SLOW_SECONDS)  # noqa: ASYNC251 blocking, as CPU starvation is: in the activation itself
                return await super().execute_workflow(input)

        return Slow


async def test_a_replay_with_an_activation_past_the_deadlock_limit_replays(client: Client) -> None:
    history = WorkflowHistory.from_json(HISTORY.stem, HISTORY.read_text())
    capture = SlowFirstActivation()
    result = await replayer_of(OrchestrationWorkflow, client, capture).replay_workflow(
        history, raise_on_replay_failure=False
    )
    assert result.replay_failure is None, result.replay_failure
    assert history.run_id in capture.instances, "the slowed activation ran"
