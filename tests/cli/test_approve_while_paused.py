"""`approve` on an agent run that is cooperatively paused: the call is approved but starts only once the
run is resumed, and the CLI says so (it printed "approved d1", as if the call were running)."""

from __future__ import annotations

import uuid

from orchestra.agent.models import AgentExecution, AgentRequest, ApprovalStatus
from orchestra.record import AgentState, StepState
from tests.agent.support import agent_worker, registry_with_deploy
from tests.cli.cli import Cli, until
from tests.cli.test_agent_runs import DEPLOY
from tests.llm_server import scripted


async def test_an_approval_while_paused_says_the_call_waits_for_resume(client, task_queue, tmp_path, cli: Cli):
    agent_id = f"agent-held-{uuid.uuid4().hex[:8]}"
    with scripted(DEPLOY) as (base, _):
        async with agent_worker(client, task_queue, tmp_path / "workspace", base, registry_with_deploy()):
            await client.start_workflow(
                "AgentWorkflow", AgentRequest(task="deploy", tools=["deploy"]), id=agent_id, task_queue=task_queue
            )
            await until(cli, ("status", agent_id), lambda r: "waiting for approval" in r.out, here=True)
            assert (await cli.here("pause", agent_id, "--reason", "freeze")).code == 0
            approved = await cli.here("approve", agent_id, "--call", "d1")
            held = AgentExecution.model_validate((await cli.here("status", agent_id, "--json")).json["record"])
            assert (await cli.here("resume", agent_id)).code == 0
            result = await cli.here("result", agent_id, "--json")
    assert approved.code == 0, approved.err
    assert f"approved d1 in {agent_id}: the run is paused (freeze)" in approved.out
    assert f"starts once it is resumed (`python client.py resume {agent_id}`)" in approved.out
    call = held.steps[0].tool_calls[0]
    assert call.approval is not None and call.approval.status == ApprovalStatus.APPROVED
    assert call.state != StepState.COMPLETED, "held by the pause"
    assert AgentExecution.model_validate_json(result.out).state == AgentState.COMPLETED
