"""A value just stored is not pruned before the run that reads it starts. Prune deletes the folder of a workflow the
server does not know unless the folder changed within the grace period, and a value is stored before its run starts
(a client's input, a parent's input for its child). A folder's time changed only with its own entries: a value found
there already (the same input for a workflow id used again once the server forgot its first run) or written into a
reader's ``for/`` folder left it old, and prune deleted the value under the run about to read it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.client import Client
from temporalio.converter import StorageDriverStoreContext, StorageDriverWorkflowInfo

from orchestra.storage.folder import FolderStorageDriver, Reader
from orchestra.storage.prune import prune_folder

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
