"""File tools confined to the workspace: ``read_file``, ``write_file`` and ``list_files``."""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import fnmatch
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from orchestra.confinement import Confinement
from orchestra.errors import ToolError, ToolValidationError
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.tools._support import decode

HASH_CHUNK = 1 << 20


def _check_encoding(encoding: str) -> None:
    try:
        codecs.lookup(encoding)
    except LookupError as exc:
        raise ToolValidationError(f"unknown encoding {encoding!r}", code="bad_encoding") from exc


def _relative(path: Path, confinement: Confinement) -> str:
    root = confinement.workspace.resolve()
    return "." if path == root else path.relative_to(root).as_posix()


def _sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- read_file ------------------------------------------------------------------------------------


class ReadFileInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str = Field(description="file path, relative to the workspace")
    encoding: str = Field("utf-8", description="text encoding used to decode the file")
    max_bytes: int | None = Field(
        None, gt=0, description="read at most this many bytes (never more than the worker's output limit)"
    )


class ReadFileOutput(BaseModel):
    path: str = Field(description="the file's path relative to the workspace")
    content: str = Field(description="the decoded content, possibly truncated")
    size: int = Field(description="the file's full size in bytes")
    sha256: str = Field(description="SHA-256 of the whole file, not only of the returned part")
    truncated: bool = Field(description="true if content holds only the first max_bytes")


def _read(path: Path, limit: int) -> tuple[bytes, int, str]:
    with path.open("rb") as handle:
        head = handle.read(limit)
    return head, path.stat().st_size, _sha256_of_file(path)


async def run_read_file(args: ReadFileInput, ctx: ToolContext) -> ReadFileOutput:
    confinement = ctx.confinement
    _check_encoding(args.encoding)
    path = confinement.resolve_path(args.path, must_exist=True)
    if not path.is_file():
        raise ToolValidationError(f"{args.path!r} is not a regular file", code="not_a_file")
    limit = min(args.max_bytes or confinement.max_output_bytes, confinement.max_output_bytes)
    try:
        head, size, sha256 = await asyncio.to_thread(_read, path, limit)
    except OSError as exc:
        raise ToolError(f"cannot read {args.path!r}: {exc.strerror or exc}", code="io_error") from exc
    return ReadFileOutput(
        path=_relative(path, confinement),
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
    encoding: str = Field("utf-8", description="text encoding of the written bytes")
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


def _write(path: Path, data: bytes, mode: str, make_dirs: bool) -> str:
    if make_dirs:
        path.parent.mkdir(parents=True, exist_ok=True)
    if mode == "append":
        with path.open("ab") as handle:
            handle.write(data)
        return _sha256_of_file(path)
    # Temp file in the same directory + os.replace: readers see the old file or the new one, never half.
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    return hashlib.sha256(data).hexdigest()


async def run_write_file(args: WriteFileInput, ctx: ToolContext) -> WriteFileOutput:
    confinement = ctx.confinement
    _check_encoding(args.encoding)
    path = confinement.resolve_path(args.path)
    if path.is_dir():
        raise ToolValidationError(f"{args.path!r} is a directory", code="is_a_directory")
    if not args.make_dirs and not path.parent.is_dir():
        raise ToolValidationError(f"the directory of {args.path!r} does not exist", code="not_found")
    text = args.content if args.content is not None else json.dumps(args.json_, indent=2, ensure_ascii=False) + "\n"
    try:
        data = text.encode(args.encoding)
    except UnicodeEncodeError as exc:
        raise ToolValidationError(f"content cannot be encoded as {args.encoding}: {exc}", code="bad_encoding") from exc
    try:
        sha256 = await asyncio.to_thread(_write, path, data, args.mode, args.make_dirs)
    except OSError as exc:
        raise ToolError(f"cannot write {args.path!r}: {exc.strerror or exc}", code="io_error") from exc
    return WriteFileOutput(path=_relative(path, confinement), bytes_written=len(data), sha256=sha256)


# --- list_files -----------------------------------------------------------------------------------


class ListFilesInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str = Field(".", description="directory to list, relative to the workspace")
    pattern: str = Field(
        "*", description="glob matched against each entry's name (or its relative path if the pattern has a '/')"
    )
    recursive: bool = Field(False, description="descend into subdirectories (symbolic links are not followed)")
    max_entries: int = Field(1000, ge=1, le=100_000, description="stop after this many entries")


class FileEntry(BaseModel):
    path: str = Field(description="path relative to the workspace")
    size: int = Field(description="size in bytes (0 for directories)")
    is_dir: bool


class ListFilesOutput(BaseModel):
    entries: list[FileEntry] = Field(description="matching entries, sorted by path")
    truncated: bool = Field(description="true if more entries matched than max_entries")


def _entry(path: Path, root: Path) -> FileEntry | None:
    """Describe ``path``, or None if it is a symlink pointing outside the workspace (or nowhere)."""
    try:
        target = path.resolve(strict=True)
        stat = target.stat()
    except (OSError, RuntimeError):
        return None
    if target != root and root not in target.parents:
        return None
    is_dir = target.is_dir()
    return FileEntry(path=path.relative_to(root).as_posix(), size=0 if is_dir else stat.st_size, is_dir=is_dir)


def _list(base: Path, root: Path, pattern: str, recursive: bool, max_entries: int) -> tuple[list[FileEntry], bool]:
    match_path = "/" in pattern
    entries: list[FileEntry] = []
    # os.walk with followlinks=False never descends through a symlinked directory, so a link
    # cannot lead the listing outside the workspace; links themselves are checked in _entry.
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        dirnames.sort()
        current = Path(dirpath)
        for name in sorted(dirnames + filenames):
            candidate = current / name
            subject = candidate.relative_to(base).as_posix() if match_path else name
            if not fnmatch.fnmatchcase(subject, pattern):
                continue
            entry = _entry(candidate, root)
            if entry is None:
                continue
            if len(entries) == max_entries:
                return entries, True
            entries.append(entry)
        if not recursive:
            break
    return entries, False


async def run_list_files(args: ListFilesInput, ctx: ToolContext) -> ListFilesOutput:
    confinement = ctx.confinement
    base = confinement.resolve_path(args.path, must_exist=True)
    if not base.is_dir():
        raise ToolValidationError(f"{args.path!r} is not a directory", code="not_a_directory")
    root = confinement.workspace.resolve()
    entries, truncated = await asyncio.to_thread(_list, base, root, args.pattern, args.recursive, args.max_entries)
    return ListFilesOutput(entries=entries, truncated=truncated)


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
