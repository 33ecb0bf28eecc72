"""Replay: saved histories must replay on the current workflow code (determinism across changes),
and fresh histories of every path through the workflow must replay too.

Regenerate the saved ones with ORCHESTRA_SAVE_HISTORIES=1 only when a change is meant to be
incompatible and no run of the old code can still be open (otherwise use workflow.patched);
ORCHESTRA_SAVE_HISTORIES=name,name saves only the histories named (new ones, say)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import WorkflowFailureError
from temporalio.client import WorkflowHistory as History
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from orchestra.control import PauseRequest
from orchestra.planning.planner import compensation_for
from orchestra.record import ExecutionRecord, StepState
from orchestra.replayers import replayer_without_deadline
from orchestra.tools.files import write_file_tool
from tests.clock_warp import read_later
from tests.control_support import cancel_what_finished_while_paused, gate
from tests.helpers import http_server, json_body, start_plan, wait_for_step, worker_for
from worker import workflow_runner
from workflows.agent import AgentWorkflow
from workflows.orchestration import OrchestrationWorkflow

HISTORIES = Path(__file__).resolve().parents[1] / "histories"

PLANS: dict[str, dict[str, Any]] = {
    "chain_and_fanout": {
        "name": "chain-and-fanout",
        "nodes": [
            {"id": "a", "tool": "write_file", "args": {"path": "a.txt", "content": "x"}},
            {"id": "b", "tool": "read_file", "args": {"path": "${a.output.path}"}},
            {"id": "c", "tool": "sleep", "args": {"seconds": 0.2}, "depends_on": ["a"]},
            {"id": "d", "tool": "render_template", "condition": "b.output.size > 0",
             "args": {"template": "{{ t }}", "values": {"t": "${b.output.content}"}}},
            {"id": "e", "tool": "render_template", "condition": "b.output.size == 0",
             "args": {"template": "never", "values": {}}},
        ],
    },
    "failure_and_skip": {
        "name": "failure-and-skip",
        "nodes": [
            {"id": "bad", "tool": "read_file", "args": {"path": "missing.txt"}, "retry": {"max_attempts": 1},
             "skip_on_error": True},
            {"id": "worse", "tool": "read_file", "args": {"path": "missing.txt"}, "retry": {"max_attempts": 1}},
            {"id": "after", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["bad"]},
            {"id": "blocked", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["worse"]},
        ],
    },
    # Recorded before each fallback had its own attempts (product132): the alternative ran with its node's.
    "fallback": {
        "name": "fallback",
        "nodes": [
            {"id": "read", "tool": "read_file", "args": {"path": "missing.txt"}, "retry": {"max_attempts": 2,
             "initial_interval_s": 0.1}, "alternatives": [{"tool": "write_file",
                                                          "args": {"path": "found.txt", "content": "x"}}]},
            {"id": "after", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["read"]},
        ],
    },
}  # fmt: skip


async def _produce(client, task_queue, tmp_path) -> dict[str, History]:
    produced: dict[str, History] = {}
    calls: list[int] = []

    def flaky(_request):
        calls.append(1)
        return (503, {}, b"busy") if len(calls) < 2 else json_body({"ok": True})

    async with worker_for(client, task_queue, tmp_path):
        for name, plan in PLANS.items():
            handle = await start_plan(client, task_queue, plan)
            with contextlib.suppress(WorkflowFailureError):
                await handle.result()
            produced[name] = await handle.fetch_history()
        with http_server(flaky) as url:
            retry_plan = {"name": "retry", "nodes": [{"id": "get", "tool": "http_request", "args": {"url": url},
                                                      "retry": {"initial_interval_s": 0.1}}]}  # fmt: skip
            handle = await start_plan(client, task_queue, retry_plan)
            await handle.result()
            produced["retry"] = await handle.fetch_history()
        pause_plan = {"name": "pause-cancel", "nodes": [
            {"id": "a", "tool": "sleep", "args": {"seconds": 0.5}},
            {"id": "b", "tool": "sleep", "args": {"seconds": 60}, "depends_on": ["a"]}]}  # fmt: skip
        handle = await start_plan(client, task_queue, pause_plan)
        await wait_for_step(handle, "a", {StepState.CALLING_TOOL})
        await handle.execute_update(OrchestrationWorkflow.pause_run, PauseRequest(reason="replay"))
        await wait_for_step(handle, "a", {StepState.COMPLETED})
        await handle.signal(OrchestrationWorkflow.resume)
        await wait_for_step(handle, "b", {StepState.CALLING_TOOL})
        await handle.cancel()
        with pytest.raises(WorkflowFailureError):
            await handle.result()
        produced["pause_cancel"] = await handle.fetch_history()
        produced["native_pause_cancel"] = await _native_pause_cancel(client, task_queue)
        deadline_plan = {"name": "deadline", "timeout_s": 2, "nodes": [
            {"id": "quick", "tool": "sleep", "args": {"seconds": 0}},
            {"id": "long", "tool": "sleep", "args": {"seconds": 60}, "depends_on": ["quick"],
             "heartbeat_timeout_s": 2}]}  # fmt: skip
        handle = await start_plan(client, task_queue, deadline_plan)
        with pytest.raises(WorkflowFailureError):
            await handle.result()
        produced["deadline"] = await handle.fetch_history()
        produced.update(await _chain(client, task_queue))
        produced["compensation"] = await _compensation(client, task_queue)
        produced["write_undo"] = await _write_undo(client, task_queue, tmp_path)
    return produced


async def _write_undo(client, task_queue, workspace: Path) -> History:
    """A failed run putting back the user's file its write replaced, then removing the copy (product144)."""
    (workspace / "user.txt").write_text("the user's")
    undo = compensation_for("w", write_file_tool().spec, {"path": "user.txt", "content": "x"})
    assert undo is not None
    plan = {"name": "write-undo", "compensate_on_failure": True, "nodes": [
        {"id": "w", "tool": "write_file", "args": {"path": "user.txt", "content": "x"},
         "compensation": undo.model_dump()},
        {"id": "bad", "tool": "read_file", "args": {"path": "missing.txt"}, "retry": {"max_attempts": 1},
         "depends_on": ["w"]}]}  # fmt: skip
    handle = await start_plan(client, task_queue, plan)
    with pytest.raises(WorkflowFailureError):
        await handle.result()
    assert (workspace / "user.txt").read_text() == "the user's"
    history = await handle.fetch_history()
    events = [e.activity_task_scheduled_event_attributes for e in history.events]
    scheduled = [e.activity_id if e.activity_type.name == "run_tool" else e.activity_type.name for e in events]
    assert [s for s in scheduled if s][-2:] == ["w.compensate", "forget_replaced"], scheduled
    return history


