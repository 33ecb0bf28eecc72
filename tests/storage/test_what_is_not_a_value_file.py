"""Whatever is at a value's address (or in place of a workflow folder's ``.owner``), the folder store's reads end: a
FIFO opened to read waits for a writer, and a device never ends. A FIFO at a stored input's address held the worker's
thread for ever (each retry of the workflow task another), the run waiting and nothing saying why; one in place of an
``.owner`` held prune for good; a link to /dev/zero at an address filled the worker's memory. What is not a regular
file of the value's size is refused as StoredPayloadInvalid, naming the file: the run fails, recorded."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.client import Client, WorkflowFailureError
from temporalio.converter import (
    StorageDriverRetrieveContext,
    StorageDriverStoreContext,
    StorageDriverWorkflowInfo,
)
from temporalio.exceptions import ApplicationError

from orchestra.settings import Settings
from orchestra.storage.errors import StoredPayloadInvalid
from orchestra.storage.folder import OWNER_FILE, FolderStorageDriver
from orchestra.storage.prune import prune_folder
from tests.helpers import settings_for, start_plan
from tests.stored_plans import large_plan, stored_files
from worker import create_worker

# A hang check, not a speed bound: every read here ends at once, and a hung one never does.
HUNG_AFTER_S = 90.0
VALUE = Payload(metadata={"encoding": b"json/plain"}, data=json.dumps("v" * 5_000).encode())
READ = StorageDriverRetrieveContext()


def _context(workflow_id: str, namespace: str = "default") -> StorageDriverStoreContext:
    return StorageDriverStoreContext(StorageDriverWorkflowInfo(namespace=namespace, id=workflow_id, run_id="r1"))


def _freed(fifos: list[Path]) -> None:
    """Every reader waiting on one of ``fifos`` given its end of file."""
    for fifo in fifos:
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


@contextlib.contextmanager
def _never_held(fifos: list[Path]) -> Iterator[None]:
    """The block must end: one held past HUNG_AFTER_S is freed (a writer opens each of ``fifos``), then failed."""
    ended, hung = threading.Event(), threading.Event()

    def watch() -> None:
        if ended.wait(HUNG_AFTER_S):
            return
        hung.set()
        while not ended.wait(0.1):
            _freed(fifos)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        ended.set()
        watcher.join()
    assert not hung.is_set(), "a read of the store was held by a FIFO"


def _fifo(path: Path) -> list[Path]:
    os.mkfifo(path)
    return [path]


def _link_to_a_fifo(path: Path) -> list[Path]:
    elsewhere = path.parent.parent / "fifo-elsewhere"
    os.mkfifo(elsewhere)
    path.symlink_to(elsewhere)
    return [elsewhere]


def _link_to_zeros(path: Path) -> list[Path]:
    path.symlink_to("/dev/zero")
    return []


def _longer_file(path: Path) -> list[Path]:
    with path.open("r+b") as file:  # a sparse tail: as long as a disk image, nothing written
        file.truncate(64 * 1024**3)
    return []


@pytest.mark.parametrize(
    "put",
    [_fifo, _link_to_a_fifo, _link_to_zeros, _longer_file],
    ids=["fifo", "link to a fifo", "link to /dev/zero", "a file far longer than the value"],
)
async def test_what_is_not_the_values_file_is_refused_not_read(
    tmp_path: Path, put: Callable[[Path], list[Path]]
) -> None:
    driver = FolderStorageDriver(tmp_path, 1_000_000)
    [claim] = await driver.store(_context("wf-fifo"), [VALUE])
    path = tmp_path / claim.claim_data["path"]
    if put is not _longer_file:
        path.unlink()
    with _never_held(put(path)), pytest.raises(StoredPayloadInvalid, match="cannot be the value") as refused:
        await driver.retrieve(READ, [claim])
    assert refused.value.non_retryable and claim.claim_data["path"] in refused.value.message


async def test_a_fifo_in_place_of_an_owner_file_is_not_waited_on_and_prune_ends(client: Client, tmp_path: Path) -> None:
    """Prune reads every workflow folder's ``.owner``: a FIFO there held it for good, and no folder after it (in name
    order) was ever pruned. It is read as no owner: the folder is judged by its name (test_what_prune_never_saw.py),
    and the next one is pruned too."""
    driver = FolderStorageDriver(tmp_path, 1_000_000)
    folders = []
    for workflow_id in ("wf-owner-fifo-a", "wf-owner-fifo-b"):
        [claim] = await driver.store(_context(workflow_id, client.namespace), [VALUE])
        folders.append((tmp_path / claim.claim_data["path"]).parent)
    held, after = folders
    (held / OWNER_FILE).unlink()
    os.mkfifo(held / OWNER_FILE)
    past = 1_000_000_000
    for folder in folders:
        os.utime(folder, (past, past))
    with _never_held([held / OWNER_FILE]):
        report = await prune_folder(client, tmp_path)
    assert report.deleted == ["wf-owner-fifo-a", "wf-owner-fifo-b"]
    assert not held.exists() and not after.exists()


async def test_a_fifo_at_a_stored_inputs_address_fails_the_run_naming_it(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    """A worker reads a run's stored input while it decodes the run's first workflow task: a FIFO there held the
    thread for ever, the task timed out and was tried again (another thread held), and the run waited with no cause."""
    handle = await start_plan(client, task_queue, large_plan())  # no worker yet: nothing has read it
    fifos = stored_files(storage_settings, handle.id)
    for path in fifos:
        path.unlink()
        os.mkfifo(path)
    with _never_held(fifos), pytest.raises(WorkflowFailureError) as failed:
        async with create_worker(client, settings_for(task_queue, tmp_path)):
            await handle.result()
    cause = failed.value.cause
    assert isinstance(cause, ApplicationError), cause
    assert cause.type == "StoredPayloadInvalid" and "not a regular file" in cause.message, cause.message
