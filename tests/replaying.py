"""Replaying a run's history as its worker ran it, values stored outside the history included.

A plan over 32 KiB (some 300 steps and up) reaches its run as a reference to a stored value, and that value is
read back only for the namespace and workflow it was stored under (orchestra/storage). A replayer with no
namespace given replays in the SDK's "ReplayNamespace", where the value is not found: the request reads as
unreadable, ``__init__`` refuses the run before it asks ``plan-settings-checked-at-start``, and the replay fails
with a nondeterminism error on that patch, for a history of today's code. Replayed here, with the client's
converter and namespace, it reads the value as the worker did."""

from __future__ import annotations

from temporalio.client import Client, WorkflowHistory
from temporalio.worker import Replayer

from orchestra.replayers import replayer_without_deadline
from worker import workflow_runner
from workflows.agent import AgentWorkflow
from workflows.orchestration import OrchestrationWorkflow


def replayer_reading_stored(client: Client) -> Replayer:
    """A replayer of the workflows, in ``client``'s namespace and through its converter (codec and storage)."""
    return replayer_without_deadline(
        workflows=[OrchestrationWorkflow, AgentWorkflow],
        namespace=client.namespace,
        data_converter=client.data_converter,
        workflow_runner=workflow_runner(),
    )


async def assert_replays(client: Client, history: WorkflowHistory) -> None:
    """``history`` replays on this code, its stored values read as ``client`` reads them."""
    result = await replayer_reading_stored(client).replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, f"{history.workflow_id}: {result.replay_failure}"
