"""What a run's driver takes of a schedule read in pieces, built a piece at a time (ScheduleJoiner): each step's place
in phase order and its phase (plan_steps.PhaseOrder), and the plan's nodes found by their place in the plan
(Plan.nodes_placed). Built whole, in the activation that made the driver, they were walks of every step (150,000: the
id map some 110 ms of CPU, the phase order some 60; bench/first_activation.py measures it). The results are those
built whole; the runs themselves are tests/workflows/test_schedule_handed_in_pieces.py's and test_schedule_in_pieces's.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, datetime
from itertools import accumulate

import pytest

from bench.plan_scale import no_op_plan
from orchestra.by_id import IdIndex
from orchestra.plan import Plan
from orchestra.plan_steps import PlanSteps
from orchestra.record import ExecutionRecord, StepChunk
from orchestra.registry import default_registry
from orchestra.schedule_pieces import ScheduleJoiner, cut, head_of
from orchestra.validation import PlanSchedule, prepare_plan


def _read_in_pieces(plan: Plan) -> tuple[PlanSchedule, ScheduleJoiner]:
    schedule = prepare_plan(plan, default_registry()).schedule()
    joiner = ScheduleJoiner(head_of(schedule))
    for piece in cut(schedule, 7, 1_000_000):
        joiner.add(piece)
    return schedule, joiner


def _record(plan: Plan, earlier: list[StepChunk] | None = None) -> ExecutionRecord:
    return ExecutionRecord(id="w", run_id="r", plan_name=plan.name, started_at=datetime.now(UTC), earlier=earlier or [])


@pytest.mark.parametrize("width", [1, 3, 50])
def test_the_phase_order_built_in_pieces_is_the_one_built_whole(width: int) -> None:
    plan = no_op_plan(50, width, local=False)
    schedule, joiner = _read_in_pieces(plan)
    joined = joiner.joined()
    assert joined.phases == schedule.phases
    order = [node for ids in schedule.phases for node in ids]  # as PlanSteps built it whole
    starts = list(accumulate((len(ids) for ids in schedule.phases), initial=0))
    for ranked in (joiner.ranked, None):
        steps = PlanSteps(_record(plan), plan, joined, ranked=ranked)
        assert list(steps.position) == order and len(steps.position) == len(order)
        assert {node: steps.position[node] for node in order} == {node: at for at, node in enumerate(order)}
        assert [s.phase for s in steps.listed()] == [bisect_right(starts, at) - 1 for at in range(len(order))]
        assert list(steps.remaining()) == order and steps.share == len(order)


def test_a_continued_runs_share_leaves_the_earlier_chunks_out() -> None:
    plan = no_op_plan(20, 4, local=False)
    schedule, joiner = _read_in_pieces(plan)
    done = ["n0", "n1", "n5"]
    record = _record(plan, earlier=[StepChunk(run_index=0, nodes=done, positions=[0, 1, 5])])
    steps = PlanSteps(record, plan, joiner.joined(), ranked=joiner.ranked)
    listed = [s.node_id for s in steps.listed()]
    assert listed == [n for ids in schedule.phases for n in ids if n not in done]
    assert steps.share == len(listed) == len(list(steps.listing()))


def test_the_plans_nodes_found_by_their_places_are_those_found_by_id() -> None:
    plan = no_op_plan(30, 5, local=False)
    _, joiner = _read_in_pieces(plan)
    by_id = {node.id: node for node in plan.nodes}
    plan.nodes_placed(joiner.places)
    assert all(plan.node(node) is by_id[node] for node in by_id)
    with pytest.raises(KeyError, match="no 'nope'"):
        plan.node("nope")


def test_nodes_found_by_their_places_are_looked_at_one_at_a_time() -> None:
    """No map of them all is built: the one lookup reads the one item's key."""
    keys_read: list[str] = []
    items = [f"n{i}" for i in range(1_000)]

    def key(item: str) -> str:
        keys_read.append(item)
        return item

    index: IdIndex[str] = IdIndex(key)
    index.placed(items, {item: at for at, item in enumerate(items)})
    assert index.get(items, "n500") == "n500" and keys_read == ["n500"]


def test_places_of_another_list_find_the_items_by_id() -> None:
    items = ["a", "b", "c"]
    index: IdIndex[str] = IdIndex(lambda item: item)
    index.placed(items, {"a": 2, "b": 0, "c": 1})  # another order's: each lookup checks the item's key
    assert [index.get(items, i) for i in items] == items
    index.placed(items, {"a": 0})  # another list's, short
    assert index.get(items, "c") == "c"
    with pytest.raises(KeyError):
        index.get(items, "d")
