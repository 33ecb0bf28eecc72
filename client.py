"""The command-line client: `python client.py --help`. The commands live in orchestra/cli/."""

from __future__ import annotations

import contextlib
import gc
import os
import sys

gc.disable()  # start-up makes objects that live as long as the process; orchestra/cli/app.py's main resumes
from orchestra.cli import main as cli_main  # noqa: E402


def main() -> None:
    code = cli_main()
    tracing = sys.modules.get("orchestra.telemetry.tracing")
    if tracing is not None:  # loaded only by commands that connected: flush their spans (os._exit skips atexit)
        tracing.shutdown_tracing()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # e.g. `| head` closed the pipe
            stream.flush()
    # Leave without interpreter finalisation: the SDK's runtime can crash there (sdk-python #300),
    # which would replace the command's exit code with a signal.
    os._exit(code)


if __name__ == "__main__":
    main()
