"""A closed plan run's record as its worker had it, from replaying its history here with the workflow's own
code (as agent_chain.py does for agent runs): what the ``record`` query answers, without a worker. A closed
run's query is answered by a worker replaying the same history; with none polling (or the one polling gone,
which the server still lists for minutes) it waited its whole timeout for nobody."""

from __future__ import annotations

from temporalio.client import Client, WorkflowHistory
from temporalio.converter import WorkflowSerializationContext
from temporalio.service import RPCError

from orchestra.cli.agent_chain import Capture, replayer_of
from orchestra.record import ExecutionRecord

# Enough of a decoding error to say what is missing, not a page of it.
REASON_CHARS = 300


class InputUnreadableHere(Exception):
    """The run's start input cannot be read with this client's settings, so its history cannot replay here."""


async def replayed_plan_record(client: Client, workflow_id: str, run_id: str) -> ExecutionRecord | None:
    """The run's record, or None if its history does not replay (workflow code changed incompatibly since).
    Raises InputUnreadableHere when the cause is this client's settings, not the code."""
    from workflows.orchestration import OrchestrationWorkflow  # the workflow code, only for this command

    capture = Capture()
    replayer = replayer_of(OrchestrationWorkflow, client, capture)
    try:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
    except RPCError:
        return None
    await check_input_readable(client, history)
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    instance = capture.instances.get(run_id)
    if result.replay_failure is not None or instance is None:
        return None
    # Every step of an ended run (a cancelled run of 5,000 steps showed the record query's first 1,000): no worker's
    # deadlock limit bounds a replay here.
    record = instance.ended_record()
    return record if isinstance(record, ExecutionRecord) else None


async def check_input_readable(client: Client, history: WorkflowHistory) -> None:
    """Raises InputUnreadableHere if the run's start input does not decode here as its worker decoded it. A plan
    stored outside the history (over 32 KiB) with no storage folder here, or a payload encrypted with a key this
    client lacks, made the replay refuse the request before it asked its first patch: a nondeterminism error on
    plan-settings-checked-at-start, and `status` said the run's workflow code had changed."""
    started = history.events[0].workflow_execution_started_event_attributes if history.events else None
    if started is None or not started.HasField("input"):
        return
    context = WorkflowSerializationContext(namespace=client.namespace, workflow_id=history.workflow_id)
    try:
        await client.data_converter.with_context(context).decode(started.input.payloads)
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"[:REASON_CHARS]
        raise InputUnreadableHere(
            f"the run's input cannot be read here ({reason}); its history replays with the worker's"
            " ORCHESTRA_STORAGE_DIR and ORCHESTRA_CODEC_KEY"
        ) from None
