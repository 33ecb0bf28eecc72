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
import threading
from collections.abc import Callable, Iterator
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
_undoing: dict[str, tuple[threading.Lock, int]] = {}  # a copy's token -> its lock, and how many hold or wait
_undoing_lock = threading.Lock()


@contextlib.contextmanager
def one_at_a_time(token: str) -> Iterator[None]:
    """Held by a write that keeps a copy (named ``token``) and by its undo, each in its thread: a retry waits for
    the thread of an attempt timed out, which goes on (a thread cannot be stopped)."""
    with _undoing_lock:
        lock, users = _undoing.get(token, (threading.Lock(), 0))
        _undoing[token] = lock, users + 1
    try:
        with lock:
            yield
    finally:
        with _undoing_lock:
            users = _undoing[token][1] - 1
            if users:
                _undoing[token] = lock, users
            else:
                del _undoing[token]  # one lock a write undone, for ever, in a worker that runs for months


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
    files = ctx.confinement.files
    relative = files.file_relative(args.path)
    try:
        if args.previous is not None:  # the write kept what it replaced: something was there, whatever else is said
            return await _put_back_in_time(files, relative, args)
        keep = args.only_if_created is False
        deleted, reason = await asyncio.to_thread(files.delete, relative, args.only_if_sha256, keep)
    except OSError as exc:  # a full disk putting a copy back is said as the write says it (disk_full, retried)
        from orchestra.workspace import os_error  # here: a plan's start-up imports the tools, not the workspace

        raise os_error(exc, args.path, "undo the write to") from exc
    return DeleteFileOutput(path=args.path, deleted=deleted, reason=reason)


async def _put_back_in_time(files: Workspace, relative: str, args: DeleteFileInput) -> DeleteFileOutput:
    """The put-back, ended before the activity's timeout with an error saying where the copy is: an undo that
    Temporal timed out said only "activity timed out", the copy's place in the worker's log alone. (Its thread
    goes on: a thread cannot be stopped; its record says ``returning`` meanwhile, kept by the run's end.)"""
    from orchestra.tools.replaced import Keeper  # here: a plan's start-up imports the tools, not the workspace

    assert args.previous is not None
    keeper = Keeper.of_call(files, args.previous)
    return await within_time(
        lambda: _put_back(keeper, files, relative, args),
        lambda: ToolError(
            f"{keeper.kept_at()}, unless put back meanwhile (or, mid-exchange, in the workspace as "
            f"{keeper.back_at(relative)!r}): the undo of the write to "
            f"{relative!r} did not end in time",
            code="undo_unfinished",
            retryable=True,  # a later attempt (waiting for this one's thread) says how it ended
        ),
    )


async def within_time(work: Callable[[], T], unfinished: Callable[[], ToolError]) -> T:
    """``work`` in a thread, given up before the activity's timeout with ``unfinished()``, which says where the
    user's bytes are: timed out by Temporal, the error said only "activity timed out". (Its thread goes on: a
    thread cannot be stopped; a retry waits for it, ``one_at_a_time``.)"""
    running = asyncio.ensure_future(asyncio.to_thread(work))
    try:
        return await asyncio.wait_for(asyncio.shield(running), time_left())
    except TimeoutError:
        raise unfinished() from None


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


def _put_back(keeper: Keeper, files: Workspace, relative: str, args: DeleteFileInput) -> DeleteFileOutput:
    with one_at_a_time(keeper.token):  # a retry waits for the thread of an attempt timed out
        done = keeper.put_back(relative, args.only_if_sha256)
    if isinstance(done, tuple):
        return DeleteFileOutput(path=args.path, deleted=False, restored=done[0], reason=done[1])
    deleted, reason = files.delete(relative, args.only_if_sha256, keep=done != "absent")
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
