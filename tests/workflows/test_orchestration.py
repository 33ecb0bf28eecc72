"""OrchestrationWorkflow on a real dev server: order, parallelism, retries, errors, skips, conditions."""

from __future__ import annotations

import threading

from orchestra.errors import ErrorKind
from orchestra.record import AgentState, StepState
from tests.helpers import http_server, json_body, span
from tests.helpers import run_plan as run
from tests.helpers import run_plan_to_failure as run_failing


async def test_dependencies_run_in_order_and_outputs_flow(client, task_queue, tmp_path):
    plan = {
        "name": "order",
        "nodes": [
            {"id": "write", "tool": "write_file", "args": {"path": "in.txt", "content": "hello world"}},
            {"id": "read", "tool": "read_file", "args": {"path": "${write.output.path}"}},
            {"id": "shout", "tool": "render_template",
             "args": {"template": "{{ text }}!", "values": {"text": "${read.output.content}"}}},
        ],
    }  # fmt: skip
    record = await run(client, task_queue, tmp_path, plan)
    assert record.state == AgentState.COMPLETED and record.success
    write, read, shout = (record.step(n) for n in ("write", "read", "shout"))
    assert span(write)[1] <= span(read)[0] and span(read)[1] <= span(shout)[0]
    assert shout.output["text"] == "hello world!"
    assert [s.phase for s in (write, read, shout)] == [0, 1, 2]


async def test_independent_steps_overlap_in_time(client, task_queue, tmp_path):
    # Each request waits at a barrier for the other three: the four steps can only complete if all of
    # them were running at once (a broken barrier answers 500 and, with one attempt, fails the run).
    barrier = threading.Barrier(4, timeout=30)

    def meet(_request):
        try:
            return json_body({"met": barrier.wait()})
        except threading.BrokenBarrierError:
            return 500, {}, b"the four requests were not in flight together"

    with http_server(meet) as url:
        plan = {
            "name": "fan-out",
            "nodes": [{"id": f"meet{i}", "tool": "http_request", "args": {"url": url, "timeout_s": 60},
                       "retry": {"max_attempts": 1}} for i in range(4)]
            + [{"id": "join", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"meet{i}" for i in range(4)]}],
        }  # fmt: skip
        record = await run(client, task_queue, tmp_path, plan)
    meets = [record.step(f"meet{i}") for i in range(4)]
    assert all(s.state == StepState.COMPLETED and s.attempts == 1 for s in meets)
    assert sorted(s.output["json"]["met"] for s in meets) == [0, 1, 2, 3], "all four passed the one barrier"
    latest_start = max(span(s)[0] for s in meets)
    earliest_end = min(span(s)[1] for s in meets)
    assert latest_start < earliest_end, "all four steps were running at the same moment"
    assert span(record.step("join"))[0] >= max(span(s)[1] for s in meets)


async def test_retries_then_success(client, task_queue, tmp_path):
    calls = []

    def flaky(_request):
        calls.append(1)
        return (503, {}, b"busy") if len(calls) < 3 else json_body({"ok": True})

    with http_server(flaky) as url:
        plan = {
            "name": "flaky",
            "nodes": [{"id": "get", "tool": "http_request", "args": {"url": url},
                       "retry": {"max_attempts": 5, "initial_interval_s": 0.1}}],
        }  # fmt: skip
        record = await run(client, task_queue, tmp_path, plan)
    step = record.step("get")
    assert step.state == StepState.COMPLETED and step.attempts == 3 and len(calls) == 3
    assert step.output["json"] == {"ok": True}


async def test_non_retryable_validation_error_fails_at_once(client, task_queue, tmp_path):
    plan = {
        "name": "escape",
        "nodes": [{"id": "steal", "tool": "read_file", "args": {"path": "../../etc/passwd"},
                   "retry": {"max_attempts": 5, "initial_interval_s": 0.1}}],
    }  # fmt: skip
    record = await run_failing(client, task_queue, tmp_path, plan)
    step = record.step("steal")
    assert step.state == StepState.ERROR and step.attempts == 1
    assert step.error and step.error.type == ErrorKind.VALIDATION and not step.error.retryable
    assert record.state == AgentState.ERROR and not record.success


