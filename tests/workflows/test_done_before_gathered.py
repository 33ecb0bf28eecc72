"""The steps earlier runs of a chain finished are gathered a share at a time, one share an activation that reads a piece
of the plan (orchestra/plan_steps.DoneBefore), and the run's steps take them as gathered, not walked again.

Found: a continued run late in a chain of 150,000 steps built that set in one walk of every chunk, in the activation
before its schedule's read, and twice more (the chunked steps, then the done ones) in the activation making its
driver."""

from __future__ import annotations

from datetime import UTC, datetime

from orchestra.plan import parse_plan
from orchestra.plan_steps import DoneBefore, PlanSteps
from orchestra.record import ExecutionRecord, StepChunk
from orchestra.registry import default_registry
from orchestra.validation import prepare_plan

CHUNKS, PER_CHUNK = 12, 50


def _record() -> ExecutionRecord:
    chunks = [
        StepChunk(
            run_index=c,
            nodes=[f"s{c * PER_CHUNK + i}" for i in range(PER_CHUNK)],
            positions=list(range(c * PER_CHUNK, (c + 1) * PER_CHUNK)),
        )
        for c in range(CHUNKS)
    ]
    return ExecutionRecord(
        id="w", run_id="r", plan_name="p", started_at=datetime.now(UTC), earlier=chunks, runs=["a", "b"]
    )


def test_each_piece_of_the_plan_read_gathers_its_share_of_the_steps_done_before() -> None:
    before = DoneBefore(_record(), [])
    pieces = 4
    sizes = []
    for at in range(pieces):
        was = len(before.chunked)
        before.gather(pieces - at)
        sizes.append(len(before.chunked) - was)
    assert sizes == [CHUNKS * PER_CHUNK // pieces] * pieces, sizes
    assert before.done is before.chunked and len(before.done) == CHUNKS * PER_CHUNK


def test_the_run_steps_take_the_steps_done_before_as_gathered() -> None:
    nodes = [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}} for i in range(CHUNKS * PER_CHUNK + 3)]
    plan = parse_plan({"name": "p", "nodes": nodes})
    record = _record()
    before = DoneBefore(record, [])
    for left in range(3, 0, -1):
        before.gather(left)
    steps = PlanSteps(record, plan, prepare_plan(plan, default_registry()).schedule(), [], before=before)
    assert steps.done is before.chunked and steps.chunked is before.chunked, "taken, not walked again"
    assert [s.node_id for s in steps.listed()] == [f"s{i}" for i in range(CHUNKS * PER_CHUNK, CHUNKS * PER_CHUNK + 3)]
