"""`agent "TASK"`: start an AgentWorkflow and stream its steps until it ends; `trajectory ID`: export an
agent run's whole trajectory (every step of every run of its continue-as-new chain, rebuilt from the
runs' histories: orchestra/cli/agent_chain.py) as JSON.

The model is called by the worker, which reads ORCHESTRA_LLM_*; the command checks the same variables
first (``llm_setup_problem``) so an unconfigured setup gets instructions, not a run that fails at its
first step.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import click

from orchestra.cli.errors import EXIT_INVALID, EXIT_OK, CliError, by_flag
from orchestra.cli.naming import named
from orchestra.cli.options import AGENT, command, id_option, json_option, utf8_text, workflow_id_argument, write_out

if TYPE_CHECKING:
    from orchestra.agent.models import AgentRequest
    from orchestra.cli.context import Context

STRATEGIES = ("sequential", "parallel", "smart", "batch")
MAX_SYSTEM_PROMPT_BYTES = 256 * 1024

LLM_HELP = """\
agent mode needs an OpenAI-compatible chat model, and none is configured.
Set these variables (for the worker too, which makes the calls):

  ORCHESTRA_LLM_BASE_URL   the API's base URL, ending in /v1 (or OPENAI_BASE_URL)
  ORCHESTRA_LLM_MODEL      the model name (default gpt-4o-mini)
  ORCHESTRA_LLM_API_KEY    the API key, if the server wants one (or OPENAI_API_KEY)

OpenAI:
  export ORCHESTRA_LLM_BASE_URL=https://api.openai.com/v1
  export ORCHESTRA_LLM_MODEL=gpt-4o-mini
  export ORCHESTRA_LLM_API_KEY=sk-...

