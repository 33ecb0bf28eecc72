"""Runs whose input is stored outside the history, shared by the tests of the store and of what a run does when
its stored input cannot be read: a test module imported by others ran its tests again where it was imported."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import WorkflowFailureError, WorkflowHandle
from temporalio.exceptions import ApplicationError

from orchestra.settings import Settings
from orchestra.storage import folder
from orchestra.storage.folder import OWNER_FILE, segment


def large_plan() -> dict[str, Any]:
    """A plan stored outside the history (over the 32 KiB threshold) when a client starts it."""
    blob = "y" * 40_000
    return {
        "name": "stored",
        "nodes": [{"id": "q", "tool": "json_query", "args": {"data": blob, "expression": "length(@)"}}],
    }


def stored_files(settings: Settings, workflow_id: str) -> list[Path]:
    """The values stored in ``workflow_id``'s own folder of the folder store (not its owner file)."""
    folder = settings.storage_folder() / "v1" / "ns" / "default" / "wf" / segment(workflow_id)
    return [p for p in folder.iterdir() if p.name != OWNER_FILE]


async def failure_of(handle: WorkflowHandle[Any, Any]) -> ApplicationError:
    """The ApplicationError the run of ``handle`` failed with."""
    with pytest.raises(WorkflowFailureError) as failed:
        await handle.result()
    cause = failed.value.cause
    assert isinstance(cause, ApplicationError), cause
    return cause


def failing_disk(monkeypatch: pytest.MonkeyPatch, paths: list[Path]) -> None:
    """Reads of ``paths`` by the folder store fail from now on as a failing disk's do (EIO): a fault a retry may mend
    (the disk replaced, the value restored), so the run's workflow task keeps failing and is retried. No real file
    fails so for root; anything in place of the file (a folder) is refused for good instead."""
    failing = {p.name for p in paths}  # content-addressed: a value's name is its digest
    read = folder.regular_bytes

    def regular_bytes(path: Path, most: int | None, *, follow: bool = True) -> bytes:
        if path.name in failing:
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(path))
        return read(path, most, follow=follow)

    monkeypatch.setattr(folder, "regular_bytes", regular_bytes)
