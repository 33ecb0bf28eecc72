"""The agent's pure parts: coordination, context budget, completion checks, usage parsing."""

from __future__ import annotations

import json
from typing import Any

from orchestra.agent.completion import check_completion
from orchestra.agent.context import TRUNCATION_MARKER, estimate_tokens, fit, message_tokens, truncate_output
from orchestra.agent.coordination import PlannedCall, dedupe, dependency_lanes, schedule
from orchestra.agent.models import Strategy
from orchestra.agent.trajectory import PREVIEW_CHARS, compact
from orchestra.llm.types import FunctionCall, Message, ToolCallRequest, Usage


def calls(*specs: tuple[str, str, dict[str, Any]]) -> list[PlannedCall]:
    return [PlannedCall(cid, tool, args) for cid, tool, args in specs]


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


def test_identical_calls_are_deduplicated():
    plan = calls(("a", "sleep", {"seconds": 1}), ("b", "sleep", {"seconds": 1}), ("c", "sleep", {"seconds": 2}))
    unique, duplicates = dedupe(plan)
    assert [c.call_id for c in unique] == ["a", "c"] and duplicates == {"b": "a"}
    assert schedule(plan, Strategy.PARALLEL).duplicates == {"b": "a"}


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
    assert kept[-2:] == conversation[-2:] and dropped == 2


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
    from datetime import UTC, datetime

    from orchestra.agent.models import AgentExecution, AgentStep, AgentToolCall, TokenUsage

    step = AgentStep(number=1, started_at=datetime.now(UTC), thinking="t" * 5000, usage=TokenUsage(total_tokens=7),
                     tool_calls=[AgentToolCall(call_id="c", tool="sleep", arguments="{}", result="r" * 5000)])  # fmt: skip
    record = AgentExecution(id="x", run_id="r", task="t", strategy=Strategy.SMART, continue_on_error=True,
                            started_at=datetime.now(UTC), steps=[step])  # fmt: skip
    small = compact(record).steps[0]
    assert len(small.thinking or "") < PREVIEW_CHARS + 80 and small.usage.total_tokens == 7
    assert len(small.tool_calls[0].result or "") < PREVIEW_CHARS + 80
