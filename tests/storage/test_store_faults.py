"""A fault in the data folder that no retry mends ends the store with a non-retryable refusal, or is mended: an OSError
from the driver's store fails the workflow task, which Temporal retries for ever, the run waiting and nothing saying
why. Something that is not the value at its address is written over where it can be (a link, a pipe); a folder there,
or a file where a folder must be, is refused as StoredPayloadInvalid, naming the folder."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.client import Client
from temporalio.converter import (
    StorageDriverRetrieveContext,
    StorageDriverStoreContext,
    StorageDriverWorkflowInfo,
)

from orchestra.settings import Settings
from orchestra.storage.errors import StoredPayloadInvalid
from orchestra.storage.folder import OWNER_FILE, FolderStorageDriver
from orchestra.storage.prune import _owner_said, prune_folder
from tests.storage.conftest import CREDENTIALS

VALUE = Payload(metadata={"encoding": b"json/plain"}, data=json.dumps("v" * 5_000).encode())
OTHER = Payload(metadata={"encoding": b"json/plain"}, data=json.dumps("w" * 5_000).encode())


def _context(workflow_id: str) -> StorageDriverStoreContext:
    return StorageDriverStoreContext(StorageDriverWorkflowInfo(namespace="default", id=workflow_id, run_id="r1"))


async def _address(root: Path, workflow_id: str) -> Path:
    """Where VALUE goes for ``workflow_id`` (stored once, then removed)."""
    [claim] = await FolderStorageDriver(root, 1_000_000).store(_context(workflow_id), [VALUE])
    path = root / claim.claim_data["path"]
    path.unlink()
    return path


def _link_to_folder(path: Path) -> None:
    path.symlink_to(path.parent)


def _dangling_link(path: Path) -> None:
    path.symlink_to(path.parent / "nowhere")


def _link_to_value_elsewhere(path: Path) -> None:
    elsewhere = path.parent.parent / "elsewhere"
    elsewhere.write_bytes(VALUE.SerializeToString())
    path.symlink_to(elsewhere)


def _pipe(path: Path) -> None:
    os.mkfifo(path)


@pytest.mark.parametrize(
    "put",
    [_link_to_folder, _dangling_link, _link_to_value_elsewhere, _pipe],
    ids=["link to a folder", "dangling link", "link to the value", "fifo"],
)
async def test_what_is_not_a_file_at_the_address_is_replaced_by_the_value(
    tmp_path: Path, put: Callable[[Path], None]
) -> None:
    path = await _address(tmp_path, "wf-link")
    put(path)
    [claim] = await FolderStorageDriver(tmp_path, 1_000_000).store(_context("wf-link"), [VALUE])
    assert path.is_file() and not path.is_symlink()
    assert path.read_bytes() == VALUE.SerializeToString()
    [back] = await FolderStorageDriver(tmp_path, 1_000_000).retrieve(StorageDriverRetrieveContext(), [claim])
    assert back == VALUE


async def test_a_folder_at_the_address_is_refused_not_retried(tmp_path: Path) -> None:
    path = await _address(tmp_path, "wf-folder")
    path.mkdir()
    (path / "inside").write_text("kept")
    with pytest.raises(StoredPayloadInvalid, match="cannot store a payload") as raised:
        await FolderStorageDriver(tmp_path, 1_000_000).store(_context("wf-folder"), [VALUE])
    assert raised.value.non_retryable
    assert (path / "inside").read_text() == "kept"  # nothing of what was there is deleted


async def test_a_file_where_the_workflows_folder_must_be_is_refused_not_retried(tmp_path: Path) -> None:
    path = await _address(tmp_path, "wf-file")
    folder = path.parent
    for leftover in folder.iterdir():
        leftover.unlink()
    folder.rmdir()
    folder.write_text("not a folder")
    with pytest.raises(StoredPayloadInvalid) as raised:
        await FolderStorageDriver(tmp_path, 1_000_000).store(_context("wf-file"), [VALUE])
    assert raised.value.non_retryable


def _emptied(path: Path) -> None:
    path.write_text("")


def _cut_short(path: Path) -> None:
    path.write_text(path.read_text()[:5])


def _not_an_object(path: Path) -> None:
    path.write_text("[]")


@pytest.mark.parametrize("damage", [_emptied, _cut_short, _not_an_object], ids=["empty", "cut short", "not an object"])
async def test_a_damaged_owner_file_is_written_again(tmp_path: Path, damage: Callable[[Path], None]) -> None:
    driver = FolderStorageDriver(tmp_path, 1_000_000)
    [claim] = await driver.store(_context("wf-owner"), [VALUE])
    folder = (tmp_path / claim.claim_data["path"]).parent
    damage(folder / OWNER_FILE)
    assert _owner_said(folder, "wf") is None
    await driver.store(_context("wf-owner"), [OTHER])
    assert _owner_said(folder, "wf") == "wf-owner"
    assert json.loads((folder / OWNER_FILE).read_text()) == {"namespace": "default", "kind": "wf", "id": "wf-owner"}


async def test_a_workflows_folder_with_a_damaged_owner_file_is_pruned_once_stored_to_again(
    client: Client, tmp_path: Path
) -> None:
    """Prune keeps a folder whose owner it cannot read (not this driver's): with the owner never written again, the
    folder of a workflow the server forgot was kept for ever."""
    driver = FolderStorageDriver(tmp_path, 1_000_000)
    context = StorageDriverStoreContext(
        StorageDriverWorkflowInfo(namespace=client.namespace, id="wf-never-started-owner", run_id="r1")
    )
    [claim] = await driver.store(context, [VALUE])
    folder = (tmp_path / claim.claim_data["path"]).parent
    (folder / OWNER_FILE).write_text('{"namespace": "def')
    await driver.store(context, [OTHER])
    past = 1_000_000_000
    os.utime(folder, (past, past))
    report = await prune_folder(client, tmp_path)
    assert report.deleted == ["wf-never-started-owner"] and not folder.exists()


async def test_an_s3_object_at_the_key_with_other_content_is_uploaded_again(s3_settings: Settings) -> None:
    """S3 keeps an uploaded object's SHA-256 (uploads ask it to): an object at a value's key whose checksum is not the
    key's digest is not the value, and is uploaded again; kept, every read of its claim was refused."""
    import boto3

    from orchestra.storage.s3 import s3_driver

    assert s3_settings.s3_bucket is not None
    driver = s3_driver(s3_settings.s3_bucket, s3_settings.s3_endpoint_url, "us-east-1", 1_000_000)
    context = _context("wf-s3")
    [claim] = await driver.store(context, [VALUE])
    s3 = boto3.client("s3", endpoint_url=s3_settings.s3_endpoint_url, region_name="us-east-1", **CREDENTIALS)
    bucket, key = claim.claim_data["bucket"], claim.claim_data["key"]
    s3.put_object(Bucket=bucket, Key=key, Body=b"not the value", ChecksumAlgorithm="SHA256")
    with pytest.raises(StoredPayloadInvalid):
        await driver.retrieve(StorageDriverRetrieveContext(), [claim])
    assert await driver.store(context, [VALUE]) == [claim]
    [back] = await driver.retrieve(StorageDriverRetrieveContext(), [claim])
    assert back == VALUE
