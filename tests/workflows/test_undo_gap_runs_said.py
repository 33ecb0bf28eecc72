"""A gap of steps from several runs of a chain names those runs, not the span from the first to the last: steps that
failed in the chain's first run and in a run some hand-overs later were said "runs 1-6", as if each run between had
some too (cause A in runs 1 and 3 and cause B in run 2 read "runs 1-3: A", "run 2: B"). The line stays short however
many runs: past MAX_GAP_RUN_RANGES ranges the closest are joined, and it says so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from temporalio.client import Client

from orchestra.record import MAX_GAP_RUN_RANGES, UndoGap
from orchestra.storage.step_chunks import whole_record
from tests.ops.support import run_command
from tests.workflows.test_undo_gaps_unfinished import UNDO, _failed_chain
from tests.workflows.test_write_undo import FAILING

PADS = 30


def _apart() -> dict[str, Any]:
    """A chain of steps one after another, long enough to hand over several times, with an undoable step allowed to
    fail beside its first and beside its last: the failures are in its first run and in a later one, none between."""
    pads = [{"id": f"p{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"p{i - 1}"] if i else []}
            for i in range(PADS)]  # fmt: skip
    allowed = [{"id": f"allowed{i}", **FAILING, "skip_on_error": True, "compensation": UNDO, "depends_on": [after]}
               for i, after in enumerate(["p0", f"p{PADS - 1}"])]  # fmt: skip
    last = [f"p{PADS - 1}", *(s["id"] for s in allowed)]
    return {"name": "saga-failures-apart", "compensate_on_failure": True, "history_events_per_run": 40,
            "nodes": [*pads, *allowed, {"id": "check", **FAILING, "depends_on": last}]}  # fmt: skip


async def test_a_gap_names_the_runs_that_ran_its_steps(client: Client, task_queue: str, tmp_path: Path) -> None:
    chained, record = await _failed_chain(client, task_queue, tmp_path, "on", _apart())
    whole = await whole_record(chained.data_converter, record)
    first, last = (whole.step(f"allowed{i}").run_index for i in range(2))
    assert last > first + 1, f"the failures are in runs {first} and {last}: a run between them had none"
    [gap] = [g for g in record.undo_gaps if g.nodes and g.nodes[0].startswith("allowed")]
    assert gap.count == 2 and gap.runs_said() == f"runs {first + 1}, {last + 1}: ", gap
    status = await run_command(client, "status", record.id)
    assert f"runs {first + 1}, {last + 1}: 2 steps (allowed" in status.out, status.out[-800:]


def test_a_gap_of_many_runs_stays_a_short_line_said_in_part() -> None:
    """Folded as the workflow folds them (ExecutionRecord.note_undo_gap): every third run of three hundred."""
    gap = UndoGap(reason="lost", run_index=0, count=1)
    for run in range(3, 300, 3):
        gap.absorb(UndoGap(reason="lost", run_index=run, count=1))
    assert len(gap.run_ranges) == MAX_GAP_RUN_RANGES and gap.run_span == (0, 297), gap.run_ranges
    assert gap.runs_in_part and gap.runs_said().endswith(" (not every run in them): "), gap.runs_said()
    assert len(gap.runs_said()) < 100 and gap.count == 100
