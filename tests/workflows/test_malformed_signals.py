"""A control signal whose input does not fit its handler — sent from the Web UI's "Send signal" with any
JSON, or by a script — is refused with the reason and the run goes on: before, the wrong number of
arguments failed every retry of the workflow task (a stalled run, deaf to resume), and an argument of the
wrong type was dropped with a line in the worker's log only."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic_core import to_json
from temporalio import workflow
from temporalio.api.common.v1 import Payload
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowUpdateFailedError
from temporalio.common import RawValue

from activities.health import outcome_now, read_snapshot
from orchestra.control import (
    MAX_REASON_CHARS,
    PAUSE_SIGNAL,
    PAUSE_UPDATE,
    REFUSED_SIGNAL,
    RESUME_SIGNAL,
    RESUME_UPDATE,
    ControlAnswer,
    PauseRequest,
)
from orchestra.health import (
    MAX_ERROR_TYPES,
    MAX_SNAPSHOT_BYTES,
    MAX_TOOL_NAME,
    MAX_TOOLS,
    ToolOutcome,
    health_workflow_id,
)
from orchestra.record import AgentState, ExecutionRecord
from orchestra.replayers import replayer_without_deadline
from tests.control_support import until
from tests.helpers import record_of, start_plan, worker_for
from tests.patience import patient
from tests.storage.test_refused_references import resume, start_paused
from worker import WORKFLOWS, workflow_runner
from workflows.orchestration import OrchestrationWorkflow
from workflows.tool_health import HealthState, ToolHealthWorkflow

SECRET = "hunter2-do-not-echo"
# What was sent, and what the refusal says of it.
MISFITS: list[tuple[tuple[str, list[Any]], str]] = [
    ((PAUSE_SIGNAL, ["a", "b", SECRET]), "`pause(reason)`: it was sent 3 arguments"),
    ((PAUSE_SIGNAL, [{"why": SECRET}]), "`pause(reason)`: argument 1 is not a str"),
    ((RESUME_SIGNAL, [SECRET]), "`resume()`: it was sent 1 argument"),
    ((PAUSE_SIGNAL, [RawValue(Payload(metadata={"encoding": b"json/plain"}, data=b"{" + SECRET.encode()))]),
     "`pause(reason)`: argument 1 is not a str"),
    # Bytes, null and protobuf convert whatever the type says: bytes as a reason failed the run, quoting them.
    ((PAUSE_SIGNAL, [RawValue(Payload(metadata={"encoding": b"binary/plain"}, data=SECRET.encode() + b"\xff"))]),
     "`pause(reason)`: argument 1 is not JSON"),
    ((PAUSE_SIGNAL, [RawValue(Payload(metadata={"encoding": b"binary/null"}))]),
     "`pause(reason)`: argument 1 is not JSON"),
    ((PAUSE_SIGNAL, [RawValue(Payload(metadata={"encoding": b"json/protobuf", "messageType": b"temporal.api.common.v1.Payload"}, data=b"{}"))]),
     "`pause(reason)`: argument 1 is not JSON"),
]  # fmt: skip


async def test_signals_that_do_not_fit_their_handler_are_refused_and_the_run_goes_on(client, task_queue, tmp_path):
    async with patient(worker_for(client, task_queue, tmp_path)):
        victim = await start_paused(client, task_queue)
        for (name, args), _ in MISFITS:
            await victim.signal(name, args=args)
        record = await asyncio.wait_for(resume(victim), 60)
        history = await victim.fetch_history()
    assert record.state == AgentState.COMPLETED
    assert [(r.signal, r.reason) for r in record.refused_signals] == [
        (name, f"its input does not fit {why}") for (name, _), why in MISFITS
    ]
    assert SECRET not in record.model_dump_json()
    await replayer_without_deadline(
        workflows=[OrchestrationWorkflow], data_converter=client.data_converter, workflow_runner=workflow_runner()
    ).replay_workflow(history)


async def test_the_shared_tool_health_takes_no_harm_from_a_record_that_does_not_fit(client, task_queue, tmp_path):
    outcome = ToolOutcome(tool="sleep", ok=True, latency_ms=1.0, at=datetime.now(UTC))
    async with patient(worker_for(client, task_queue, tmp_path)):
        handle = await client.start_workflow(
            ToolHealthWorkflow.run, HealthState(), id=health_workflow_id(task_queue), task_queue=task_queue,
            start_signal="record", start_signal_args=[[outcome], "one argument too many"],
        )  # fmt: skip
        await handle.signal("record", args=[])
        await handle.signal("record", RawValue(Payload(metadata={"encoding": b"binary/null"})))
        await handle.signal("record", [outcome])
        snapshot = await until(lambda: read_snapshot(client, task_queue), lambda s: "sleep" in s.tools)
        history = await handle.fetch_history()
        await handle.terminate()
    assert snapshot.tools["sleep"].calls == 1  # the good record only
    failed = [e for e in history.events if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED]
    assert not failed, failed[0].workflow_task_failed_event_attributes.failure.message


async def test_the_shared_tool_health_takes_no_harm_from_outcomes_at_the_end_of_time(client, task_queue, tmp_path):
    """An outcome dated 9999-12-31 fits the record's type; the circuit it opened was to stay open until past
    the largest datetime, which raised in the signal handler: every retry of the workflow task failed, and
    the health every run's selection reads answered no query."""
    late = datetime.max.replace(tzinfo=UTC)
    failures = [ToolOutcome.model_construct(tool="shell", ok=False, latency_ms=1.0, error_type="x", at=late)] * 5
    outcome = ToolOutcome(tool="sleep", ok=True, latency_ms=1.0, at=datetime.now(UTC))
    async with patient(worker_for(client, task_queue, tmp_path)):
        handle = await client.start_workflow(
            ToolHealthWorkflow.run, HealthState(), id=health_workflow_id(task_queue), task_queue=task_queue,
            start_signal="record", start_signal_args=[failures],
        )  # fmt: skip
        await handle.signal("record", [outcome])
        snapshot = await until(lambda: read_snapshot(client, task_queue), lambda s: "sleep" in s.tools)
        history = await handle.fetch_history()
        await handle.terminate()
    assert "shell" not in snapshot.tools and snapshot.tools["sleep"].calls == 1  # the batch was refused
    failed = [e for e in history.events if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED]
    assert not failed, failed[0].workflow_task_failed_event_attributes.failure.message


