"""A plan longer than one run's history continues as new: it completes as one chain with one whole
record, references and conditions read outputs of earlier runs, and pause, resume, cancel and the
deadline hold across the boundary. Runs hand over early here through the plan's own event limit
(``history_events_per_run``); the server's suggestion is tested on a server of its own."""

from __future__ import annotations

import gc
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from orchestra.control import PauseRequest
from orchestra.plan import parse_plan
from orchestra.plan_chain import PlanCarry
from orchestra.record import AgentState, ExecutionRecord, StepState
from orchestra.registry import default_registry
from orchestra.settings import Settings
from orchestra.storage.step_chunks import whole_record
from orchestra.storage.step_output import step_output
from orchestra.validation import prepare_plan
from tests.cli.cli import Result
from tests.conftest import server_suggesting_continue_as_new
from tests.control_support import attempts_started, gate, until
from tests.helpers import record_of, settings_for, start_plan, worker_for
from tests.ops.support import run_command
from tests.storage.conftest import client_with
from worker import create_worker
from workflows.orchestration import DEADLINE_SUMMARY, OrchestrationWorkflow

CHAIN = 24


def long_plan(chain_steps: int = CHAIN, **extra: Any) -> dict[str, Any]:
    """Steps in sequence, long enough for several runs, and late steps that read early ones: a reference
    to a small output, one to a stored output (resolved by run_tool), a condition over a stored output
    (read back by the workflow), a condition that is false. A test of what one hand-over does needs only
    a few steps in the chain: each run of a chain costs a workflow start and a read of the schedule."""
    chain = [
        {"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"s{i - 1}" if i else "big"]}
        for i in range(chain_steps)
    ]
    last = f"s{chain_steps - 1}"
    nodes = [
        {"id": "first", "tool": "write_file", "args": {"path": "first.txt", "content": "from run one"}},
        {"id": "big", "tool": "read_file", "args": {"path": "big.txt"}, "depends_on": ["first"]},
        *chain,
        {"id": "reader", "tool": "read_file", "args": {"path": "${first.output.path}"}, "depends_on": [last]},
        {"id": "size", "tool": "json_query", "args": {"data": "${big.output.content}", "expression": "length(@)"},
         "depends_on": [last]},
        {"id": "checked", "tool": "sleep", "args": {"seconds": 0}, "condition": "big.output.size > 1000",
         "depends_on": [last]},
        {"id": "never", "tool": "sleep", "args": {"seconds": 0}, "condition": "first.output.bytes_written == 0",
         "depends_on": [last]},
    ]  # fmt: skip
    return {"name": "long", "history_events_per_run": 40, "nodes": nodes, **extra}


def chain_runs(record: ExecutionRecord) -> int:
    return len(record.runs)


async def finished(handle: WorkflowHandle[Any, Any]) -> ExecutionRecord:
    return ExecutionRecord.model_validate(await handle.result())


@dataclass(frozen=True)
class ChainRun:
    """A long_plan run to its end, on the session's server and storage folder, and what the CLI showed of it."""

    client: Client
    workflow_id: str
    plan: dict[str, Any]
    record: ExecutionRecord
    shown: Result
    output: Result
    history: Result


@pytest.fixture(scope="module")
async def chain_run(temporal_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory) -> ChainRun:
    """One completed chain for the tests that only read it (the whole record, the stored schedule, the deadline's
    timers): each run of long_plan costs a workflow start per run of the chain and a read of the schedule, and three
    such chains showed no more than one. It has a deadline (timeout_s) and a stored 60 KB output; they hold for every
    reader (a deadline timer only makes the runs a few events shorter)."""
    client, task_queue, workspace = temporal_env.client, f"tq-{uuid.uuid4()}", tmp_path_factory.mktemp("chain")
    (workspace / "big.txt").write_text("b" * 60_000)
    plan = long_plan(timeout_s=300)
    async with worker_for(client, task_queue, workspace):
        handle = await start_plan(client, task_queue, plan)
        record = await finished(handle)
        shown = await run_command(client, "--task-queue", task_queue, "result", handle.id, "--json")
        output = await run_command(client, "--task-queue", task_queue, "result", handle.id, "--output", "big")
        history = await run_command(client, "--task-queue", task_queue, "history", handle.id, "--json")
    return ChainRun(client, handle.id, plan, record, shown, output, history)


async def test_a_plan_chained_over_several_runs_completes_with_one_whole_record(chain_run: ChainRun) -> None:
    client, plan, record = chain_run.client, chain_run.plan, chain_run.record
    shown, output, history = chain_run.shown, chain_run.output, chain_run.history

    assert chain_runs(record) >= 4, f"continued as new {chain_runs(record) - 1} times"
    assert record.runs[-1] == record.run_id and record.earlier, "earlier runs' steps are stored by reference"
    whole = await whole_record(client.data_converter, record)
    order = [n for phase in prepare_plan(parse_plan(plan), default_registry()).phases for n in phase]
    assert [s.node_id for s in whole.steps] == order
    assert {s.node_id: s.state for s in whole.steps if s.state != StepState.COMPLETED} == {"never": StepState.SKIPPED}
    assert whole.step("reader").output["content"] == "from run one"  # a small output read runs later
    assert whole.step("size").output["result"] == 60_000  # a stored output, read by run_tool
    assert whole.step("checked").state == StepState.COMPLETED  # a condition over a stored output
    assert whole.step("first").run_index == 0 and whole.step("reader").run_index == chain_runs(record) - 1
    assert len({s.run_index for s in whole.steps}) == chain_runs(record), "every run of the chain ran steps"
    m = record.metrics
    assert (m.total_steps, m.completed, m.skipped, m.pending, m.running) == (len(order), len(order) - 1, 1, 0, 0)
    assert m.tool_call_count == len(order) - 1 and record.state == AgentState.COMPLETED and record.success
    assert (await step_output(client, record, "big"))["content"] == "b" * 60_000

    assert shown.code == 0, shown.err
    assert [s["node_id"] for s in json.loads(shown.out)["steps"]] == order
    assert output.code == 0 and json.loads(output.out)["size"] == 60_000
    assert {"first", "reader", "s0", f"s{CHAIN - 1}"} <= {row["node_id"] for row in json.loads(history.out)}


async def carries(client: Client, workflow_id: str, runs: list[str]) -> list[PlanCarry]:
    """The carry each run after the chain's first started with, as its history holds it."""
    found = []
    for run_id in runs[1:]:
        async for event in client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history_events():
            started = event.workflow_execution_started_event_attributes
            _, carry = await client.data_converter.decode_wrapper(started.input)
            found.append(PlanCarry.model_validate(carry))
            break
    return found


async def test_a_chain_validates_its_plan_once_and_stores_the_schedule_once(
    chain_run: ChainRun, storage_settings: Settings
) -> None:
    """With storage on, the first hand-over stores the validated schedule, in pieces, and every later run gets
    their references. The chain completes whole."""
    client, record = chain_run.client, chain_run.record
    assert chain_runs(record) >= 3 and record.state == AgentState.COMPLETED
    whole = await whole_record(client.data_converter, record)
    assert len(whole.steps) == CHAIN + 6 and whole.step("reader").output["content"] == "from run one"
    assert {s.node_id for s in whole.steps if s.state != StepState.COMPLETED} == {"never"}  # big.txt is 60 KB
    carried = await carries(client, chain_run.workflow_id, record.runs)
    # In pieces (orchestra/schedule_pieces.py), read back one an activation by every run after the first.
    assert all(c.schedule is None and c.schedule_ref is None and c.schedule_pieces for c in carried)
    assert len({json.dumps([p.model_dump(mode="json") for p in c.schedule_pieces or []]) for c in carried}) == 1, (
        "stored once"
    )
    for piece in carried[0].schedule_pieces or []:
        assert (storage_settings.storage_folder() / piece.claim["path"]).is_file()


async def test_with_storage_off_a_chain_carries_its_schedule_in_every_run(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """With storage off, the schedule travels in the carry. The chain completes whole."""
    settings = settings_for(task_queue, tmp_path).model_copy(update={"storage": "off"})
    client = client_with(client, settings)
    (tmp_path / "big.txt").write_text("small")
    async with create_worker(client, settings):
        handle = await start_plan(client, task_queue, long_plan())
        record = await finished(handle)
    assert chain_runs(record) >= 3 and record.state == AgentState.COMPLETED
    whole = await whole_record(client.data_converter, record)
    assert len(whole.steps) == CHAIN + 6 and whole.step("reader").output["content"] == "from run one"
    assert {s.node_id for s in whole.steps if s.state != StepState.COMPLETED} == {"checked", "never"}  # conditions
    carried = await carries(client, handle.id, record.runs)
    assert all(c.schedule is not None and c.schedule_ref is None for c in carried)


async def test_a_stored_schedule_that_is_gone_fails_the_next_run_naming_it(
    client: Client, storage_settings: Settings, task_queue: str, tmp_path: Path
):
    (tmp_path / "big.txt").write_text("small")
    with gate() as (url, released):
        plan = long_plan()
        plan["nodes"].append({"id": "held", "tool": "http_request", "args": {"url": url}, "depends_on": ["s8"],
                              "retry": {"max_attempts": 1}})  # fmt: skip
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, plan)
            await until(handle.describe, attempts_started("held"))
            runs = (await record_of(handle)).runs
            assert len(runs) >= 2, "the schedule is stored by the first hand-over"
            [carry] = await carries(client, handle.id, runs[-2:])
            assert carry.schedule_pieces, "the schedule is stored in pieces"
            (storage_settings.storage_folder() / carry.schedule_pieces[-1].claim["path"]).unlink()
            released.set()
            with pytest.raises(WorkflowFailureError) as failed:
                await handle.result()
            shown = await run_command(client, "--task-queue", task_queue, "result", handle.id, "--json")
    assert "could not read the plan's schedule" in str(failed.value.cause)
    record = ExecutionRecord.model_validate(json.loads(shown.out))
    assert record.state == AgentState.ERROR and record.error is not None
    assert "could not read the plan's schedule" in record.error.message
    assert record.step("held").state == StepState.COMPLETED, "what earlier runs finished is kept"


async def test_a_pause_holds_across_a_continue_as_new_and_resume_goes_on(client, task_queue, tmp_path):
    (tmp_path / "big.txt").write_text("small")
    with gate() as (url, released):
        plan = long_plan(3, history_events_per_run=12)
        plan["nodes"].append({"id": "held", "tool": "http_request", "args": {"url": url}, "retry": {"max_attempts": 1}})
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, plan)
            await until(handle.describe, attempts_started("held"))
            first_run = (await handle.describe()).run_id
            answer = await handle.execute_update(OrchestrationWorkflow.pause_run, PauseRequest(reason="lunch"))
            assert answer.paused
            released.set()  # the run hands over once its running step has finished: paused
            record = await until(lambda: record_of(handle), lambda r: chain_runs(r) >= 2)
            assert record.state == AgentState.PAUSED and record.paused and record.pause_reason == "lunch"
            whole = await whole_record(client.data_converter, record)
            assert record.runs[0] == first_run and whole.step("held").state == StepState.COMPLETED
            waiting = record.metrics.pending
            assert waiting > 0, "nothing starts while paused, in the next run too"

            resumed = await handle.execute_update(OrchestrationWorkflow.resume_run)
            assert resumed.state == AgentState.RUNNING and not resumed.paused
            record = await finished(handle)
    assert record.state == AgentState.COMPLETED and chain_runs(record) >= 3
    assert (await whole_record(client.data_converter, record)).step("held").output["status"] == 200


