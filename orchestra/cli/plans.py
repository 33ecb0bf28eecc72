"""A plan file loaded and validated whole (the plan module's loader, the registry's check) before
anything starts: for `run`, `start`, `validate`, `plan --out`, `schedule create` and `demo`. Needs no
server, and imports nothing of Temporal's."""

from __future__ import annotations

import json
from typing import Any

from orchestra.cli.context import Context
from orchestra.cli.errors import EXIT_INVALID, CliError, problem_lines
from orchestra.documents import DuplicateKey, too_many_digits, unique_keys
from orchestra.errors import PlanValidationError
from orchestra.plan import Plan, load_plan
from orchestra.registry import ToolRegistry, default_registry
from orchestra.text import did_you_mean, one_line, plural
from orchestra.validation import PreparedPlan, prepare_plan


def parse_inputs(pairs: tuple[str, ...] | list[str] | None) -> dict[str, Any]:
    """``k=v`` pairs; a value that parses as JSON keeps its type (``n=3`` is a number)."""
    inputs: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise CliError(f"--input expects key=value, got {pair!r}", EXIT_INVALID)
        try:
            inputs[key.strip()] = json.loads(raw, parse_constant=_not_json, object_pairs_hook=unique_keys)
        except json.JSONDecodeError:
            inputs[key.strip()] = raw
        except DuplicateKey as exc:
            raise CliError(f"--input {key.strip()}: {exc}", EXIT_INVALID) from None
        except ValueError:  # a number of more digits than Python reads: text would surprise whoever wrote it
            problem = too_many_digits(raw)
            raise CliError(
                f"--input {key.strip()}: {problem}; give it as a JSON string ({key.strip()}='\"…\"') to pass text",
                EXIT_INVALID,
            ) from None
        except RecursionError:
            raise CliError(f"--input {key.strip()}: nested deeper than the JSON parser goes", EXIT_INVALID) from None
    return inputs


def _not_json(constant: str) -> Any:
    """NaN and Infinity are no JSON: such a value is taken as text, like any other that is not JSON."""
    raise json.JSONDecodeError(f"{constant} is not JSON", constant, 0)


def registry_for(ctx: Context, *, support_tools: bool = False, refresh_mcp: bool = False) -> ToolRegistry:
    try:
        registry = default_registry(ctx.settings.registry_files, settings=ctx.settings, refresh_mcp=refresh_mcp)
    except Exception as exc:  # a broken tool file is a bad-input problem too
        raise CliError(f"cannot load the tool registry: {exc}", EXIT_INVALID) from None
    if support_tools:
        from orchestra.tools.cleanup import with_support_tools

        with_support_tools(registry)
    return registry


class InvalidPlan(CliError):
    """A plan that did not pass validation: every problem, each naming its node."""

    def __init__(self, source: str, problems: list[str]) -> None:
        lines = [f"{source} is invalid ({plural(len(problems), 'problem')}):", *problem_lines(problems)]
        super().__init__("\n".join([*lines, "nothing was started."]), EXIT_INVALID)
        self.problems = problems


def invalid(source: str, problems: list[str]) -> InvalidPlan:
    return InvalidPlan(source, problems)


def checked_plan(ctx: Context, path: str, inputs: tuple[str, ...] | list[str] | None = None) -> PreparedPlan:
    """Load and validate the plan against the registry and the server's limits; on problems list each
    one and stop (exit 2)."""
    from orchestra.limits import check_limits

    registry = registry_for(ctx)
    given = parse_inputs(inputs)
    try:
        plan = load_plan(path, None, ctx.settings)
        _check_inputs_taken(plan, given)
        prepared = prepare_plan(plan.model_copy(update={"inputs": {**plan.inputs, **given}}), registry)
        check_limits(prepared, ctx.settings)
    except PlanValidationError as exc:
        raise invalid(plan_named(path), exc.problems) from None
    return prepared


