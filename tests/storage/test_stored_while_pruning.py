"""A value just stored is not pruned before the run that reads it starts. Prune deletes the folder of a workflow the
server does not know unless the folder changed within the grace period, and a value is stored before its run starts
(a client's input, a parent's input for its child). A folder's time changed only with its own entries: a value found
there already (the same input for a workflow id used again once the server forgot its first run) or written into a
reader's ``for/`` folder left it old, and prune deleted the value under the run about to read it."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.client import Client
from temporalio.converter import StorageDriverStoreContext, StorageDriverWorkflowInfo

from orchestra.settings import Settings
from orchestra.storage.folder import OWNER_FILE, FolderStorageDriver, Reader
from orchestra.storage.prune import prune_folder
from tests.helpers import start_plan
from tests.storage.conftest import client_with
from tests.stored_plans import large_plan, stored_files

VALUE = Payload(metadata={"encoding": b"json/plain"}, data=json.dumps("v" * 5_000).encode())
OTHER = Payload(metadata={"encoding": b"json/plain"}, data=json.dumps("w" * 5_000).encode())
LONG_AGO = 1_000_000_000


@pytest.mark.parametrize(
    ("reader", "again"),
    [(None, VALUE), ("wf-parent-of-reused", OTHER)],
    ids=["the same input found", "a child's input in its parent's for/ folder"],
)
async def test_a_value_stored_again_in_an_old_folder_is_not_pruned(
    client: Client, tmp_path: Path, reader: str | None, again: Payload
) -> None:
    workflow_id = f"wf-reused-{reader or 'self'}"
    target = StorageDriverWorkflowInfo(namespace=client.namespace, id=workflow_id, run_id="r1")
    bound = Reader(client.namespace, reader) if reader else None
    driver = FolderStorageDriver(tmp_path, 1_000_000, bound)
    await driver.store(StorageDriverStoreContext(target), [VALUE])  # the first run's, long ago
    folder = tmp_path / "v1" / "ns" / client.namespace / "wf" / workflow_id
    os.utime(folder, (LONG_AGO, LONG_AGO))
    [claim] = await driver.store(StorageDriverStoreContext(target), [again])  # the next run's, about to start
    report = await prune_folder(client, tmp_path)
    assert report.deleted == [] and (tmp_path / claim.claim_data["path"]).is_file()


async def _old_folders(client: Client, root: Path, count: int) -> list[Path]:
    """``count`` workflow folders of workflows the server never knew, last changed long ago."""
    driver = FolderStorageDriver(root, 1_000_000)
    folders = []
    for n in range(count):
        target = StorageDriverWorkflowInfo(namespace=client.namespace, id=f"wf-forgotten-{n}", run_id="r1")
        [claim] = await driver.store(StorageDriverStoreContext(target), [VALUE])
        folder = (root / claim.claim_data["path"]).parent
        os.utime(folder, (LONG_AGO, LONG_AGO))
        folders.append(folder)
    return folders


async def test_two_prunes_at_once_both_end_and_delete_each_folder_once(client: Client, tmp_path: Path) -> None:
    """Two prunes of one data folder (a timer's and an operator's): each asks the server about a folder, and the one
    answered second found it deleted by the other; it stopped with FileNotFoundError, the rest left unpruned."""
    folders = await _old_folders(client, tmp_path, 6)
    first, second = await asyncio.gather(prune_folder(client, tmp_path), prune_folder(client, tmp_path))
    assert sorted(first.deleted + second.deleted) == sorted(f"wf-forgotten-{n}" for n in range(6))
    assert not any(folder.exists() for folder in folders)


async def test_what_prune_frees_counts_the_files_of_readers_folders(client: Client, tmp_path: Path) -> None:
    """A workflow's folder holds the values stored for its readers in ``for/<reader>`` (a child's input stored by its
    parent): prune counted the folder's own files only, and said it freed a fraction of what it deleted."""
    target = StorageDriverWorkflowInfo(namespace=client.namespace, id="wf-forgotten-child", run_id="r1")
    for reader in (None, Reader(client.namespace, "wf-its-parent")):
        await FolderStorageDriver(tmp_path, 1_000_000, reader).store(StorageDriverStoreContext(target), [VALUE, OTHER])
    folder = tmp_path / "v1" / "ns" / client.namespace / "wf" / "wf-forgotten-child"
    everything = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    os.utime(folder, (LONG_AGO, LONG_AGO))
    report = await prune_folder(client, tmp_path)
    assert report.deleted == ["wf-forgotten-child"] and report.freed_bytes == everything > 4 * 5_000


async def test_a_link_in_place_of_a_workflows_folder_is_kept_and_not_said_deleted(
    client: Client, tmp_path: Path
) -> None:
    """A link where a workflow's folder is (the driver makes none): rmtree deletes no link, so the folder it points at
    was kept, and prune said it had deleted it, on every run."""
    [folder] = await _old_folders(client, tmp_path / "elsewhere", 1)
    link = tmp_path / "v1" / "ns" / client.namespace / "wf" / folder.name
    link.parent.mkdir(parents=True)
    link.symlink_to(folder)
    os.utime(link, (LONG_AGO, LONG_AGO), follow_symlinks=False)
    report = await prune_folder(client, tmp_path)
    assert report.deleted == [] and report.freed_bytes == 0
    assert link.is_symlink() and folder.is_dir()


async def test_an_owner_file_naming_another_workflow_does_not_get_a_running_ones_values_pruned(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """Prune asks the server about the workflow a folder's ``.owner`` names: one naming another workflow (copied from
    another folder, restored into the wrong one) had a running workflow's folder deleted, its stored input gone."""
    settings = Settings(data_dir=tmp_path)  # a data folder of its own: the session's is not pruned
    handle = await start_plan(client_with(client, settings), task_queue, large_plan())  # running: no worker takes it
    try:
        [stored] = stored_files(settings, handle.id)
        folder = stored.parent
        other = {"namespace": client.namespace, "kind": "wf", "id": "wf-long-forgotten"}
        (folder / OWNER_FILE).write_text(json.dumps(other))
        os.utime(folder, (LONG_AGO, LONG_AGO))
        report = await prune_folder(client, settings.storage_folder())
        assert "wf-long-forgotten" not in report.deleted and stored.is_file()
    finally:
        await handle.terminate()
