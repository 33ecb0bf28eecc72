"""Where a child workflow's result is stored: in its parent's folder, whichever run of the child's chain completes.

The parent reads its child's result again on every replay (a closed task's ``status`` or ``result``, a worker
evicting it from its cache), for as long as the server keeps the parent. The SDK files a child's result in the
parent's folder only when the child's first run completes it: a child that continued as new completed in its own
folder, which ``prune-payloads`` deletes once the server forgets the child, and the parent, still known, then
failed its replay with ``StoredPayloadMissing``. A child's failure (an orchestration run's carries its record) the
SDK stores in the child's own folder from any run: its payloads come with no command, in the completion that fails.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from temporalio import workflow
from temporalio.api.enums.v1.command_type_pb2 import CommandType
from temporalio.bridge.proto.workflow_completion import WorkflowActivationCompletion
from temporalio.converter import StorageDriverStoreContext, StorageDriverWorkflowInfo

if TYPE_CHECKING:
    from temporalio.worker._command_aware_visitor import CommandInfo


def fails(completion: WorkflowActivationCompletion) -> bool:
    """Whether ``completion`` fails its workflow run."""
    return any(c.HasField("fail_workflow_execution") for c in completion.successful.commands)


def in_the_parents_folder(
    info: workflow.Info, command: CommandInfo | None, *, failing: bool
) -> StorageDriverStoreContext | None:
    """The parent as the target of the result ``command`` completes a child's run with, or of what a ``failing``
    completion stores with no command (its failure; a reply in the same completion is kept there too, and read there
    by the child as well); None for anything else."""
    completes = command is not None and command.command_type == CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION
    if not (completes or (command is None and failing)):
        return None
    parent = info.parent
    if parent is None:
        return None
    return StorageDriverStoreContext(
        target=StorageDriverWorkflowInfo(id=parent.workflow_id, run_id=parent.run_id, namespace=parent.namespace)
    )
