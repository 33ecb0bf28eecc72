"""The data-folder driver: content-addressed per workflow, and it reads only what it wrote, unchanged."""

from __future__ import annotations

import errno
import json
import os

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.converter import (
    StorageDriverClaim,
    StorageDriverRetrieveContext,
    StorageDriverStoreContext,
    StorageDriverWorkflowInfo,
)

from orchestra import disk_space
from orchestra.codec import EncryptionCodec
from orchestra.converter import compose
from orchestra.settings import Settings
from orchestra.storage.errors import StoredPayloadMissing
from orchestra.storage.folder import OWNER_FILE, FolderStorageDriver, segment
from orchestra.storage.values import load_value, store_value

READ = StorageDriverRetrieveContext()


def workflow(workflow_id: str) -> StorageDriverStoreContext:
    return StorageDriverStoreContext(StorageDriverWorkflowInfo(namespace="default", id=workflow_id, run_id="r1"))


def payload(text: str) -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=json.dumps(text).encode())


async def test_the_same_payload_is_one_file_per_workflow_and_reads_back(tmp_path):
    driver = FolderStorageDriver(tmp_path, 1_000_000)
    first, second = await driver.store(workflow("wf-1"), [payload("a" * 100), payload("a" * 100)])
    [other] = await driver.store(workflow("wf-2"), [payload("a" * 100)])
    assert first == second and other != first
    folder = tmp_path / first.claim_data["path"].rsplit("/", 1)[0]
    assert sorted(p.name for p in folder.iterdir()) == sorted([OWNER_FILE, first.claim_data["sha256"]])
    assert json.loads((folder / OWNER_FILE).read_text())["id"] == "wf-1"
    [back] = await driver.retrieve(READ, [first])
    assert back == payload("a" * 100)


async def test_claims_outside_the_layout_changed_files_and_missing_files_are_refused(tmp_path):
    driver = FolderStorageDriver(tmp_path, 1_000_000)
    [claim] = await driver.store(workflow("wf"), [payload("x")])
    digest = claim.claim_data["sha256"]
    for path in ("../../etc/passwd", f"v1/ns/default/wf/../../../{digest}", f"/v1/ns/default/wf/wf/{digest}"):
        with pytest.raises(ValueError, match="not a claim"):
            await driver.retrieve(READ, [StorageDriverClaim({"path": path, "sha256": digest})])
    stored = tmp_path / claim.claim_data["path"]
    stored.write_bytes(payload("y").SerializeToString())
    with pytest.raises(ValueError, match="does not match its hash"):
        await driver.retrieve(READ, [claim])
    stored.unlink()
    with pytest.raises(StoredPayloadMissing, match="pruned, or this process uses another data folder"):
        await driver.retrieve(READ, [claim])


async def test_values_over_the_limit_are_refused_naming_it(tmp_path):
    with pytest.raises(ValueError, match="ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES"):
        await FolderStorageDriver(tmp_path, 100).store(workflow("wf"), [payload("z" * 200)])


def test_workflow_ids_become_safe_bounded_file_names():
    assert segment("plan-a_1") == "plan-a_1"
    assert segment("../x") == "%2E%2E%2Fx" and segment("") == "null"
    long = segment("é" * 1000)
    assert len(long) <= 140 and "~" in long and segment("é" * 999 + "e") != long


async def test_stored_values_are_encrypted_at_rest_when_the_converter_encrypts(tmp_path):
    converter = compose(EncryptionCodec(os.urandom(32)), Settings(data_dir=tmp_path))
    owner = StorageDriverWorkflowInfo(namespace="default", id="wf")
    stored = await store_value(converter, {"text": "plain words " * 10_000}, owner)
    on_disk = (tmp_path / "payloads" / stored.claim["path"]).read_bytes()
    assert b"plain words" not in on_disk
    assert await load_value(converter, stored) == {"text": "plain words " * 10_000}


async def test_a_payload_that_would_leave_the_disk_too_full_is_not_stored(tmp_path, monkeypatch):
    info = os.statvfs(tmp_path)
    monkeypatch.setattr(disk_space, "MIN_FREE_BYTES", info.f_bavail * info.f_frsize + (1 << 30))
    driver = FolderStorageDriver(tmp_path, 1_000_000)
    with pytest.raises(OSError, match="MiB free") as refused:
        await driver.store(workflow("wf"), [payload("a" * 1000)])
    assert refused.value.errno == errno.ENOSPC
    assert not any(path.is_file() for path in tmp_path.rglob("*"))
