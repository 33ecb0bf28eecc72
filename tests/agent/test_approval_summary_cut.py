"""The approval timer's summary in the Web UI named the tool and the model's call id whole, its controls
escaped but nothing cut: a tool server's long tool name and a 128-character call id made a summary of
hundreds of characters. Each is named as messages name ids (its start and end, its length), the whole cut
to one line. On the dev server, a real loopback endpoint."""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client

from activities.llm_step import function_names
from orchestra.agent.models import AgentExecution, ApprovalDecision
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from tests.agent.support import DeployInput, agent_worker, registry_with_deploy, start_agent, wait_for
from tests.agent.test_control import waiting
from tests.llm_server import call, completion, done, scripted
from workflows.agent import AgentWorkflow
from workflows.agent_calls import SUMMARY_CHARS

LONG_TOOL = "deploy_" + "x" * 250
LONG_ID = "c" * 128


async def _deploy(args: DeployInput, ctx: ToolContext) -> dict[str, str]:
    return {"deployed": args.target}


async def test_the_approval_timer_summary_names_a_long_tool_and_id_cut(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    registry = registry_with_deploy()
    spec = ToolSpec(name=LONG_TOOL, description="Deploy.", input_model=DeployInput, side_effects=True,
                    requires_approval=True)  # fmt: skip
    registry.register(Tool(spec=spec, run=_deploy))
    offered = function_names([LONG_TOOL])[LONG_TOOL]  # the model sees 64 characters of it
    answers = [completion("deploying", [call(LONG_ID, offered, target="prod")]), done()]
    with scripted(answers) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base, registry):
            handle = await start_agent(client, task_queue, tools=[LONG_TOOL])
            await wait_for(handle, waiting)
            history = await handle.fetch_history()
            await handle.execute_update(AgentWorkflow.approve, ApprovalDecision(call_id=LONG_ID))
            record = AgentExecution.model_validate(await handle.result())
    timers = [e.user_metadata.summary.data for e in history.events if e.HasField("timer_started_event_attributes")]
    (summary,) = [s.decode() for s in timers if s.startswith(b'"approval of')]
    assert len(summary) <= SUMMARY_CHARS + 2 and "deploy_xxx" in summary and "(128 characters)" in summary, summary
    assert record.success
