"""What keeping an overwrite's undo copy costs: 1000 small files overwritten by write_file, in-process (the tool
alone, no Temporal), without a copy (no undo reads ``previous``), with one, and with one then undone.

    .venv/bin/python -m bench.undo_copies [files] [--dir DIR]

Prints seconds and fsyncs per write for each; asserts nothing (times depend on the disk: a tmpfs syncs nothing).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from orchestra.confinement import Confinement
from orchestra.tool_spec import ToolContext
from orchestra.tools import replaced_sweep
from orchestra.tools.cleanup import DeleteFileInput, run_delete_file
from orchestra.tools.files import WriteFileInput, run_write_file

_fsyncs = {"n": 0}


@contextmanager
def counting_fsyncs() -> Iterator[None]:
    real = os.fsync

    def fsync(fd: int) -> None:
        _fsyncs["n"] += 1
        real(fd)

    os.fsync = fsync  # type: ignore[assignment]
    try:
        yield
    finally:
        os.fsync = real


async def one_pass(workspace: Path, files: int, keeping: bool, undoing: bool) -> tuple[float, int]:
    for i in range(files):
        (workspace / f"f{i}.txt").write_text(f"the user's {i}\n")
    ctx = ToolContext(confinement=Confinement(workspace=workspace))
    if keeping:
        ctx = dataclasses.replace(ctx, undo_reads=frozenset({"previous"}))
    _fsyncs["n"] = 0
    started = time.perf_counter()
    with counting_fsyncs():
        for i in range(files):
            written = await run_write_file(WriteFileInput(path=f"f{i}.txt", content=f"written {i}\n"), ctx)
            if undoing:
                undo = DeleteFileInput(path=written.path, only_if_sha256=written.sha256, previous=written.previous)
                await run_delete_file(undo, ctx)
    return time.perf_counter() - started, _fsyncs["n"]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="?", type=int, default=1000)
    parser.add_argument("--dir", default=None, help="where the workspaces are made (its disk is measured)")
    args = parser.parse_args()
    print(f"{args.files} small files overwritten by write_file, in-process")
    for label, keeping, undoing in (
        ("no copy kept", False, False),
        ("copy kept", True, False),
        ("copy kept, then undone", True, True),
    ):
        with tempfile.TemporaryDirectory(dir=args.dir) as where:
            workspace = Path(where) / "ws"
            workspace.mkdir()
            replaced_sweep._swept["at"] = time.time()  # the hourly sweep of old folders is not what is measured
            seconds, fsyncs = await one_pass(workspace, args.files, keeping, undoing)
        per = seconds / args.files * 1000
        print(f"  {label:24} {seconds:7.2f} s  {per:6.2f} ms/write  {fsyncs / args.files:4.1f} fsyncs/write")


if __name__ == "__main__":
    asyncio.run(main())
