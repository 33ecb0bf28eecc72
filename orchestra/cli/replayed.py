"""A closed plan run's record as its worker had it, from replaying its history here with the workflow's own
code (as agent_chain.py does for agent runs): what the ``record`` query answers, without a worker. A closed
run's query is answered by a worker replaying the same history; with none polling (or the one polling gone,
which the server still lists for minutes) it waited its whole timeout for nobody."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.service import RPCError

from orchestra.cli.agent_chain import Capture, replayer_of
from orchestra.record import ExecutionRecord


async def replayed_plan_record(client: Client, workflow_id: str, run_id: str) -> ExecutionRecord | None:
    """The run's record, or None if its history does not replay (workflow code changed incompatibly since)."""
    from workflows.orchestration import OrchestrationWorkflow  # the workflow code, only for this command

    capture = Capture()
    replayer = replayer_of(OrchestrationWorkflow, client, capture)
    try:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
    except RPCError:
        return None
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    instance = capture.instances.get(run_id)
    if result.replay_failure is not None or instance is None:
        return None
    # Every step of an ended run (a cancelled run of 5,000 steps showed the record query's first 1,000): no worker's
    # deadlock limit bounds a replay here.
    record = instance.ended_record()
    return record if isinstance(record, ExecutionRecord) else None