async def test_skip_on_error_lets_dependents_run(client, task_queue, tmp_path):
    plan = {
        "name": "tolerant",
        "nodes": [
            {"id": "missing", "tool": "read_file", "args": {"path": "nope.txt"}, "skip_on_error": True,
             "retry": {"max_attempts": 1}},
            {"id": "after", "tool": "render_template", "depends_on": ["missing"],
             "args": {"template": "state={{ s }}", "values": {"s": "${missing.state}"}}},
            {"id": "strict", "tool": "read_file", "args": {"path": "nope.txt"}, "retry": {"max_attempts": 1}},
            {"id": "blocked", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["strict"]},
            {"id": "unrelated", "tool": "sleep", "args": {"seconds": 0}},
        ],
    }  # fmt: skip
    record = await run_failing(client, task_queue, tmp_path, plan)
    assert record.step("missing").state == StepState.ERROR
    assert record.step("after").state == StepState.COMPLETED
    assert record.step("after").output["text"] == "state=error"
    assert record.step("blocked").state == StepState.SKIPPED
    assert "strict" in (record.step("blocked").skip_reason or "")
    assert record.step("unrelated").state == StepState.COMPLETED
    assert record.error and "strict" in record.error.message and "missing" not in record.error.message


async def test_conditions_choose_a_branch(client, task_queue, tmp_path):
    plan = {
        "name": "branch",
        "inputs": {"threshold": 3},
        "nodes": [
            {"id": "count", "tool": "json_query", "args": {"data": [1, 2, 3, 4, 5], "expression": "length(@)"}},
            {"id": "big", "tool": "render_template", "condition": "count.output.result > inputs.threshold",
             "args": {"template": "big", "values": {}}},
            {"id": "small", "tool": "render_template", "condition": "count.output.result <= inputs.threshold",
             "args": {"template": "small", "values": {}}},
            {"id": "after_small", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["small"]},
        ],
    }  # fmt: skip
    record = await run(client, task_queue, tmp_path, plan)
    assert record.step("big").state == StepState.COMPLETED
    assert record.step("small").state == StepState.SKIPPED
    assert "condition is false" in (record.step("small").skip_reason or "")
    assert record.step("after_small").state == StepState.SKIPPED
    assert record.step("big").depends_on == ["count"]


async def test_failing_local_activity_fails_its_step_not_the_run_loop(client, task_queue, tmp_path):
    plan = {
        "name": "local-failure",
        "nodes": [
            {"id": "bad_sum", "tool": "json_query", "args": {"data": 1, "expression": "sum(@)"},
             "retry": {"max_attempts": 2, "initial_interval_s": 0.1}},
            {"id": "after", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["bad_sum"]},
        ],
    }  # fmt: skip
    record = await run_failing(client, task_queue, tmp_path, plan)
    step = record.step("bad_sum")
    assert step.state == StepState.ERROR and step.error is not None
    assert record.step("after").state == StepState.SKIPPED


async def test_fail_fast_with_two_failures_at_once_ends_the_run(client, task_queue, tmp_path):
    # b and c fail in the same workflow activation (bad references right after a finishes): the
    # first failure stops everything, the second must not crash the workflow task. The size of an entry
    # the listing does not have: a field its output lacks, or an entry (an object) given as the seconds,
    # is refused before the run.
    plan = {
        "name": "fail-fast",
        "fail_fast": True,
        "nodes": [
            {"id": "a", "tool": "list_files", "args": {"path": "."}},
            {"id": "b", "tool": "sleep", "args": {"seconds": "${a.output.entries.999.size}"}},
            {"id": "c", "tool": "sleep", "args": {"seconds": "${a.output.entries.999.size}"}},
            {"id": "slow", "tool": "sleep", "args": {"seconds": 30}},
        ],
    }
    record = await run_failing(client, task_queue, tmp_path, plan)
    assert record.step("a").state == StepState.COMPLETED
    assert {record.step("b").state, record.step("c").state} <= {StepState.ERROR, StepState.CANCELLED}
    assert StepState.ERROR in {record.step("b").state, record.step("c").state}
    assert record.step("slow").state == StepState.CANCELLED
