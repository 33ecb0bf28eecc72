"""Another worker process writing a file (``write_file``) on a workspace, held once its temp file is written and
before it takes the file's name, until it is killed: ``python -m tests.tools.held_write_process WORKSPACE PATH
STARTED``. It makes the file STARTED once the temp file holds the content."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from orchestra import workspace as workspace_module
from orchestra.confinement import Confinement
from orchestra.tool_spec import ToolContext
from orchestra.tools.files import WriteFileInput, run_write_file


def main() -> None:
    root, path, started = sys.argv[1:4]
    write_all = workspace_module._write_all

    def held(fd: int, data: bytes, written: list[int] | None = None) -> None:
        write_all(fd, data, written)
        Path(started).touch()
        time.sleep(120)  # the test kills the process meanwhile

    workspace_module._write_all = held
    ctx = ToolContext(confinement=Confinement(workspace=Path(root)))
    asyncio.run(run_write_file(WriteFileInput(path=path, content="the run's\n"), ctx))


if __name__ == "__main__":
    main()
