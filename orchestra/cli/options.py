"""The CLI's command decorator and the options several commands share (click).

A command is an ``async def`` taking the :class:`~orchestra.cli.context.Context` and its typed options,
returning the exit code. A module under ``orchestra/cli/commands/`` registers its commands by decorating
them with :func:`command` (or :func:`group` for a command with actions); ``app.py`` imports every such
module, so a new command is one new file there.

Modules that declare commands import only this module, click and the standard library at the top:
anything heavy (temporalio, pydantic models, rich) is imported inside the command, so ``--help`` and
usage errors stay fast (``bench/cli_startup.py``).

The connection and settings options are accepted before the command and after it
(``client.py --address X status ID`` or ``client.py status ID --address X``); the later one wins.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import click

from orchestra import environment
from orchestra.text import one_line

GLOBALS_KEY = "orchestra.globals"

# Sections of the top-level help, in this order; a command names its own.
RUN = "run"
INSPECT = "inspect runs"
CONTROL = "control runs"
AGENT = "agent runs"
PLAN = "plans and tasks"
SCHEDULE = "schedules"
STACK = "local stack"
SECTIONS = (RUN, INSPECT, CONTROL, AGENT, PLAN, SCHEDULE, STACK)

Impl = Callable[..., Coroutine[Any, Any, int]]
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class GlobalOption:
    flag: str
    help: str
    type: Any = str
    multiple: bool = False
    metavar: str | None = None
    setting: str | None = None  # the environment variable it stands for, whose words it takes (environment.py)
    secret: bool = False  # its value is masked in all the CLI says, its usage errors too (secret_words.py)

    @property
    def name(self) -> str:
        return self.flag.removeprefix("--").replace("-", "_")


GLOBAL_OPTIONS = (
    GlobalOption("--address", "Temporal frontend host:port (TEMPORAL_ADDRESS, default localhost:7233)", metavar="HOST:PORT", setting="TEMPORAL_ADDRESS"),
    GlobalOption("--namespace", "Temporal namespace (TEMPORAL_NAMESPACE, default 'default')"),
    GlobalOption("--task-queue", "task queue of the worker (ORCHESTRA_TASK_QUEUE, default 'orchestra')"),
    GlobalOption("--api-key", "API key, e.g. for Temporal Cloud (TEMPORAL_API_KEY)", secret=True),
    GlobalOption("--tls-cert", "client certificate for mTLS (TEMPORAL_TLS_CLIENT_CERT_PATH)", metavar="FILE"),
    GlobalOption("--tls-key", "client private key for mTLS (TEMPORAL_TLS_CLIENT_KEY_PATH)", metavar="FILE"),
    GlobalOption("--tls-ca", "server CA certificate (TEMPORAL_TLS_SERVER_CA_CERT_PATH)", metavar="FILE"),
    GlobalOption("--workspace", "directory the file and shell tools are confined to (ORCHESTRA_WORKSPACE)", metavar="DIR", setting="ORCHESTRA_WORKSPACE"),
    GlobalOption("--data-dir", "where `up` keeps the server database, pid files, logs (ORCHESTRA_DATA_DIR)", metavar="DIR", setting="ORCHESTRA_DATA_DIR"),
    GlobalOption("--ui-port", "Web UI port of the dev server `up` starts (ORCHESTRA_UI_PORT)", type=int, metavar="PORT", setting="ORCHESTRA_UI_PORT"),
    GlobalOption("--registry", "extra tool file (YAML/JSON); repeatable (ORCHESTRA_REGISTRY)", multiple=True, metavar="FILE"),
)  # fmt: skip

GLOBALS_NOTE = (
    "Connection and settings options (--address, --namespace, --task-queue, --api-key, --tls-*, --workspace, "
    "--data-dir, --ui-port, --registry) may also come after the command: see `client.py --help`."
)


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Keep a global option's value where the command will find it, whichever position it came in."""
    if value is None or value == ():
        return value
    setting = next((o.setting for o in GLOBAL_OPTIONS if o.name == param.name), None)
    if setting is not None:  # as strictly as its variable: --ui-port 99999 or --data-dir on a file went through
        try:
            checked = environment.value(setting, {setting: str(value)})
        except environment.SettingError:
            # As its variable's refusal says it: why (a host holding a '/'), and the word as it may be shown.
            kind = environment.SETTINGS[setting]
            raise click.BadParameter(f"{kind.shown(str(value))}: {environment.why_refused(kind, str(value))}") from None
        value = value if checked is None or isinstance(value, int) else checked
    store: dict[str, Any] = ctx.find_root().meta.setdefault(GLOBALS_KEY, {})
    if isinstance(value, tuple):
        store[param.name or ""] = [*store.get(param.name or "", []), *value]
    else:
        store[param.name or ""] = value
    return value


