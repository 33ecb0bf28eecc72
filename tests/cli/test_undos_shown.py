"""`status`, `watch` and `result` of a plan run that undid its completed steps after a failure list each
undo and how it ended: they showed nothing of them, so an undo that failed or was cancelled left the user
believing the step undone."""

from __future__ import annotations

from tests.cli.cli import Cli
from tests.cli.gated_runs import start
from tests.helpers import worker_for

PLAN = {"name": "undone", "compensate_on_failure": True, "nodes": [
    {"id": "kept", "tool": "sleep", "args": {"seconds": 0},
     "compensation": {"tool": "read_file", "args": {"path": "gone.txt"}}},
    {"id": "undone", "tool": "sleep", "args": {"seconds": 0},
     "compensation": {"tool": "sleep", "args": {"seconds": 0}}},
    {"id": "fails", "tool": "read_file", "args": {"path": "missing.txt"}, "depends_on": ["kept", "undone"],
     "retry": {"max_attempts": 1}}]}  # fmt: skip


async def test_each_undo_is_listed_with_how_it_ended(client, task_queue, tmp_path, cli: Cli):
    async with worker_for(client, task_queue, tmp_path / "workspace"):
        workflow_id = await start(cli, tmp_path, PLAN, here=True)
        result = await cli.here("result", workflow_id)
    assert result.code == 1, result.err
    assert "2 undos after the failure: 1 failed, 0 running:" in result.out, result.out
    assert "✔ undo undone (sleep): completed" in result.out
    assert "✖ undo kept (read_file): error: " in result.out and "gone.txt" in result.out