async def test_a_cancel_after_a_continue_as_new_ends_the_chain_and_keeps_what_earlier_runs_finished(
    client, task_queue, tmp_path
):
    (tmp_path / "big.txt").write_text("small")
    with gate() as (url, released):
        plan = long_plan()
        plan["nodes"].append({"id": "late", "tool": "http_request", "args": {"url": url}, "depends_on": ["s20"],
                              "retry": {"max_attempts": 1}})  # fmt: skip
        # The reader waits for the gated step too: else, on a loaded machine, it ran and completed between the
        # gated step's start and the cancel (the chain's last steps are sleeps of 0 s), and the test failed.
        reader = next(node for node in plan["nodes"] if node["id"] == "reader")
        reader["depends_on"] = [*reader["depends_on"], "late"]
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, plan)
            await until(handle.describe, attempts_started("late"))
            await handle.cancel()
            with pytest.raises(WorkflowFailureError):
                await handle.result()
            cancelled = await run_command(client, "--task-queue", task_queue, "result", handle.id, "--json")
            released.set()
    record = ExecutionRecord.model_validate(json.loads(cancelled.out))
    assert record.state == AgentState.CANCELLED and chain_runs(record) >= 2
    assert record.step("first").state == StepState.COMPLETED and record.step("first").run_index == 0
    assert all(record.step(f"s{i}").state == StepState.COMPLETED for i in range(21))
    assert record.step("late").state == StepState.CANCELLED and record.step("reader").state == StepState.CANCELLED