def global_params(*, hidden: bool) -> list[click.Parameter]:
    return [
        click.Option(
            [o.flag], type=o.type, multiple=o.multiple, metavar=o.metavar, help=o.help, hidden=hidden,
            expose_value=False, callback=_remember,
        )
        for o in GLOBAL_OPTIONS
    ]  # fmt: skip


class SectionedGroup(click.Group):
    """Lists its commands under section headings, in registration order."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        by_section: dict[str, list[tuple[str, str]]] = {}
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is None or cmd.hidden:
                continue
            section = getattr(cmd, "section", "") or "commands"
            by_section.setdefault(section, []).append((name, cmd.get_short_help_str(limit=100)))
        order = [s for s in SECTIONS if s in by_section] + [s for s in by_section if s not in SECTIONS]
        for section in order:
            with formatter.section(section):
                formatter.write_dl(by_section[section])


ROOT = SectionedGroup(
    name="client.py",
    params=global_params(hidden=False),
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110},
)


@dataclass
class Pending:
    """What a parsed command line asks for: the command's coroutine function and its typed options."""

    impl: Impl
    kwargs: dict[str, Any]
    globals: dict[str, Any] = field(default_factory=dict)
    bounded: bool = False  # the command ends by itself soon, waiting on no run (app.main, orchestra/collector.py)


def command(
    name: str, *, section: str = "", help: str | None = None, parent: click.Group | None = None, bounded: bool = False
) -> Callable[[F], F]:
    """Register an ``async def impl(ctx, **options) -> int`` as the command ``name`` (options declared
    with click's decorators below this one); returns ``impl`` unchanged. ``bounded``: it computes,
    prints and ends, following no run (`plan`): the CLI process runs it without garbage collection."""

    def wrap(impl: F) -> F:
        def callback(**kwargs: Any) -> Pending:
            stored = click.get_current_context().find_root().meta.get(GLOBALS_KEY, {})
            return Pending(impl, kwargs, dict(stored), bounded)

        params: list[click.Parameter] = list(reversed(getattr(impl, "__click_params__", [])))
        text = help or (impl.__doc__ or "").strip()
        cmd = click.Command(
            name, callback=callback, params=[*params, *global_params(hidden=True)], help=text,
            short_help=text.split("\n")[0], epilog=GLOBALS_NOTE,
            context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110},
        )  # fmt: skip
        cmd.section = section  # type: ignore[attr-defined]
        (parent or ROOT).add_command(cmd)
        return impl

    return wrap


def group(name: str, *, section: str, help: str) -> click.Group:
    """A command with actions (``schedule create``, ``schedule list`` ...); register them with ``parent=``."""
    sub = SectionedGroup(name, help=help, short_help=help, params=global_params(hidden=True))
    sub.section = section  # type: ignore[attr-defined]
    ROOT.add_command(sub)
    return sub


