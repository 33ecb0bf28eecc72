"""Where a child workflow's result is stored: in its parent's folder, whichever run of the child's chain completes.

The parent reads its child's result again on every replay (a closed task's ``status`` or ``result``, a worker
evicting it from its cache), for as long as the server keeps the parent. The SDK files a child's result in the
parent's folder only when the child's first run completes it: a child that continued as new completed in its own
folder, which ``prune-payloads`` deletes once the server forgets the child, and the parent, still known, then
failed its replay with ``StoredPayloadMissing``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from temporalio import workflow
from temporalio.api.enums.v1.command_type_pb2 import CommandType
from temporalio.converter import StorageDriverStoreContext, StorageDriverWorkflowInfo

if TYPE_CHECKING:
    from temporalio.worker._command_aware_visitor import CommandInfo


def in_the_parents_folder(info: workflow.Info, command: CommandInfo | None) -> StorageDriverStoreContext | None:
    """The parent as the target of the result ``command`` completes a child's run with; None for anything else."""
    if command is None or command.command_type != CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION:
        return None
    parent = info.parent
    if parent is None:
        return None
    return StorageDriverStoreContext(
        target=StorageDriverWorkflowInfo(id=parent.workflow_id, run_id=parent.run_id, namespace=parent.namespace)
    )
