"""Another worker process undoing a write on a workspace, held mid-exchange (the user's file moved into the
workspace as ``.<name>.<random>.back``, not yet exchanged with the write's) until it is killed: ``python -m
tests.tools.held_undo_process WORKSPACE PATH STARTED``. It writes PATH over the user's file, then undoes it, and
makes the file STARTED once the user's file is at its ``.back`` name."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from orchestra.confinement import Confinement
from orchestra.tool_spec import ToolContext
from orchestra.tools import replaced
from orchestra.tools.cleanup import DeleteFileInput, run_delete_file
from orchestra.tools.files import WriteFileInput, run_write_file


def main() -> None:
    root, path, started = sys.argv[1:4]

    exchange = replaced._rename2

    def held(parent: int, source: str, target: str, flags: int) -> None:
        if flags == replaced.RENAME_EXCHANGE:
            Path(started).touch()
            time.sleep(120)  # the test kills the process meanwhile
        exchange(parent, source, target, flags)

    ctx = ToolContext(confinement=Confinement(workspace=Path(root)), undo_reads=frozenset({"previous"}))
    written = asyncio.run(run_write_file(WriteFileInput(path=path, content="the run's\n"), ctx)).model_dump()
    replaced._rename2 = held
    undo = DeleteFileInput(path=path, only_if_sha256=written["sha256"], only_if_created=written["created"],
                           previous=written["previous"])  # fmt: skip
    asyncio.run(run_delete_file(undo, ctx))


if __name__ == "__main__":
    main()
