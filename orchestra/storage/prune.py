"""Cleaning up the data folder: stored payloads live as long as the server keeps their workflow.

The server deletes a closed workflow's history when the namespace's retention has passed (``temporal
operator namespace update --retention``); from then on nothing refers to its stored payloads. Pruning
asks the server about each workflow folder and deletes the folders of workflows it no longer knows.
Folders changed within the grace period are kept: a client stores a run's input just before it
starts the run. A folder holding a schedule's input is kept (its runs read it as long as the schedule
lives; the server knows the schedule, not a workflow of that id): delete it with the schedule. (S3: give the bucket a lifecycle rule that expires objects after the longest run
plus the retention; docs/operations.md.)
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionRequest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from orchestra.storage.folder import LAYOUT, MAX_OWNER_BYTES, OWNER_FILE, regular_bytes, segment

GRACE = timedelta(hours=1)


@dataclass
class PruneReport:
    deleted: list[str] = field(default_factory=list)  # workflow ids whose payloads were deleted
    kept: int = 0
    freed_bytes: int = 0


async def prune_folder(client: Client, root: Path, *, grace: timedelta = GRACE, dry_run: bool = False) -> PruneReport:
    """Delete the stored payloads of the workflows of ``client``'s namespace that the server no longer has."""
    report = PruneReport()
    base = root / LAYOUT / "ns" / segment(client.namespace) / "wf"
    if not base.is_dir():
        return report
    # Not a link: the driver makes none, and rmtree deletes none (the folder was counted as deleted, and kept).
    for folder in sorted(p for p in base.iterdir() if p.is_dir() and not p.is_symlink()):
        workflow_id = _owner(folder)
        # A schedule's input (``sched/``) is under the id its runs are named from, which no run has.
        scheduled = (folder / "sched").is_dir()
        if workflow_id is None or scheduled or _changed_within(folder, grace) or await _known(client, workflow_id):
            report.kept += 1
            continue
        if _changed_within(folder, grace):  # checked again after the round trip: a new run may have stored
            report.kept += 1
            continue
        report.freed_bytes += _bytes_in(folder)
        report.deleted.append(workflow_id)
        if not dry_run:
            shutil.rmtree(folder, ignore_errors=True)
    return report


def _owner(folder: Path) -> str | None:
    """The id of the workflow whose folder ``folder`` is, by its ``.owner``; None: not this driver's to delete. The
    id must be the one the folder is named from: an owner file of another workflow's (copied, restored into the wrong
    folder) had prune ask the server about that one, and delete a running workflow's values when it was unknown."""
    workflow_id = _owner_said(folder)
    return workflow_id if workflow_id is not None and segment(workflow_id) == folder.name else None


def _owner_said(folder: Path) -> str | None:
    try:  # read as the driver reads it: a FIFO in its place held prune for ever, a link to /dev/zero filled memory
        owner = json.loads(regular_bytes(folder / OWNER_FILE, MAX_OWNER_BYTES, follow=False))
    except (OSError, ValueError):
        return None  # not written by this driver, or being written: leave it
    workflow_id = owner.get("id") if isinstance(owner, dict) else None
    return workflow_id if isinstance(workflow_id, str) and workflow_id else None


def _changed_within(folder: Path, grace: timedelta) -> bool:
    try:
        return time.time() - folder.stat().st_mtime < grace.total_seconds()
    except FileNotFoundError:  # deleted meanwhile (another prune): nothing left to delete, and no reason to stop
        return True


def _bytes_in(folder: Path) -> int:
    """The bytes of the files under ``folder``, those of readers' ``for/`` and ``sched/`` folders too. A file a run
    renames or deletes meanwhile is not counted: measured with ``stat`` it stopped prune with FileNotFoundError."""
    total = 0
    for parent, _, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(parent, name)).st_size
    return total


async def _known(client: Client, workflow_id: str) -> bool:
    # The raw service call: the SDK's handle.describe() fails on a natively paused workflow.
    request = DescribeWorkflowExecutionRequest(
        namespace=client.namespace, execution=WorkflowExecution(workflow_id=workflow_id)
    )
    try:
        await client.workflow_service.describe_workflow_execution(request)
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return False
        raise
    return True
