"""Cleaning up the data folder: stored payloads live as long as the server keeps their workflow.

The server deletes a closed workflow's history when the namespace's retention has passed (``temporal
operator namespace update --retention``); from then on nothing refers to its stored payloads. Pruning
asks the server about each workflow folder and deletes the folders of workflows it no longer knows.
Folders changed within the grace period are kept: a client stores a run's input just before it
starts the run. A folder holding a schedule's input is kept (its runs read it as long as the schedule
lives; the server knows the schedule, not a workflow of that id): delete it with the schedule. Activities
started on their own (``act/``) are asked about as workflows are; values stored for no one (``any/``) go by
age; what a writer killed midway left (``.tmp-*``) goes wherever it is. (S3: give the bucket a lifecycle rule
that expires objects after the longest run plus the retention; docs/operations.md.)
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import (
    DescribeActivityExecutionRequest,
    DescribeNamespaceRequest,
    DescribeWorkflowExecutionRequest,
)
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from orchestra.storage.folder import LAYOUT, MAX_OWNER_BYTES, OWNER_FILE, TEMP_PREFIX, regular_bytes, segment

GRACE = timedelta(hours=1)
# How long a value stored for no workflow or activity (``any/``) is kept: as the compose stack's S3 lifecycle rule
# (S3_EXPIRE_DAYS), the longest run plus the retention.
UNOWNED_KEPT = timedelta(days=37)
VALUE_NAME = re.compile(r"[0-9a-f]{64}")
PRUNING = "pruning"  # folders being deleted, moved out of every store's reach (``_deleted``)


@dataclass
class PruneReport:
    deleted: list[str] = field(default_factory=list)  # workflow ids whose payloads were deleted
    kept: int = 0
    freed_bytes: int = 0
    notes: list[str] = field(default_factory=list)  # what was kept that would look deletable, and why


class NamespaceUnknown(ValueError):
    """The server asked has not the namespace pruned: it would answer "not found" for every workflow."""


async def prune_folder(
    client: Client,
    root: Path,
    *,
    grace: timedelta = GRACE,
    dry_run: bool = False,
    unowned_kept: timedelta = UNOWNED_KEPT,
) -> PruneReport:
    """Delete the stored payloads of the workflows (and activities started on their own) of ``client``'s namespace
    that the server no longer has, values stored for no one older than ``unowned_kept``, and what a writer killed
    midway left (``.tmp-*`` older than ``grace``)."""
    report = PruneReport()
    await _namespace_there(client)
    _drop_left_by_prunes(root, grace)
    namespace = root / LAYOUT / "ns" / segment(client.namespace)
    for kind, known in (("wf", _workflow_known), ("act", _activity_known)):
        for folder in _folders(namespace / kind):
            if await _kept(client, folder, kind, known, grace) or (
                kind == "act" and await _heartbeats_kept(client, folder, grace, dry_run, report)
            ):
                report.kept += 1
                _drop_left_by_writers(folder, grace, dry_run, report)
                continue
            freed = _bytes_in(folder) if dry_run else _deleted(folder, root, grace)
            if freed is None:
                report.kept += 1
                report.notes.append(f"kept {kind}/{folder.name}: stored again while it was being pruned")
                continue
            report.freed_bytes += freed
            report.deleted.append(_owner(folder, kind) or folder.name)
    # Stored for no one: with no target, no namespace either (``folder.scope_of``).
    unowned = {namespace / "any", root / LAYOUT / "ns" / segment("") / "any"}
    for folder in [f for base in sorted(unowned) for f in _folders(base)]:
        _drop_unowned(folder, unowned_kept, dry_run, report)
        _drop_left_by_writers(folder, grace, dry_run, report)
    return report


def _folders(base: Path) -> list[Path]:
    """The owners' folders in ``base``. Not a link: the driver makes none, and rmtree deletes none (the folder was
    counted as deleted, and kept)."""
    try:
        return sorted(p for p in base.iterdir() if p.is_dir() and not p.is_symlink())
    except (FileNotFoundError, NotADirectoryError):
        return []


async def _kept(client: Client, folder: Path, kind: str, known: _Known, grace: timedelta) -> bool:
    owner = _owner(folder, kind)
    # A schedule's input (``sched/``) is under the id its runs are named from, which no run has.
    scheduled = (folder / "sched").is_dir()
    if owner is None or scheduled or _changed_within(folder, grace) or await known(client, owner):
        return True
    return _changed_within(folder, grace)  # checked again after the round trip: a new run may have stored


async def _namespace_there(client: Client) -> None:
    """Refused where the server has not ``client``'s namespace: asked there, it answers "not found" for every workflow,
    and prune run against another server than the workers' (or with a namespace mistyped) deleted every value."""
    try:
        await client.workflow_service.describe_namespace(DescribeNamespaceRequest(namespace=client.namespace))
    except RPCError as exc:
        if exc.status != RPCStatusCode.NOT_FOUND:
            raise
        raise NamespaceUnknown(
            f"the server has no namespace {client.namespace!r}: nothing pruned (prune asks the server the workers use,"
            " in their namespace, which workflows it still has)"
        ) from None