async def test_the_shared_tool_health_keeps_a_bounded_count_of_error_types(client, task_queue, tmp_path):
    """Anyone who may signal it sends outcomes: 2,000 distinct error types for one tool grew its counts, and
    the state every run's selection queries, without end. A tool name or error type too long is refused."""
    now = datetime.now(UTC)
    hot = [ToolOutcome(tool="shell", ok=False, latency_ms=1.0, error_type="http_503", at=now)] * 2  # most frequent
    many = hot + [ToolOutcome(tool="shell", ok=False, latency_ms=1.0, error_type=f"e{i}", at=now) for i in range(2_000)]
    long_name = [ToolOutcome.model_construct(tool="t" * (MAX_TOOL_NAME + 1), ok=True, latency_ms=1.0, at=now)]
    async with patient(worker_for(client, task_queue, tmp_path)):
        handle = await client.start_workflow(
            ToolHealthWorkflow.run, HealthState(), id=health_workflow_id(task_queue), task_queue=task_queue,
            start_signal="record", start_signal_args=[many],
        )  # fmt: skip
        await handle.signal("record", long_name)
        await handle.signal("record", [ToolOutcome(tool="sleep", ok=True, latency_ms=1.0, at=now)])
        snapshot = await until(lambda: read_snapshot(client, task_queue), lambda s: "sleep" in s.tools)
        await handle.terminate()
    kept = snapshot.tools["shell"].error_types
    assert len(kept) == MAX_ERROR_TYPES and kept["http_503"] == 2 and "e1999" in kept, kept
    assert set(snapshot.tools) == {"shell", "sleep"}


async def test_the_shared_tool_health_stays_within_a_payload_however_many_long_names(client, task_queue, tmp_path):
    """2,000 tools were kept whatever their names: with names of the longest kind (a control character is
    six bytes in JSON, and the name is written twice) the snapshot was 7 MB, past Temporal's 2 MiB payload
    limit for the query every run's selection makes and for the state the workflow continues as new with.
    The tools reported longest ago are forgotten until it fits, by when they arrived: the first half here
    claims a date years ahead, which would have every tool reported since forgotten first."""
    start = datetime.now(UTC)
    name = "\x01" * (MAX_TOOL_NAME - 5)
    outcomes = [
        ToolOutcome(tool=f"{i:05d}{name}", ok=True, latency_ms=1.5, at=start + timedelta(days=1000 * (i < 1000)))
        for i in range(MAX_TOOLS + 100)
    ]
    async with patient(worker_for(client, task_queue, tmp_path)):
        handle = await client.start_workflow(
            ToolHealthWorkflow.run, HealthState(), id=health_workflow_id(task_queue), task_queue=task_queue,
            start_signal="record", start_signal_args=[outcomes[:200]],
        )  # fmt: skip
        for first in range(200, len(outcomes), 200):
            await handle.signal("record", outcomes[first : first + 200])
        last = outcomes[-1].tool
        snapshot = await until(lambda: read_snapshot(client, task_queue), lambda s: last in s.tools)
        await handle.terminate()
    assert len(to_json(snapshot)) <= MAX_SNAPSHOT_BYTES
    kept = sorted(snapshot.tools)
    assert kept == [o.tool for o in outcomes[-len(kept) :]], "the tools reported longest ago go first"
    assert len(kept) > 100, "as many as fit are kept"