async def test_a_cancel_while_a_run_hands_over_is_not_carried(client, task_queue, tmp_path):
    """Due to hand over, the run waits for its running step; a cancel then ends it: no next run starts."""
    (tmp_path / "big.txt").write_text("small")
    with gate() as (url, released):
        plan = long_plan(history_events_per_run=10)
        plan["nodes"].append({"id": "held", "tool": "http_request", "args": {"url": url}, "retry": {"max_attempts": 1}})
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(client, task_queue, plan)
            await until(handle.describe, attempts_started("held"))
            await until(lambda: record_of(handle), lambda r: r.step("first").state == StepState.COMPLETED)
            await handle.cancel()
            released.set()
            with pytest.raises(WorkflowFailureError):
                await handle.result()
            first = await client.get_workflow_handle(handle.id, run_id=handle.result_run_id).describe()
    assert first.status is not None and first.status.name == "CANCELED"
    events = [e async for e in client.get_workflow_handle(handle.id).fetch_history_events()]
    assert not any(e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW for e in events)


async def test_the_deadline_is_one_timer_for_the_whole_chain(chain_run: ChainRun) -> None:
    client, record, workflow_id = chain_run.client, chain_run.record, chain_run.workflow_id
    assert chain_run.plan["timeout_s"] == 300
    timers = []
    for run_id in record.runs:
        async for event in client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history_events():
            summary = event.user_metadata.summary.data if event.HasField("user_metadata") else b'""'
            if event.event_type == EventType.EVENT_TYPE_TIMER_STARTED and json.loads(summary) == DEADLINE_SUMMARY:
                timers.append(event.timer_started_event_attributes.start_to_fire_timeout.ToTimedelta())
    assert len(timers) == chain_runs(record) >= 3
    # Counted from the chain's recorded start, not from the first run's first timer (workflows/orchestration.py's
    # first_control): the first timer is at most the whole timeout, each later run's shorter.
    assert timers[0].total_seconds() <= 300 and all(later < timers[0] for later in timers[1:]), timers