async def _heartbeats_kept(client: Client, folder: Path, grace: timedelta, dry_run: bool, report: PruneReport) -> bool:
    """Whether an activity's folder no standalone activity owns holds what a workflow still reads: the SDK stores a
    workflow's activity's heartbeat for the activity (``act/<activity id>/for/<workflow id>``, the id "1" shared by
    many workflows' activities), and its next attempt, after a backoff of any length, reads it. Prune asked only about
    a standalone activity of that id, and deleted the heartbeat of a running workflow's activity. A reader's folder is
    deleted once its workflow is gone; one whose workflow cannot be told from its name is kept."""
    kept, gone = [], []
    for reader in _folders(folder / "for"):
        workflow_id = _named(reader.name)
        if workflow_id is None or _changed_within(reader, grace) or await _workflow_known(client, workflow_id):
            kept.append(workflow_id or reader.name)
        else:
            gone.append(reader)
    if not kept:
        return False  # the whole folder goes
    for reader in gone:
        report.freed_bytes += _bytes_in(reader)
        if not dry_run:
            shutil.rmtree(reader, ignore_errors=True)
    shown = ", ".join(kept[:3]) + (f" and {len(kept) - 3} more" if len(kept) > 3 else "")
    report.notes.append(f"kept activity {_owner(folder, 'act') or folder.name}: heartbeats read by workflow(s) {shown}")
    return True


def _owner(folder: Path, kind: str = "wf") -> str | None:
    """The id of the workflow (or activity) whose folder ``folder`` is; None: not this driver's to delete. By its
    ``.owner``, whose id must be the one the folder is named from: an owner file of another workflow's (copied,
    restored into the wrong folder) had prune ask the server about that one, and delete a running workflow's values
    when it was unknown. Without a readable one (cut short, emptied), by the folder's name where no id was cut to
    make it: such a folder was kept for ever, its store never rewriting the file while it found its values there."""
    said = _owner_said(folder, kind)
    if said is not None and segment(said) == folder.name:
        return said
    return _named(folder.name)


def _named(name: str) -> str | None:
    """The id a folder's ``name`` was made from (``segment``); None: cut and hashed, or no name segment() makes."""
    if "~" in name:
        return None
    try:
        named = unquote(name, errors="strict")
    except UnicodeDecodeError:
        return None  # no name segment() makes: not this driver's
    return named if named and segment(named) == name else None


def _owner_said(folder: Path, kind: str) -> str | None:
    try:  # read as the driver reads it: a FIFO in its place held prune for ever, a link to /dev/zero filled memory
        owner = json.loads(regular_bytes(folder / OWNER_FILE, MAX_OWNER_BYTES, follow=False))
    except (OSError, ValueError):
        return None  # not written by this driver, damaged, or being written
    if not isinstance(owner, dict) or owner.get("kind", "wf") != kind:
        return None
    ident = owner.get("id")
    return ident if isinstance(ident, str) and ident else None


