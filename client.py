"""The command-line client: `python client.py --help`. The commands live in orchestra/cli/."""

from __future__ import annotations

import contextlib
import gc
import os
import sys

INTERRUPTED = 130  # orchestra/cli/errors.py's EXIT_INTERRUPTED, before anything of it is imported

# A stream the caller closed (`2>&-`) is None in Python: print(file=None) writes to stdout instead (a line before
# --json's object) and flushing None raised, exiting 1 whatever the command's code. Written to nowhere instead.
if sys.stdout is None:
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
if sys.stderr is None:
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process


def interrupted_while_loading() -> None:
    """Ctrl-C before the CLI has loaded (a second of imports): said as the CLI says any Ctrl-C, in JSON too when
    the line asked for it, rather than a traceback and nothing on stdout."""
    words = sys.argv[1:]
    print("\ninterrupted", file=sys.stderr, flush=True)
    if "--json" in (words[: words.index("--")] if "--" in words else words):
        print(f'{{\n  "error": "interrupted",\n  "exit_code": {INTERRUPTED}\n}}', flush=True)
    os._exit(INTERRUPTED)


gc.disable()  # start-up makes objects that live as long as the process; orchestra/cli/app.py's main resumes
try:
    from orchestra.cli import main as cli_main
except KeyboardInterrupt:
    interrupted_while_loading()


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
