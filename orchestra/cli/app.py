"""Parse a command line, run the command it names, and turn every way it can end into an exit code.

Commands live in the modules of ``orchestra/cli/commands/``, each registering its own (options.py);
this module imports them all, which costs only their declarations: what a command needs to run is
imported when it runs.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO, cast

import click

from orchestra.cli import commands, ending
from orchestra.cli.errors import EXIT_CODES, EXIT_FAILED, EXIT_INVALID, CliError, stderr_line
from orchestra.cli.naming import argument
from orchestra.cli.options import ROOT, Pending
from orchestra.cli.reader_gone import ReaderGoneTolerant
from orchestra.cli.secret_words import remember_secrets

if TYPE_CHECKING:
    from temporalio.client import Client

    from orchestra.cli.context import Context

DESCRIPTION = """\
Run tool-orchestration plans, tasks and agents as durable Temporal workflows.

Connection and settings options may come before or after the command. Their defaults come from the
environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_CLIENT_CERT_PATH,
TEMPORAL_TLS_CLIENT_KEY_PATH, TEMPORAL_TLS_SERVER_CA_CERT_PATH, ORCHESTRA_TASK_QUEUE,
ORCHESTRA_WORKSPACE, ORCHESTRA_DATA_DIR, ORCHESTRA_REGISTRY (comma-separated), ORCHESTRA_UI_PORT.
Output: tables fit the terminal; NO_COLOR turns colours off; --json on every command but up, down and demo:
one JSON document on stdout however it ends, failures included ({"error": …, "exit_code": N}).
"""

EPILOG = (
    "\b\nexit codes:\n"
    + "\n".join(f"  {code:>3}  {meaning}" for code, meaning in EXIT_CODES.items())
    + "\n\n\b\nquick start:  python client.py up  &&  python client.py run --plan examples/site_report.yaml\n"
)


def load_commands() -> click.Group:
    """Import every module of ``orchestra/cli/commands`` (each registers its commands on ROOT the first
    time it is imported; importing it again is a no-op)."""
    for module in pkgutil.iter_modules(commands.__path__):
        importlib.import_module(f"{commands.__name__}.{module.name}")
    ROOT.help, ROOT.epilog = DESCRIPTION, EPILOG
    return ROOT


def parse(argv: Sequence[str] | None, err: TextIO, out: TextIO | None = None) -> Pending | int:
    """The command the line asks for, or the exit code when there is nothing to run (help, bad usage): a
    refusal on ``err``, and on ``out`` (stdout by default) as JSON too when the line asked for JSON."""
    group = load_commands()
    args = list(argv) if argv is not None else sys.argv[1:]
    remember_secrets(args)
    try:
        result = group.main(args, prog_name="client.py", standalone_mode=False)
    except click.ClickException as exc:
        code = EXIT_INVALID if isinstance(exc, click.UsageError) else EXIT_FAILED
        _refused(exc, err)
        from orchestra.cli.ending import write_error
        from orchestra.cli.json_asked import asked_for_json

        if asked_for_json(exc, args):
            write_error(out or sys.stdout, exc.format_message(), code)
        return code
    except click.Abort:  # Ctrl-C while click read the line
        from orchestra.cli.json_asked import given

        return ending.interrupted(interrupted_message(None), err, (out or sys.stdout) if given(args) else None)
    if isinstance(result, Pending):
        return result
    return result if isinstance(result, int) else EXIT_INVALID


def _refused(exc: click.ClickException, err: TextIO) -> None:
    """A bad command line said as click says it, or as one JSON line when the log is JSON lines: click's
    usage block ('Usage: …', blank line, 'Error: …') was four plain lines among them. Masked and escaped either
    way: it quotes what was typed (an API key given to the wrong flag)."""
    import io

    from orchestra.telemetry.own_lines import json_lines
    from orchestra.text import printable

    if not json_lines(unset="console"):
        shown = io.StringIO()
        exc.show(file=shown)
        print(printable(ending.masked(shown.getvalue())), file=err, end="", flush=True)
        return
    said = f"error: {exc.format_message()}"
    if isinstance(exc, click.UsageError) and exc.ctx is not None:
        said += f" (try '{exc.ctx.command_path} --help')"
    print(stderr_line(said), file=err, flush=True)


def context_for(pending: Pending, out: TextIO, err: TextIO, client: Client | None = None) -> Context:
    from orchestra.cli.context import Context, settings_from

    try:
        settings = settings_from(pending.globals)
    except Exception as exc:  # e.g. a malformed ORCHESTRA_UI_PORT
        raise CliError(f"bad settings: {exc}", EXIT_INVALID) from None
    return Context(settings=settings, out=out, err=err, _client=client)


async def invoke(
    argv: Sequence[str], *, out: TextIO | None = None, err: TextIO | None = None, client: Client | None = None
) -> int:
    """Run one command in this process's event loop (``client`` is used instead of connecting): for tests
    and for commands that run others."""
    out, err = out or sys.stdout, err or sys.stderr
    pending = parse(argv, err, out)
    if isinstance(pending, int):
        return pending
    ctx: Context | None = None
    try:
        ctx = context_for(pending, out, err, client)
        return await pending.impl(ctx, **pending.kwargs)
    except CliError as exc:
        return ending.refused(exc, err, ending.json_out(pending, ctx, argv, out))
    except Exception as exc:  # a bug, a server dropping mid-call: said as client.py says it
        return ending.unexpected(exc, err, ending.json_out(pending, ctx, argv, out))


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (client.py hands it to os._exit)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    ctx: Context | None = None
    # Start-up makes objects that live as long as the process (modules, the command line): no collection
    # meanwhile (client.py imports this module with the collector off already), and none of them is
    # scanned again after. A bounded command runs without collection to its end (orchestra/collector.py).
    gc.disable()
    pending: Pending | int | None = None
    args = list(argv) if argv is not None else sys.argv[1:]
    out = cast(TextIO, ReaderGoneTolerant(sys.stdout))
    try:
        # Click writes help straight to sys.stdout: through ``out`` too (`client.py --help | head -c0` exited 1).
        with contextlib.redirect_stdout(out):
            pending = parse(args, sys.stderr, out)
        if isinstance(pending, int):
            return pending
        import asyncio  # here: `--help` and usage errors never need it

        from orchestra.cli.log_lines import route_log_lines

        ctx = context_for(pending, out, sys.stderr)
        route_log_lines()  # after the settings' check and the secrets remembered: a line logged masks those
        gc.freeze()
        if not pending.bounded:
            gc.enable()
        return asyncio.run(pending.impl(ctx, **pending.kwargs))
    except CliError as exc:
        return ending.refused(exc, sys.stderr, ending.json_out(pending, ctx, args, out))
    except BrokenPipeError:  # stderr's reader went away too: nothing more to say
        return EXIT_FAILED
    except KeyboardInterrupt:
        message = interrupted_message(ctx.following if ctx else None)
        return ending.interrupted(message, sys.stderr, ending.json_out(pending, ctx, args, out))
    except Exception as exc:  # a bug, a server dropping mid-call: said, masked, and in JSON when asked
        return ending.unexpected(exc, sys.stderr, ending.json_out(pending, ctx, args, out))
    finally:
        gc.enable()


def interrupted_message(workflow_id: str | None) -> str:
    if workflow_id is None:
        return "\ninterrupted"
    return (
        f"\ninterrupted: the CLI stopped following {workflow_id}; the run itself goes on.\n"
        f"  python client.py watch {argument(workflow_id)}     follow it again\n"
        f"  python client.py cancel {argument(workflow_id)}    stop it"
    )
