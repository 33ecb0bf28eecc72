"""Something in place of a stored value's file, or of a folder above it, is not the value, and no retry of the read
changes that: a folder there, a loop of links, a file where the workflow's folder should be. Each raised OSError, the
run's workflow task failed and was retried for ever, and the run waited with its cause unsaid. The run now fails,
naming the value and what is in the way; a fault a retry may mend (a failing disk) is still retried."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from temporalio.client import Client

from orchestra.settings import Settings
from tests.control_support import describe_raw, until
from tests.helpers import settings_for, start_plan
from tests.stored_plans import failing_disk, failure_of, large_plan, stored_files
from tests.task_retries import RETRIED_AFTER
from worker import create_worker


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _link_loop(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.name)  # names itself: ELOOP


def _file_for_its_folder(path: Path) -> None:
    shutil.rmtree(path.parent)
    path.parent.write_bytes(b"not a folder")  # ENOTDIR


IN_THE_WAY: dict[str, tuple[Callable[[Path], None], int]] = {
    "a folder": (_folder, errno.EISDIR),
    "a loop of links": (_link_loop, errno.ELOOP),
    "a file in place of its folder": (_file_for_its_folder, errno.ENOTDIR),
}


@pytest.mark.parametrize("what", list(IN_THE_WAY))
async def test_what_is_in_the_way_of_a_stored_input_fails_the_run_naming_it(
    what: str, client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
) -> None:
    handle = await start_plan(client, task_queue, large_plan())  # no worker yet: nothing has read it
    put, code = IN_THE_WAY[what]
    [path] = stored_files(storage_settings, handle.id)
    put(path)
    async with create_worker(client, settings_for(task_queue, tmp_path)):
        cause = await failure_of(handle)
    assert cause.type == "StoredPayloadInvalid" and cause.non_retryable, cause
    assert path.name in cause.message and os.strerror(code) in cause.message, cause.message


async def test_a_failing_disk_under_a_stored_input_is_retried_and_the_run_goes_on_once_mended(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handle = await start_plan(client, task_queue, large_plan(), task_timeout=RETRIED_AFTER)
    failing_disk(monkeypatch, stored_files(storage_settings, handle.id))
    async with create_worker(client, settings_for(task_queue, tmp_path)):
        await until(lambda: describe_raw(client, handle.id), lambda d: d.pending_workflow_task.attempt > 1)
        monkeypatch.undo()  # the disk mended
        record = await handle.result()
    assert record is not None
