"""`status` and `result` show how the undos of an unrecorded gap ended (UndoGap.previews), a cut line each:
`result --json` had them, the text named the steps alone."""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client

from orchestra.registry import default_registry
from tests.cli.cli import run_here
from tests.helpers import failed_record, settings_for, start_plan
from tests.workflows.test_undo_gap_previews import LIMIT, UNDO_OUTPUT, _plan
from worker import create_worker


async def test_status_and_result_show_an_unrecorded_undo_s_preview_cut_to_a_line(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    (tmp_path / "twenty_kb.txt").write_text("u" * UNDO_OUTPUT)
    settings = settings_for(task_queue, tmp_path).model_copy(update={"storage_max_payload_bytes": LIMIT})
    async with create_worker(client, settings, default_registry()):
        handle = await start_plan(client, task_queue, _plan())
        record = await failed_record(handle)
    assert record.undo_gaps and record.undo_gaps[0].previews, record.undo_gaps
    for command in ("status", "result"):
        shown = await run_here(command, handle.id, client=client)
        said = " ".join(shown.out.split())  # the table's width wraps the line
        assert 's0 undo ended: {"tool": "read_file", "state": "completed"' in said, shown.out
        assert '"content": "uuu' in said and said.count("u" * 100) <= 1, shown.out  # cut, not whole
