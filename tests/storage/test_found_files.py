"""A file found at a value's address is the value only if it holds it. The folder driver finds a value it stored
before (a replay stores every value again) by its address, the digest of its bytes; a file there cut short (a copy
or a restore cut off, a disk that filled, a writer from before writes were atomic) or changed was taken for the
value: nothing was written, and every read of the claim was refused as changed, the run failing."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.converter import (
    StorageDriverClaim,
    StorageDriverRetrieveContext,
    StorageDriverStoreContext,
    StorageDriverWorkflowInfo,
)

from orchestra.storage.folder import FolderStorageDriver

VALUE = Payload(metadata={"encoding": b"json/plain"}, data=json.dumps("v" * 5_000).encode())
CONTEXT = StorageDriverStoreContext(StorageDriverWorkflowInfo(namespace="default", id="wf-found", run_id="r1"))


def _address(root: Path, claim: StorageDriverClaim) -> Path:
    return root / claim.claim_data["path"]


def _cut(blob: bytes) -> bytes:
    return blob[: len(blob) // 2]


def _changed(blob: bytes) -> bytes:
    return blob[:-1] + bytes([blob[-1] ^ 1])  # as long as the value: its size alone does not tell


@pytest.mark.parametrize("found", [_cut, _changed, lambda blob: b""], ids=["cut short", "same size", "empty"])
async def test_a_file_at_the_address_that_does_not_hold_the_value_is_written_again(
    tmp_path: Path, found: object
) -> None:
    driver = FolderStorageDriver(tmp_path, 1_000_000)
    [claim] = await driver.store(CONTEXT, [VALUE])
    path = _address(tmp_path, claim)
    assert callable(found)
    path.write_bytes(found(VALUE.SerializeToString()))
    # A smaller limit, as a worker restarted with one: a value stored before is mended all the same.
    smaller = FolderStorageDriver(tmp_path, 100)
    again, twice = await smaller.store(CONTEXT, [VALUE, VALUE])
    assert again == twice == claim
    assert path.read_bytes() == VALUE.SerializeToString()
    [back] = await smaller.retrieve(StorageDriverRetrieveContext(), [again])
    assert back == VALUE


async def test_a_file_that_holds_the_value_is_kept_as_it_is(tmp_path: Path) -> None:
    driver = FolderStorageDriver(tmp_path, 1_000_000)
    [claim] = await driver.store(CONTEXT, [VALUE])
    before = _address(tmp_path, claim).stat()
    assert await driver.store(CONTEXT, [VALUE]) == [claim]
    after = _address(tmp_path, claim).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert not [p for p in _address(tmp_path, claim).parent.iterdir() if p.name.startswith(".tmp-")]


async def test_a_stored_value_and_every_folder_made_for_it_are_synced_to_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file is durable once its bytes and its name in its folder are on disk, and that folder's name in the one
    above it if it is new: the claim goes into the history after the store, and a machine crash must not take the
    file from under it (the run then failed, its value missing)."""
    synced: list[Path] = []
    fsync = os.fsync

    def recorded(fd: int) -> None:
        synced.append(Path(os.readlink(f"/proc/self/fd/{fd}")))
        fsync(fd)

    monkeypatch.setattr(os, "fsync", recorded)
    root = tmp_path / "payloads"
    [claim] = await FolderStorageDriver(root, 1_000_000).store(CONTEXT, [VALUE])
    path = _address(root, claim)
    assert any(p.parent == path.parent and p.name.startswith(".tmp-") for p in synced)  # its bytes, then renamed
    assert path.parent in synced  # its name
    made = [path.parent, *(p for p in path.parent.parents if p.is_relative_to(root))]
    missing = [folder for folder in [*made, root] if folder.parent not in synced]
    assert not missing, f"not synced into the folder above: {missing}"


@pytest.mark.parametrize("refusal", [errno.EINVAL, errno.EOPNOTSUPP], ids=["EINVAL", "EOPNOTSUPP"])
async def test_a_filesystem_that_does_not_sync_folders_is_stored_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refusal: int
) -> None:
    """Network and FUSE filesystems (a container's shared folder) refuse to fsync a folder: every store failed with
    that error, its workflow task retried for ever. Files are still synced; a folder's name is as durable as it can be."""
    fsync = os.fsync
    files: list[int] = []

    def folders_refused(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(refusal, os.strerror(refusal))
        files.append(fd)
        fsync(fd)

    monkeypatch.setattr(os, "fsync", folders_refused)
    driver = FolderStorageDriver(tmp_path / "payloads", 1_000_000)
    [claim] = await driver.store(CONTEXT, [VALUE])
    assert files  # the value's bytes (and its .owner's)
    assert await driver.retrieve(StorageDriverRetrieveContext(), [claim]) == [VALUE]
