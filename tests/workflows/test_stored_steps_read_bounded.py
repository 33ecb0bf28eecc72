"""The CLI rebuilding a run's plan from its history (plan_start.whole) reads its stored steps only within what a run
reads: each piece at most PLAN_PIECE_MOST_BYTES, all of them at most STORED_STEPS_MOST_BYTES, at most
STORED_STEPS_MOST_PIECES of them; it read every reference the history held, however many and however large each said
it was. The references here point nowhere: refused before any is read."""

from __future__ import annotations

import pytest
from temporalio.client import Client

from orchestra.calls import RunRequest
from orchestra.plan import parse_plan
from orchestra.plan_start import STORED_STEPS_MOST_BYTES, STORED_STEPS_MOST_PIECES, whole
from orchestra.storage.stored import StoredValue
from orchestra.temporal_bounds import PLAN_PIECE_MOST_BYTES


def _stored(count: int, size: int) -> list[StoredValue]:
    return [StoredValue(driver="folder", claim={"path": f"nowhere/{i}"}, bytes=size) for i in range(count)]


@pytest.mark.parametrize(
    ("pieces", "said"),
    [
        (_stored(1, PLAN_PIECE_MOST_BYTES + 1), "piece 1 of 1 is"),
        (_stored(STORED_STEPS_MOST_BYTES // PLAN_PIECE_MOST_BYTES + 1, PLAN_PIECE_MOST_BYTES), "stored steps are"),
        (_stored(STORED_STEPS_MOST_PIECES + 1, 100), "pieces; at most"),
        # One piece claiming a negative size let the others' total, 15 GB here, past the cap (found by attack307).
        (
            _stored(STORED_STEPS_MOST_PIECES - 1, PLAN_PIECE_MOST_BYTES) + _stored(1, -15_000_000_000),
            f"piece {STORED_STEPS_MOST_PIECES} of {STORED_STEPS_MOST_PIECES} is -15,000,000,000 bytes",
        ),
    ],
)
async def test_stored_steps_over_what_a_run_reads_are_refused_unread(
    client: Client, pieces: list[StoredValue], said: str
) -> None:
    plan = parse_plan({"name": "stored", "nodes": [{"id": "a", "tool": "sleep", "args": {"seconds": 0}}]})
    request = RunRequest(plan=plan, steps_stored=pieces)
    with pytest.raises(ValueError, match=said):
        await whole(client, request)
