"""Another worker process undoing a write (``delete_file``) on a workspace, its hash of the file held until the test
says go: ``python -m tests.tools.slow_undo_process WORKSPACE PATH SHA256 STARTED GO``. It makes the file STARTED once
it hashes, waits for GO to exist, and prints the undo's answer as JSON."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

from orchestra import workspace as workspace_module
from orchestra.confinement import Confinement
from orchestra.tool_spec import ToolContext
from orchestra.tools.cleanup import DeleteFileInput, run_delete_file


def main() -> None:
    root, path, sha256, started, go = sys.argv[1:6]
    hashed = workspace_module.sha256_of

    def held(fd: int) -> str:
        Path(started).touch()
        deadline = time.monotonic() + 60
        while not Path(go).exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        return hashed(fd)

    workspace_module.sha256_of = held
    ctx = ToolContext(confinement=Confinement(workspace=Path(root)))
    done = asyncio.run(run_delete_file(DeleteFileInput(path=path, only_if_sha256=sha256), ctx))
    print(json.dumps(done.model_dump(mode="json")))


if __name__ == "__main__":
    main()
