"""File tools confined to the workspace: ``read_file``, ``write_file`` and ``list_files``.

Every path is opened by descriptor from the workspace root without following links
(orchestra/workspace.py), so a link swapped in meanwhile cannot redirect a read or a write.
"""

from __future__ import annotations

import asyncio
import codecs
import hashlib
import json
import os
import posixpath
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from orchestra.charsets import encoding_problem, text_encoding
from orchestra.errors import ToolError, ToolValidationError
from orchestra.temporal_bounds import NUMBER
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.tools._support import decode

if TYPE_CHECKING:
    from orchestra.tools.replaced import Keeper
    from orchestra.workspace import Workspace


def _known_encoding(encoding: str) -> str:
    """Python's name for ``encoding``: the codec registry is asked only for names it already knows."""
    if (canonical := text_encoding(encoding)) is None:
        raise ValueError(encoding_problem(encoding))
    return canonical


Encoding = Annotated[str, AfterValidator(_known_encoding)]


# --- read_file ------------------------------------------------------------------------------------


class ReadFileInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str = Field(description="file path, relative to the workspace")
    encoding: Encoding = Field("utf-8", description="text encoding used to decode the file")
    # The bound inside Annotated: on the union, the JSON schema said "gt", which no schema reader knows.
    max_bytes: Annotated[int, Field(gt=0), NUMBER] | None = Field(
        None, description="read at most this many bytes (never more than the worker's output limit)"
    )


class ReadFileOutput(BaseModel):
    path: str = Field(description="the file's path relative to the workspace")
    content: str = Field(description="the decoded content, possibly truncated")
    size: int = Field(description="the file's full size in bytes")
    sha256: str = Field(description="SHA-256 of the whole file, not only of the returned part")
    truncated: bool = Field(description="true if content holds only the first max_bytes")


async def run_read_file(args: ReadFileInput, ctx: ToolContext) -> ReadFileOutput:
    confinement = ctx.confinement
    relative = confinement.files.file_relative(args.path)
    limit = min(args.max_bytes or confinement.max_output_bytes, confinement.max_output_bytes)
    try:
        head, size, sha256 = await asyncio.to_thread(confinement.files.read, relative, limit)
    except OSError as exc:
        from orchestra.workspace import os_error  # here: a plan's start-up imports the tools, not the workspace

        raise os_error(exc, args.path, "read") from exc
    return ReadFileOutput(
        path=relative,
        content=decode(head, args.encoding),
        size=size,
        sha256=sha256,
        truncated=size > len(head),
    )


# --- write_file -----------------------------------------------------------------------------------


class WriteFileInput(BaseModel):
    # ``json`` is an alias because a field of that name would shadow BaseModel.json.
    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)

    path: str = Field(description="file path, relative to the workspace")
    content: str | None = Field(None, description="text to write (mutually exclusive with json)")
    json_: Any = Field(None, alias="json", description="a JSON value to write, serialised with indent 2")
    mode: Literal["overwrite", "append"] = Field("overwrite", description="replace the file or append to it")
    encoding: Encoding = Field("utf-8", description="text encoding of the written bytes")
    make_dirs: bool = Field(True, description="create missing parent directories")

    @model_validator(mode="after")
    def _exactly_one_payload(self) -> Self:
        if (self.content is None) == ("json_" not in self.model_fields_set):
            raise ValueError("give exactly one of 'content' (text) or 'json' (a JSON value)")
        return self


class WriteFileOutput(BaseModel):
    path: str = Field(description="the file's path relative to the workspace")
    bytes_written: int = Field(description="number of bytes written by this call")
    sha256: str = Field(description="SHA-256 of the whole file after the write")
    # Its words are read by the selector: "delete" here made "Delete the first line of notes.txt" a call.
    created: bool = Field(description="true only if nothing was at the path just before this write")
    previous: str | None = Field(
        None,
        description="when its undo reads this: the name of the write's record, and of the kept copy of what it replaced",
    )


def _exists(files: Workspace, relative: str) -> bool:
    """Whether anything is at ``relative``; an error reaching it says yes (the write reports it), since a
    "no" lets the undo delete the file: a retried write finding its earlier attempt's file says yes too."""
    parent_path, name = posixpath.split(relative)
    try:
        with files.directory(parent_path or ".") as parent:
            os.stat(name, dir_fd=parent, follow_symlinks=False)
    except FileNotFoundError:
        return False
    except ToolError as exc:
        return exc.code != "not_found"  # the directory is missing too
    except OSError:
        return True
    return True