a local Ollama (or vLLM: --base-url http://localhost:8000/v1 and the model it serves):
  export ORCHESTRA_LLM_BASE_URL=http://localhost:11434/v1
  export ORCHESTRA_LLM_MODEL=qwen2.5:7b

The model must support tool calling. Then restart the worker and run the command again."""


def llm_setup_problem(env: Mapping[str, str] | None = None) -> str | None:
    """Instructions when no LLM endpoint is configured in ``env`` (default: the environment), else None."""
    env = os.environ if env is None else env
    names = ("ORCHESTRA_LLM_BASE_URL", "OPENAI_BASE_URL", "ORCHESTRA_LLM_API_KEY", "OPENAI_API_KEY")
    return None if any((env.get(n) or "").strip() for n in names) else LLM_HELP


@command(
    "agent", section=AGENT, help="let an LLM agent do a task with the tools, as a durable workflow; streams each step"
)
@click.argument("task", metavar="TASK", callback=utf8_text)
@click.option(
    "--strategy",
    type=click.Choice(STRATEGIES),
    default="smart",
    show_default=True,
    help="how one reply's tool calls run (smart: dependent calls in order, others at once)",
)
@click.option("--max-steps", type=int, default=20, show_default=True, metavar="N", help="model steps before giving up")
@click.option("--max-parallel", type=int, default=5, show_default=True, metavar="N", help="tool calls at once")
@click.option(
    "--batch-size", type=int, default=3, show_default=True, metavar="N", help="calls per batch (--strategy batch)"
)
@click.option("--tools", metavar="A,B,C", help="the tools the agent may use (default: all)")
@click.option("--system-prompt", metavar="FILE", help="a file with the system prompt to use instead of ours")
@click.option("--stop-on-error", is_flag=True, help="a failed call stops the rest of its step's calls")
@click.option("--approval-timeout", metavar="DURATION", help="how long a call needing approval waits (default 1h)")
@click.option(
    "--approval-default",
    type=click.Choice(["approve", "reject"]),
    help="what a call gets when nobody decides in time (default reject)",
)
@click.option("--model-timeout", metavar="DURATION", help="time limit of one model call (default 2m)")
@click.option("--context-tokens", type=int, metavar="N", help="the model's context window in tokens (default 32000)")
@click.option("--max-output-tokens", type=int, metavar="N", help="max_tokens of each model call (default: the model's)")
@id_option
@json_option
async def agent(ctx: Context, task: str, workflow_id: str | None, as_json: bool, **options: Any) -> int:  # fmt: skip
    from orchestra.cli import launch
    from orchestra.cli.runs import WORKFLOW_TYPES, Kind
    from orchestra.text import one_line

    problem = llm_setup_problem()
    if problem:
        raise CliError(problem, EXIT_INVALID)
    request = request_from(task, options)
    started = await launch.start_workflow(
        ctx, WORKFLOW_TYPES[Kind.AGENT], [request], workflow_id or launch.new_id("agent", task[:40]),
        f"agent: {one_line(request.task, 180)}",
    )  # fmt: skip
    return await launch.follow_and_report(ctx, started, as_json=as_json, announce=True)


def tool_names(option: str | None) -> list[str] | None:
    """``--tools A,B,C`` as a list without repeats; None (every tool) only when the option is left out: an
    empty value (``--tools "$TOOLS"`` with nothing in it) gave the agent every tool, shell and all."""
    if option is None:
        return None
    names = list(dict.fromkeys(name.strip() for name in option.split(",") if name.strip()))
    if not names:
        raise CliError(
            f"--tools {option!r} names no tool: give one or more (--tools A,B,C), or leave it out for every tool",
            EXIT_INVALID,
        )
    return names


def request_from(task: str, options: dict[str, Any]) -> AgentRequest:
    from pathlib import Path

    from pydantic import ValidationError

    from orchestra.agent.models import AgentLimits, AgentRequest
    from orchestra.cli.durations import parse_duration
    from orchestra.regular_file import NotARegularFile, read_regular_at_most
    from orchestra.utf8_text import NotUtf8Text, utf8_text

    values: dict[str, Any] = {
        "task": task,
        "strategy": options["strategy"],
        "continue_on_error": not options["stop_on_error"],
        "tools": tool_names(options["tools"]),
    }
    if options["system_prompt"]:
        try:
            # A regular file only, as `--plan`'s: a FIFO nobody writes to blocked the open for ever.
            prompt = read_regular_at_most(Path(options["system_prompt"]), MAX_SYSTEM_PROMPT_BYTES + 1)
            if len(prompt) > MAX_SYSTEM_PROMPT_BYTES:  # first: the cut may split a character in two
                raise CliError(
                    f"the system prompt is longer than {MAX_SYSTEM_PROMPT_BYTES:,} bytes: it is sent with every "
                    "model call",
                    EXIT_INVALID,
                )
            values["system_prompt"] = utf8_text(prompt)
        except OSError as exc:
            # As `--plan`'s file is said (plan_file.read_plan_document): the reason, not Python's "[Errno 2] …: 'path'".
            what = f"system prompt file {options['system_prompt']}"
            raise CliError(f"cannot read {what}: {exc.strerror or exc}", EXIT_INVALID) from None
        except NotARegularFile as exc:
            raise CliError(f"{exc}; give a file holding the system prompt", EXIT_INVALID) from None
        except NotUtf8Text as exc:  # as a plan file's is said: the byte, its offset, line and column
            raise CliError(
                f"{options['system_prompt']}: {exc}; the system prompt must be UTF-8", EXIT_INVALID
            ) from None
    limits: dict[str, Any] = {}
    for option, field in LIMIT_FIELDS.items():
        if option in DURATIONS:
            if options[option]:
                limits[field] = parse_duration(options[option]).total_seconds()
        elif options[option] is not None:
            limits[field] = options[option]
    flags = {field: "--" + option.replace("_", "-") for option, field in LIMIT_FIELDS.items()}
    typed = {field: options[option] for option, field in LIMIT_FIELDS.items()}
    try:
        values["limits"] = AgentLimits.model_validate(limits)
        return AgentRequest.model_validate(values)
    except ValidationError as exc:
        problems = by_flag(exc, flags | REQUEST_FLAGS, typed)
        raise CliError(f"invalid agent options: {'; '.join(problems)}", EXIT_INVALID) from None


# Each limit's option (click's name) and the AgentLimits field it sets.
LIMIT_FIELDS = {
    "max_steps": "max_steps", "max_parallel": "max_parallel", "batch_size": "batch_size",
    "approval_timeout": "approval_timeout_s", "model_timeout": "llm_timeout_s",
    "approval_default": "approval_default", "context_tokens": "context_tokens",
    "max_output_tokens": "max_output_tokens",
}  # fmt: skip
DURATIONS = {"approval_timeout", "model_timeout"}
REQUEST_FLAGS = {"task": "TASK", "strategy": "--strategy", "tools": "--tools", "system_prompt": "--system-prompt"}


@command(
    "trajectory",
    section=AGENT,
    help="export an agent run's trajectory (messages, calls, results, timing, tokens) as JSON",
)
@workflow_id_argument
@click.option("--out", metavar="FILE", help="write to FILE instead of standard output")
@json_option  # JSON with or without it: taken, as by every command that reads, rather than a usage error
async def trajectory(ctx: Context, workflow_id: str, out: str | None, as_json: bool) -> int:
    import json

    from temporalio.service import RPCError

    from orchestra.agent.trajectory import export
    from orchestra.cli import runs
    from orchestra.cli.agent_chain import ChainError, whole_record
    from orchestra.cli.context import rpc_problem, run_missing
    from orchestra.cli.json_output import print_json
    from orchestra.cli.replayed import InputUnreadableHere
    from orchestra.text import plural

    status = await runs.describe(ctx, workflow_id)
    if status.kind != runs.Kind.AGENT:
        raise CliError(f"{named(status.workflow_id)} is a {status.kind.value} run, not an agent run", EXIT_INVALID)
    client = await ctx.client()
    try:
        record = await whole_record(
            client,
            status.workflow_id,
            status.run_id,
            None if status.closed or status.natively_paused else ctx.note,
            ctx.settings.task_queue,
        )
    except ChainError as exc:
        raise CliError(str(exc)) from None
    except InputUnreadableHere as exc:
        raise CliError(f"{named(status.workflow_id)}: {exc}") from None
    except RPCError as exc:  # its latest run was just described: one before it is gone
        raise rpc_problem(exc, ctx.settings, missing=run_missing(status.workflow_id)) from None
    if status.closed:
        runs.ended_with_the_run(record, status)
    text = json.dumps(export(record), indent=2)
    if out:
        await write_out(out, text + "\n")
        ctx.note(
            f"wrote {plural(len(record.steps), 'step')} ({plural(len(record.runs), 'run')}) of {status.workflow_id} to {out}"
        )
        if as_json:  # stdout held nothing: a script asking for JSON got no document at all
            print_json(ctx, {"wrote": out, "steps": len(record.steps)})
    else:
        ctx.json_printed = True  # stdout holds the trajectory: a failure after it adds no second document
        ctx.say(text)
    return EXIT_OK
