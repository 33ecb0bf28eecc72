"""A run's progress as it goes, on a terminal or into a log (`run`, `watch`, `agent`, `demo`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.live import Live
from rich.text import Text

from orchestra.cli.naming import argument
from orchestra.cli.render import NATIVE_PAUSE, plan_footer, planning_summary, step_table
from orchestra.record import (
    FINISHED_RUN_STATES,
    FINISHED_STEP_STATES,
    AgentState,
    ExecutionRecord,
    StepRecord,
    StepState,
)
from orchestra.text import RUN_ICON, STEP_ICON, duration, one_line

if TYPE_CHECKING:
    from rich.console import Console

    from orchestra.agent.models import AgentExecution
    from orchestra.cli.runs import RunView


class Progress:
    """Shows a run's progress as it goes. On a terminal: a live table of steps that redraws in place.
    Into a pipe or file: one line each time a step or the run changes state (a readable log)."""

    def __init__(self, console: Console | None) -> None:
        self.console = console
        self.live: Live | None = None
        self.steps: dict[str, str] = {}
        self.run_state: str | None = None
        self.planned = False

    def __enter__(self) -> Progress:
        if self.console is not None and self.console.is_terminal:
            self.live = Live(console=self.console, transient=True, auto_refresh=False)
            self.live.start()
        return self

    def __exit__(self, *_: object) -> None:
        if self.live is not None:
            self.live.stop()

    def _print(self, text: str) -> None:
        if self.console is not None:
            target = self.live.console if self.live else self.console
            target.print(Text(text))

    def update(self, view: RunView) -> None:
        if view.planning is not None and not self.planned:
            self.planned = True
            self._print(planning_summary(view.planning))
        record = view.record
        if record is None:
            return
        native = view.status.natively_paused
        if self.live is not None:
            self._live(record, native)
        if isinstance(record, ExecutionRecord):
            self._plan_lines(record, native)
        else:
            self._agent_lines(record)

    def _live(self, record: ExecutionRecord | AgentExecution, native: bool) -> None:
        assert self.live is not None
        if isinstance(record, ExecutionRecord):
            body: RenderableType = Group(step_table(record), Text(plan_footer(record)))
        else:
            body = Text(f"agent step {record.step_count} · {record.state.value}")
        state = NATIVE_PAUSE if native else record.state.value.upper()
        self.live.update(Group(Text(f"{RUN_ICON.get(record.state, '●')} {state}"), body), refresh=True)

    def _plan_lines(self, record: ExecutionRecord, native: bool) -> None:
        run_state = NATIVE_PAUSE if native else record.state.value
        changed = run_state != self.run_state
        self.run_state = run_state
        finished = record.state in FINISHED_RUN_STATES
        if changed and not finished:  # the run's last line comes after its steps' last lines
            self._print(run_line(record, native))
        for step in (*record.steps, *record.steps_noted):  # a step failed past a record's listing said too
            if self.steps.get(step.node_id, StepState.PENDING.value) != step.state.value:
                self.steps[step.node_id] = step.state.value
                self._print(step_line(step))
        if changed and finished:
            self._print(run_line(record, native))

    def _agent_lines(self, record: AgentExecution) -> None:
        from orchestra.agent.progress import call_line

        for step in record.steps:
            if step.llm_attempts or step.thinking is not None or step.tool_calls:
                self._once(f"{step.number}", f"step {step.number}: {one_line(step.thinking, 160) or '(no text)'}")
            for call in step.tool_calls:
                if call.approval and call.approval.status.value == "waiting":
                    self._once(f"{step.number}.{call.call_id}.approval",
                               f"  ⏸ waiting for approval: {call.tool}({one_line(call.arguments, 80)}) — "
                               f"`python client.py approve {argument(record.id)} --call {argument(call.call_id)}` (or reject)")  # fmt: skip
                if call.state in FINISHED_STEP_STATES:
                    self._once(f"{step.number}.{call.call_id}", f"  → {call_line(call)}")
            for key, note in (("reflection", step.reflection), ("feedback", step.feedback)):
                if note and step.state in FINISHED_STEP_STATES:
                    self._once(f"{step.number}.{key}", f"  (told the model: {one_line(note, 100)})")

    def _once(self, key: str, text: str) -> None:
        if key not in self.steps:
            self.steps[key] = text
            self._print(text)


def run_line(record: ExecutionRecord, native_pause: bool) -> str:
    if native_pause:
        return f"⏸ run {NATIVE_PAUSE}"
    icon = RUN_ICON.get(record.state, "●")
    text = f"{icon} run {record.state.value.upper()}"
    if record.state == AgentState.PAUSED:
        text += f" ({record.pause_reason or 'cooperative pause'}: running steps finish, no new step starts)"
    elif record.execution_time_ms is not None:
        text += f" in {duration(record.execution_time_ms)}"
    return text


def step_line(step: StepRecord) -> str:
    head = f"  {STEP_ICON[step.state]} {step.node_id}"
    if step.state == StepState.CALLING_TOOL:
        return f"{head} ({step.tool}) {step.state.value}"
    if step.state == StepState.COMPLETED:
        retries = f" after {step.attempts} attempts" if step.attempts > 1 else ""
        return f"{head} {duration(step.duration_ms)}{retries}".rstrip()
    if step.error is not None:
        return f"{head} {step.error.type.value}: {one_line(step.error.message, 160)}"
    return f"{head} {step.state.value}{': ' + step.skip_reason if step.skip_reason else ''}"
