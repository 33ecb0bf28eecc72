"""The folder store and the workspace never overlap: a plan's file tools reach every path in the workspace, and a store
inside it (ORCHESTRA_WORKSPACE set to the data folder, or ORCHESTRA_STORAGE_DIR under the workspace) let any plan read
every run's stored values, whichever workflow they are bound to, change them and delete them. Such settings are
refused when a client or worker builds its converter, saying which two folders overlap."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.converter import compose
from orchestra.settings import Settings
from orchestra.storage.drivers import storage_driver
from orchestra.storage.folder import FolderStorageDriver


def _overlapping(root: Path) -> list[Settings]:
    (root / "elsewhere").mkdir()
    (root / "link-to-data").symlink_to(root)
    return [
        Settings(data_dir=root, workspace=root),
        Settings(data_dir=root / "data", storage_dir=root / "ws" / "payloads", workspace=root / "ws"),
        Settings(data_dir=root / "data", storage_dir=root / "data", workspace=root / "data" / "payloads" / "ws"),
        Settings(data_dir=root, workspace=root / "link-to-data"),  # the same folder by a link
    ]


@pytest.mark.parametrize("case", range(4), ids=["workspace is the data folder", "store in the workspace",
                                                "workspace in the store", "by a link"])  # fmt: skip
def test_a_store_overlapping_the_workspace_is_refused_naming_both(tmp_path: Path, case: int) -> None:
    settings = _overlapping(tmp_path)[case]
    with pytest.raises(ValueError, match="overlap") as refused:
        compose(None, settings)
    assert str(settings.storage_folder()) in str(refused.value) and str(settings.workspace) in str(refused.value)


def test_the_default_layout_and_other_stores_are_kept(tmp_path: Path) -> None:
    assert isinstance(storage_driver(Settings(data_dir=tmp_path)), FolderStorageDriver)  # data/payloads, data/workspace
    assert storage_driver(Settings(data_dir=tmp_path, workspace=tmp_path, storage="off")) is None
