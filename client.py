"""The command-line client: `python client.py --help`. The commands live in orchestra/cli/."""

from __future__ import annotations

import contextlib
import os
import sys

from orchestra.cli import main as cli_main
from orchestra.telemetry.tracing import shutdown_tracing


def main() -> None:
    code = cli_main()
    shutdown_tracing()  # os._exit skips atexit: flush the CLI's own spans first
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # e.g. `| head` closed the pipe
            stream.flush()
    # Leave without interpreter finalisation: the SDK's runtime can crash there (sdk-python #300),
    # which would replace the command's exit code with a signal.
    os._exit(code)


if __name__ == "__main__":
    main()
