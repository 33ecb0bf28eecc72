"""The current details the Web UI shows (plan runs and agent runs): what a person reads there, rendered
by the same pure functions the workflows call on every wake-up."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from orchestra.agent.models import AgentExecution, AgentStep, AgentToolCall, Approval, Strategy
from orchestra.agent.progress import render_details as agent_details
from orchestra.errors import ErrorKind, ExecutionError
from orchestra.record import AgentState, ExecutionRecord, StepRecord, StepState, UndoGap
from orchestra.text import duration, one_line, plural
from workflows.progress import MAX_ROWS, render_details

T0 = datetime(2026, 1, 2, 12, 0, 0, tzinfo=UTC)


def plan_record(states: list[StepState], name: str = "report") -> ExecutionRecord:
    record = ExecutionRecord(id="plan-report-1", run_id="r", plan_name=name, started_at=T0, state=AgentState.RUNNING)
    for i, state in enumerate(states):
        step = StepRecord(node_id=f"s{i}", tool="sleep", phase=i, state=state)
        if state == StepState.COMPLETED:
            step.attempts, step.duration_ms = 1, 1500.0
        elif state == StepState.CALLING_TOOL:
            step.attempts, step.scheduled_at = 1, T0 + timedelta(seconds=7)
        elif state == StepState.ERROR:
            step.attempts, step.duration_ms = 3, 80.0
            step.error = ExecutionError.of(ErrorKind.TOOL_ERROR, "HTTP 500 | bad\ngateway")
        elif state == StepState.SKIPPED:
            step.skip_reason = "condition is false: ${s0.output.ok}"
        record.steps.append(step)
    record.refresh_metrics()
    return record


def table_rows(details: str) -> list[list[str]]:
    """The cells of the step table's body rows (unescaped pipes split cells)."""
    lines = [line for line in details.splitlines() if line.startswith("| ")][2:]
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines]


def test_the_heading_names_the_whole_plan_its_state_and_counts_with_plurals():
    name = "fetch every page of the quarterly report and count the words in each of them, then write"
    details = render_details(plan_record([StepState.COMPLETED, StepState.ERROR, StepState.PENDING], name))
    head, _, counts = details.splitlines()[:3]
    assert head == f"**{name}** · ▶ **RUNNING**"
    assert counts == "1 of 3 steps done · 1 failed · 1 pending · 2 retries"
    one = render_details(plan_record([StepState.CALLING_TOOL]))
    assert "0 of 1 step done · 1 running" in one and "retr" not in one


def test_a_paused_or_finished_run_says_why_and_how_long():
    record = plan_record([StepState.COMPLETED])
    record.state, record.paused, record.pause_reason, record.paused_at = AgentState.PAUSED, True, "lunch", T0
    assert "⏸ **PAUSED** (lunch, since 12:00:00 UTC: nothing new starts until resume)" in render_details(record)
    record.state, record.paused, record.execution_time_ms = AgentState.ERROR, False, 125_000.0
    record.error = ExecutionError.of(ErrorKind.TOOL_ERROR, "1 step(s) failed")
    details = render_details(record)
    assert "✖ **ERROR** · took 2 min 5 s" in details and "**error** (tool_error): 1 step(s) failed" in details


def test_rows_list_running_then_failed_then_the_plan_order_with_units_and_reasons():
    states = [StepState.COMPLETED, StepState.SKIPPED, StepState.ERROR, StepState.PENDING, StepState.CALLING_TOOL]
    rows = table_rows(render_details(plan_record(states)))
    assert [row[0] for row in rows] == ["`s4`", "`s2`", "`s0`", "`s1`", "`s3`"]
    running, failed, completed, skipped, pending = rows
    assert running == ["`s4`", "`sleep`", "▶ calling_tool", "1", "since 12:00:07 UTC", ""]
    assert failed[2:5] == ["✖ error", "3", "80 ms"] and failed[5] == r"tool_error: HTTP 500 \| bad gateway"
    assert completed[2:5] == ["✔ completed", "1", "1.5 s"]
    assert skipped[2] == "↷ skipped" and skipped[5] == r"condition is false: ${s0.output.ok}"
    assert pending[2:] == ["· pending", "", "", ""]