@pytest.fixture(scope="module")
async def suggesting_env() -> AsyncIterator[WorkflowEnvironment]:
    """A server that suggests continue-as-new after 60 history events, and a client that stores nothing
    outside the history (ORCHESTRA_STORAGE=off): earlier runs' steps then travel in the carry."""
    async with server_suggesting_continue_as_new(60) as env:
        yield env


async def test_a_run_continues_as_new_when_the_server_suggests_it(suggesting_env, tmp_path: Path):
    client: Client = suggesting_env.client
    task_queue = f"tq-{uuid.uuid4()}"
    (tmp_path / "big.txt").write_text("small")
    plan = long_plan()
    del plan["history_events_per_run"]
    async with worker_for(client, task_queue, tmp_path):
        record = await finished(await start_plan(client, task_queue, plan))
    assert chain_runs(record) >= 2 and all(chunk.stored is None and chunk.steps for chunk in record.earlier)
    whole = await whole_record(client.data_converter, record)
    assert len(whole.steps) == CHAIN + 6 and whole.step("reader").output["content"] == "from run one"


def live_runs(workflow_id: str) -> int:
    """Runs of this chain whose workflow objects are still in memory, collected or not."""
    return sum(
        1
        for o in gc.get_objects()
        if type(o).__name__ == "OrchestrationWorkflow" and getattr(o, "_record", None) and o._record.id == workflow_id
    )


async def test_a_worker_frees_the_ended_runs_of_a_chain_as_it_goes(client, task_queue, tmp_path):
    """An evicted run is a reference cycle that only a full collection frees: the worker collects when the
    next run of a chain starts, so a chain holds one or two runs in memory, not all of them."""
    steps = [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, **({"depends_on": [f"s{i - 1}"]} if i else {})}
             for i in range(24)]  # fmt: skip
    gc.collect()
    gc.disable()  # no automatic collection: only the worker's own
    try:
        async with worker_for(client, task_queue, tmp_path):
            handle = await start_plan(
                client, task_queue, {"name": "freed", "history_events_per_run": 30, "nodes": steps}
            )
            record = await finished(handle)
            held = live_runs(handle.id)
    finally:
        gc.enable()
    assert record.state == AgentState.COMPLETED and chain_runs(record) >= 5
    assert held <= 2, f"{held} of the chain's {chain_runs(record)} runs are still in memory"