def plan_named(path: str) -> str:
    """The plan file ``path`` as a message names it: 'plan -' said nothing of where the plan came from."""
    from orchestra.plan_file import STDIN, source_name

    return f"the plan from {source_name(path)}" if path == STDIN else f"plan {path}"


async def checked_plan_interruptible(
    ctx: Context, path: str, inputs: tuple[str, ...] | list[str] | None = None
) -> PreparedPlan:
    """``checked_plan`` in a thread of its own, which the process does not wait for: on the event loop, a
    Ctrl-C during the validation of a large plan (60,000 steps: 13 to 20 s) waited for its end, printed
    all it found, then exited 130."""
    import asyncio
    import contextlib
    import threading

    loop = asyncio.get_running_loop()
    done: asyncio.Future[PreparedPlan] = loop.create_future()

    def settle(prepared: PreparedPlan | None, failure: BaseException | None) -> None:
        if done.cancelled():
            return
        if failure is not None:
            done.set_exception(failure)
        else:
            assert prepared is not None
            done.set_result(prepared)

    def work() -> None:
        try:
            outcome: tuple[PreparedPlan | None, BaseException | None] = (checked_plan(ctx, path, inputs), None)
        except BaseException as exc:  # handed to the command as it is: an invalid plan, a bad file...
            outcome = (None, exc)
        with contextlib.suppress(RuntimeError):  # the loop is closed: the command ended (Ctrl-C)
            loop.call_soon_threadsafe(settle, *outcome)

    threading.Thread(target=work, name="validate plan", daemon=True).start()
    return await done


def _check_inputs_taken(plan: Plan, given: dict[str, Any]) -> None:
    """An ``--input`` the plan neither declares nor refers to was added unseen: a misspelt name left
    the plan running on its default (``--input tilte=X``)."""
    from orchestra.references import INPUTS, iter_references

    taken = set(plan.inputs) | {path[0] for root, path in iter_references(plan.model_dump()) if root == INPUTS and path}
    problems = [
        f"--input {name!r}: the plan takes no input of that name{did_you_mean(name, taken)}; "
        f"its inputs: {', '.join(sorted(taken)) or 'none'}"
        for name in given
        if name not in taken
    ]
    if problems:
        raise PlanValidationError(problems)


def checked(ctx: Context, plan: Plan, source: str, *, support_tools: bool = False) -> PreparedPlan:
    # Imported here: the run record it reads limits from is no part of `plan` without --out.
    from orchestra.limits import check_limits

    try:
        prepared = prepare_plan(plan, registry_for(ctx, support_tools=support_tools))
        check_limits(prepared, ctx.settings)
    except PlanValidationError as exc:
        raise invalid(source, exc.problems) from None
    return prepared


# What `validate` lists of a plan's phases: a plan of 5,000 steps named them all on one 60 KB line.
PHASES_SHOWN = 20
STEPS_SHOWN = 10


def phase_lines(prepared: PreparedPlan) -> list[str]:
    """Each phase's first steps (id and tool), with how many more; the first phases, with how many more."""
    plan = prepared.plan
    lines = []
    for i, phase in enumerate(prepared.phases[:PHASES_SHOWN]):
        steps = ", ".join(f"{one_line(n, 60)} ({one_line(plan.node(n).tool, 60)})" for n in phase[:STEPS_SHOWN])
        more = f", and {plural(len(phase) - STEPS_SHOWN, 'more step')}" if len(phase) > STEPS_SHOWN else ""
        lines.append(f"phase {i}: {steps}{more}")
    if len(prepared.phases) > PHASES_SHOWN:
        lines.append(f"... and {plural(len(prepared.phases) - PHASES_SHOWN, 'more phase')} (--json lists them all)")
    return lines


def plan_summary(prepared: PreparedPlan) -> str:
    plan = prepared.plan
    return f"plan {one_line(plan.name)}: {plural(len(plan.nodes), 'step')} in {plural(len(prepared.phases), 'phase')}"
