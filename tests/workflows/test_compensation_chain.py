"""A failed chain undoes what every run of it did: a write finished by the chain's first run is undone when a
later run fails, its undo shown against its step, and the copy it kept for the undo removed (or kept when the
undo could not put the file back)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from temporalio.client import Client

from orchestra.record import ExecutionRecord
from orchestra.storage.step_chunks import whole_record
from tests.helpers import run_plan_to_failure
from tests.workflows.test_write_undo import FAILING, _copies, _undone
from tests.workflows.test_write_undo import _write as write


def chain_plan(writes: list[dict[str, Any]], pad: int = 12) -> dict[str, Any]:
    """The writes, then ``pad`` steps one after another (so the chain hands over), then a failing step."""
    last = writes[-1]["id"]
    pads = [{"id": f"p{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"p{i - 1}" if i else last]}
            for i in range(pad)]  # fmt: skip
    return {"name": "saga-chain", "compensate_on_failure": True, "history_events_per_run": 20,
            "nodes": [*writes, *pads, {"id": "check", **FAILING, "depends_on": [f"p{pad - 1}"]}]}  # fmt: skip


async def _undone_chain(client: Client, task_queue: str, tmp_path: Path, plan: dict[str, Any]) -> ExecutionRecord:
    """The failed chain's record as a user reads it (every run's steps listed); its writes no longer in the carry."""
    record = await run_plan_to_failure(client, task_queue, tmp_path, plan)
    assert len(record.runs) >= 2, record.runs
    assert not {"over", "made"} & {s.node_id for s in record.steps}, "the first run's writes went with its chunk"
    return await whole_record(client.data_converter, record)


async def test_a_chain_failing_in_a_later_run_undoes_the_writes_of_its_first(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_bytes(b"the user's\n")
    plan = chain_plan([write("over", "a.txt"), write("made", "b.txt", after="over")])
    record = await _undone_chain(client, task_queue, tmp_path, plan)
    assert (tmp_path / "a.txt").read_bytes() == b"the user's\n"
    assert not (tmp_path / "b.txt").exists()
    assert _undone(record, "over")["restored"] is True and _undone(record, "made")["deleted"] is True
    assert _copies(tmp_path) == [], "the copy the first run's write kept goes once its undo put the file back"
