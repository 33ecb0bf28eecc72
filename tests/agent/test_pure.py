"""The agent's pure parts: coordination, context budget, completion checks, usage parsing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from orchestra.agent.completion import check_completion
from orchestra.agent.context import TRUNCATION_MARKER, estimate_tokens, fit, message_tokens, truncate_output
from orchestra.agent.coordination import PlannedCall, dedupe, dependency_lanes, has_side_effects, schedule
from orchestra.agent.models import (
    MAX_STEPS,
    AgentExecution,
    AgentLimits,
    AgentStep,
    AgentToolCall,
    RunSpan,
    Strategy,
    TokenUsage,
)
from orchestra.agent.trajectory import (
    PAYLOAD_BUDGET_BYTES,
    PREVIEW_CHARS,
    RECENT_STEPS,
    bounded,
    carry_for,
    compact,
    payload_bytes,
    refresh,
)
from orchestra.control import ControlState
from orchestra.llm.types import FunctionCall, Message, ToolCallRequest, Usage
from orchestra.record import StepState

WRITERS = ("write_file", "shell")


def calls(*specs: tuple[str, str, dict[str, Any]]) -> list[PlannedCall]:
    return [PlannedCall(cid, tool, args, has_side_effects(tool in WRITERS, args)) for cid, tool, args in specs]


SIX = calls(*[(f"c{i}", "sleep", {"seconds": i}) for i in range(6)])


def test_schedules_for_each_strategy():
    seq = schedule(SIX, Strategy.SEQUENTIAL)
    assert [(s.lanes, s.limit) for s in seq.stages] == [([[c.call_id for c in SIX]], 1)]
    par = schedule(SIX, Strategy.PARALLEL, max_parallel=4)
    assert len(par.stages) == 1 and par.stages[0].limit == 4 and len(par.stages[0].lanes) == 6
    batch = schedule(SIX, Strategy.BATCH, batch_size=4)
    assert [[lane[0] for lane in s.lanes] for s in batch.stages] == [["c0", "c1", "c2", "c3"], ["c4", "c5"]]
    smart = schedule(SIX, Strategy.SMART, max_parallel=3)
    assert smart.stages[0].limit == 3 and len(smart.stages[0].lanes) == 6


def test_dependency_analysis_groups_and_orders_calls():
    plan = calls(
        ("call_r", "read_file", {"path": "x.txt"}),
        ("call_w", "write_file", {"path": "x.txt", "content": "1"}),
        ("call_u", "http_request", {"url": "http://h/", "note": "after call_w"}),
        ("call_s", "sleep", {"seconds": 1}),
        ("call_q", "json_query", {"data": "output of read_file"}),
        ("w", "sleep", {"seconds": 2}),
    )
    lanes = dependency_lanes(plan)
    # r/w share a path with a writer (reply order kept); u names w's id; q names read_file's tool;
    # a one-letter id is not matched inside other arguments.
    assert lanes == [["call_r", "call_w", "call_u", "call_q"], ["call_s"], ["w"]]


def test_a_dependency_cycle_falls_back_to_reply_order():
    plan = calls(("id_a", "sleep", {"after": "id_b"}), ("id_b", "sleep", {"after": "id_a"}))
    assert dependency_lanes(plan) == [["id_a", "id_b"]]


def test_identical_calls_are_deduplicated_only_without_side_effects():
    plan = calls(("a", "sleep", {"seconds": 1}), ("b", "sleep", {"seconds": 1}), ("c", "sleep", {"seconds": 2}))
    unique, duplicates = dedupe(plan)
    assert [c.call_id for c in unique] == ["a", "c"] and duplicates == {"b": "a"}
    assert schedule(plan, Strategy.PARALLEL).duplicates == {"b": "a"}
    append = {"path": "log.txt", "content": "x", "mode": "append"}
    post = {"url": "http://h/hook", "method": "post"}
    twice = calls(("w1", "write_file", append), ("w2", "write_file", append),
                  ("p1", "http_request", post), ("p2", "http_request", post))  # fmt: skip
    assert dedupe(twice) == (twice, {})
    get = {"url": "http://h/page", "method": "GET"}
    assert dedupe(calls(("g1", "http_request", get), ("g2", "http_request", get)))[1] == {"g2": "g1"}


def _turn(i: int, size: int) -> list[Message]:
    tc = ToolCallRequest(id=f"t{i}", function=FunctionCall(name="read_file", arguments="{}"))
    return [Message(role="assistant", content=f"step {i}", tool_calls=[tc]),
            Message(role="tool", tool_call_id=f"t{i}", content="x" * size)]  # fmt: skip


def test_the_context_keeps_system_task_and_latest_results_within_budget():
    head = [Message(role="system", content="S" * 400), Message(role="user", content="the task")]
    conversation = head + [m for i in range(10) for m in _turn(i, 400)]
    budget = 600
    kept, dropped = fit(conversation, budget)
    assert kept[:2] == head and kept[-2:] == conversation[-2:]
    assert dropped > 0 and "left out" in (kept[2].content or "")
    assert sum(message_tokens(m) for m in kept) <= budget
    assert all(m.role != "tool" or kept[i - 1].role in ("assistant", "tool") for i, m in enumerate(kept))
    whole, none_dropped = fit(conversation, 100_000)
    assert whole == conversation and none_dropped == 0


def test_the_latest_turn_is_kept_even_over_budget():
    head = [Message(role="system", content="S"), Message(role="user", content="T")]
    conversation = head + _turn(0, 40) + _turn(1, 10_000)
    kept, dropped = fit(conversation, 100)
    assert dropped == 2 and [(m.role, m.tool_call_id) for m in kept[-2:]] == [("assistant", None), ("tool", "t1")]
    assert kept[-2] == conversation[-2] and TRUNCATION_MARKER.split("{")[0] in (kept[-1].content or "")
    assert len(kept[-1].content or "") < 10_000, "alone over the budget, its texts are cut (test_one_huge_turn.py)"


def test_oversized_outputs_are_truncated_with_a_marker():
    text = "a" * 5_000 + "END"
    cut, truncated = truncate_output(text, 200)
    assert truncated and estimate_tokens(cut) <= 200 and cut.endswith("END")
    assert TRUNCATION_MARKER.split("{")[0] in cut
    assert truncate_output("short", 200) == ("short", False)


def test_completion_needs_task_done():
    done = ToolCallRequest(id="d", function=FunctionCall(name="task_done", arguments=json.dumps({"summary": "ok"})))
    verified = check_completion(Message(role="assistant", content="x", tool_calls=[done]))
    assert verified.verified and verified.summary == "ok"
    claimed = check_completion(Message(role="assistant", content="The task is complete."))
    assert claimed.indicated and not claimed.verified
    assert not check_completion(Message(role="assistant", content="working on it")).indicated


def test_usage_reads_cached_and_reasoning_tokens():
    usage = Usage.model_validate({"prompt_tokens": 10, "completion_tokens": 4, "total_tokens": 14,
                                  "prompt_tokens_details": {"cached_tokens": 6},
                                  "completion_tokens_details": {"reasoning_tokens": 3}})  # fmt: skip
    assert (usage.cached_tokens, usage.reasoning_tokens) == (6, 3)
    assert Usage.model_validate({"prompt_cache_hit_tokens": 2}).cached_tokens == 2
    assert Usage.model_validate({"prompt_tokens": 1, "prompt_tokens_details": None}).cached_tokens == 0


def test_compaction_cuts_long_texts_but_keeps_numbers():
    step = AgentStep(number=1, started_at=datetime.now(UTC), thinking="t" * 5000, usage=TokenUsage(total_tokens=7),
                     tool_calls=[AgentToolCall(call_id="c", tool="sleep", arguments="{}", result="r" * 5000)])  # fmt: skip
    record = AgentExecution(id="x", run_id="r", task="t", strategy=Strategy.SMART, continue_on_error=True,
                            started_at=datetime.now(UTC), steps=[step])  # fmt: skip
    small = compact(record).steps[0]
    assert len(small.thinking or "") < PREVIEW_CHARS + 80 and small.usage.total_tokens == 7
    assert len(small.tool_calls[0].result or "") < PREVIEW_CHARS + 80


def _synthetic_record(steps: int, steps_per_run: int = 300) -> AgentExecution:
    """A chain of ``steps`` steps of about 1.3 KB each (text, two calls with results), as a long run has."""
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    runs: list[RunSpan] = []
    listed = []
    for n in range(1, steps + 1):
        index = (n - 1) // steps_per_run
        if not runs or runs[-1].run_index != index:
            runs.append(RunSpan(run_id=f"run-{index:05d}-{'0' * 24}", run_index=index, first_step=n, last_step=n))
        runs[-1].last_step = n
        calls = [AgentToolCall(call_id=f"call_{n}_{k}", tool="read_file", arguments=json.dumps({"path": f"f{n}.txt"}),
                               state=StepState.COMPLETED, started_at=t0, ended_at=t0, duration_ms=12.5, attempts=1,
                               result="a line of the file's output\n" * 12, result_bytes=336)
                 for k in range(2)]  # fmt: skip
        listed.append(AgentStep(number=n, state=StepState.COMPLETED, started_at=t0, ended_at=t0, duration_ms=900.0,
                                thinking="Next I read the following file and check what it says. " * 4,
                                tool_calls=calls, llm_attempts=1, llm_ms=800.0, run_index=index,
                                usage=TokenUsage(prompt_tokens=100, completion_tokens=20, total_tokens=120,
                                                 cached_tokens=40, reasoning_tokens=5)))  # fmt: skip
    record = AgentExecution(id="agent-long", run_id=runs[-1].run_id, run_index=runs[-1].run_index, task="the task",
                            system_prompt="the system prompt", strategy=Strategy.SMART, continue_on_error=True,
                            started_at=t0, steps=listed, runs=runs)  # fmt: skip
    refresh(record)
    return record


def _long_conversation(turns: int, output: str) -> list[Message]:
    messages = [Message(role="system", content="the system prompt"), Message(role="user", content="the task")]
    for i in range(turns):
        request = ToolCallRequest(id=f"c{i}", function=FunctionCall(name="read_file", arguments='{"path": "f"}'))
        messages += [Message(role="assistant", content="reading " * 20, tool_calls=[request]),
                     Message(role="tool", tool_call_id=f"c{i}", content=output)]  # fmt: skip
    return messages


def test_the_carry_of_6000_steps_stays_within_the_budget():
    record = _synthetic_record(6000)
    assert payload_bytes(record) > 10 * PAYLOAD_BUDGET_BYTES  # what carrying every step would cost
    conversation = _long_conversation(300, "a line of the tool's output\n" * 30)
    carry, size = carry_for(conversation, record, ControlState(), context_tokens=30_000)
    assert size == payload_bytes(carry) and size <= PAYLOAD_BUDGET_BYTES
    carried = carry.record
    assert len(carried.steps) <= RECENT_STEPS and [s.number for s in carried.steps][-1] == 6000
    assert carried.step_count == 6000 and carried.earlier.steps == 6000 - len(carried.steps)
    # The sums of the steps no longer listed keep every total and metric exact.
    again = carried.model_copy(deep=True)
    refresh(again)
    assert again.totals == record.totals and again.metrics == record.metrics
    assert again.totals.total_tokens == 6000 * 120 and again.metrics.tool_call_count == 12_000
    # The runs' index: each earlier run's id and step numbers.
    assert [(r.first_step, r.last_step) for r in carried.runs][:2] == [(1, 300), (301, 600)]
    # The conversation keeps the system prompt, the task and the latest turn.
    assert carry.conversation[:2] == conversation[:2] and carry.conversation[-2:] == conversation[-2:]
    # The result and the failure record are bounded the same way; a short run's record stays whole.
    assert payload_bytes(bounded(record)) <= PAYLOAD_BUDGET_BYTES
    short = _synthetic_record(30)
    assert bounded(short) is short


def test_the_carry_drops_more_detail_rather_than_outgrow_the_budget():
    record = _synthetic_record(3000, steps_per_run=2)  # 1,500 runs
    huge = "x" * 600_000  # one enormous latest tool output, in a model with a huge context window
    conversation = _long_conversation(40, "y" * 20_000) + _long_conversation(1, huge)[2:]
    paused = ControlState(paused=True, pause_reason="night", paused_at=record.started_at)
    carry, size = carry_for(conversation, record, paused, context_tokens=1_000_000)
    assert size <= PAYLOAD_BUDGET_BYTES and carry.control == paused
    assert carry.conversation[:2] == conversation[:2] and carry.conversation[-1].role == "tool"
    assert carry.record.run_count == 1500 and len(carry.record.runs) < 1500 and carry.record.step_count == 3000


def test_max_steps_is_bounded():
    assert AgentLimits(max_steps=MAX_STEPS).max_steps == 100_000
    with pytest.raises(ValidationError):
        AgentLimits(max_steps=MAX_STEPS + 1)
