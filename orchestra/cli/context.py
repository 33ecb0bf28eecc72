"""What every command gets: the settings (flags over environment), its output streams, a lazily
connected client, and the rich consoles the rendering module writes through."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from orchestra import environment
from orchestra.cli.errors import EXIT_INVALID, EXIT_NOT_FOUND, EXIT_UNREACHABLE, CliError, stderr_line
from orchestra.cli.naming import named
from orchestra.text import VISIBLE, printable

if TYPE_CHECKING:
    from rich.console import Console
    from temporalio.client import Client
    from temporalio.service import RPCError

    from orchestra.settings import Settings

# Global option -> Settings field. Flags win over the environment (Settings.from_env).
FLAG_FIELDS = ("address", "namespace", "task_queue", "api_key", "tls_cert", "tls_key", "tls_ca", "workspace",
               "data_dir", "ui_port")  # fmt: skip
# Without a terminal there is no width to fit: keep rows whole rather than cut at 80 columns.
PIPE_WIDTH = 200
# Narrower than this, a table has no room for one character of each column: such a COLUMNS is ignored.
MIN_COLUMNS = 20


def settings_from(flags: Mapping[str, Any], env: Mapping[str, str] | None = None) -> Settings:
    from orchestra.settings import Settings

    environ = dict(os.environ if env is None else env)
    overrides: dict[str, Any] = {name: flags.get(name) for name in FLAG_FIELDS}
    settings = Settings.from_env(environ, **overrides)
    workspace_set = environment.value("ORCHESTRA_WORKSPACE", environ) is not None  # a blank one is unset
    if flags.get("data_dir") is not None and flags.get("workspace") is None and not workspace_set:
        settings = settings.model_copy(update={"workspace": settings.data_dir / "workspace"})
    extra = [str(Path(p).resolve()) for p in flags.get("registry") or []]
    if extra:
        settings = settings.model_copy(update={"registry_files": [*settings.registry_files, *extra]})
    return settings


def unreachable_hint(settings: Settings) -> str:
    return (
        f"cannot reach Temporal at {settings.address} — run `python client.py up` or set TEMPORAL_ADDRESS"
        " (or pass --address)"
    )


def console_for(stream: TextIO) -> Console:
    """A rich console on ``stream``: the terminal's width and colours on a terminal (NO_COLOR and
    FORCE_COLOR honoured by rich), plain text as wide as ``COLUMNS`` or PIPE_WIDTH into a pipe or file."""
    from rich import control
    from rich.console import Console

    # Every Text rich builds drops these and escapes the invisible ones (its own list is BEL, BS, VT, FF,
    # CR): a step's error, a pause reason, a model's words reach the table as they were written. Rich's own
    # styles are not in the text.
    control.strip_control_codes.__defaults__[0].update(VISIBLE)  # type: ignore[index]
    tty = hasattr(stream, "isatty") and stream.isatty()
    columns = usable_columns(os.environ.get("COLUMNS"))
    width = columns or (None if tty else PIPE_WIDTH)
    # Rich reads COLUMNS too: an unusable one is not passed on (``COLUMNS=0`` made a terminal's tables empty).
    environ = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    return Console(file=stream, width=width, soft_wrap=False, highlight=False, emoji=False, markup=False,
                   _environ=environ)  # fmt: skip


def usable_columns(value: str | None) -> int | None:
    """``COLUMNS`` as a width to print in, or None when it gives none: unset, not a whole number, or below
    MIN_COLUMNS (``0`` or ``-5`` printed nothing at all and exited 0; ``abc`` was a traceback)."""
    text = (value or "").strip()
    if not text.isascii() or not text.isdigit():
        return None
    width = int(text)
    return width if width >= MIN_COLUMNS else None


@dataclass
class Context:
    settings: Settings
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    _client: Client | None = None
    following: str | None = None  # the run a command is following: named if Ctrl-C stops the command
    json_printed: bool = False  # whether the command printed its JSON (--json) on ``out`` already
    _consoles: dict[int, Console] = field(default_factory=dict)
    _noted: set[str] = field(default_factory=set)

    async def client(self) -> Client:
        if self._client is None:
            from orchestra.cli.rpc_retry import GaveUpConnecting, connect_retrying
            from orchestra.cli.sdk_logs import quiet_runtime
            from orchestra.connect import connect

            try:
                self._client = await connect_retrying(lambda: connect(self.settings, runtime=quiet_runtime()))
            except GaveUpConnecting as exc:  # the server is there: "run `client.py up`" would mislead
                raise CliError(f"Temporal at {self.settings.address} did not answer: {exc}", EXIT_UNREACHABLE) from None
            except (RuntimeError, OSError) as exc:
                raise CliError(unreachable_hint(self.settings), EXIT_UNREACHABLE) from exc
            except ValueError as exc:  # a setting the converter is built from (a codec key, …): a traceback before
                raise CliError(f"cannot connect with these settings: {exc}", EXIT_INVALID) from None
        from orchestra.cli.rpc_retry import retry_reads

        retry_reads(self._client)  # a client handed in (tests, the stack) too; once per client
        return self._client

    def console(self, stream: TextIO | None = None) -> Console:
        stream = stream or self.out
        if id(stream) not in self._consoles:
            self._consoles[id(stream)] = console_for(stream)
        return self._consoles[id(stream)]

    def ui_url(self, workflow_id: str | None = None) -> str:
        """The Web UI's page of the run: its id a single path segment, whatever it holds ('/', '?', '#', a
        space cut the link short or sent it to another page)."""
        from urllib.parse import quote

        base = (
            f"http://localhost:{self.settings.ui_port}/namespaces/{quote(self.settings.namespace, safe='')}/workflows"
        )
        return f"{base}/{quote(workflow_id, safe='')}" if workflow_id else base

    def say(self, text: str = "") -> None:
        print(printable(text), file=self.out, flush=True)

    def note(self, text: str) -> None:
        print(stderr_line(text, "info"), file=self.err, flush=True)

    def note_once(self, text: str) -> None:
        """``note``, unless said already by this command: `watch` reads a run every half second."""
        if text not in self._noted:
            self._noted.add(text)
            self.note(text)


def rpc_problem(
    exc: RPCError, settings: Settings, workflow_id: str | None = None, *, missing: str | None = None
) -> CliError:
    """Turn the RPC errors a user can cause into clear messages and exit codes. A NOT_FOUND is said of what the
    command asked for: ``missing`` (a schedule, one run of a chain), else the workflow ``workflow_id``; "no workflow
    with id …" was said of a workflow that exists when one earlier run of its chain was gone."""
    from temporalio.service import RPCStatusCode

    if exc.status == RPCStatusCode.NOT_FOUND and namespace_missing(exc):  # not "no workflow with id …"
        return CliError(f"namespace {settings.namespace!r} not found at {settings.address}", EXIT_INVALID)
    if missing is None and workflow_id is not None:
        missing = f"workflow with id {named(workflow_id)!r}"
    if exc.status == RPCStatusCode.NOT_FOUND and missing is not None:
        return CliError(f"no {missing} in namespace {settings.namespace!r} at {settings.address}", EXIT_NOT_FOUND)
    from orchestra.cli.rpc_retry import GaveUp

    if isinstance(exc, GaveUp):
        return CliError(f"Temporal at {settings.address} did not answer: {exc.message}", EXIT_UNREACHABLE)
    if exc.status in (RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED):
        return CliError(unreachable_hint(settings), EXIT_UNREACHABLE)
    return CliError(f"Temporal refused the request: {exc.message}")


def run_missing(workflow_id: str, run_id: str = "") -> str:
    """``missing`` for rpc_problem, of one run of a workflow id's chain (``run_id``, else an earlier one than the
    latest): gone while the id's latest run is there (deleted, or past the namespace's retention, as a long chain's
    first runs are)."""
    which = f"run {run_id}" if run_id else "earlier run"
    return f"{which} of workflow {named(workflow_id)!r} (deleted, or past the namespace's retention?)"


def namespace_missing(exc: RPCError) -> bool:
    """Whether Temporal answered NOT_FOUND because the namespace itself does not exist."""
    from temporalio.api.errordetails.v1 import NamespaceNotFoundFailure

    details = exc.grpc_status.details
    return any(d.Is(NamespaceNotFoundFailure.DESCRIPTOR) for d in details) or (
        "namespace" in exc.message.lower() and "not found" in exc.message.lower()
    )
