"""Every patch a run may ask is settled in its first workflow task, before its first local activity's result
(workflows/patches_at_start.py): the gate's marker, and no other. Asked where the code met them, after local results, a replay that saw a result in
another workflow task than the run did met the patch's marker before the code asked it: "Non-deprecated patch marker
encountered" (a query of a finished run of 40 local steps; a worker restarted under a running one failed its task
for ever).

Saved histories (ORCHESTRA_SAVE_HISTORIES=1 saves these runs'): patches_asked_at_start.json and
agent_patches_asked_at_start.json, replayed here and with test_saved_histories_replay; every history saved before
the gate replays there as it was asked."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

from temporalio.client import Client, WorkflowHistory

from orchestra.record import AgentState, ExecutionRecord
from orchestra.temporal_bounds import MIN_EVENTS_PER_RUN
from tests.agent.support import agent_worker, start_agent
from tests.helpers import record_of, start_plan, worker_for
from tests.llm_server import call, completion, done, scripted
from tests.workflows.test_replay import HISTORIES, _replayer
from workflows.patches_at_start import (
    AGENT_LATER,
    GATE_PATCH,
    ORCHESTRATION_LATER,
    SECOND_GATE_PATCH,
    TAKEN_AT_THE_SECOND_GATE,
)

CHANGE_VERSION = "TemporalChangeVersion"  # the search attribute the SDK upserts with each patch
SLOTS = 2
STEPS = 8  # local steps, more than SLOTS: their results come in several workflow tasks
SKIPPED = {"id": "skipped", "tool": "sleep", "args": {"seconds": 0}, "condition": "s0.output.slept_s < 0",
           "depends_on": ["s0"]}  # fmt: skip
LOCAL_STEPS: dict[str, Any] = {
    "name": "local-steps",
    "max_parallel": STEPS,
    "nodes": [
        *({"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0.2}, "local": True, "timeout_s": 30}
          for i in range(STEPS)),
        SKIPPED,
    ],
}  # fmt: skip


def _patch_of(event: dict[str, Any]) -> str | None:
    marker = event.get("markerRecordedEventAttributes")
    if marker is None or marker["markerName"] != "core_patch":
        return None
    data = marker["details"]["patch-data"]["payloads"][0]["data"]
    return str(json.loads(base64.b64decode(data))["id"])


def patches_before_any_other_command(history: WorkflowHistory) -> list[str]:
    """The patches a run's history records, in order, before its first command that is not a patch (nor the
    search attribute upsert the SDK gives with each)."""
    asked: list[str] = []
    for event in json.loads(history.to_json())["events"][4:]:  # after its first workflow task's
        upsert = event.get("upsertWorkflowSearchAttributesEventAttributes")
        if (patch := _patch_of(event)) is not None:
            asked.append(patch)
        elif upsert is None or set(upsert["searchAttributes"]["indexedFields"]) != {CHANGE_VERSION}:
            return asked
    return asked


def patches_recorded(history: WorkflowHistory) -> list[str]:
    """Every patch marker of the history, in order: a run with the gate records no other."""
    return [p for e in json.loads(history.to_json())["events"] if (p := _patch_of(e)) is not None]


# A plan's run records the two gates' markers and the patches made after the second: each marker is two events of a
# run's history_events_per_run (ten more markers had a chain of 40-event runs hand over after two steps, not three).
PLAN_MARKERS = [GATE_PATCH, SECOND_GATE_PATCH, *(p for p in ORCHESTRATION_LATER if p not in TAKEN_AT_THE_SECOND_GATE)]


def save(history: WorkflowHistory, name: str) -> None:
    saving = os.environ.get("ORCHESTRA_SAVE_HISTORIES", "")
    if saving == "1" or name in saving.split(","):
        (HISTORIES / f"{name}.json").write_text(history.to_json())


async def test_a_plan_asks_every_patch_before_its_first_local_result(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    async with worker_for(client, task_queue, tmp_path, max_concurrent_local_activities=SLOTS):
        handle = await start_plan(client, task_queue, LOCAL_STEPS)
        done_record = ExecutionRecord.model_validate(await handle.result())
        assert done_record.state == AgentState.COMPLETED and done_record.metrics.completed == STEPS
        queried = await record_of(handle)  # a query of a finished run replays its whole history on the worker
        assert queried.metrics.completed == STEPS and queried.metrics.skipped == 1
        history = await handle.fetch_history()
    assert patches_before_any_other_command(history) == PLAN_MARKERS
    assert patches_recorded(history) == PLAN_MARKERS
    save(history, "patches_asked_at_start")
    await _replayer().replay_workflow(history)


async def test_an_agent_asks_every_patch_before_its_first_command(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    answers = [completion("reading", [call("a", "sleep", seconds=0)]), done("done")]
    with scripted(answers) as (base, _):
        async with agent_worker(client, task_queue, tmp_path, base):
            handle = await start_agent(client, task_queue, tools=["sleep"])
            await handle.result()
            history = await handle.fetch_history()
    assert patches_before_any_other_command(history) == [GATE_PATCH, *AGENT_LATER]
    assert patches_recorded(history) == [GATE_PATCH, *AGENT_LATER]
    save(history, "agent_patches_asked_at_start")
    await _replayer().replay_workflow(history)


async def test_every_run_of_a_chain_asks_every_patch_as_it_starts(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """A continued run asks them too (its first local activities read its plan's schedule and the worker's limit)."""
    plan = {"name": "chain", "history_events_per_run": MIN_EVENTS_PER_RUN,
            "nodes": [{"id": f"c{i}", "tool": "sleep", "args": {"seconds": 0}, "local": True,
                       "depends_on": [f"c{i - 1}"] if i else []} for i in range(3)]}  # fmt: skip
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, plan)
        await handle.result()
        record = await record_of(handle)
    assert len(record.runs) >= 2, record.runs
    for run_id in record.runs:
        history = await client.get_workflow_handle(handle.id, run_id=run_id).fetch_history()
        assert patches_before_any_other_command(history) == PLAN_MARKERS, run_id
        assert patches_recorded(history) == PLAN_MARKERS, run_id
        await _replayer().replay_workflow(history)
