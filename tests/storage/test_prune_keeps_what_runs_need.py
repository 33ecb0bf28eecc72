"""What prune deleted while a run still needed it: a heartbeat a workflow's activity stored (``act/<activity id>/for/
<workflow id>``, which prune took for a standalone activity's folder and asked the server about as one), and every
folder of a namespace the server it asked does not have (each answer "not found": prune run against another server,
or a namespace mistyped). Prune keeps what it cannot be sure is gone, and says so."""

from __future__ import annotations

import json
import os
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.client import Client
from temporalio.converter import StorageDriverActivityInfo, StorageDriverStoreContext, StorageDriverWorkflowInfo

from orchestra.storage import prune as prune_module
from orchestra.storage.folder import FolderStorageDriver, Reader, scope_of
from orchestra.storage.prune import prune_folder

VALUE = Payload(metadata={"encoding": b"json/plain"}, data=json.dumps("v" * 5_000).encode())
LONG_AGO = 1_000_000_000


def _aged(root: Path) -> None:
    for parent, folders, files in os.walk(root):
        for name in [*folders, *files]:
            os.utime(os.path.join(parent, name), (LONG_AGO, LONG_AGO))


async def _running(client: Client) -> str:
    """The id of a workflow the server has open (no worker takes it: it waits, as a long-paused run does)."""
    workflow_id = f"wf-still-running-{uuid.uuid4()}"
    await client.start_workflow("NoWorkerRunsThis", id=workflow_id, task_queue=f"nobody-{uuid.uuid4()}")
    return workflow_id


async def test_a_heartbeat_of_a_running_workflows_activity_is_kept(client: Client, tmp_path: Path) -> None:
    """The SDK stores a heartbeat for the activity (its id, "1", is no standalone activity's): the folder driver puts it
    in ``act/1/for/<workflow>``, where the activity's next attempt, after a long backoff, reads it."""
    workflow_id = await _running(client)
    try:
        driver = FolderStorageDriver(tmp_path, 1_000_000, Reader(client.namespace, workflow_id))
        target = StorageDriverActivityInfo(namespace=client.namespace, id="1", type="run_tool")
        [claim] = await driver.store(StorageDriverStoreContext(target), [VALUE])
        value = tmp_path / claim.claim_data["path"]
        assert f"/act/1/for/{workflow_id}/" in str(value)
        _aged(tmp_path)
        report = await prune_folder(client, tmp_path)
        assert report.deleted == [] and value.exists()
        assert report.notes == [f"kept activity 1: heartbeats read by workflow(s) {workflow_id}"]
    finally:
        await client.get_workflow_handle(workflow_id).terminate()


async def test_a_heartbeat_of_a_gone_workflows_activity_is_pruned(client: Client, tmp_path: Path) -> None:
    driver = FolderStorageDriver(tmp_path, 1_000_000, Reader(client.namespace, f"wf-gone-{uuid.uuid4()}"))
    target = StorageDriverActivityInfo(namespace=client.namespace, id="1", type="run_tool")
    [claim] = await driver.store(StorageDriverStoreContext(target), [VALUE])
    _aged(tmp_path)
    report = await prune_folder(client, tmp_path)
    assert report.deleted == ["1"] and not (tmp_path / claim.claim_data["path"]).exists()


@pytest.mark.parametrize("kind", ["wf", "act"])
async def test_a_namespace_the_server_has_not_is_not_pruned(kind: str, client: Client, tmp_path: Path) -> None:
    """Asked in a namespace it does not have, the server answers "not found" for every workflow: prune deleted them
    all (run against another server, or with a namespace mistyped). It refuses instead, naming the namespace."""
    elsewhere = Client(client.service_client, namespace=f"not-on-this-server-{uuid.uuid4().hex[:8]}")
    driver = FolderStorageDriver(tmp_path, 1_000_000)
    info = StorageDriverWorkflowInfo if kind == "wf" else StorageDriverActivityInfo
    [claim] = await driver.store(StorageDriverStoreContext(info(namespace=elsewhere.namespace, id="x")), [VALUE])
    _aged(tmp_path)
    with pytest.raises(ValueError, match=elsewhere.namespace):
        await prune_folder(elsewhere, tmp_path)
    assert (tmp_path / claim.claim_data["path"]).exists()


async def test_a_value_found_again_while_its_folder_is_deleted_is_kept(
    client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workflow id used again once the server forgot its first run, with the same input: the client's store touches
    the folder, finds the value there and starts the run, after prune last looked at the folder and before it deleted
    it. Deleted in place, the new run's input was gone."""
    workflow_id = f"wf-used-again-{uuid.uuid4()}"
    driver = FolderStorageDriver(tmp_path, 1_000_000)
    target = StorageDriverStoreContext(StorageDriverWorkflowInfo(namespace=client.namespace, id=workflow_id))
    [claim] = await driver.store(target, [VALUE])
    _aged(tmp_path)
    delete = prune_module._deleted
    found_again: list[str] = []

    def store_then_delete(folder: Path, root: Path, grace: timedelta) -> int | None:  # after prune's last look
        if not found_again:
            [again] = driver._write_all(*scope_of(target), [VALUE.SerializeToString()])
            found_again.append(again.claim_data["path"])
        return delete(folder, root, grace)

    monkeypatch.setattr(prune_module, "_deleted", store_then_delete)
    report = await prune_folder(client, tmp_path)
    assert found_again == [claim.claim_data["path"]]
    assert report.deleted == [] and (tmp_path / claim.claim_data["path"]).is_file()
    assert report.notes == [f"kept wf/{workflow_id}: stored again while it was being pruned"]
    monkeypatch.undo()
    _aged(tmp_path)
    assert (await prune_folder(client, tmp_path)).deleted == [workflow_id]
    assert not (tmp_path / "v1" / "ns" / client.namespace / "wf" / workflow_id).exists()
    assert list((tmp_path / "v1" / "pruning").iterdir()) == []


async def test_what_a_prune_killed_midway_moved_aside_is_deleted_by_the_next(client: Client, tmp_path: Path) -> None:
    pruning = tmp_path / "v1" / "pruning"
    left, moving = pruning / f"{LONG_AGO * 10**9}-{uuid.uuid4().hex}", pruning / f"{time.time_ns()}-{uuid.uuid4().hex}"
    for folder in (left, moving):
        (folder / "sched").mkdir(parents=True)
        (folder / "sched" / ("0" * 64)).write_bytes(b"x")
    await prune_folder(client, tmp_path)
    assert not left.exists() and moving.is_dir()
