"""``delete_file``: the compensation of ``write_file`` (a saga's undo step), confined to the workspace.

Idempotent on purpose: a compensation may be retried, and a file already gone is the wanted state.
With ``only_if_sha256`` it removes the file only if nobody changed it since the write it undoes; with
``only_if_created`` false (the write's ``created``) it keeps it: the file was the user's before that write. With
``previous`` (the write's, kept because this undo reads it) it puts back what that write replaced, if the file is
still the write's (orchestra/tools/replaced.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import posixpath
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from orchestra.errors import ToolError
from orchestra.tool_spec import Tool, ToolContext, ToolSpec

if TYPE_CHECKING:
    from orchestra.tools.replaced import Keeper
    from orchestra.workspace import Workspace

T = TypeVar("T")
# The margin an undo keeps before its activity's timeout to say where the copy is: 10% of what is left, within.
MIN_MARGIN_S, MAX_MARGIN_S = 2.0, 10.0
# How long an attempt waits for an earlier one's thread out of an activity (no timeout to end before): the tool's.
WAIT_OUTSIDE_S = 60.0
WAIT_MARGIN_S = 0.5  # a wait for an earlier attempt ends this much before its attempt is given up


class DeleteFileInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str = Field(description="file path, relative to the workspace")
    only_if_sha256: str | None = Field(None, description="delete only if the file still has this SHA-256")
    only_if_created: bool | None = Field(
        None, description="false: kept (the undone step's output said it was there before)"
    )
    previous: str | None = Field(
        None, description="the undone step's previous: what it replaced is put back, if the file is still its own"
    )


class DeleteFileOutput(BaseModel):
    path: str
    deleted: bool
    reason: str
    restored: bool = Field(False, description="true if what the undone step replaced is back at the path")


async def run_delete_file(args: DeleteFileInput, ctx: ToolContext) -> DeleteFileOutput:
    """The undo, in a thread holding the path's lock for all of it (``replaced_lock``), ended before the activity's
    timeout with an error saying where the user's bytes are: Temporal's said only "activity timed out"."""
    from orchestra.tools.replaced import Keeper  # here: a plan's start-up imports the tools, not the workspace
    from orchestra.workspace import ASIDE_TOKEN_BYTES, aside_name, os_error

    files = ctx.confinement.files
    relative = files.file_relative(args.path)
    # The write kept what it replaced: something was there, whatever else is said.
    keeper = Keeper.of_call(files, args.previous) if args.previous is not None else None
    token = os.urandom(ASIDE_TOKEN_BYTES).hex()  # the file's name while it is checked, said if that outlasts the time
    aside = posixpath.join(posixpath.dirname(relative), aside_name(posixpath.basename(relative), token))
    try:
        return await within_time(
            lambda wait_s: _undo(keeper, files, relative, args, token, wait_s),
            lambda: _unfinished(keeper, files, relative, aside),
        )
    except OSError as exc:  # a full disk putting a copy back is said as the write says it (disk_full, retried)
        raise os_error(exc, args.path, "undo the write to") from exc


def _unfinished(keeper: Keeper | None, files: Workspace, relative: str, aside: str) -> ToolError:
    """The error of an undo given up before its activity's timeout: where the user's bytes are meanwhile. (Its
    thread goes on: a thread cannot be stopped; its record says ``returning`` meanwhile, kept by the run's end.)"""
    said = f"the undo of the write to {relative!r} did not end in time"
    if keeper is not None and keeper.holds_copy():
        said = (
            f"{keeper.kept_at()}, unless put back meanwhile (or, mid-exchange, in the workspace as "
            f"{keeper.back_at(relative)!r}): {said}"
        )
    elif keeper is not None:  # mid-exchange, or none kept (the write made its file): said only where it is
        said = keeper.kept_said(said, relative)
    with contextlib.suppress(ToolError, OSError), files.directory(posixpath.dirname(aside) or ".") as parent:
        os.stat(posixpath.basename(aside), dir_fd=parent, follow_symlinks=False)
        said += f"; the file it checks before deleting it is at {aside!r} until checked, and back at its name if kept"
    return ToolError(said, code="undo_unfinished", retryable=True)  # a retry (waiting for this thread) says the end


def waiting(relative: str, doing: str) -> Callable[[], ToolError]:
    return lambda: ToolError(
        f"an earlier attempt to {doing} {relative!r} is still running (its thread goes on: a thread cannot be "
        "stopped); this one waited for it until its own time was out",
        code="undo_unfinished" if doing.startswith("undo") else "write_unfinished",
        retryable=True,  # the next attempt waits again, and says how it ended
    )


async def within_time(work: Callable[[float], T], unfinished: Callable[[], ToolError]) -> T:
    """``work`` in a thread, given the seconds it may wait for an earlier attempt's thread (``replaced_lock``); given
    up before the activity's timeout with ``unfinished()``, which says where the user's bytes are: timed out by
    Temporal, the error said only "activity timed out". (Its thread goes on: a thread cannot be stopped; a retry
    waits for it.) The wait ends first, so that its error (what it waits for) is the one said. A thread that begins
    only once its attempt was given up (or cancelled), or its time out, never begins: every thread of the worker
    busy (hashing files of gigabytes), it began later unseen, a write landing after its run's undo, an undo deleting
    a file made since its retry ended."""
    left = time_left()
    wait_s = WAIT_OUTSIDE_S if left is None else left - min(WAIT_MARGIN_S, left / 2)
    ends, given_up = time.monotonic() + wait_s, threading.Event()

    def begun() -> T:
        if given_up.is_set() or (left is not None and time.monotonic() >= ends):
            raise unfinished()
        return work(ends - time.monotonic() if left is not None else wait_s)

    running = asyncio.ensure_future(asyncio.to_thread(begun))
    try:
        return await asyncio.wait_for(asyncio.shield(running), left)
    except TimeoutError:
        raise unfinished() from None
    finally:
        given_up.set()  # a thread under way goes on; one not begun never does


def time_left() -> float | None:
    """Seconds the put-back may take: its activity's time less a margin for saying why it stopped; None outside
    an activity."""
    from temporalio import activity

    if not activity.in_activity():
        return None
    info = activity.info()
    now = datetime.now(UTC)
    ends = [
        start + limit
        for start, limit in (
            (info.started_time, info.start_to_close_timeout),
            (info.scheduled_time, info.schedule_to_close_timeout),
        )
        if limit
    ]
    if not ends:
        return None
    left = (min(ends) - now).total_seconds()
    return max(left - min(max(left * 0.1, MIN_MARGIN_S), MAX_MARGIN_S), 0.0)


def _undo(
    keeper: Keeper | None, files: Workspace, relative: str, args: DeleteFileInput, token: str, wait_s: float
) -> DeleteFileOutput:
    from orchestra.tools.replaced_lock import one_at_a_time

    with one_at_a_time(files, relative, wait_s, waiting(relative, "undo the write to")):
        if keeper is None:
            keep = args.only_if_created is False
            deleted, reason = files.delete(relative, args.only_if_sha256, keep, aside_token=token)
            return DeleteFileOutput(path=args.path, deleted=deleted, reason=reason)
        done = keeper.put_back(relative, args.only_if_sha256)
        if isinstance(done, tuple):
            return DeleteFileOutput(path=args.path, deleted=False, restored=done[0], reason=done[1])
        made = done == "absent"  # the write made the file: its record's bytes, size and access say if it still is
        sha256 = (keeper.written or args.only_if_sha256) if made else args.only_if_sha256
        written = keeper.as_written() if made else None
        deleted, reason = files.delete(relative, sha256, keep=not made, written=written, aside_token=token)
    if done is None and not deleted:  # the run's copies were removed (a run older than KEPT_FOR_S)
        reason += "; what the write replaced is no longer kept"
    return DeleteFileOutput(path=args.path, deleted=deleted, reason=reason)


def delete_file_tool() -> Tool:
    spec = ToolSpec(
        name="delete_file",
        description="Delete a file in the workspace (the undo of a compensation); succeeds if it is already gone.",
        capabilities=["file", "delete", "remove", "filesystem", "compensation"],
        input_model=DeleteFileInput,
        output_model=DeleteFileOutput,
        input_types=["path"],
        output_types=[],
        side_effects=True,
        idempotent=True,
        timeout_s=60.0,
    )
    return Tool(spec=spec, run=run_delete_file)


def support_tools() -> list[Tool]:
    """Tools the engine itself uses (compensation steps), added to every worker's registry."""
    return [delete_file_tool()]


def with_support_tools(registry: object) -> None:
    from orchestra.registry import ToolRegistry

    assert isinstance(registry, ToolRegistry)
    for tool in support_tools():
        if tool.name not in registry:
            registry.register(tool)