def without_mark(encoding: str, head: bytes) -> str:
    """The encoding that goes on with a file beginning with ``head`` in ``encoding``: one that opens a text
    with a byte order mark (UTF-16, UTF-32, UTF-8 with signature) would put another mark in the middle of
    the text at each append (a U+FEFF read between them); the text goes on in the file's byte order."""
    if not head or encoding not in ("utf-16", "utf-32", "utf-8-sig"):
        return encoding
    if encoding == "utf-8-sig":
        return "utf-8"
    big = head.startswith(codecs.BOM_UTF16_BE if encoding == "utf-16" else codecs.BOM_UTF32_BE)
    return f"{encoding}-{'be' if big else 'le'}"  # without a mark, Python reads these little-endian here


async def run_write_file(args: WriteFileInput, ctx: ToolContext) -> WriteFileOutput:
    confinement = ctx.confinement
    relative = confinement.files.file_relative(args.path)
    text = args.content if args.content is not None else json.dumps(args.json_, indent=2, ensure_ascii=False) + "\n"
    try:
        most = len(text.encode(args.encoding))  # with a byte order mark: the most an append adds
    except UnicodeEncodeError as exc:
        raise ToolValidationError(f"content cannot be encoded as {args.encoding}: {exc}", code="bad_encoding") from exc
    written: list[bytes] = []

    def encoded(head: bytes) -> bytes:
        written.append(text.encode(without_mark(args.encoding, head)))
        return written[-1]

    files = confinement.files
    # Only when the plan's undo of this call reads ``previous``: a copy kept for no undo holds disk for nothing.
    keeping = args.mode == "overwrite" and "previous" in ctx.undo_reads
    try:
        if keeping:
            return await _write_keeping_in_time(files, relative, args, encoded)
        existed = await asyncio.to_thread(_exists, files, relative)
        sha256 = await asyncio.to_thread(
            files.write, relative, encoded, append=args.mode == "append", make_dirs=args.make_dirs, most=most
        )
    except OSError as exc:
        from orchestra.workspace import os_error  # here: a plan's start-up imports the tools, not the workspace

        raise os_error(exc, args.path, "write") from exc
    return WriteFileOutput(path=relative, bytes_written=len(written[-1]), sha256=sha256, created=not existed)


async def _write_keeping_in_time(
    files: Workspace, relative: str, args: WriteFileInput, encoded: Callable[[bytes], bytes]
) -> WriteFileOutput:
    """``_write_keeping``, ended before the activity's timeout, its error saying where the copy is if it kept one:
    a write that kept what it replaced and then failed (timed out, a full disk writing its record) said only
    "activity timed out", the copy's place in the worker's log alone."""
    from orchestra.tools import cleanup  # here: a plan's start-up imports the tools, not the workspace
    from orchestra.tools.replaced import Keeper
    from orchestra.workspace import os_error

    keeper = Keeper.of_call(files)
    unfinished = ToolError(
        f"{keeper.kept_at()}, once the write has kept it: the write to {relative!r} did not end in time",
        code="write_unfinished",
        retryable=True,  # a later attempt (waiting for this one's thread) says how it ended
    )
    try:
        return await cleanup.within_time(
            lambda wait_s: _write_keeping(keeper, files, relative, args, encoded, wait_s), lambda: unfinished
        )
    except (ToolError, OSError) as exc:
        if exc is unfinished:  # it names the copy's place already
            raise
        error = os_error(exc, args.path, "write") if isinstance(exc, OSError) else exc
        if keeper.holds_copy():
            error.args = (f"{keeper.kept_at()}: {error}",)
        if error is exc:
            raise
        raise error from exc


def _write_keeping(
    keeper: Keeper,
    files: Workspace,
    relative: str,
    args: WriteFileInput,
    encoded: Callable[[bytes], bytes],
    wait_s: float,
) -> WriteFileOutput:
    from orchestra.tools.cleanup import waiting
    from orchestra.tools.replaced_lock import one_at_a_time

    # A retry waits for the thread of an attempt given up, in this worker or another; so does an undo of the path.
    with one_at_a_time(files, relative, wait_s, waiting(relative, "write")):
        return _write_keeping_now(keeper, files, relative, args, encoded)


