"""The one way a replayer is built here (the CLI's reads of a run, and every test's replay): with no deadline.

A worker fails a workflow task whose activation runs over 2 s (the SDK's deadlock detector): a worker stuck in
workflow code must say so. A replay checks that the code makes the commands the history holds, not how fast: a
replay on a busy machine (``client.py result --output`` beside running work, tests on six workers over two cores)
failed past 2 s inside a payload's size as a deadlock, of a history that replays. The SDK's ``debug_mode`` is its
only switch for that detector, and it changes nothing a replay checks besides: activations run on the event loop's
thread instead of a pool thread (the loop waits for each, as a replay awaits it anyway); ``sys.breakpointhook`` is
set to the SDK's, which hands every call outside a workflow to the hook before it; and only the SDK's own sandboxed
runner, not one wrapped (worker.workflow_runner), is let through to ``breakpoint()`` and the debugger's modules."""

from __future__ import annotations

from collections.abc import Sequence

from temporalio.converter import DataConverter
from temporalio.worker import Interceptor, Replayer, WorkflowRunner
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

# The SDK's own default, which a replayer not given one replays in.
REPLAY_NAMESPACE = "ReplayNamespace"


def replayer_without_deadline(
    workflows: Sequence[type],
    *,
    data_converter: DataConverter = DataConverter.default,
    namespace: str = REPLAY_NAMESPACE,
    workflow_runner: WorkflowRunner | None = None,
    interceptors: Sequence[Interceptor] = (),
) -> Replayer:
    """A replayer of ``workflows`` that no activation's duration fails (the SDK's sandbox when given no runner)."""
    return Replayer(
        workflows=workflows,
        data_converter=data_converter,
        namespace=namespace,
        workflow_runner=workflow_runner or SandboxedWorkflowRunner(),
        interceptors=interceptors,
        debug_mode=True,  # the deadlock detector off, for a replay only (above)
    )