async def _compensation(client, task_queue) -> History:
    """A failed run undoing a step with a POST without a key: recorded before each undo had the attempts its
    tool and arguments allow (product132), when the schedule said nothing of them, so a run of the old code
    compensating on the new replays; fresh, it schedules the undo with one attempt."""
    undone: list[str] = []

    def undo(request):
        undone.append(request.path)
        return json_body({"undone": True})

    with http_server(undo) as url:
        plan = {"name": "compensation", "compensate_on_failure": True, "nodes": [
            {"id": "w", "tool": "write_file", "args": {"path": "w.txt", "content": "x"},
             "compensation": {"tool": "http_request", "args": {"url": f"{url}/undo", "method": "POST"}}},
            {"id": "bad", "tool": "read_file", "args": {"path": "missing.txt"}, "retry": {"max_attempts": 1},
             "depends_on": ["w"]}]}  # fmt: skip
        handle = await start_plan(client, task_queue, plan)
        with pytest.raises(WorkflowFailureError):
            await handle.result()
    assert undone == ["/undo"], undone
    history = await handle.fetch_history()
    scheduled = [e.activity_task_scheduled_event_attributes for e in history.events]
    undo_attempts = [a.retry_policy.maximum_attempts for a in scheduled if a.activity_id == "w.compensate"]
    assert undo_attempts == [1], undo_attempts  # 5 before: a refund whose answer was slow was sent again
    return history


async def _chain(client, task_queue) -> dict[str, History]:
    """A plan that continues as new: its first run (ending in ContinuedAsNew) and its last (started with a carry)."""
    nodes = [{"id": "w", "tool": "write_file", "args": {"path": "w.txt", "content": "chained"}}]
    nodes += [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"s{i - 1}" if i else "w"]}
              for i in range(8)]  # fmt: skip
    nodes.append({"id": "r", "tool": "read_file", "args": {"path": "${w.output.path}"}, "depends_on": ["s7"]})
    handle = await start_plan(client, task_queue, {"name": "chain", "history_events_per_run": 25, "nodes": nodes})
    record = ExecutionRecord.model_validate(await handle.result())
    assert len(record.runs) >= 3, record.runs
    first, last = (client.get_workflow_handle(handle.id, run_id=r) for r in (record.runs[0], record.runs[-1]))
    return {"chain_first": await first.fetch_history(), "chain_last": await last.fetch_history()}


async def _native_pause_cancel(client, task_queue) -> History:
    """Steps that finish while the run is natively paused, then a cancel, then unpause: the workflow sees
    the completions and the cancel in one workflow task."""
    with gate() as (url, released):
        plan = {"name": "native-pause-cancel", "nodes": [
            {"id": "left", "tool": "http_request", "args": {"url": f"{url}/l"}, "retry": {"max_attempts": 1}},
            {"id": "after", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["left"]}]}  # fmt: skip
        handle = await start_plan(client, task_queue, plan)
        await cancel_what_finished_while_paused(client, handle, released.set, "left")
        with pytest.raises(WorkflowFailureError):
            await handle.result()
        return await handle.fetch_history()


def _replayer() -> Replayer:
    # Every saved history replays here, the agent's (tests/agent/test_replay.py saves them) included.
    return replayer_without_deadline(
        workflows=[OrchestrationWorkflow, AgentWorkflow],
        data_converter=pydantic_data_converter,
        workflow_runner=workflow_runner(),
    )


async def test_fresh_histories_replay(client, task_queue, tmp_path):
    produced = await _produce(client, task_queue, tmp_path)
    save = os.environ.get("ORCHESTRA_SAVE_HISTORIES", "")
    if save:
        HISTORIES.mkdir(exist_ok=True)
        for name, history in produced.items():
            if save == "1" or name in save.split(","):
                (HISTORIES / f"{name}.json").write_text(history.to_json())
    for name, history in produced.items():
        result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{name}: {result.replay_failure}"
        # The same run with its clock read an hour later from its start on (tests/clock_warp.py): its
        # commands may not depend on workflow.now() (the search index's refresh, the deadline).
        result = await _replayer().replay_workflow(read_later(history), raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{name} read an hour later: {result.replay_failure}"


@pytest.mark.parametrize("path", sorted(HISTORIES.glob("*.json")), ids=lambda p: p.stem)
async def test_saved_histories_replay(path: Path):
    history = History.from_json(path.stem, path.read_text())
    await _replayer().replay_workflow(history)


def test_saved_histories_exist():
    assert {p.stem for p in HISTORIES.glob("*.json")} >= {
        "chain_and_fanout",
        "failure_and_skip",
        "retry",
        "pause_cancel",
        "native_pause_cancel",
        "deadline",
        "chain_first",
        "chain_last",
        "fallback",
        "compensation",
        "write_undo",
    }
