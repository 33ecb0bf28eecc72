"""Exit codes and the one exception every command raises to stop with a message."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError

EXIT_OK = 0
EXIT_FAILED = 1  # the run failed, was cancelled, terminated or timed out; or the command could not take effect
EXIT_INVALID = 2  # bad command line or invalid plan: nothing was started
EXIT_UNREACHABLE = 3  # Temporal could not be reached
EXIT_NOT_FOUND = 4  # no workflow (or schedule) with that id, or a run of its chain is gone
EXIT_INTERRUPTED = 130  # Ctrl-C in the CLI (128 + SIGINT, as shells report it): the run itself goes on

# What each exit code means, for every command: the help's epilog is made of it, and docs/operations.md's
# table says the same (tests/cli/test_exit_codes_documented.py).
EXIT_CODES = {
    EXIT_OK: "success: the run completed, or the command took effect",
    EXIT_FAILED: "the run failed or was cancelled, or the command could not take effect (it says why); "
    "an unexpected error too",
    EXIT_INVALID: "invalid plan, request, setting or usage (nothing started), a namespace that does not exist, "
    "an id already in use",
    EXIT_UNREACHABLE: "Temporal unreachable or not answering",
    EXIT_NOT_FOUND: "no workflow or schedule with that id, or a run of its chain is gone (deleted, past retention)",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C): the CLI stopped, the run goes on",
}


def stderr_line(text: str, level: str = "error") -> str:
    """A line of the CLI's own on standard error (an error, a note), in the format its process's lines take
    (orchestra/telemetry/own_lines.py): a JSON line when ORCHESTRA_LOG_FORMAT is json, as a worker refusing the
    same settings writes it; else the text. Its control characters escaped either way."""
    from orchestra.telemetry.own_lines import formatted
    from orchestra.text import printable

    return formatted(printable(text), logger="orchestra.cli", level=level, unset="console")


class CliError(Exception):
    """Stops the command: ``message`` goes to stderr (no traceback), ``code`` is the exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


def by_flag(exc: ValidationError, flags: Mapping[str, str], typed: Mapping[str, object] | None = None) -> list[str]:
    """pydantic's errors said as the user typed them: the flag (``--max-steps 0: ...``), not the model's
    field (``max_steps: ...``), and the value as typed (``--model-timeout 0s``, not ``0.0``). A field
    no flag sets keeps its own name."""
    from orchestra.text import one_line

    typed = typed or {}
    problems = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        if field in flags:
            value = one_line(str(typed.get(field, error["input"])), 60)
            problems.append(f"{flags[field]} {value}: {error['msg']}")
        else:
            problems.append(f"{'.'.join(map(str, error['loc'])) or 'the options'}: {error['msg']}")
    return problems


# Problems listed one by one: a plan of 10,000 bad steps printed 10,000 lines, the first ones (the ones to
# fix first) scrolled away. `validate --json` lists them all.
SHOWN_PROBLEMS = 50
PROBLEM_CHARS = 1_000


def problem_lines(problems: list[str], what: str = "problem", shown: int = SHOWN_PROBLEMS) -> list[str]:
    """The first ``shown`` problems, one indented line each (cut, escaped), then how many more there are."""
    from orchestra.text import one_line, plural

    lines = [f"  - {one_line(p, PROBLEM_CHARS)}" for p in problems[:shown]]
    if len(problems) > shown:
        lines.append(f"  … and {plural(len(problems) - shown, f'more {what}')}")
    return lines
