"""The sweep of old folders of copies kept for undos (orchestra/tools/replaced.py): a run that never ends on a
worker (terminated, lost, paused past the week) would keep its copies for ever, so a folder untouched for
``KEPT_FOR_S`` goes, at most hourly from a write and once at a worker's start, in a thread of its own. Apart from
the Keeper: it reads no record and keeps nothing, only ages and removes whole folders."""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
from pathlib import Path

import structlog

from orchestra.tools.replaced_files import _own, _root
from orchestra.workspace import Workspace

log = structlog.get_logger("orchestra.tools.replaced")
KEPT_FOR_S = 7 * 24 * 3600.0  # a run paused longer than this (an approval) has its copies removed: said by its undo
SWEEP_EVERY_S = 3600.0
MAX_SWEPT = 256  # folders one sweep removes at most: a worker's start is never held long
_swept = {"at": 0.0}
_sweeping = threading.Lock()  # held by a sweep's thread while it runs
_sweeper: list[threading.Thread] = []
SWEPT = ".swept"  # a folder's name while the sweep removes it


def sweep(files: Workspace) -> None:
    """The sweep of old folders, now (a worker's start): a worker that writes nothing kept them for ever."""
    root = _root(files)
    with contextlib.suppress(OSError):
        _own(root)
        _sweep(root, None, now=True)


def _sweep(root: Path, keeping: Path | None, *, now: bool = False) -> None:
    """Folders of runs untouched for KEPT_FOR_S go, at most once an hour a process (a run ends without
    telling its worker), at most ``MAX_SWEPT`` at once (the next sweep takes the rest); in a thread of its own:
    in the write that found it due, or at a worker's start, a sweep of many copies held them for minutes."""
    at = time.time()
    if (not now and at - _swept["at"] < SWEEP_EVERY_S) or not _sweeping.acquire(blocking=False):
        return
    _swept["at"] = at
    try:
        sweeper = threading.Thread(target=_sweep_now, args=(root, keeping), name="undo-copies-sweep", daemon=True)
        _sweeper[:] = [sweeper]
        sweeper.start()
    except BaseException:
        _sweeping.release()
        raise


def _sweep_now(root: Path, keeping: Path | None) -> None:
    try:
        swept = 0
        for folder in root.iterdir():
            with contextlib.suppress(OSError):
                if folder != keeping and _untouched(folder):
                    _remove_untouched(folder)
                    swept += 1
            if swept >= MAX_SWEPT:
                break
    except OSError as exc:
        log.warning("old copies of undos not swept", folder=str(root), error=str(exc))
    finally:
        _sweeping.release()


def _untouched(folder: Path) -> bool:
    return time.time() - folder.lstat().st_mtime > KEPT_FOR_S


def _remove_untouched(folder: Path) -> None:
    """Removes ``folder`` if no write came back to it while it was found old (a run paused past the week, its
    approval given): renamed aside first, a write that comes now makes its folder anew; one that came before
    touched it (``Keeper.ready``), and it goes back, unless a write made the folder anew meanwhile (then it
    stays aside, for the next sweep)."""
    if folder.name.endswith(SWEPT):
        shutil.rmtree(folder)
        return
    aside = folder.with_name(folder.name + SWEPT)
    os.rename(folder, aside)
    if _untouched(aside):
        shutil.rmtree(aside)
        return
    try:
        os.rename(aside, folder)  # over an empty folder a write has just made: one folder again
    except OSError as exc:
        log.warning("a folder of copies a write came back to is aside", folder=str(aside), error=str(exc))


def sweep_done(timeout: float | None = None) -> None:
    """Waits for the sweep under way, if any."""
    for sweeper in list(_sweeper):
        sweeper.join(timeout)
