"""How a command that did not return says how it ended: a CliError, Ctrl-C, a closed stdout, a bug.

With ``--json``, every one of those ends with exactly one JSON object on stdout (``{"error", "exit_code"}``)
unless the command printed its own already: a script reading stdout read nothing of a Ctrl-C, or of an
exception no command expected (a server dropping mid-call), and a traceback only on stderr. Whatever is
said is masked as a logged line is: an exception's text may quote a setting (an API key).
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from orchestra.cli.errors import EXIT_FAILED, EXIT_INTERRUPTED, CliError, stderr_line
from orchestra.cli.json_asked import given

if TYPE_CHECKING:
    from orchestra.cli.context import Context
    from orchestra.cli.options import Pending


def masked(text: str) -> str:
    from orchestra.telemetry.own_lines import masked as mask

    return mask(text)


def write_error(out: TextIO, error: str, code: int) -> None:
    """The one shape every failure has on stdout under ``--json``. Never raises: a reader that went away
    (`| head -c0`) gets nothing, and the command keeps its own exit code rather than a traceback's."""
    from orchestra.cli.json_output import write_json

    with contextlib.suppress(OSError, ValueError):
        write_json(out, {"error": masked(error), "exit_code": code})


def json_out(pending: Pending | int | None, ctx: Context | None, argv: Sequence[str], out: TextIO) -> TextIO | None:
    """Where a failed command's error goes as JSON too: stdout, if the command was asked for JSON and printed
    none. Before the line was parsed (Ctrl-C while the commands load), whether the line holds ``--json``."""
    from orchestra.cli.options import Pending

    asked = bool(pending.kwargs.get("as_json")) if isinstance(pending, Pending) else given(argv)
    if not asked or (ctx is not None and ctx.json_printed):
        return None
    return out


def say_on_stderr(err: TextIO, text: str, level: str = "error") -> None:
    with contextlib.suppress(OSError, ValueError):  # stderr closed too: the exit code is all there is
        print(stderr_line(masked(text), level), file=err, flush=True)


def refused(exc: CliError, err: TextIO, json_to: TextIO | None) -> int:
    say_on_stderr(err, f"error: {exc}" if "\n" not in str(exc) else str(exc))
    if json_to is not None:
        write_error(json_to, str(exc), exc.code)
    return exc.code


def interrupted(message: str, err: TextIO, json_to: TextIO | None) -> int:
    say_on_stderr(err, message, "warning")
    if json_to is not None:
        write_error(json_to, message.strip().split("\n")[0], EXIT_INTERRUPTED)
    return EXIT_INTERRUPTED


def unexpected(exc: Exception, err: TextIO, json_to: TextIO | None) -> int:
    """An exception no command expected (a bug, a connection dropped mid-call): its traceback on stderr,
    masked, and under ``--json`` what it was on stdout; exit 1 as Python's own uncaught exception."""
    with contextlib.suppress(OSError, ValueError):
        print(masked("".join(traceback.format_exception(exc))), file=err, end="", flush=True)
    said = f"unexpected error: {type(exc).__name__}: {exc}".rstrip(": ")
    if json_to is not None:
        write_error(json_to, said, EXIT_FAILED)
    return EXIT_FAILED
