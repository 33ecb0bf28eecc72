"""The argument parser and the dispatch from a subcommand to its coroutine."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence

from orchestra.cli import (
    commands_agent,
    commands_control,
    commands_inspect,
    commands_plan,
    commands_run,
    commands_schedule,
    commands_stats,
    stack,
)
from orchestra.cli.context import Context, settings_from_args
from orchestra.cli.errors import EXIT_FAILED, EXIT_INVALID, CliError

Command = Callable[[Context], Awaitable[int]]

DESCRIPTION = """\
Run tool-orchestration plans as durable Temporal workflows.

Global options may come before or after the command. Their defaults come from the environment:
TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_CLIENT_CERT_PATH,
TEMPORAL_TLS_CLIENT_KEY_PATH, TEMPORAL_TLS_SERVER_CA_CERT_PATH, ORCHESTRA_TASK_QUEUE,
ORCHESTRA_WORKSPACE, ORCHESTRA_DATA_DIR, ORCHESTRA_REGISTRY (comma-separated), ORCHESTRA_UI_PORT.
"""

EPILOG = """\
exit codes: 0 success (run COMPLETED) · 1 run failed/cancelled or command failed ·
2 invalid plan or usage (nothing started) · 3 Temporal unreachable · 4 unknown workflow id

quick start:  python client.py up  &&  python client.py run --plan examples/site_report.yaml
"""


def _global_options() -> argparse.ArgumentParser:
    # SUPPRESS: an option absent at one position does not overwrite the same option given at the other.
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    group = common.add_argument_group("connection and settings (before or after the command)")
    group.add_argument("--address", help="Temporal frontend host:port (TEMPORAL_ADDRESS, default localhost:7233)")
    group.add_argument("--namespace", help="Temporal namespace (TEMPORAL_NAMESPACE, default 'default')")
    group.add_argument("--task-queue", help="task queue of the worker (ORCHESTRA_TASK_QUEUE, default 'orchestra')")
    group.add_argument("--api-key", help="API key, e.g. for Temporal Cloud (TEMPORAL_API_KEY)")
    group.add_argument("--tls-cert", help="client certificate for mTLS (TEMPORAL_TLS_CLIENT_CERT_PATH)")
    group.add_argument("--tls-key", help="client private key for mTLS (TEMPORAL_TLS_CLIENT_KEY_PATH)")
    group.add_argument("--tls-ca", help="server CA certificate (TEMPORAL_TLS_SERVER_CA_CERT_PATH)")
    group.add_argument("--workspace", help="directory the file and shell tools are confined to (ORCHESTRA_WORKSPACE)")
    group.add_argument("--data-dir", help="where `up` keeps the server database, pid files, logs (ORCHESTRA_DATA_DIR)")
    group.add_argument("--ui-port", type=int, help="Web UI port of the dev server `up` starts (ORCHESTRA_UI_PORT)")
    group.add_argument(
        "--registry",
        action="append",
        metavar="FILE",
        help="extra tool file (YAML/JSON); repeatable (ORCHESTRA_REGISTRY)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _global_options()
    parser = argparse.ArgumentParser(
        prog="client.py",
        description=DESCRIPTION,
        epilog=EPILOG,
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, run: Command, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        p.set_defaults(handler=run)
        return p

    def plan_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--plan", required=True, metavar="FILE", help="plan file (YAML or JSON)")
        p.add_argument("--input", action="append", metavar="K=V", help="plan input; JSON values keep their type")

    p = command(
        "run", _run_plan_or_task, "run a plan file (--plan) or a plain-language task; show progress and the record"
    )
    p.add_argument("task", nargs="?", help='a task in plain language, e.g. "download URL and extract its title"')
    p.add_argument("--plan", metavar="FILE", help="plan file (YAML or JSON)")
    commands_plan.add_planning_flags(p)  # includes --input
    p.add_argument("--id", help="workflow id (default plan-<name>-<random>)")
    p.add_argument("--json", action="store_true", help="print only the final record as JSON (progress to stderr)")

    p = command("start", commands_run.cmd_start, "validate a plan and start it without waiting (prints the id)")
    plan_options(p)
    p.add_argument("--id", help="workflow id (default plan-<name>-<random>)")

    plan_options(command("validate", commands_run.cmd_validate, "check a plan against the tool registry"))

    for name, run, text in (
        ("status", commands_inspect.cmd_status, "show a run's state and step table"),
        ("watch", commands_inspect.cmd_watch, "follow a run's progress until it ends"),
        ("history", commands_inspect.cmd_history, "the step table built from the run's event history"),
        ("cancel", commands_control.cmd_cancel, "cancel a run (finished step results are kept)"),
    ):
        command(name, run, text).add_argument("workflow_id", metavar="ID")

    p = command("result", commands_inspect.cmd_result, "the final record of a run (waits for it to end)")
    p.add_argument("workflow_id", metavar="ID")
    p.add_argument("--json", action="store_true", help="print the record as JSON")
    p.add_argument("--no-wait", action="store_true", help="fail instead of waiting if the run is still open")

    p = command("pause", commands_control.cmd_pause, "pause a run: no new step starts until resume")
    p.add_argument("workflow_id", metavar="ID")
    p.add_argument("--native", action="store_true", help="Temporal's own workflow pause instead of the signal")
    p.add_argument("--reason", help="why (shown in the record / the Web UI)")

    p = command("resume", commands_control.cmd_resume, "resume a paused run")
    p.add_argument("workflow_id", metavar="ID")
    p.add_argument("--native", action="store_true", help="undo a native pause (pause --native)")

    p = command("list", commands_inspect.cmd_list, "list runs (Temporal visibility)")
    p.add_argument("--query", help="visibility query (default WorkflowType='OrchestrationWorkflow')")
    p.add_argument("--limit", type=int, default=20, help="at most this many rows (default 20)")

    commands_plan.register(sub, parents=[common])
    commands_schedule.register(sub, parents=[common])
    commands_agent.register(sub, parents=[common])
    commands_stats.register(sub, parents=[common])

    p = command("tools", commands_inspect.cmd_tools, "list the tools in the registry")
    p.add_argument("--json", action="store_true", help="full specs with input/output schemas")

    command("up", stack.cmd_up, "start the local dev server and a worker (data under the data dir)")
    command("down", stack.cmd_down, "stop what `up` started")
    p = command("demo", stack.cmd_demo, "`up`, then run examples/site_report.yaml")
    p.add_argument("--input", action="append", metavar="K=V", help="plan input")
    return parser


async def _run_plan_or_task(ctx: Context) -> int:
    if bool(ctx.args.task) == bool(ctx.args.plan):
        raise CliError("give either a task or --plan FILE (not both)", EXIT_INVALID)
    return await (commands_plan.run_task(ctx) if ctx.args.task else commands_run.cmd_run(ctx))


async def _dispatch(ctx: Context) -> int:
    handler: Command = ctx.args.handler
    return await handler(ctx)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (client.py hands it to os._exit)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error (argparse already printed it)
        return exc.code if isinstance(exc.code, int) else EXIT_INVALID
    try:
        ctx = Context(args=args, settings=settings_from_args(args))
    except Exception as exc:  # e.g. a malformed ORCHESTRA_UI_PORT
        print(f"error: bad settings: {exc}", file=sys.stderr)
        return EXIT_INVALID
    try:
        return asyncio.run(_dispatch(ctx))
    except CliError as exc:
        print(f"error: {exc}" if "\n" not in str(exc) else str(exc), file=sys.stderr)
        return exc.code
    except BrokenPipeError:  # the reader went away (`| head`): nothing more to say
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("interrupted (the run itself goes on: `status`, `watch` or `cancel` it by id)", file=sys.stderr)
        return EXIT_FAILED