def _deleted(folder: Path, root: Path, grace: timedelta) -> int | None:
    """The bytes freed deleting ``folder``; None: kept, stored again meanwhile (or already gone). Deleted in place,
    a value a store found there between prune's last look and the end of the delete (the same input of a workflow
    id used again: the store touches the folder, finds the value, and hands on its claim) went under the run about
    to read it. Moved aside first, the folder is out of every store's reach (a store after it writes the value
    anew); one that touched it before is seen in the folder's time, and the folder is put back."""
    aside = root / LAYOUT / PRUNING / f"{time.time_ns()}-{uuid.uuid4().hex}"
    try:
        aside.parent.mkdir(parents=True, exist_ok=True)
        os.rename(folder, aside)  # the folder's time moves with it
    except OSError:
        return None  # gone (another prune deleted it), or cannot be moved: nothing deleted
    if _changed_within(aside, grace):
        _put_back(aside, folder)
        return None
    freed = _bytes_in(aside)
    shutil.rmtree(aside, ignore_errors=True)
    return freed


def _put_back(aside: Path, folder: Path) -> None:
    """``aside`` back at ``folder``; where a store made the folder again meanwhile, each file it has not."""
    with contextlib.suppress(OSError):
        os.rename(aside, folder)
        return
    for parent, _, files in os.walk(aside):
        for name in files:
            there = folder / Path(parent).relative_to(aside) / name
            with contextlib.suppress(OSError):
                there.parent.mkdir(parents=True, exist_ok=True)
                if not there.exists():
                    os.rename(Path(parent) / name, there)
    shutil.rmtree(aside, ignore_errors=True)


def _drop_left_by_prunes(root: Path, grace: timedelta) -> None:
    """The folders a prune killed between moving them aside and deleting them left (named from the time they were
    moved): nothing reads them."""
    cutoff = time.time_ns() - int(grace.total_seconds() * 1e9)
    for folder in _folders(root / LAYOUT / PRUNING):
        moved = folder.name.partition("-")[0]
        if moved.isdecimal() and int(moved) < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def _drop_left_by_writers(folder: Path, grace: timedelta, dry_run: bool, report: PruneReport) -> None:
    """The temporary files (``.tmp-*``) under ``folder`` older than ``grace``: a writer renames its own within a
    moment, so these are what a writer killed midway left, and nothing reads them. A kept folder kept them for ever
    (a schedule's folder is never pruned whole)."""
    cutoff = time.time() - grace.total_seconds()
    for parent, _, files in os.walk(folder):
        for name in files:
            if name.startswith(TEMP_PREFIX):
                _drop_if_older(Path(parent) / name, cutoff, dry_run, report)


def _drop_unowned(folder: Path, kept: timedelta, dry_run: bool, report: PruneReport) -> None:
    """The values in ``folder`` (stored for no workflow or activity: nothing the server can be asked about says who
    reads them) not stored for longer than ``kept``: kept for ever before, as S3's lifecycle rule expires them."""
    cutoff = time.time() - kept.total_seconds()
    for parent, _, files in os.walk(folder):
        for name in files:
            if VALUE_NAME.fullmatch(name):
                _drop_if_older(Path(parent) / name, cutoff, dry_run, report)


def _drop_if_older(path: Path, cutoff: float, dry_run: bool, report: PruneReport) -> None:
    with contextlib.suppress(OSError):  # renamed or deleted meanwhile: nothing to drop
        found = path.lstat()
        if found.st_mtime < cutoff:
            if not dry_run:
                path.unlink()
            report.freed_bytes += found.st_size


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


_Known = Callable[[Client, str], Awaitable[bool]]


async def _workflow_known(client: Client, workflow_id: str) -> bool:
    # The raw service call: the SDK's handle.describe() fails on a natively paused workflow.
    request = DescribeWorkflowExecutionRequest(
        namespace=client.namespace, execution=WorkflowExecution(workflow_id=workflow_id)
    )
    return await _answered(client.workflow_service.describe_workflow_execution(request))


async def _activity_known(client: Client, activity_id: str) -> bool:
    """Whether the server has the activity started on its own (not by a workflow) ``activity_id``: its values are
    stored in ``act/`` and were kept for ever. A server that has no such activities cannot say: kept."""
    request = DescribeActivityExecutionRequest(namespace=client.namespace, activity_id=activity_id)
    return await _answered(client.workflow_service.describe_activity_execution(request))


async def _answered(call: Awaitable[object]) -> bool:
    """Whether the server has what ``call`` describes."""
    try:
        await call
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return False
        if exc.status == RPCStatusCode.UNIMPLEMENTED:
            return True
        raise
    return True
