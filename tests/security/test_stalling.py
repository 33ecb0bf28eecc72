"""One step stalling the worker: CPU work on hostile input in the worker's event loop, values built
without bound, conditions too costly for a workflow task, and input that would fail the workflow
task itself (which Temporal then retries forever), whether from a plan or from a client that validates
nothing. Each must end as a recorded step (or run) failure while other runs go on."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.client import WorkflowFailureError
from temporalio.common import RawValue
from temporalio.exceptions import ApplicationError

from orchestra.record import AgentState, StepState
from tests.agent.support import agent_worker, start_agent
from tests.agent.support import record_of as agent_record
from tests.control_support import attempts_started
from tests.helpers import http_server, start_plan, until
from tests.llm_server import done, scripted
from tests.patience import CallCountingExecutor
from tests.security.support import RUN_WITHIN_S, outcome, real_settings, real_worker, run

QUICK = {"name": "quick", "nodes": [
    {"id": "pick", "tool": "json_query", "args": {"data": {"a": [1, 2, 3]}, "expression": "a[1]"}},
    {"id": "find", "tool": "extract_text", "args": {"text": "id=42", "pattern": "id=(\\d+)"}},
    {"id": "save", "tool": "write_file", "args": {"path": "quick.txt", "content": "${find.output.first}"}},
]}  # fmt: skip


async def started(handle: Any, activity_id: str) -> None:
    await until(handle.describe, attempts_started(activity_id), within=RUN_WITHIN_S)


async def test_a_hostile_page_does_not_delay_another_run(client, task_queue, tmp_path, monkeypatch):
    monkeypatch.setenv("ORCHESTRA_LOCAL_TIME_LIMIT_S", "3")
    settings = real_settings(client, task_queue, tmp_path / "ws")
    # html.parser is quadratic on this (seconds of CPU, holding the GIL): as a regular activity so the
    # test can see it start, and without retries.
    hostile = {"name": "hostile", "nodes": [{"id": "parse", "tool": "extract_text", "local": False,
               "retry": {"max_attempts": 1}, "args": {"text": "<a " * 12000, "mode": "html_title"}}]}  # fmt: skip
    async with real_worker(client, settings):
        slow = await start_plan(client, task_queue, hostile)
        await started(slow, "parse")
        quick = await outcome(await start_plan(client, task_queue, QUICK))
        parse = (await outcome(slow)).step("parse")
    assert quick.state == AgentState.COMPLETED
    assert parse.ended_at is not None and quick.ended_at is not None
    assert quick.ended_at < parse.ended_at, "the quick run waited for the hostile step"
    assert parse.state == StepState.ERROR and parse.error is not None and "limit" in parse.error.message


async def test_templates_and_queries_cannot_build_huge_values(client, task_queue, tmp_path):
    settings = real_settings(client, task_queue, tmp_path / "ws")
    # Sizes that stay well under Temporal's payload limits, and that main's worker survives.
    plan = {"name": "huge", "nodes": [
        # a scanner that looks for "}}" after every "{{" is quadratic on this (seconds in the event loop)
        {"id": "unclosed", "tool": "render_template", "args": {"template": "{{" * 20_000, "values": {}}},
        # 20 000 placeholders of 10 kB each: 200 MB of text
        {"id": "repeat", "tool": "render_template", "retry": {"max_attempts": 1},
         "args": {"template": "{{ v }}" * 20_000, "values": {"v": "x" * 10_000}}},
        # escaping doubles the backslashes at each level of a 172-character expression: tens of MB from 2 kB
        {"id": "grow", "tool": "json_query", "retry": {"max_attempts": 1},
         "args": {"data": '"\\' * 700, "expression": "to_string([" * 9 + "@" + ",@,@,@])" * 9}},
    ]}  # fmt: skip
    record, _ = await run(client, settings, plan)
    unclosed = record.step("unclosed")
    assert unclosed.state == StepState.COMPLETED and unclosed.output_bytes > 40_000  # the template, as it is
    for node in ("repeat", "grow"):
        step = record.step(node)
        assert step.state == StepState.ERROR and step.error is not None, node
        assert step.error.type == "validation" or step.error.code in ("memory_limit", "time_limit"), step.error


async def test_costly_conditions_fail_their_steps_not_the_workflow_task(client, task_queue, tmp_path):
    settings = real_settings(client, task_queue, tmp_path / "ws")
    product = "*".join(["inputs.n"] * 100) + " > 0"  # ~0.3 s of big-integer work, evaluated in workflow code
    nodes = [{"id": f"n{i}", "tool": "sleep", "args": {"seconds": 0}, "condition": product} for i in range(30)]
    plan = {"name": "costly", "inputs": {"n": 10**3999 - 1}, "nodes": [*nodes, {"id": "ok", "tool": "sleep",
            "args": {"seconds": 0}}]}  # fmt: skip
    # All 30 in one workflow task: without the budget, 9 s of CPU; the budget stops it, however slow the machine.
    record, _ = await run(client, settings, plan, slow_ok=True)
    assert record.step("ok").state == StepState.COMPLETED
    for i in range(30):
        step = record.step(f"n{i}")
        assert step.state == StepState.ERROR and step.error is not None and step.error.type == "validation"


async def test_a_deeply_nested_result_fails_its_step_not_the_workflow_task(client, task_queue, tmp_path):
    deep = "[" * 500 + "]" * 500  # Python's json reads it; Temporal's converter stops at ~200 levels
    with http_server(lambda _r: (200, {"Content-Type": "application/json"}, deep.encode())) as url:
        settings = real_settings(client, task_queue, tmp_path / "ws", allowed_hosts=["127.0.0.1", url[7:]])
        plan = {"name": "deep", "nodes": [
            {"id": "get", "tool": "http_request", "args": {"url": url}},
            # 70 levels of lists around the input: fine for JMESPath, too deep to send back
            {"id": "shape", "tool": "json_query", "retry": {"max_attempts": 1},
             "args": {"data": [], "expression": "[" * 70 + "@" + "]" * 70}},
            {"id": "after", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["get"]},
        ]}  # fmt: skip
        record, _ = await run(client, settings, plan)
    get = record.step("get")
    assert get.state == StepState.COMPLETED and get.output["json"] is None and get.output["text"] == deep
    shape = record.step("shape")
    assert shape.state == StepState.ERROR and shape.error is not None and "deeper than" in shape.error.message
    assert record.step("after").state == StepState.COMPLETED


async def test_a_models_deeply_nested_arguments_fail_the_call_not_the_workflow_task(client, task_queue, tmp_path):
    nested = "[" * 50_000 + "]" * 50_000  # json.loads in workflow code: RecursionError
    bad = {"id": "c1", "type": "function", "function": {"name": "sleep", "arguments": '{"seconds": ' + nested + "}"}}
    answers = [(200, {"Content-Type": "application/json"}, json.dumps({
        "id": "x", "model": "scripted", "choices": [{"index": 0, "finish_reason": "tool_calls",
        "message": {"role": "assistant", "content": None, "tool_calls": [bad]}}]}).encode()),
        done("gave up on that call")]  # fmt: skip
    with scripted(answers) as (base, _seen):
        async with agent_worker(client, task_queue, tmp_path / "ws", base):
            handle = await start_agent(client, task_queue, max_steps=4)
            await asyncio.wait_for(handle.result(), RUN_WITHIN_S)
            record = await agent_record(handle)
    calls = [c for step in record.steps for c in step.tool_calls if c.call_id == "c1"]
    assert calls and calls[0].error is not None and calls[0].state == StepState.ERROR
    assert record.state == AgentState.COMPLETED


def raw_request(text: str) -> RawValue:
    """A workflow input as a client that validates nothing sends it (the temporal CLI, the Web UI)."""
    return RawValue(Payload(metadata={"encoding": b"json/plain"}, data=text.encode()))


SLEEP = {"id": "a", "tool": "sleep", "args": {"seconds": 0}}
UNREADABLE = {
    "nested": '{"plan": {"name": "deep", "nodes": [{"id": "a", "tool": "sleep", "args": {"x": '
    + "[" * 300 + "]" * 300 + "}}]}}",
    "huge-integer": '{"plan": {"name": "int", "inputs": {"n": ' + "9" * 5000 + '}, "nodes": [' + json.dumps(SLEEP) + "]}}",
    "wrong-type": json.dumps({"plan": {"name": "typo", "nodes": "a"}}),
    "not-json": '{"plan": [',
    "long-node-id": json.dumps({"plan": {"name": "ids", "nodes": [{**SLEEP, "id": "i" * 1500}]}}),
}  # fmt: skip


@pytest.mark.parametrize("case", list(UNREADABLE))
async def test_an_input_the_workflow_cannot_take_fails_the_run_not_its_task(client, task_queue, tmp_path, case):
    settings = real_settings(client, task_queue, tmp_path / "ws")
    async with real_worker(client, settings):
        handle = await client.start_workflow(
            "OrchestrationWorkflow", raw_request(UNREADABLE[case]), id=f"raw-{uuid.uuid4()}", task_queue=task_queue
        )
        with pytest.raises(WorkflowFailureError) as failed:
            await asyncio.wait_for(handle.result(), RUN_WITHIN_S)
    cause = failed.value.cause
    assert isinstance(cause, ApplicationError) and cause.non_retryable, repr(cause)
    assert "cannot be read" in cause.message or "limit.maxIDLength" in cause.message, cause.message


async def test_a_plan_name_longer_than_the_search_index_takes_still_runs(client, task_queue, tmp_path):
    settings = real_settings(client, task_queue, tmp_path / "ws")
    request = json.dumps({"plan": {"name": "é" * 1000, "nodes": [SLEEP]}})  # 6 kB as the server measures it
    async with real_worker(client, settings):
        handle = await client.start_workflow(
            "OrchestrationWorkflow", raw_request(request), id=f"raw-{uuid.uuid4()}", task_queue=task_queue
        )
        record = await outcome(handle)
    assert record.state == AgentState.COMPLETED


async def test_conditions_comparing_large_nested_values_fail_their_steps(client, task_queue, tmp_path):
    settings = real_settings(client, task_queue, tmp_path / "ws")
    # One element at the top, 110,000 below (220 kB of JSON): the cost of == is in what it walks, not in len().
    rows = [[list(range(10)) for _ in range(10_000)]]
    equal = " and ".join(["inputs.a == inputs.b"] * 40)  # 40 times 440 kB: 17.6 million steps of work, 4.4 budgets
    nodes = [{"id": f"n{i}", "tool": "sleep", "args": {"seconds": 0}, "condition": equal} for i in range(20)]
    plan = {"name": "deep-compare", "inputs": {"a": rows, "b": json.loads(json.dumps(rows))},
            "nodes": [*nodes, {"id": "ok", "tool": "sleep", "args": {"seconds": 0}, "condition": "len(inputs.a) == 1"}]}  # fmt: skip
    # All twenty in one workflow task. Only the record is asserted on: the history is not fetched.
    async with real_worker(client, settings, slow_ok=True):
        record = await outcome(await start_plan(client, task_queue, plan))
    assert record.step("ok").state == StepState.COMPLETED
    for i in range(20):
        step = record.step(f"n{i}")
        assert step.state == StepState.ERROR and step.error is not None and "steps of work" in step.error.message


# Function calls one activation of the hand-on plan below may make (measured: see the assertion's message).
MOST_CALLS_PER_ACTIVATION = 200_000


async def test_a_large_result_passed_to_the_next_step_does_not_stall_the_workflow(
    client, task_queue, tmp_path, monkeypatch
):
    # Each step is seconds of CPU on a busy machine: the tools' time limit is not what this test is about.
    monkeypatch.setenv("ORCHESTRA_LOCAL_TIME_LIMIT_S", str(RUN_WITHIN_S))
    settings = real_settings(client, task_queue, tmp_path / "ws")
    # A plan an honest user writes: data handed on whole (json_query's result cap is 4 MB). Walking a few
    # megabytes in workflow code took seconds, past Temporal's deadlock detection; counted in calls, the
    # 110,000 elements here (220 kB) are enough: such a walk made 1.3 million, over six times the bound.
    plan = {"name": "hand-on", "inputs": {"rows": [list(range(10)) for _ in range(10_000)]}, "nodes": [
        {"id": "pick", "tool": "json_query", "args": {"data": "${inputs.rows}", "expression": "@"}},
        *({"id": f"count{i}", "tool": "json_query", "args": {"data": "${pick.output.result}", "expression": "length(@)"}}
          for i in range(4)),
    ]}  # fmt: skip
    activations = CallCountingExecutor()
    # Only the record is asserted on: the history (the value in every step's input) is not fetched.
    async with real_worker(client, settings, slow_ok=True, workflow_task_executor=activations):
        record = await outcome(await start_plan(client, task_queue, plan))
    assert record.state == AgentState.COMPLETED, [s.error for s in record.steps if s.error]
    assert record.step("count0").output == {"result": 10_000}
    # A walk in Python costs a call per element at least; reading the value's JSON in Rust, a few.
    assert activations.most_calls < MOST_CALLS_PER_ACTIVATION, activations.most_calls


async def test_a_plan_whose_last_steps_are_skipped_by_their_conditions_ends(client, task_queue, tmp_path):
    settings = real_settings(client, task_queue, tmp_path / "ws")
    plan = {"name": "all-skipped", "nodes": [
        {"id": "a", "tool": "sleep", "args": {"seconds": 0}},
        {"id": "b", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["a"], "condition": "a.output == null"},
    ]}  # fmt: skip
    record, _ = await run(client, settings, plan)
    assert record.state == AgentState.COMPLETED and record.step("b").state == StepState.SKIPPED
