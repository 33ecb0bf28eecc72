"""Everything the CLI shows a person or a script: tables (rich), JSON and run records of every kind —
one module, so every command looks the same (live progress: progress.py).

Tables fit the terminal's width and wrap or cut their widest column; into a pipe or a file they keep
rows whole (context.console_for). Colours follow rich's rules (off without a terminal, NO_COLOR,
FORCE_COLOR). ``--json`` output is plain ``json`` on stdout, never styled or wrapped (json_output.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from orchestra.cli.errors import PROBLEM_CHARS
from orchestra.cli.json_output import print_json as print_json  # the commands' one way to print JSON
from orchestra.cli.naming import argument, named
from orchestra.text import STEP_ICON, duration, one_line, plural

if TYPE_CHECKING:  # the record is imported where a run is shown: `plan` starts without Temporal's SDK
    from orchestra.agent.models import AgentExecution
    from orchestra.cli.context import Context
    from orchestra.cli.runs import RunView
    from orchestra.planning.models import PlanningResult
    from orchestra.record import ExecutionRecord, RunRecord, StepRecord, StepState, UndoGap

# By StepState's values (a StrEnum equals its value), like orchestra.text's icons.
STYLE = {"completed": "green", "error": "red", "calling_tool": "cyan", "cancelled": "yellow",
         "skipped": "dim"}  # fmt: skip
NAME_MIN_WIDTH = 16
NATIVE = "native Temporal pause"
NATIVE_PAUSE = f"PAUSED ({NATIVE})"


# ---- small formatting ----------------------------------------------------------------------------


def preview(value: Any, width: int = 60) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
    return one_line(text, width)


def clock(value: datetime | None) -> str:
    """Time of day with milliseconds (UTC): enough to compare steps of one run."""
    return value.strftime("%H:%M:%S.%f")[:-3] if value else ""


def when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else ""


# ---- tables and JSON -----------------------------------------------------------------------------


def table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], *, wide: Sequence[str] = (), names: Sequence[str] = ()
) -> Table:
    """A table without borders (a rule under the header). Columns named in ``wide`` (long texts) and in
    ``names`` (ids and names, which are never cut) wrap onto more lines when the terminal is too narrow;
    the others stay on one line and are cut with an ellipsis."""
    grid = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold", expand=False)
    cells = [[cell if isinstance(cell, Text) else Text(str(cell)) for cell in row] for row in rows]
    for i, header in enumerate(headers):
        if header in names:  # as wide as its longest name up to NAME_MIN_WIDTH, however narrow the terminal
            least = max([len(header), *(cell[i].cell_len for cell in cells)])
            grid.add_column(header, overflow="fold", ratio=1, min_width=min(least, NAME_MIN_WIDTH))
        elif header in wide:
            grid.add_column(header, overflow="fold", ratio=1)
        else:
            grid.add_column(header, no_wrap=True, overflow="ellipsis")
    for row_cells in cells:
        grid.add_row(*row_cells)
    return grid


def show(ctx: Context, *renderables: RenderableType | str, stream: TextIO | None = None) -> None:
    console = ctx.console(stream)
    for item in renderables:
        console.print(Text(item) if isinstance(item, str) else item)


# ---- plan runs -----------------------------------------------------------------------------------


def state_cell(state: StepState) -> Text:
    return Text(f"{STEP_ICON[state]} {state.value}", style=STYLE.get(state, ""))


def step_detail(step: StepRecord) -> str:
    from orchestra.record import StepState

    if step.state == StepState.COMPLETED:
        return preview(step.output, 100)
    if step.error is not None:
        return f"{step.error.type.value}: {one_line(step.error.message, 200)}"
    return step.skip_reason or ""


def step_table(record: ExecutionRecord, steps: Sequence[StepRecord] | None = None) -> Table:
    """``steps`` (default: those the record lists), a row each."""
    rows = [
        [s.node_id, s.tool, state_cell(s.state), str(s.attempts) if s.attempts else "", duration(s.duration_ms), step_detail(s)]
        for s in (record.steps if steps is None else steps)
    ]  # fmt: skip
    headers = ["step", "tool", "state", "attempts", "duration", "output / error"]
    return table(headers, rows, wide=["output / error"], names=["step", "tool"])


def plan_footer(record: ExecutionRecord) -> str:
    m = record.metrics
    # The counts add up to the total: the steps in no other count were left out ("1,991 failed of 3,002" with
    # nothing running or skipped), whether counted pending or never reached (a chain's steps not listed).
    not_started = max(m.pending, m.total_steps - m.completed - m.failed - m.skipped - m.cancelled - m.running)
    return (
        f"{m.completed:,}/{plural(m.total_steps, 'step')} completed · {m.failed:,} failed · {m.skipped:,} skipped · "
        f"{m.cancelled:,} cancelled · {m.running:,} running · {not_started:,} not started · "
        f"{plural(m.retry_count, 'retry', 'retries')}"
    )


def run_state_text(record: ExecutionRecord | AgentExecution, status: str | None, native_pause: bool) -> str:
    reason = record.pause_reason or "no reason given"
    if native_pause:  # the record's own pause fields are the cooperative pause, which may hold it too
        state = f"PAUSED ({NATIVE}; cooperatively paused too: {reason})" if record.paused else NATIVE_PAUSE
    else:
        from orchestra.record import AgentState

        state = record.state.value.upper()
        if record.state == AgentState.PAUSED:
            state += f" (cooperative: {reason})"
    text = f"state {state}"
    if status and status.lower() != record.state.value and not native_pause:
        text += f"  ·  Temporal status {status}"
    if record.execution_time_ms is not None:
        text += f"  ·  {duration(record.execution_time_ms)}"
    return text


def refused_signals(record: RunRecord) -> list[RenderableType]:
    """The signals the run refused and why (orchestra.signal_refusal), oldest first; nothing if none."""
    if not record.refused_signals:
        return []
    lines = [f"{plural(len(record.refused_signals), 'signal')} refused:"]
    for r in record.refused_signals:
        sender = f" (from {one_line(r.sender, 80)})" if r.sender else ""
        lines.append(f"  {clock(r.at)} {one_line(r.signal, 80)}{sender}: {one_line(r.reason, 300)}")
    return [Text("\n".join(lines), style="yellow")]


MAX_UNDO_LINES = 50


def undos(record: ExecutionRecord) -> list[RenderableType]:
    """The undos the run ran after a failure (its steps' compensations): each one's state and, when it did
    not complete, why. Shown nowhere before, so an undo cancelled or failed left the user believing the
    step undone."""
    from orchestra.record import StepState

    undone = [s for s in record.steps if s.compensation is not None]
    if not undone:
        return []
    states = [s.compensation.state for s in undone if s.compensation]
    failed = sum(state in (StepState.ERROR, StepState.CANCELLED) for state in states)
    running = sum(state in (StepState.CALLING_TOOL, StepState.PENDING) for state in states)
    lines = [f"{plural(len(undone), 'undo')} after the failure: {failed:,} failed, {running:,} running:"]
    for step in undone[:MAX_UNDO_LINES]:
        undo = step.compensation
        assert undo is not None
        why = f": {undo.error.type.value}: {one_line(undo.error.message, 200)}" if undo.error is not None else ""
        lines.append(f"  {STEP_ICON[undo.state]} undo {step.node_id} ({undo.tool}): {undo.state.value}{why}")
    if len(undone) > MAX_UNDO_LINES:
        lines.append(f"  … {plural(len(undone) - MAX_UNDO_LINES, 'more undo')} (`result --json` lists every one)")
    return [Text("\n".join(lines), style="red" if failed else "")]


def undos_waiting(record: ExecutionRecord) -> list[RenderableType]:
    """The undos a run paused before its failure holds, and how to go on (only the undos started were listed)."""
    waiting = record.undos_waiting_text()
    if waiting is None:
        return []
    run = argument(record.id)
    go_on = f"`python client.py resume {run}` runs them; `python client.py cancel {run}` leaves them not undone"
    return [Text(f"{one_line(waiting, 600)}: {go_on} (the record says which)", style="yellow")]


def undo_gaps(record: ExecutionRecord) -> list[RenderableType]:
    """What a failed run's compensation left not undone, or undid without a record of how, and why."""
    if not record.undo_gaps:
        return []
    lines = ["not all undone:"]
    for index, gap in enumerate(record.undo_gaps):
        if record.undo_gaps_dropped and index == len(record.undo_gaps) - 1:  # those dropped came before the last
            lines.append(f"  and {plural(record.undo_gaps_dropped, 'more gap')}")
        lines.append(f"  {gap.heading()}: {one_line(gap.reason, 300)}")
        lines += _gap_previews(gap)
    return [Text("\n".join(lines), style="yellow")]


# An unrecorded gap's previews are each a quarter of a 64th of the storage limit (32 KB at 2 MB): a line each,
# cut, for the first few; `result --json` has them whole.
SHOWN_PREVIEWS = 5
PREVIEW_CHARS = 200


def _gap_previews(gap: UndoGap) -> list[str]:
    """How the undos of an unrecorded gap ended, a cut line each for the first SHOWN_PREVIEWS of them."""
    shown = list(gap.previews.items())
    lines = [f"    {one_line(node, 80)} undo ended: {one_line(_as_text(preview), PREVIEW_CHARS)}"
             for node, preview in shown[:SHOWN_PREVIEWS]]  # fmt: skip
    if len(shown) > SHOWN_PREVIEWS:
        lines.append(f"    … and {plural(len(shown) - SHOWN_PREVIEWS, 'more preview')} (`result --json` has them)")
    return lines


def _as_text(preview: object) -> str:
    return preview if isinstance(preview, str) else json.dumps(preview, default=str)


# Rows a terminal is shown of a record's steps: `--json` has them all (a closed run's record lists every step).
SHOWN_STEPS = 1000


def _why_not_listed(record: ExecutionRecord) -> str:
    """Why a record leaves steps out, true of the run as it is: only a running run's answer is held to QUERY_STEPS."""
    from orchestra.record import FINISHED_RUN_STATES, QUERY_STEPS

    if record.state in FINISHED_RUN_STATES:
        return "an ended run's record stays within the largest value it can send"
    return f"a running run answers at most {QUERY_STEPS:,} steps, and within the largest value it can send"


def plan_record(record: ExecutionRecord, *, status: str | None = None, native_pause: bool = False) -> Group:
    """The record as `run`, `status`, `watch` and `result` print it."""
    head = [f"plan {record.plan_name}  ·  workflow {record.id}", run_state_text(record, status, native_pause)]
    if record.task:
        head.append(f"task: {record.task}")
    parts: list[RenderableType] = [Text("\n".join(head)), Text()]
    shown = record.steps[:SHOWN_STEPS]
    parts.append(step_table(record, shown) if shown else Text("(no steps yet)"))
    parts.append(Text(plan_footer(record)))
    if len(record.steps) > len(shown):
        parts.append(Text(f"… and {plural(len(record.steps) - len(shown), 'more step')} the record lists not shown here "
                          f"(the counts above include them): `result {record.id} --json` lists them all"))  # fmt: skip
    if record.steps_not_listed:
        parts.append(Text(f"… and {plural(record.steps_not_listed, 'more step')} not listed, the last in plan order "
                          f"(the counts above include them): {_why_not_listed(record)}"))  # fmt: skip
    if record.steps_noted:
        parts.append(Text(f"of the steps not listed, {plural(len(record.steps_noted), 'running or failed one')}:"))
        parts.append(step_table(record, record.steps_noted))
        if record.steps_noted_cut:
            parts.append(Text(f"noted cut, too large to note whole: {', '.join(record.steps_noted_cut)} (error, "
                              "output and skip reason cut, the first of their dependencies kept)"))  # fmt: skip
    parts += undos(record)
    parts += undos_waiting(record)
    parts += undo_gaps(record)
    parts += refused_signals(record)
    if record.error is not None:
        parts.append(Text(f"error: {record.error.type.value}: {record.error.message}", style="red"))
    return Group(*parts)


# ---- agent runs ----------------------------------------------------------------------------------


def agent_record(record: AgentExecution, *, status: str | None = None, native_pause: bool = False) -> Group:
    from orchestra.agent.progress import call_line

    t = record.totals
    head = [
        f"agent run {record.id}  ·  {plural(record.step_count, 'step')} in {plural(record.run_count, 'run')}"
        f"  ·  strategy {record.strategy.value}" + (f"  ·  model {one_line(record.model, 80)}" if record.model else ""),
        run_state_text(record, status, native_pause),
        f"task: {one_line(record.task, 300)}",
        f"tokens {t.total_tokens} (prompt {t.prompt_tokens}, completion {t.completion_tokens}, cached "
        f"{t.cached_tokens}, reasoning {t.reasoning_tokens})",
    ]
    parts: list[RenderableType] = [Text("\n".join(head)), Text()]
    rows = []
    for step in record.steps:
        calls = "\n".join(call_line(c) for c in step.tool_calls) or "—"
        rows.append([str(step.number), state_cell(step.state), one_line(step.thinking, 120) or "—", calls])
    parts.append(table(["step", "state", "model said", "tool calls"], rows, wide=["model said", "tool calls"])
                 if rows else Text("(no steps yet)"))  # fmt: skip
    if record.earlier.steps:
        parts.append(
            Text(f"({plural(record.earlier.steps, 'earlier step')} not listed: `trajectory {argument(record.id)}`)")
        )
    waiting = record.waiting_approvals()
    if waiting:
        lines = ["waiting for approval:"]
        for call in waiting:
            lines.append(f"  {named(call.call_id)}: {call.tool}({one_line(call.arguments, 120)})")
            lines.append(
                f"    python client.py approve {argument(record.id)} --call {argument(call.call_id)}   (or reject)"
            )
        parts.append(Text("\n".join(lines), style="yellow"))
    if record.final_result:
        parts.append(Text(f"result: {record.final_result}"))
    parts += refused_signals(record)
    if record.error is not None:
        parts.append(Text(f"error: {record.error.type.value}: {record.error.message}", style="red"))
    return Group(*parts)


# ---- any run -------------------------------------------------------------------------------------


SHOWN_IN_A_LINE = 3  # problems a one-line summary lists


def planning_summary(planning: PlanningResult) -> str:
    a, ex = planning.analysis, planning.execution
    if ex.plan is None:
        shown = "; ".join(one_line(p, PROBLEM_CHARS) for p in ex.problems[:SHOWN_IN_A_LINE])
        more = len(ex.problems) - SHOWN_IN_A_LINE
        return f"planned ({a.backend}): no runnable plan: {shown}" + (
            f" … and {plural(more, 'more problem')}" if more > 0 else ""
        )
    steps = plural(len(ex.plan.nodes), "step")
    return f"planned ({a.backend}, {a.complexity.value}): plan {ex.plan.name!r}, {steps} in {plural(len(ex.phases), 'phase')}"


def run_view(view: RunView) -> Group:
    """A run of any kind as `status`, `watch` and `result` print it."""
    status = view.status
    native = status.natively_paused
    from orchestra.record import ExecutionRecord

    parts: list[RenderableType] = []
    if view.planning is not None:
        parts.append(Text(planning_summary(view.planning)))
    if isinstance(view.record, ExecutionRecord):
        parts.append(plan_record(view.record, status=status.name, native_pause=native))
    elif view.record is not None:
        parts.append(agent_record(view.record, status=status.name, native_pause=native))
    # The failure's message says again what the record's own error says (`timeout: plan deadline…` then
    # `plan deadline…`; `user_cancelled: run cancelled` then `Workflow cancelled`): said once, by the record.
    if view.problem and not (view.record is not None and view.record.error is not None):
        parts.append(
            Text(f"{'error' if status.closed else 'note'}: {view.problem}", style="red" if status.closed else "")
        )
    if view.record is None and not view.problem and view.planning is None:
        parts.append(Text(f"run {status.workflow_id} is {status.name}; its record is not available"))
    return Group(*parts)


def status_header(ctx: Context, view: RunView) -> str:
    s = view.status
    lines = [
        f"{s.kind.value} run {s.workflow_id}  ·  run id {s.run_id}",
        f"Temporal status {s.name}  ·  task queue {s.task_queue}  ·  {ctx.ui_url(s.workflow_id)}",
    ]
    if s.natively_paused:
        reason = f" ({s.native_pause_reason})" if s.native_pause_reason else ""
        lines.append(f"natively paused{reason}: `python client.py resume {argument(s.workflow_id)}` unpauses it")
        if view.rebuilt:
            lines.append("the steps below are rebuilt from the event history (a paused run cannot be queried)")
    if view.no_worker:
        lines.append(view.no_worker)
    if s.cancel_requested and not s.closed:
        lines.append("cancellation requested: running steps are being cancelled" + (
            "; it takes effect once the run is unpaused" if s.natively_paused else ""))  # fmt: skip
    if view.plan_run is not None:
        lines.append(f"plan run: {view.plan_run.workflow_id} ({view.plan_run.name})")
    if view.stuck:
        lines.append(f"stuck: {view.stuck}; `python client.py cancel {argument(s.workflow_id)} --terminate` ends it")
    return "\n".join(lines)
