"""Every step of an agent run's continue-as-new chain, read back from the runs' event histories.

What a run carries, returns or attaches to its failure lists only its latest steps (the older ones are
sums there: orchestra/agent/trajectory.py), but each run's event history holds everything that run did.
Replaying a history here, with the workflow's own code and no worker, rebuilds that run's record as the
worker had it, each step it ran whole. The chain is followed backwards from the latest run through each
run's first event (``continued_execution_run_id``), so it needs no index carried by the runs. A run
whose history does not replay (workflow code changed incompatibly since) is asked with the ``record``
query instead, which needs a worker.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

from temporalio import workflow
from temporalio.client import Client, WorkflowHistory, WorkflowQueryFailedError
from temporalio.service import RPCError
from temporalio.worker import (
    ExecuteWorkflowInput,
    Interceptor,
    Replayer,
    UnsandboxedWorkflowRunner,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
)

from orchestra import replayers
from orchestra.agent.models import AgentExecution, AgentStep, RunSpan, StepTotals
from orchestra.agent.trajectory import refresh
from orchestra.cli.runs import QUERY_TIMEOUT, not_replayed_note
from orchestra.cli.second_look import ONE_SHOT_LOOK_S, unserved_run
from orchestra.cli.worker_advice import how_to_serve
from orchestra.signal_refusal import SignalRefusingRunner


class ChainError(Exception):
    """A run of the chain could be neither replayed nor queried."""


class Capture(Interceptor):
    """Keeps each replayed workflow instance by run id, to read its state once the replay is over."""

    def __init__(self) -> None:
        self.instances: dict[str, Any] = {}

    def workflow_interceptor_class(self, input: WorkflowInterceptorClassInput) -> type[WorkflowInboundInterceptor]:
        instances = self.instances

        class Inbound(WorkflowInboundInterceptor):
            async def execute_workflow(self, input: ExecuteWorkflowInput) -> Any:
                instances[workflow.info().run_id] = workflow.instance()
                return await super().execute_workflow(input)

        return Inbound


def replayer_of(workflow_class: type, client: Client, capture: Capture) -> Replayer:
    """A replayer of ``workflow_class``'s runs here as its worker ran them (signals refused as the worker did), each
    instance kept by ``capture``. In the client's namespace: the values a run stored outside its history are
    read only for the namespace and workflow they were stored under, and the SDK's default ("ReplayNamespace")
    read none, so a run with a stored value (a plan over 32 KiB) did not replay, said to be of changed code."""
    return replayers.replayer_without_deadline(
        [workflow_class],
        namespace=client.namespace,
        workflow_runner=SignalRefusingRunner(UnsandboxedWorkflowRunner()),
        data_converter=client.data_converter,
        interceptors=[capture],
    )


async def chain_run_ids(client: Client, workflow_id: str, latest_run_id: str) -> list[str]:
    """The runs of the chain ending with ``latest_run_id``, oldest first."""
    ids: list[str] = []
    run_id = latest_run_id
    while run_id and run_id not in ids:
        ids.append(run_id)
        previous = ""
        async for event in client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history_events(page_size=1):
            previous = event.workflow_execution_started_event_attributes.continued_execution_run_id
            break
        run_id = previous
    ids.reverse()
    return ids


async def _queried(client: Client, workflow_id: str, run_id: str) -> AgentExecution | None:
    handle = client.get_workflow_handle(workflow_id, run_id=run_id)
    try:
        value = await handle.query("record", result_type=AgentExecution, rpc_timeout=QUERY_TIMEOUT)
    except (RPCError, WorkflowQueryFailedError, ValueError, RuntimeError):
        return None
    return value if isinstance(value, AgentExecution) else None


async def run_records(
    client: Client, workflow_id: str, run_ids: list[str], note: Callable[[str], None] | None, own_task_queue: str
) -> AsyncIterator[AgentExecution]:
    """Each run's record as its worker had it (every step it ran, whole), oldest run first. A run whose history
    does not replay is asked for it with the ``record`` query, ``note`` told so first (once: the query waits
    for a worker up to its timeout, which the user would otherwise wait through unsaid), if it is the last of
    ``run_ids`` (the one that may be open: pass ``note`` only if it is); with no ``note``, never asked. When no worker
    polls its task queue, it says how to start one, for a command of ``own_task_queue`` (worker_advice).
    Raises InputUnreadableHere when a run's input cannot be read with this client's settings (no codec key, no
    storage folder): its replay failed as if the workflow code had changed, and a worker was asked for nothing."""
    from orchestra.cli.replayed import check_input_readable
    from workflows.agent import AgentWorkflow  # the workflow code, only for this command

    capture = Capture()
    replayer = replayer_of(AgentWorkflow, client, capture)

    task_queue = ""  # the latest run's, read from its first event: where a query for its record would go

    async def histories() -> AsyncIterator[WorkflowHistory]:
        nonlocal task_queue
        for run_id in run_ids:
            history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
            await check_input_readable(client, history)
            if history.events:
                task_queue = history.events[0].workflow_execution_started_event_attributes.task_queue.name
            yield history

    noted = False
    async with replayer.workflow_replay_iterator(histories()) as results:
        index = 0
        async for result in results:
            run_id = run_ids[index]
            index += 1
            instance = capture.instances.pop(run_id, None)
            # The code now replaying may have no `record` at all (changed since): a run with no record, not a traceback.
            own_record = getattr(instance, "record", None) if result.replay_failure is None else None
            record = own_record() if callable(own_record) else None
            # Only the chain's latest run may be open: every earlier one handed over, and a closed run is
            # never asked (its worker may be gone: the query waited its whole timeout for nobody).
            asked = unserved = False
            if not isinstance(record, AgentExecution) and note is not None and run_id == run_ids[-1]:
                # Asked only if a worker polls or serves it (second_look), as a plan run is: else the query waited its
                # whole timeout for nobody, said as "asking a worker", before the same refusal.
                unserved = await unserved_run(client, workflow_id, run_id, task_queue, ONE_SHOT_LOOK_S) is not None
                if not unserved:
                    if not noted:
                        note(not_replayed_note(workflow_id))
                        noted = True
                    asked, record = True, await _queried(client, workflow_id, run_id)
            if not isinstance(record, AgentExecution):
                reason = f"its history does not replay ({result.replay_failure})" if result.replay_failure else ""
                if unserved:
                    start = await how_to_serve(client, own_task_queue, task_queue)
                    why = f"no worker polls task queue {task_queue!r} to ask it ({start})"
                elif asked:
                    why = "no worker answered the record query (start a worker and try again)"
                else:
                    why = ("a closed run is not asked for it, nor a natively paused one (the server refuses its "
                           "queries)")  # fmt: skip
                raise ChainError(
                    f"run {run_id} of {workflow_id} cannot be read: {reason or 'it has no record'}, and {why}"
                )
            yield record


async def whole_record(
    client: Client, workflow_id: str, latest_run_id: str, note: Callable[[str], None] | None, own_task_queue: str
) -> AgentExecution:
    """The latest run's record with every step of every run of the chain listed, whole."""
    run_ids = await chain_run_ids(client, workflow_id, latest_run_id)
    steps: list[AgentStep] = []
    spans: list[RunSpan] = []
    last: AgentExecution | None = None
    async for record in run_records(client, workflow_id, run_ids, note, own_task_queue):
        own = [s for s in record.steps if s.run_index == record.run_index]
        first = own[0].number if own else (steps[-1].number + 1 if steps else 1)
        spans.append(RunSpan(run_id=record.run_id, run_index=record.run_index, first_step=first,
                             last_step=own[-1].number if own else first - 1))  # fmt: skip
        steps.extend(own)
        last = record
    if last is None:
        raise ChainError(f"{workflow_id} has no runs")
    whole = last.model_copy(update={"steps": steps, "earlier": StepTotals(), "runs": spans, "runs_omitted": 0})
    refresh(whole)
    return whole