def utf8_text(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``value`` if it is UTF-8 text. Bytes that are not reach Python as half surrogate pairs, which no id
    or text a run carries can hold: the request failed in the client, with a traceback."""
    if value is not None and any("\ud800" <= c <= "\udfff" for c in value):
        raise click.BadParameter(f"it holds bytes that are not UTF-8 text: {first_not_utf8(value)}", param=param)
    return value


PLAN_SUFFIXES = (".yaml", ".yml", ".json")


def task_text(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A task in words as ``utf8_text`` takes it, and not the name of a plan file: `run plan.yaml` planned the words
    'plan.yaml' ("no action found in the task"), whatever the file held."""
    value = utf8_text(ctx, param, value)
    if value is not None and value.lower().endswith(PLAN_SUFFIXES):
        from pathlib import Path

        if Path(value).is_file():
            # Whole, not cut: the command it suggests must run as shown.
            raise click.BadParameter(
                f"{one_line(value)} is a plan file, not a task in words: `python client.py run --plan "
                f"{one_line(value)}` runs it, `validate --plan` checks it",
                param=param,
            )
    return value


def first_not_utf8(value: str) -> str:
    """Where the argument's bytes stop being UTF-8, as a plan file's are said (byte and offset): the half surrogate
    pairs click would have shown are '?' on a terminal, which said neither what nor where."""
    try:
        data = value.encode(errors="surrogateescape")
        data.decode()
    except UnicodeEncodeError as exc:  # a half surrogate pair no byte made (not from the command line)
        return f"character {exc.start} is half of a surrogate pair, which UTF-8 cannot hold"
    except UnicodeDecodeError as exc:
        return f"byte 0x{data[exc.start]:02X} at byte offset {exc.start} is not valid UTF-8"
    return "it cannot be read as UTF-8"


# Options several commands share. Each keeps one name and one help text everywhere.
json_option = click.option("--json", "as_json", is_flag=True, help="print JSON (for scripts) instead of tables")


def id_text(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A run's or a schedule's id as ``utf8_text`` takes it, and not blank: Temporal refused an empty one
    only once asked ("WorkflowId is not set on request", exit 1, as if the command had failed to act)."""
    value = utf8_text(ctx, param, value)
    if value is not None and not value.strip():
        raise click.BadParameter("an id cannot be empty", param=param)
    # Nor longer than any run's or schedule's can be: Temporal was asked, and its refusal (or "no such
    # run") echoed all of it, 2,000 characters and more, as a failure to act (exit 1).
    if value is None:
        return value
    # Imported here: help and usage errors print without pydantic (tests/cli/test_output.py).
    from orchestra.temporal_bounds import MAX_ID_LENGTH

    size = len(value.encode(errors="surrogateescape"))
    if size > MAX_ID_LENGTH:
        raise click.BadParameter(
            f"an id is at most {MAX_ID_LENGTH:,} bytes in UTF-8 (limit.maxIDLength); this one is"
            f" {len(value):,} characters, {size:,} bytes ({one_line(value, 40)})",
            param=param,
        )
    return value


workflow_id_argument = click.argument("workflow_id", metavar="ID", callback=id_text)
id_option = click.option(
    "--id", "workflow_id", metavar="ID", callback=id_text, help="workflow id (default <kind>-<name>-<random>)"
)
inputs_option = click.option(
    "--input", "inputs", multiple=True, metavar="K=V", help="plan input; a value that parses as JSON keeps its type"
)


def plan_option(*, required: bool) -> Callable[[F], F]:
    return click.option(
        "--plan",
        "plan_file",
        required=required,
        metavar="FILE",
        help="plan file (YAML or JSON); - reads it from standard input",
    )


def choice(values: Sequence[str]) -> click.Choice[str]:
    return click.Choice(list(values))


async def write_out(path: str, text: str) -> None:
    """Write ``text`` to the file an ``--out`` option names; a CliError naming the file and why it cannot
    be written (a folder that does not exist, a folder, no permission), never a traceback."""
    import asyncio
    from pathlib import Path

    from orchestra.cli.errors import EXIT_INVALID, CliError

    try:
        await asyncio.to_thread(Path(path).write_text, text)
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}", EXIT_INVALID) from None
