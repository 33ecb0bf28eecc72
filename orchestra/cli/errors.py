"""Exit codes and the one exception every command raises to stop with a message."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1  # the run failed, was cancelled, terminated or timed out; or the command could not take effect
EXIT_INVALID = 2  # bad command line or invalid plan: nothing was started
EXIT_UNREACHABLE = 3  # Temporal could not be reached
EXIT_NOT_FOUND = 4  # no workflow (or schedule) with that id
EXIT_INTERRUPTED = 130  # Ctrl-C in the CLI (128 + SIGINT, as shells report it): the run itself goes on


class CliError(Exception):
    """Stops the command: ``message`` goes to stderr (no traceback), ``code`` is the exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code