def _write_keeping_now(
    keeper: Keeper, files: Workspace, relative: str, args: WriteFileInput, encoded: Callable[[bytes], bytes]
) -> WriteFileOutput:
    """An overwrite that keeps what it replaces (orchestra/tools/replaced.py); an earlier attempt's record says
    what it found, so a retry says ``created`` of the file its earlier attempt made, and keeps the user's copy."""
    whole = encoded(b"")
    if not keeper.ready():  # said in the log: the write goes on, its undo keeps the file
        created = not _exists(files, relative)
        sha256 = files.write(relative, whole, append=False, make_dirs=args.make_dirs)
        return WriteFileOutput(path=relative, bytes_written=len(whole), sha256=sha256, created=created)
    found = keeper.earlier(relative, hashlib.sha256(whole).hexdigest())
    if found is None:
        files.back_from_aside(relative)  # kept by this write, put back by its undo
        put, met = keeper.put(relative)
        sha256 = files.write(relative, whole, append=False, make_dirs=args.make_dirs, put=put)
        found = met[0]
    else:
        again = keeper.put_again(relative, found) if found in ("kept", "absent") else None
        sha256 = files.write(relative, whole, append=False, make_dirs=args.make_dirs, put=again)
    return WriteFileOutput(
        path=relative,
        bytes_written=len(whole),
        sha256=sha256,
        created=found == "absent",  # "unkept": a disk that cannot exchange files; the undo keeps the file
        # Of a file it made too: its undo reads the record, its size and access, and keeps the file chmod'ed since.
        previous=keeper.token if found in ("kept", "absent") else None,
    )


# --- list_files -----------------------------------------------------------------------------------


class ListFilesInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str = Field(".", description="directory to list, relative to the workspace")
    pattern: str = Field(
        "*", description="glob matched against each entry's name (or its relative path if the pattern has a '/')"
    )
    recursive: bool = Field(
        False, description="descend into subdirectories (symbolic links are neither listed nor followed)"
    )
    max_entries: Annotated[int, NUMBER] = Field(1000, ge=1, le=100_000, description="stop after this many entries")


class FileEntry(BaseModel):
    path: str = Field(description="path relative to the workspace")
    size: int = Field(description="size in bytes (0 for directories)")
    is_dir: bool


class ListFilesOutput(BaseModel):
    entries: list[FileEntry] = Field(description="matching entries, sorted by path")
    truncated: bool = Field(description="true if more entries matched than max_entries")
    depth_cut: bool = Field(False, description="true if directories nested too deep to list were not entered")


async def run_list_files(args: ListFilesInput, ctx: ToolContext) -> ListFilesOutput:
    files = ctx.confinement.files
    relative = files.relative(args.path)
    found = await asyncio.to_thread(files.listing, relative, args.pattern, args.recursive, args.max_entries)
    entries = [FileEntry(path=e.path, size=e.size, is_dir=e.is_dir) for e in found.entries]
    return ListFilesOutput(entries=entries, truncated=found.truncated, depth_cut=found.depth_cut)


# --- tools ----------------------------------------------------------------------------------------


def read_file_tool() -> Tool:
    spec = ToolSpec(
        name="read_file",
        description="Read a text file from the workspace, returning its content (capped), size and SHA-256.",
        capabilities=["file", "read", "filesystem"],
        input_model=ReadFileInput,
        output_model=ReadFileOutput,
        input_types=["path"],
        output_types=["text", "file_content"],
        side_effects=False,
        idempotent=True,
        timeout_s=120.0,
    )
    return Tool(spec=spec, run=run_read_file)


def write_file_tool() -> Tool:
    spec = ToolSpec(
        name="write_file",
        description=(
            "Write text or a JSON value to a file in the workspace. Overwrite is atomic (temp file + rename) "
            "and idempotent; append is not idempotent."
        ),
        capabilities=["file", "write", "save", "store", "filesystem"],
        input_model=WriteFileInput,
        output_model=WriteFileOutput,
        input_types=["text", "json"],
        output_types=["path"],
        side_effects=True,
        idempotent=True,
        timeout_s=120.0,
    )
    return Tool(spec=spec, run=run_write_file)


def list_files_tool() -> Tool:
    spec = ToolSpec(
        name="list_files",
        description="List files in a workspace directory, optionally recursively and filtered by a glob pattern.",
        capabilities=["file", "list", "filesystem", "search"],
        input_model=ListFilesInput,
        output_model=ListFilesOutput,
        input_types=["path"],
        output_types=["file_list", "json"],
        side_effects=False,
        idempotent=True,
        timeout_s=120.0,
    )
    return Tool(spec=spec, run=run_list_files)
