"""An undo whose record is too large to store is listed in the record's undo_gaps with a preview of how it ended
(bounded as a step's output too large to keep is): it was listed by name alone, what it returned nowhere."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from temporalio.client import Client

from orchestra.record import MAX_GAP_NODES, MIN_PREVIEW_BYTES
from orchestra.registry import default_registry
from tests.helpers import failed_record, settings_for, start_plan
from tests.workflows.test_write_undo import FAILING
from worker import create_worker
from workflows.recovery import _unrecorded

LIMIT = 16_000  # the worker's; the client's store takes the undo's 20 KB record, the worker's limit does not
UNDO_OUTPUT = 20_000


def _plan() -> dict[str, Any]:
    undone = {"id": "s0", "tool": "sleep", "args": {"seconds": 0},
              "compensation": {"tool": "read_file", "args": {"path": "twenty_kb.txt"}}}  # fmt: skip
    pads = [{"id": f"p{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": [f"p{i - 1}" if i else "s0"]}
            for i in range(8)]  # fmt: skip
    check = {"id": "check", **FAILING, "depends_on": ["p7"]}
    return {"name": "undo-too-large", "compensate_on_failure": True, "history_events_per_run": 20,
            "nodes": [undone, *pads, check]}  # fmt: skip


async def test_an_undo_too_large_to_store_is_in_the_gap_with_a_bounded_preview(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    (tmp_path / "twenty_kb.txt").write_text("u" * UNDO_OUTPUT)
    settings = settings_for(task_queue, tmp_path).model_copy(update={"storage_max_payload_bytes": LIMIT})
    async with create_worker(client, settings, default_registry()):
        record = await failed_record(await start_plan(client, task_queue, _plan()))
    assert len(record.runs) >= 2 and record.earlier[0].run_index == 0, record.runs
    [gap] = [g for g in record.undo_gaps if g.unrecorded]
    assert gap.nodes == ["s0"] and "over the storage limit" in gap.reason, gap
    shown = gap.previews["s0"]
    assert isinstance(shown, str) and '"state": "completed"' in shown and '"content": "uuu' in shown, shown
    assert shown.endswith("...[truncated]") and len(shown) <= LIMIT // 64 + len(" ...[truncated]"), len(shown)


def test_a_gaps_previews_together_stay_within_a_64th_of_any_limit() -> None:
    """Twelve undos whose records are backslashes and quotes (escaped twice in the record): under a limit below
    82 KB, ten previews of 128 bytes each passed its 64th (1,280 bytes against 250 at 16,000); fewer are shown."""
    entries = {f"s{i}": {"state": "completed", "output": '\\"' * 5_000} for i in range(12)}
    for limit in (8_000, 8_192, 16_000, 40_000, 81_920, 100_000, 1_000_000):
        gap = _unrecorded("why", 0, entries, limit)
        written = sum(len(json.dumps(shown)) - 2 for shown in gap.previews.values())
        assert written <= limit // 64, (limit, written, len(gap.previews))
        assert len(gap.previews) == min(MAX_GAP_NODES, limit // 64 // MIN_PREVIEW_BYTES), (limit, len(gap.previews))
        assert gap.nodes == list(entries) and list(gap.previews) == gap.nodes[: len(gap.previews)]
    assert len(_unrecorded("why", 0, entries, 0).previews) == MAX_GAP_NODES, "nothing stored outside: no limit"