def test_a_workers_own_outcome_is_cut_to_what_the_health_takes_never_refused():
    """The worker reports every call: a tool named longer than the bound must still be counted (cut),
    not fail the call it reports on."""
    outcome = outcome_now("t" * (MAX_TOOL_NAME + 50), False, datetime.now(UTC), "E" * 500)
    assert len(outcome.tool) == MAX_TOOL_NAME and outcome.error_type is not None and len(outcome.error_type) < 500


def raw(encoding: bytes, data: bytes = b"", **metadata: bytes) -> RawValue:
    return RawValue(Payload(metadata={"encoding": encoding, **metadata}, data=data))


# What was sent to an update, and what its rejection says of it.
UPDATE_MISFITS: list[tuple[tuple[str, list[Any]], str]] = [
    ((PAUSE_UPDATE, [raw(b"binary/plain", SECRET.encode() + b"\xff")]), "`pause_run(request)`: argument 1 is not JSON"),
    ((PAUSE_UPDATE, [raw(b"binary/null")]), "`pause_run(request)`: argument 1 is not JSON"),
    ((PAUSE_UPDATE, [raw(b"json/protobuf", b"{}", messageType=b"temporal.api.common.v1.Payload")]),
     "`pause_run(request)`: argument 1 is not JSON"),
    ((PAUSE_UPDATE, [{"reason": {"why": SECRET}}]), "`pause_run(request)`: argument 1 is not a PauseRequest"),
    ((PAUSE_UPDATE, ["a", SECRET]), "`pause_run(request)`: it was sent 2 arguments"),
    ((RESUME_UPDATE, [raw(b"binary/null")]), "`resume_run()`: argument 1 is not JSON"),
]  # fmt: skip


async def test_updates_that_do_not_fit_their_handler_are_rejected_and_the_run_goes_on(client, task_queue, tmp_path):
    """Bytes, null or a protobuf message as an update's input reached the handler whatever its type hint
    said, and raised in workflow code: every retry of the workflow task failed, a run deaf to everything."""
    rejected: list[str] = []
    async with patient(worker_for(client, task_queue, tmp_path)):
        victim = await start_plan(
            client, task_queue, {"nodes": [{"id": "nap", "tool": "sleep", "args": {"seconds": 1}}]}
        )
        for (name, args), _ in UPDATE_MISFITS:
            with pytest.raises(WorkflowUpdateFailedError) as failed:
                await asyncio.wait_for(victim.execute_update(name, args=args), 30)
            rejected.append(str(failed.value.cause))
        answer = await victim.execute_update(PAUSE_UPDATE, PauseRequest(reason="fits"), result_type=ControlAnswer)
        await victim.execute_update(RESUME_UPDATE, result_type=ControlAnswer)
        record = ExecutionRecord.model_validate(await asyncio.wait_for(victim.result(), 60))
        history = await victim.fetch_history()
    assert answer.paused and record.state == AgentState.COMPLETED
    assert rejected == [f"PayloadValidationError: the update's input does not fit {why}" for _, why in UPDATE_MISFITS]
    assert not [e for e in history.events if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED]
    await replayer_without_deadline(
        workflows=[OrchestrationWorkflow], data_converter=client.data_converter, workflow_runner=workflow_runner()
    ).replay_workflow(history)


def test_every_workflow_that_takes_signals_takes_the_refusals_too():
    """Where there is no handler for them, the runner leaves misfits to the SDK: a stalled workflow."""
    for defn in (workflow._Definition.must_from_class(w) for w in WORKFLOWS):
        assert not defn.signals or REFUSED_SIGNAL in defn.signals, defn.name


async def test_a_pause_reason_of_any_size_is_kept_cut(client, task_queue, tmp_path):
    """A reason is free text from whoever pauses (a script, the Web UI): a megabyte of it is kept cut to
    MAX_REASON_CHARS in the run's state, its record and every answer, by update or by signal."""
    by_update, by_signal = "why " * 250_000, "because " * 125_000
    async with patient(worker_for(client, task_queue, tmp_path)):
        victim = await start_plan(
            client, task_queue, {"nodes": [{"id": "nap", "tool": "sleep", "args": {"seconds": 600}}]}
        )
        answer = await victim.execute_update(PAUSE_UPDATE, PauseRequest(reason=by_update), result_type=ControlAnswer)
        await victim.signal(RESUME_SIGNAL)
        await victim.signal(PAUSE_SIGNAL, by_signal)
        record = await until(lambda: record_of(victim), lambda r: (r.pause_reason or "").startswith("because"))
        await victim.terminate()
    for reason, sent in ((answer.pause_reason, by_update), (record.pause_reason, by_signal)):
        assert reason is not None and len(reason) == MAX_REASON_CHARS and reason.endswith("…")
        assert sent.startswith(reason[:-1])