def test_columns_line_up_in_the_raw_text_and_numbers_align_right():
    lines = [line for line in render_details(plan_record([StepState.COMPLETED] * 12)).splitlines() if line[:1] == "|"]
    starts = {tuple(m.start() for m in re.finditer(r"(?<!\\)\|", line))[:-1] for line in lines}
    assert len(starts) == 1, "every row's cells start at the same columns"
    assert lines[1].startswith("| :---") and "---: |" in lines[1], lines[1]


def test_a_big_plan_shows_what_matters_and_counts_the_rest():
    states = [StepState.COMPLETED] * 60 + [StepState.PENDING] * 30 + [StepState.ERROR, StepState.CALLING_TOOL]
    details = render_details(plan_record(states))
    rows = table_rows(details)
    assert len(rows) == MAX_ROWS and [r[0] for r in rows[:2]] == ["`s91`", "`s90`"]
    hidden = len(states) - MAX_ROWS
    assert details.endswith(
        f"… and {hidden} more steps (30 pending, {hidden - 30} completed): "
        "`python client.py status plan-report-1` lists every step"
    )


def test_hostile_text_cannot_break_the_table_or_add_links():
    record = plan_record([StepState.ERROR], name="x | y ![img](http://evil/p.png) <script>")
    assert record.steps[0].error is not None
    record.steps[0].error.message = "a|b\n| c | d |\n![i](http://evil/p.png) **bold** <img src=x> `code`"
    details = render_details(record)
    assert details.splitlines()[0].startswith(r"**x \| y \!\[img\](http://evil/p.png) \<script\>**")
    (row,) = table_rows(details)
    assert len(row) == 6 and "\n" not in row[5]
    for marker in ("![", "<img", "<script", "**bold", "`code"):
        assert marker not in details.replace("\\" + marker[0], ""), marker


def test_rendering_is_deterministic_and_whole_names_are_kept_in_rows():
    record = plan_record([StepState.PENDING])
    record.steps[0].node_id = "n" * 300
    assert render_details(record) == render_details(record)
    assert f"`{'n' * 300}`" not in render_details(record), "an id longer than a column is cut with an ellipsis"
    assert "n" * 79 + "…" in render_details(record)


def test_agent_details_read_the_same_way():
    record = AgentExecution(id="agent-1", run_id="r", task="deploy the *app*\nnow", strategy=Strategy.PARALLEL,
                            continue_on_error=False, started_at=T0, state=AgentState.RUNNING)  # fmt: skip
    done = AgentStep(number=1, state=StepState.COMPLETED, started_at=T0, duration_ms=2300.0, thinking="read it")
    done.tool_calls = [AgentToolCall(call_id="c1", tool="read_file", arguments='{"path": "a"}',
                                     state=StepState.COMPLETED, result="hello", duration_ms=12.0, attempts=1)]  # fmt: skip
    now = AgentStep(number=2, state=StepState.CALLING_TOOL, started_at=T0, thinking="deploying")
    now.tool_calls = [
        AgentToolCall(call_id="d1", tool="deploy", arguments="{}", approval=Approval(requested_at=T0)),
        AgentToolCall(call_id="c2", tool="write_file", arguments="{}", state=StepState.ERROR, attempts=2,
                      error=ExecutionError.of(ErrorKind.TOOL_ERROR, "denied")),
    ]  # fmt: skip
    record.steps = [done, now]
    record.totals.total_tokens, record.metrics.tool_call_count, record.metrics.retry_count = 1234, 2, 1
    details = agent_details(record, max_steps=20)
    assert details.splitlines()[0] == "**agent** · ▶ **RUNNING** · step 2 of 20"
    assert r"task: deploy the \*app\* now" in details
    assert "1,234 tokens" in details and "2 tool calls · 0 errors · 1 retry" in details
    assert '- `d1`: `deploy`({"call' not in details and "- `d1`: `deploy`({})" in details
    steps = [line.split("|")[1].strip() for line in details.splitlines() if re.match(r"\|\s+\d", line)]
    assert steps[:2] == ["2", "1"], "newest step first"
    calls = [line for line in details.splitlines() if "`" in line and line.startswith("|")]
    assert [re.search(r"`(\w+)`", c).group(1) for c in calls] == ["write_file", "deploy", "read_file"]  # type: ignore[union-attr]
    assert "· pending (waiting)" in calls[1] and "→ hello" in calls[2]


