"""The run's end for the copies kept for undos (orchestra/tools/replaced.py): once a run has ended no undo of it
will read them, so its folder goes, but for the copies that are still the only way back to a user's bytes (not
put back by an undo, of a write or undo that did not finish, of another run of the workflow id), marked ``left``
for the sweep. Apart from the Keeper: it runs once a run, in its own activity, over every record at once."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Collection

import structlog
from temporalio import activity

from orchestra.tools.replaced import UNFINISHED, _record
from orchestra.tools.replaced_files import _digest, _root
from orchestra.workspace import Workspace

log = structlog.get_logger("orchestra.tools.replaced")


def forget_run(
    files: Workspace, workflow_id: str, *, undone: bool = False, chain: Collection[str] | None = None
) -> None:
    """Removes the copies a run kept (its chain's folder): the run has ended, no undo will read them. But for:
    the copies still there once its undos have run (``undone``), those no undo put back (each undo said where);
    the copies of a write or an undo that did not finish (``pending``, ``returning``: the user's bytes may be in
    the workspace's temp file, the record the only way to them); and the copies of runs not of this chain
    (``chain``: the digests of its runs' ids; None, every run's), a run of the same id terminated or lost before
    its end, whose undos never ran. Those stay (said in the log), left to the sweep of old folders (``KEPT_FOR_S``
    from now); their records say so (``left``): the later runs of the workflow id, which share the folder, keep
    them too."""
    folder = _root(files) / _digest(workflow_id)
    kept: list[str] = []
    for record in sorted(folder.glob("*.json")):
        try:
            said = _record(record)
        except (OSError, ValueError) as exc:  # its data lost in a crash: what it says of its copy is not known
            kept.append(record.stem)
            log.warning("a record of what a write replaced cannot be read: kept", record=str(record), error=str(exc))
            continue
        with contextlib.suppress(OSError):
            if said.get("left"):
                kept.append(record.stem)
                continue
            another_run = chain is not None and said.get("run") and said["run"] not in chain
            copy = (folder / record.stem).is_file()
            if (copy and (undone or another_run)) or said["state"] in UNFINISHED:
                kept.append(record.stem)
                log.warning("no undo put back what a write replaced: kept", path=said["path"], state=said["state"],
                            copy=str(folder / record.stem), of_another_run=bool(another_run))  # fmt: skip
                part = record.with_suffix(".part")
                part.write_text(json.dumps({**said, "left": True}))
                os.replace(part, record)
    if not kept:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for part in folder.iterdir():  # records of undos done, parts of copies
        if part.name not in kept and part.name.removesuffix(".json") not in kept:
            with contextlib.suppress(OSError):
                part.unlink()
    with contextlib.suppress(OSError):
        os.utime(folder)  # the sweep's days count from the run's end


async def chain_runs(most: int = 100) -> set[str]:
    """The digests of the runs of this activity's chain (continue-as-new), each run's first event naming the run
    before it. As far as it can tell: a run it cannot reach counts as another chain's, whose copies stay."""
    info = activity.info()
    run_id, runs = info.workflow_run_id or "", set[str]()
    try:
        client = activity.client()
        for _ in range(most):
            runs.add(_digest(run_id))
            handle = client.get_workflow_handle(info.workflow_id or "", run_id=run_id)
            before = ""
            async for event in handle.fetch_history_events(page_size=1):
                before = event.workflow_execution_started_event_attributes.continued_execution_run_id
                break
            if not before:
                break
            run_id = before
    except Exception as exc:
        log.warning("the runs of this chain are not all known: the copies of the others stay", error=str(exc))
    return runs
