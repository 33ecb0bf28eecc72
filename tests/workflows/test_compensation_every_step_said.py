"""Every step with an undo that a failed run reached is undone, or the record says why not, however its end falls
against the failure's: undoable steps of several lengths run beside a step that fails at once, letting them finish or
stopping them (fail_fast). A step that completed in the same workflow task as the failure, or while the others were
being stopped, is undone; one stopped while it ran is in a gap (undo_gaps), never dropped unsaid."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import Client

from orchestra.record import StepState
from tests.helpers import run_plan_to_failure
from tests.workflows.test_write_undo import FAILING
from tests.workflows.undos_accounted import undos_unaccounted

LENGTHS = [0, 0, 0.1, 0.3, 0.6, 1, 2, 5]  # the last one outlasts the stop of fail_fast: cut short, said


@pytest.mark.parametrize("fail_fast", [True, False])
async def test_each_undoable_step_beside_a_failure_is_undone_or_said(
    client: Client, task_queue: str, tmp_path: Path, fail_fast: bool
) -> None:
    steps: list[dict[str, object]] = [{"id": f"u{i}", "tool": "sleep", "args": {"seconds": seconds},
              "compensation": {"tool": "sleep", "args": {"seconds": 0}}} for i, seconds in enumerate(LENGTHS)]  # fmt: skip
    plan = {"name": "saga-beside", "compensate_on_failure": True, "fail_fast": fail_fast, "max_parallel": 16,
            "nodes": [*steps, {"id": "check", **FAILING}]}  # fmt: skip
    record = await run_plan_to_failure(client, task_queue, tmp_path, plan)
    undoable = [f"u{i}" for i in range(len(LENGTHS))]
    assert not (unaccounted := undos_unaccounted(record, undoable)), (unaccounted, record.undo_gaps)
    undone = [n for n in undoable if (c := record.step(n).compensation) and c.state == StepState.COMPLETED]
    completed = [n for n in undoable if record.step(n).state == StepState.COMPLETED]
    assert undone == completed and (fail_fast or completed == undoable), (undone, completed)
