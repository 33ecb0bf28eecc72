"""The folder store writes only into the folders it makes: a link in place of one of them (a workflow's folder, a
namespace's, a reader's ``for/`` folder) was followed, and the values, the ``.owner`` and the temporary files went
into whatever folder it named (anywhere a worker running as root may write). It is refused as StoredPayloadInvalid,
naming the link, and nothing is written where it points. The store's root itself may be a link (an operator's)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.converter import StorageDriverStoreContext, StorageDriverWorkflowInfo

from orchestra.storage.errors import StoredPayloadInvalid
from orchestra.storage.folder import FolderStorageDriver, Reader, segment

VALUE = Payload(metadata={"encoding": b"json/plain"}, data=json.dumps("v" * 5_000).encode())
TARGET = StorageDriverWorkflowInfo(namespace="default", id="wf-linked", run_id="r1")
PARENT = "wf-its-parent"


@pytest.mark.parametrize(
    "linked",
    ["v1/ns/default", "v1/ns/default/wf/wf-linked", f"v1/ns/default/wf/wf-linked/for/{segment(PARENT)}"],
    ids=["a namespace's folder", "a workflow's folder", "a reader's folder"],
)
async def test_a_link_in_place_of_a_folder_of_the_store_is_refused_and_nothing_written_through_it(
    tmp_path: Path, linked: str
) -> None:
    root, elsewhere = tmp_path / "payloads", tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = root / linked
    link.parent.mkdir(parents=True)
    link.symlink_to(elsewhere)
    driver = FolderStorageDriver(root, 1_000_000, Reader("default", PARENT))
    with pytest.raises(StoredPayloadInvalid, match="a link in place of a folder of the store") as refused:
        await driver.store(StorageDriverStoreContext(TARGET), [VALUE])
    assert refused.value.non_retryable and str(link) in refused.value.message
    assert not [p for p in elsewhere.rglob("*") if p.is_file()]


async def test_a_root_that_is_a_link_is_stored_into(tmp_path: Path) -> None:
    (tmp_path / "disk").mkdir()
    (tmp_path / "payloads").symlink_to(tmp_path / "disk")
    [claim] = await FolderStorageDriver(tmp_path / "payloads", 1_000_000).store(
        StorageDriverStoreContext(TARGET), [VALUE]
    )
    assert (tmp_path / "disk" / claim.claim_data["path"]).read_bytes() == VALUE.SerializeToString()
