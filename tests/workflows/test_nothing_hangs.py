"""No input leaves a plan run hanging: what would fail every retry of its workflow task fails the run (or
the step) with the limit or the cause named; a run whose task keeps failing for another reason is shown
as such, not as a missing worker, and `cancel --terminate` ends it."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from temporalio.client import Client

from orchestra.record import ExecutionRecord, StepState
from orchestra.settings import Settings
from tests.control_support import describe_raw, until
from tests.helpers import nothing_left_unfinished, settings_for, start_plan
from tests.ops.support import run_command
from tests.storage.conftest import client_with
from tests.stored_plans import failing_disk, failure_of, large_plan, stored_files
from worker import create_worker


async def test_a_stored_input_that_is_gone_fails_the_run_naming_it(client, storage_settings, task_queue, tmp_path):
    handle = await start_plan(client, task_queue, large_plan())  # no worker yet: nothing has read it
    for path in stored_files(storage_settings, handle.id):
        path.unlink()
    async with create_worker(client, settings_for(task_queue, tmp_path)):
        cause = await failure_of(handle)
    assert cause.type == "StoredPayloadMissing" and "is missing" in cause.message and "pruned" in cause.message


async def test_a_workflow_task_that_keeps_failing_is_told_apart_and_terminate_ends_it(
    client, storage_settings, task_queue, tmp_path, monkeypatch
):
    handle = await start_plan(client, task_queue, large_plan())
    failing_disk(monkeypatch, stored_files(storage_settings, handle.id))  # a fault a retry of the task may mend
    cli = ("--task-queue", task_queue)
    async with create_worker(client, settings_for(task_queue, tmp_path)):
        await until(lambda: describe_raw(client, handle.id), lambda d: d.pending_workflow_task.attempt > 1)
        status = await run_command(client, *cli, "status", handle.id)
        refused = await run_command(client, *cli, "cancel", handle.id)
        terminated = await run_command(client, *cli, "cancel", handle.id, "--terminate")
    assert status.code == 0, status.err
    assert "keeps failing" in status.out and "Input/output error" in status.out and "--terminate" in status.out
    assert "no worker polls" not in status.out
    assert refused.code == 1 and "cannot act on a cancellation" in refused.err and "--terminate" in refused.err
    assert terminated.code == 0, terminated.err
    assert (await handle.describe()).status.name == "TERMINATED"  # type: ignore[union-attr]


async def test_a_call_too_large_to_send_fails_its_step_naming_the_limit(client, task_queue, tmp_path):
    """Nothing is stored outside the history: a step's arguments that resolve to more than Temporal's 2 MiB
    payload limit fail that step; the rest of the plan runs and the run ends with its record."""
    off = Settings(storage="off", task_queue=task_queue, workspace=tmp_path, data_dir=tmp_path.parent)
    plain = client_with(client, off)
    (tmp_path / "part.txt").write_text("h" * 900_000)
    plan = {"name": "too-large", "nodes": [
        {"id": "read", "tool": "read_file", "args": {"path": "part.txt"}},
        {"id": "thrice", "tool": "json_query", "args": {"data": ["${read.output.content}"] * 3,
                                                       "expression": "length(@)"}},
        {"id": "other", "tool": "sleep", "args": {"seconds": 0}}]}  # fmt: skip
    async with create_worker(plain, off):
        cause = await failure_of(await start_plan(plain, task_queue, plan))
    record = ExecutionRecord.model_validate(cause.details[0])
    thrice = record.step("thrice")
    assert thrice.state == StepState.ERROR and thrice.attempts == 0 and thrice.error is not None
    assert "is at least 2,7" in thrice.error.message and "Temporal's payload limit" in thrice.error.message
    assert "2,097,152 bytes" in thrice.error.message
    assert record.step("read").state == record.step("other").state == StepState.COMPLETED


async def test_a_start_input_made_by_hand_fails_the_run_not_its_task(client: Client, task_queue, tmp_path):
    with nothing_left_unfinished():
        async with create_worker(client, settings_for(task_queue, tmp_path)):
            handle = await client.start_workflow(
                "OrchestrationWorkflow", {"plan": {"name": "no nodes", "nodes": []}}, id=f"test-{uuid.uuid4()}",
                task_queue=task_queue,
            )  # fmt: skip
            cause = await failure_of(handle)
    assert cause.type == "PayloadValidationError" and cause.non_retryable and "nodes" in cause.message


@pytest.mark.parametrize(
    ("workflow", "request_", "field"),
    [
        ("OrchestrationWorkflow", {"plan": {"timeout_s": 1e300, "nodes": [{"id": "a", "tool": "sleep"}]}}, "timeout_s"),
        (
            "OrchestrationWorkflow",
            {"plan": {"nodes": [{"id": "a", "tool": "sleep", "retry": {"max_attempts": 10**30}}]}},
            "max_attempts",
        ),
        ("AgentWorkflow", {"task": "t", "limits": {"llm_timeout_s": 1e300}}, "llm_timeout_s"),
        ("AgentWorkflow", {"task": "t", "limits": {"llm_max_attempts": 10**30}}, "llm_max_attempts"),
    ],
    ids=["plan deadline", "step attempts", "model timeout", "model attempts"],
)
async def test_a_duration_or_count_beyond_temporal_fails_the_run_not_its_task(
    workflow: str, request_: dict[str, Any], field: str, client: Client, task_queue, tmp_path
):
    """A client that skipped validation starts a run whose deadline, timeout or attempts no timedelta or
    int32 can hold: the run fails at once naming the field, instead of a workflow task retried forever."""
    with nothing_left_unfinished():
        async with create_worker(client, settings_for(task_queue, tmp_path)):
            handle = await client.start_workflow(workflow, request_, id=f"test-{uuid.uuid4()}", task_queue=task_queue)
            cause = await failure_of(handle)
    assert cause.type == "PayloadValidationError" and cause.non_retryable and field in cause.message, cause


@pytest.mark.parametrize(
    "retry",
    [{"initial_interval_s": 10, "max_interval_s": 1}, {"max_interval_s": 0.5}],
    ids=["the node's own", "below the tool's initial interval"],
)
async def test_a_retry_policy_temporal_refuses_fails_the_run_not_its_task(
    retry: dict[str, Any], client: Client, task_queue, tmp_path
):
    """A maximum retry interval below the initial one: Temporal refuses the step's schedule, and the workflow
    task failed ('BadScheduleActivityAttributes') and was retried for ever, the run RUNNING. Started by a
    client that skipped validation, the run now fails at once naming the field."""
    plan = {"nodes": [{"id": "a", "tool": "sleep", "args": {"seconds": 0}, "retry": retry}]}
    with nothing_left_unfinished():
        async with create_worker(client, settings_for(task_queue, tmp_path)):
            handle = await client.start_workflow(
                "OrchestrationWorkflow", {"plan": plan}, id=f"test-{uuid.uuid4()}", task_queue=task_queue
            )
            cause = await failure_of(handle)
    assert cause.non_retryable and "max_interval_s" in cause.message and "below initial_interval_s" in cause.message


async def test_a_carry_too_large_to_send_fails_the_chain_naming_the_limit(client, task_queue, tmp_path):
    """Nothing is stored outside the history: outputs later steps still read travel in the carry, and three
    of 900 KB pass Temporal's 2 MiB payload limit. The run fails at its hand-over, naming the limit, rather
    than retry a continue-as-new the server refuses."""
    off = Settings(storage="off", task_queue=task_queue, workspace=tmp_path, data_dir=tmp_path.parent)
    plain = client_with(client, off)
    parts = ["a", "b", "c"]
    for part in parts:
        (tmp_path / f"{part}.txt").write_text(part * 900_000)
    chain = [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"s{i - 1}"] if i else parts}
             for i in range(8)]  # fmt: skip
    plan = {"name": "carry-too-large", "history_events_per_run": 20, "nodes": [
        *({"id": p, "tool": "read_file", "args": {"path": f"{p}.txt"}} for p in parts), *chain,
        *({"id": f"use_{p}", "tool": "json_query", "args": {"data": f"${{{p}.output.content}}", "expression": "length(@)"},
           "depends_on": ["s7"]} for p in parts)]}  # fmt: skip
    async with create_worker(plain, off):
        handle = await start_plan(plain, task_queue, plan)
        cause = await failure_of(handle)
        shown = await run_command(plain, "--task-queue", task_queue, "result", handle.id, "--json")
    assert cause.type == "value_too_large", cause
    assert "what the next run of the chain gets is" in cause.message and "Temporal's payload limit" in cause.message
    record = ExecutionRecord.model_validate(cause.details[0])
    assert record.state.value == "error" and record.error is not None and record.error.code == "value_too_large"
    assert all(record.step(p).state == StepState.COMPLETED for p in parts), "what the run finished is kept"
    assert shown.code == 1 and [s["node_id"] for s in json.loads(shown.out)["steps"]][:3] == parts, shown.err
    assert (await handle.describe()).status.name == "FAILED"  # type: ignore[union-attr]
