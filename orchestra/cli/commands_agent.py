"""`agent "TASK"`: start AgentWorkflow and stream its steps until it ends; `trajectory ID`: export a
run's whole trajectory (every step of every run of its continue-as-new chain, rebuilt from the runs'
histories: orchestra/cli/agent_chain.py) as JSON.

Wiring (app.py): ``commands_agent.register(sub, parents=[common])``. The model is called by the worker,
which reads ORCHESTRA_LLM_*; the command checks the same variables first (``llm_setup_problem``) so an
unconfigured setup gets instructions, not a run that fails at its first step.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from temporalio.client import WorkflowFailureError, WorkflowQueryFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError

from orchestra.agent.models import AgentExecution, AgentLimits, AgentRequest, Strategy
from orchestra.agent.progress import call_line, one_line
from orchestra.agent.trajectory import export
from orchestra.cli.agent_chain import ChainError, whole_record
from orchestra.cli.context import Context, rpc_problem
from orchestra.cli.errors import EXIT_FAILED, EXIT_INVALID, EXIT_OK, CliError
from orchestra.cli.observe import NO_WORKER_HINT_AFTER_S, POLL_INTERVAL_S, QUERY_TIMEOUT, RunStatus, describe
from orchestra.record import FINISHED_STEP_STATES, AgentState

WORKFLOW_TYPE = "AgentWorkflow"

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


def require_llm(env: Mapping[str, str] | None = None) -> None:
    problem = llm_setup_problem(env)
    if problem:
        raise CliError(problem, EXIT_INVALID)


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], parents: Sequence[argparse.ArgumentParser] = ()
) -> None:
    text = "let an LLM agent do a task with the tools, as a durable workflow; streams each step"
    p = subparsers.add_parser("agent", parents=list(parents), help=text, description=text)
    p.add_argument("task", metavar="TASK", help='e.g. "count the lines of notes.txt and write the number to n.txt"')
    p.add_argument(
        "--strategy",
        choices=[s.value for s in Strategy],
        default=Strategy.SMART.value,
        help="how one reply's tool calls run (default smart: dependent calls in order, others at once)",
    )
    p.add_argument("--max-steps", type=int, default=20, metavar="N", help="model steps before giving up (default 20)")
    p.add_argument("--max-parallel", type=int, default=5, metavar="N", help="tool calls at once (default 5)")
    p.add_argument("--batch-size", type=int, default=3, metavar="N", help="calls per batch with --strategy batch")
    p.add_argument("--tools", metavar="A,B,C", help="the tools the agent may use (default: all)")
    p.add_argument("--system-prompt", metavar="FILE", help="a file with the system prompt to use instead of ours")
    p.add_argument("--stop-on-error", action="store_true", help="a failed call stops the rest of its step's calls")
    p.add_argument("--id", help="workflow id (default agent-<random>)")
    p.add_argument("--json", action="store_true", help="print the final record as JSON (progress to stderr)")
    p.set_defaults(handler=cmd_agent)
    text = "export an agent run's trajectory (messages, calls, results, timing, tokens) as JSON"
    t = subparsers.add_parser("trajectory", parents=list(parents), help=text, description=text)
    t.add_argument("workflow_id", metavar="ID")
    t.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    t.set_defaults(handler=cmd_trajectory)


def request_from(args: argparse.Namespace) -> AgentRequest:
    values: dict[str, Any] = {
        "task": args.task,
        "strategy": args.strategy,
        "continue_on_error": not args.stop_on_error,
        "tools": [t.strip() for t in args.tools.split(",") if t.strip()] if args.tools else None,
    }
    if args.system_prompt:
        try:
            values["system_prompt"] = Path(args.system_prompt).read_text()
        except OSError as exc:
            raise CliError(f"cannot read the system prompt: {exc}", EXIT_INVALID) from None
    try:
        values["limits"] = AgentLimits(
            max_steps=args.max_steps, max_parallel=args.max_parallel, batch_size=args.batch_size
        )
        return AgentRequest.model_validate(values)
    except ValidationError as exc:
        raise CliError(f"invalid agent options: {exc}", EXIT_INVALID) from None


async def cmd_agent(ctx: Context) -> int:
    require_llm()
    request = request_from(ctx.args)
    client = await ctx.client()
    workflow_id = ctx.args.id or f"agent-{uuid.uuid4().hex[:12]}"
    stream = ctx.err if ctx.args.json else ctx.out
    try:
        await client.start_workflow(
            WORKFLOW_TYPE, request, id=workflow_id, task_queue=ctx.settings.task_queue,
            static_summary=f"agent: {one_line(request.task, 180)}",
        )  # fmt: skip
    except RPCError as exc:
        raise rpc_problem(exc, ctx.settings, workflow_id) from None
    print(f"started {workflow_id} — {ctx.ui_url(workflow_id)}", file=stream, flush=True)
    printer = StepPrinter(stream)
    silent_since, hinted = time.monotonic(), False
    while True:
        status = await describe(ctx, workflow_id)
        record = await agent_record(ctx, status)
        if record is not None:
            printer.update(record)
            silent_since = time.monotonic()
        elif not hinted and time.monotonic() - silent_since > NO_WORKER_HINT_AFTER_S:
            hinted = True
            ctx.note(f"  … no answer from the run yet: is a worker polling task queue {status.task_queue!r}?")
        if status.closed:
            break
        await asyncio.sleep(POLL_INTERVAL_S)
    if record is None:
        raise CliError(f"run {workflow_id} ended ({status.name}) and its record could not be read")
    if ctx.args.json:
        ctx.say(record.model_dump_json(indent=2))
    else:
        ctx.say(summary(record))
    return EXIT_OK if record.success and record.state == AgentState.COMPLETED else EXIT_FAILED


async def cmd_trajectory(ctx: Context) -> int:
    status = await describe(ctx, ctx.args.workflow_id)
    if status.workflow_type != WORKFLOW_TYPE:
        raise CliError(f"{status.workflow_id} is a {status.workflow_type} run, not an agent run", EXIT_INVALID)
    client = await ctx.client()
    try:
        record = await whole_record(client, status.workflow_id, status.run_id)
    except ChainError as exc:
        raise CliError(str(exc)) from None
    except RPCError as exc:
        raise rpc_problem(exc, ctx.settings, status.workflow_id) from None
    text = json.dumps(export(record), indent=2)
    if ctx.args.out:
        await asyncio.to_thread(Path(ctx.args.out).write_text, text + "\n")
        runs = f"{len(record.runs)} run(s)"
        ctx.note(f"wrote {len(record.steps)} steps ({runs}) of {status.workflow_id} to {ctx.args.out}")
    else:
        ctx.say(text)
    return EXIT_OK


async def agent_record(ctx: Context, status: RunStatus) -> AgentExecution | None:
    """The record of the chain's latest run: its result or failure details once closed (no worker needed),
    else the ``record`` query (which a worker answers, for closed runs too)."""
    client = await ctx.client()
    handle = client.get_workflow_handle(status.workflow_id, run_id=status.run_id, result_type=AgentExecution)
    if status.closed:
        try:
            result = await handle.result(follow_runs=False)
            if isinstance(result, AgentExecution):
                return result
        except WorkflowFailureError as failure:
            cause = failure.cause
            if isinstance(cause, ApplicationError) and (cause.type or "").startswith("agent_") and cause.details:
                return AgentExecution.model_validate(cause.details[0])
        except RPCError as exc:
            raise rpc_problem(exc, ctx.settings, status.workflow_id) from None
    try:
        value = await handle.query("record", result_type=AgentExecution, rpc_timeout=QUERY_TIMEOUT)
    except (RPCError, WorkflowQueryFailedError, ValueError, RuntimeError):
        return None
    return value if isinstance(value, AgentExecution) else None


class StepPrinter:
    """Prints each step's thinking, calls and results once, as they become known."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.seen: set[str] = set()

    def _once(self, key: str, text: str) -> None:
        if key not in self.seen:
            self.seen.add(key)
            print(text, file=self.stream, flush=True)

    def update(self, record: AgentExecution) -> None:
        for step in record.steps:
            if step.llm_attempts or step.thinking is not None or step.tool_calls:
                self._once(f"{step.number}", f"step {step.number}: {one_line(step.thinking, 160) or '(no text)'}")
            for call in step.tool_calls:
                if call.approval and call.approval.status.value == "waiting":
                    self._once(f"{step.number}.{call.call_id}.approval",
                               f"  ⏸ waiting for approval: {call.tool}({one_line(call.arguments, 80)}) — update "
                               f"`approve` or `reject` with {{\"call_id\": \"{call.call_id}\"}} (Temporal UI or CLI)")  # fmt: skip
                if call.state in FINISHED_STEP_STATES:
                    self._once(f"{step.number}.{call.call_id}", f"  → {call_line(call)}")
            for key, note in (("reflection", step.reflection), ("feedback", step.feedback)):
                if note and step.state in FINISHED_STEP_STATES:
                    self._once(f"{step.number}.{key}", f"  (told the model: {one_line(note, 100)})")


def summary(record: AgentExecution) -> str:
    t = record.totals
    head = f"{record.state.value.upper()} after {record.step_count} steps ({record.run_count} run(s))"
    tokens = (
        f"tokens {t.total_tokens} (prompt {t.prompt_tokens}, completion {t.completion_tokens}, "
        f"cached {t.cached_tokens}, reasoning {t.reasoning_tokens})"
    )
    lines = [head, tokens]
    if record.final_result:
        lines.append(f"result: {record.final_result}")
    if record.error:
        lines.append(f"error: {record.error.message}")
    return "\n".join(lines)
