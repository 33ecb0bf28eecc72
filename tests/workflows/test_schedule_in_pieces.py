"""The checked schedule of a plan started by reference comes back from its validation in pieces
(orchestra/schedule_pieces.py), read back one an activation: returned whole, 150,000 steps' schedule (4.8 MB) was decoded
in one activation, past the SDK's 2 s deadlock detector on a loaded worker, and the workflow task failed until a retry
passed (bench/first_activation.py measures it at size; at test size no activation comes near 2 s, so the tests check
that the schedule travels in pieces and that the run is the same with it).

The history of such a run is saved beside the replay test; save it again with ORCHESTRA_SAVE_HISTORIES=schedule_in_pieces_now.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

from bench.plan_scale import TASK_ENDS
from orchestra import plan_chain
from orchestra.calls import RunRequest
from orchestra.plan import parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.plan_start import by_reference
from orchestra.record import ExecutionRecord
from orchestra.registry import default_registry
from orchestra.schedule_pieces import ScheduleJoiner, cut, head_of
from orchestra.scheduling import Readiness
from orchestra.settings import Settings
from orchestra.validation import prepare_plan
from tests.helpers import worker_for
from tests.workflows.test_replay import HISTORIES, _replayer
from workflows.orchestration import OrchestrationWorkflow

SAVED = "schedule_in_pieces_now"


def _plan(steps: int) -> dict[str, Any]:
    """A first step every other reads, a chain of steps (some reading the first, one phase each) and an undo reading
    its own step: every part of a schedule a piece carries."""
    nodes: list[dict[str, Any]] = [
        {"id": "w", "tool": "write_file", "args": {"path": "w.txt", "content": "pieced"},
         "compensation": {"tool": "delete_file", "args": {"path": "${w.output.path}"}}},
    ]  # fmt: skip
    nodes += [
        {"id": f"s{i}", "tool": "render_template", "args": {"template": "{x}", "values": {"x": "${w.output.path}"}}}
        if i % 3 == 0
        else {"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"s{i - 1}"]}
        for i in range(steps)
    ]
    return {"name": "schedule-in-pieces", "nodes": nodes, "compensate_on_failure": True}


@pytest.mark.parametrize("steps", [1, 3, 7, 100])
def test_the_pieces_join_to_the_schedule(steps: int) -> None:
    schedule = prepare_plan(parse_plan(_plan(20)), default_registry()).schedule()
    assert schedule.reads and schedule.compensation_reads and len(schedule.phases) > 2, schedule
    joiner = ScheduleJoiner(head_of(schedule))
    for piece in cut(schedule, steps, 1_000_000):
        joiner.add(piece)
    joined = joiner.joined()
    assert joined.model_dump() == schedule.model_dump()
    assert list(joined.deps) == list(schedule.deps), "not in plan order"
    # Each step's place in the plan, built a piece at a time, is the one the driver built whole (its options').
    assert joiner.places == {node.id: at for at, node in enumerate(parse_plan(_plan(20)).nodes)}
    # The first run's readiness, built a piece at a time, is the one built whole.
    whole, built = Readiness(schedule.deps, {}), joiner.readiness
    assert (built.waiting_on, built.dependents) == (whole.waiting_on, whole.dependents)
    assert built.take_ready(100) == whole.take_ready(100)


async def test_a_plan_started_by_reference_reads_its_schedule_in_pieces(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan_chain, "PLAN_PIECE_STEPS", 4)  # the schedule's pieces, as the validation cuts them
    workflow_id = f"test-{uuid.uuid4()}"
    plan = parse_plan(_plan(14))
    request = await by_reference(client, RunRequest(plan=plan), workflow_id, Settings(plan_piece_steps=4))
    assert request.steps_stored is not None and len(request.steps_stored) == 3
    async with worker_for(client, task_queue, tmp_path):
        handle = await client.start_workflow(
            OrchestrationWorkflow.run, args=first_run_args(request), id=workflow_id, task_queue=task_queue
        )
        record = ExecutionRecord.model_validate(await handle.result())
    assert record.state.value == "completed" and record.metrics.completed == 15, record.metrics
    by_id = {step.node_id: step for step in record.steps}
    assert all(step.output is not None for step in record.steps), record.steps  # every step's result
    # The dependencies the schedule's pieces carried: written, and implied by what a step reads.
    assert by_id["s2"].depends_on == ["s1"] and by_id["s3"].depends_on == ["w"], (by_id["s2"], by_id["s3"])
    assert by_id["s13"].phase == 2 and by_id["w"].phase == 0, by_id["s13"]
    history = await handle.fetch_history()
    summaries = [
        json.loads(e.user_metadata.summary.data) for e in history.events if e.user_metadata.HasField("summary")
    ]
    reads = [s for s in summaries if isinstance(s, str) and s.startswith("read the plan's schedule")]
    assert len(reads) == 4, summaries  # 15 steps, 4 a piece
    failed = [e for e in history.events if e.event_type in TASK_ENDS[1:]]
    assert not failed, failed
    await _replayer().replay_workflow(history)
    if SAVED in os.environ.get("ORCHESTRA_SAVE_HISTORIES", ""):
        (HISTORIES / f"{SAVED}.json").write_text(history.to_json())