@pytest.mark.parametrize(
    ("ms", "text"),
    [(None, ""), (0.4, "0 ms"), (850, "850 ms"), (999.4, "999 ms"), (999.6, "1.0 s"), (12_345, "12.3 s"),
     (59_960, "1 min 0 s"), (125_000, "2 min 5 s"), (3_725_000, "1 h 2 min"), (93_600_000, "1 d 2 h")],
)  # fmt: skip
def test_durations_carry_their_unit(ms: float | None, text: str):
    assert duration(ms) == text


def test_plurals_and_one_line_cuts():
    assert (plural(1, "step"), plural(2, "step"), plural(1, "retry", "retries"), plural(3, "retry", "retries")) == (
        "1 step", "2 steps", "1 retry", "3 retries")  # fmt: skip
    assert plural(1500, "token") == "1,500 tokens"
    assert one_line("a\n  b", None) == "a b" and one_line("abcdef", 4) == "abc…" and one_line("abcd", 4) == "abcd"


def test_a_command_the_details_suggest_is_one_command_whatever_the_runs_id():
    """The Web UI's details suggest a command to paste into a shell; a run id is the user's (or a schedule's)
    and may hold '; touch pwned' or '$(...)': it is quoted, so the command stays one command."""
    states = [StepState.COMPLETED] * (MAX_ROWS + 5)
    record = plan_record(states).model_copy(update={"id": "run; touch pwned $(id)"})
    details = render_details(record)
    assert "`python client.py status 'run; touch pwned $(id)'`" in details
    agent = AgentExecution(id="a b;rm -rf x", run_id="r", task="t", strategy=Strategy.PARALLEL,
                           continue_on_error=False, started_at=T0, state=AgentState.RUNNING)  # fmt: skip
    agent.earlier.steps = 3
    assert "`python client.py trajectory 'a b;rm -rf x'`" in agent_details(agent, max_steps=20)


def test_the_details_say_what_a_compensation_left_not_undone():
    """status said it under "not all undone"; the Web UI's details said nothing (a budget spent, a cancel, a page
    that could not be read)."""
    record = plan_record([StepState.COMPLETED, StepState.ERROR])
    reason = "the undos' budget ran out at 2026-01-02 12:00:30 UTC (as long as the plan's timeout_s, 30 s, …)"
    gaps = [UndoGap(reason=reason, nodes=[f"u{i}" for i in range(10)], count=12),
            *(UndoGap(reason="page | unreadable", pages=1) for _ in range(6))]  # fmt: skip
    details = render_details(record.model_copy(update={"undo_gaps": gaps, "undo_gaps_dropped": 2}))
    assert "not all undone" in details and "12 steps (`u0`" in details and "`u9`, …): the undos' budget" in details
    assert "1 page of steps not read: page \\| unreadable" in details, "a reason's pipe cannot break the text"
    assert "and 4 more gaps" in details, details


def test_the_details_say_which_runs_a_gap_spans_as_status_does():
    """A gap folded over a chain's runs said "runs 2-5: " in `status`; the Web UI's details said no run at all."""
    record = plan_record([StepState.COMPLETED, StepState.ERROR])
    gaps = [UndoGap(reason="ended in error after they started", nodes=["u1"], count=3, run_span=(1, 4)),
            UndoGap(reason="stopped while they ran", nodes=["u9"], count=1, run_index=5)]  # fmt: skip
    details = render_details(record.model_copy(update={"undo_gaps": gaps}))
    assert "- runs 2-5: 3 steps (`u1`, …): ended in error" in details, details
    assert "- run 6: 1 step (`u9`): stopped while they ran" in details, details
