"""What prune kept for ever: a workflow's folder whose ``.owner`` was damaged (its store rewrote the file only when it
wrote a new value, so a workflow whose later stores all found theirs kept it damaged), the folders of activities
started on their own (``act/``) and of values stored for no one (``any/``), and the ``.tmp-*`` a writer killed midway
left in a folder prune keeps (a schedule's ``sched/``). Each is judged now, as docs/operations.md says."""

from __future__ import annotations

import json
import os
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.client import Client
from temporalio.converter import (
    StorageDriverActivityInfo,
    StorageDriverStoreContext,
    StorageDriverWorkflowInfo,
)

from orchestra.storage.folder import OWNER_FILE, TEMP_PREFIX, FolderStorageDriver, Reader
from orchestra.storage.prune import prune_folder

VALUE = Payload(metadata={"encoding": b"json/plain"}, data=json.dumps("v" * 5_000).encode())
LONG_AGO = 1_000_000_000


def _for(workflow_id: str) -> StorageDriverStoreContext:
    return StorageDriverStoreContext(StorageDriverWorkflowInfo(namespace="default", id=workflow_id, run_id="r1"))


def _aged(*paths: Path) -> None:
    for path in paths:
        os.utime(path, (LONG_AGO, LONG_AGO))


async def _stored(driver: FolderStorageDriver, context: StorageDriverStoreContext) -> Path:
    [claim] = await driver.store(context, [VALUE])
    return driver.root / claim.claim_data["path"]


@pytest.mark.parametrize("damage", [b"", b'{"namespace": "def', b"[]", b'{"kind": "act", "id": 1}'])
async def test_a_gone_workflows_folder_with_a_damaged_owner_is_pruned(
    damage: bytes, client: Client, tmp_path: Path
) -> None:
    workflow_id = f"wf-damaged-owner/{uuid.uuid4()}"  # "/" escaped in its folder's name, and read back from it
    value = await _stored(FolderStorageDriver(tmp_path, 1_000_000), _for(workflow_id))
    (value.parent / OWNER_FILE).write_bytes(damage)
    _aged(value.parent)
    report = await prune_folder(client, tmp_path)
    assert report.deleted == [workflow_id] and not value.parent.exists()


async def test_a_folder_whose_name_was_cut_and_owner_damaged_is_kept(client: Client, tmp_path: Path) -> None:
    """Its id cannot be read back from a name cut and hashed: whose it is cannot be known, so it is not deleted."""
    value = await _stored(FolderStorageDriver(tmp_path, 1_000_000), _for("w" * 300))
    (value.parent / OWNER_FILE).write_bytes(b"")
    _aged(value.parent)
    assert (await prune_folder(client, tmp_path)).deleted == [] and value.exists()


@pytest.mark.parametrize("name", ["%FF", "%", "a.b", "w%41"])
async def test_a_folder_no_id_names_is_kept(name: str, client: Client, tmp_path: Path) -> None:
    """A folder's name read back as an id only where that id makes the same name: nothing else is the driver's."""
    folder = tmp_path / "v1" / "ns" / "default" / "wf" / name
    folder.mkdir(parents=True)
    _aged(folder)
    report = await prune_folder(client, tmp_path)
    assert (report.deleted, report.kept) == ([], 1) and folder.exists()


async def test_a_store_that_finds_its_value_mends_a_damaged_owner(tmp_path: Path) -> None:
    driver = FolderStorageDriver(tmp_path, 1_000_000)
    value = await _stored(driver, _for("w" * 300))
    (value.parent / OWNER_FILE).write_bytes(b'{"namespace": "def')
    assert await _stored(driver, _for("w" * 300)) == value  # found, nothing new written
    assert json.loads((value.parent / OWNER_FILE).read_bytes()) == {
        "namespace": "default",
        "kind": "wf",
        "id": "w" * 300,
    }


async def test_the_folder_of_an_activity_the_server_does_not_have_is_pruned(client: Client, tmp_path: Path) -> None:
    activity = StorageDriverActivityInfo(namespace="default", id=f"act-{uuid.uuid4()}", type="t", run_id="r1")
    value = await _stored(FolderStorageDriver(tmp_path, 1_000_000), StorageDriverStoreContext(activity))
    assert value.parent.parent.name == "act"
    _aged(value.parent)
    report = await prune_folder(client, tmp_path)
    assert report.deleted == [activity.id] and not value.parent.exists()


async def test_values_stored_for_no_one_are_pruned_once_older_than_kept(client: Client, tmp_path: Path) -> None:
    driver = FolderStorageDriver(tmp_path, 1_000_000)
    old = await _stored(driver, StorageDriverStoreContext(None))
    new = old.parent / ("0" * 64)
    new.write_bytes(b"stored just now")
    _aged(old, old.parent)
    report = await prune_folder(client, tmp_path, unowned_kept=timedelta(days=1))
    assert not old.exists() and new.exists() and report.freed_bytes == len(VALUE.SerializeToString())
    assert await _stored(driver, StorageDriverStoreContext(None)) == old
    _aged(old)
    assert await _stored(driver, StorageDriverStoreContext(None)) == old  # found, stored again: its time is now
    await prune_folder(client, tmp_path, unowned_kept=timedelta(days=1))
    assert old.exists()


async def test_what_a_killed_writer_left_in_a_kept_folder_is_pruned(client: Client, tmp_path: Path) -> None:
    """A schedule's folder is never pruned whole (its runs read its input): its old temporary files went with it."""
    driver = FolderStorageDriver(tmp_path, 1_000_000, Reader("default", "sched-left", schedules=True))
    value = await _stored(driver, _for("sched-left"))
    assert value.parent.name == "sched"
    left, writing = value.parent / f"{TEMP_PREFIX}killed", value.parent / f"{TEMP_PREFIX}writing"
    left.write_bytes(b"x" * 100)
    writing.write_bytes(b"y")
    _aged(left, value.parent.parent)
    report = await prune_folder(client, tmp_path)
    assert report.deleted == [] and report.freed_bytes == 100
    assert not left.exists() and writing.exists() and value.exists()
