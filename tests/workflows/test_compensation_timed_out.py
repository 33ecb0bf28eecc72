"""A step with an undo that times out before the run fails owes no undo: the steps that completed are undone, it is
not, its own record says why (its timeout), and a gap of the run's record lists it (what its tool did before it timed
out stays). test_undone_in_pieces counted completed undos against every step with
one and read 66-68 of 70 on a loaded machine: the steps "missing" had timed out on their heartbeats, 3 attempts each,
before the failure; no undo was lost (found by running it in a loop under two busy processes, record kept)."""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client

from orchestra.errors import ErrorKind, ExecutionError
from orchestra.record import CompensationRecord, StepState
from tests.helpers import run_plan_to_failure
from tests.workflows.undos_accounted import undos_unaccounted

UNDO = {"tool": "sleep", "args": {"seconds": 0}}


async def test_a_step_that_timed_out_is_not_undone_and_the_others_are(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    slow = {"id": "slow", "tool": "sleep", "args": {"seconds": 3}, "timeout_s": 1, "retry": {"max_attempts": 1},
            "compensation": UNDO, "depends_on": ["a", "b"]}  # fmt: skip
    plan = {"name": "saga-timed-out", "compensate_on_failure": True,
            "nodes": [{"id": "a", "tool": "sleep", "args": {"seconds": 0}, "compensation": UNDO},
                      {"id": "b", "tool": "sleep", "args": {"seconds": 0}, "compensation": UNDO}, slow]}  # fmt: skip
    record = await run_plan_to_failure(client, task_queue, tmp_path, plan)
    timed_out = record.step("slow")
    assert timed_out.state == StepState.ERROR and timed_out.error and timed_out.error.type == ErrorKind.TIMEOUT
    assert timed_out.compensation is None, timed_out.compensation
    # Never undone, but its tool may have done its work before it timed out: a gap says so (it said nothing).
    [gap] = record.undo_gaps
    assert (gap.nodes, gap.count, gap.run_index) == (["slow"], 1, 0) and "(timed out" in gap.reason, gap
    undone = sorted(s.node_id for s in record.steps if s.compensation and s.compensation.state == StepState.COMPLETED)
    assert undone == ["a", "b"]
    assert undos_unaccounted(record, ["a", "b", "slow"]) == {}

    # The rule's other side: an undo lost, one that failed, or a step that timed out with no gap saying so, is said
    # with what happened.
    lost = record.model_copy(deep=True, update={"undo_gaps": []})
    lost.step("a").compensation = None
    error = ExecutionError.of(ErrorKind.TOOL_ERROR, "refund refused")
    lost.step("b").compensation = CompensationRecord(tool="sleep", state=StepState.ERROR, error=error)
    assert undos_unaccounted(lost, ["a", "b", "slow"]) == {
        "a": "step completed in run 0, no undo",
        "b": "step completed in run 0, undo error: refund refused",
        "slow": f"step error in run 0 ({timed_out.error.message}), no undo, no gap",
    }
