"""A file a worker of the version before marks moved aside to check a delete (``.<name>.<hex>.deleting``: the user's
data) is never marked, so no sweep puts it back: it was left hidden with nothing said. Each such old file is now said
at the worker's start, with where it stays and the name it was moved from, and left as it is."""

from __future__ import annotations

from pathlib import Path

import structlog

from orchestra import workspace_leftovers
from orchestra.workspace import Workspace
from tests.tools.test_dead_workers_leftovers import old

__all__ = ["old"]  # the fixture, used by name


def test_an_unmarked_file_named_as_a_worker_s_is_said_at_the_sweep_with_where(workspace: Path, old: None) -> None:
    (workspace / "docs").mkdir()
    (workspace / "docs" / ".b.txt.0123456789ab.deleting").write_text("the user's data, an older worker's delete")
    (workspace / ".a.txt.0123456789ab.tmp").write_text("an older worker's write")
    with structlog.testing.capture_logs() as logs:
        workspace_leftovers.sweep(Workspace(workspace))
        workspace_leftovers.sweep_done(60)
    said = {str(line.get("stays")): line for line in logs if "not marked" in line["event"]}
    aside = str(workspace / "docs" / ".b.txt.0123456789ab.deleting")
    assert aside in said and said[aside]["name"] == str(workspace / "docs" / "b.txt")
    assert said[aside]["log_level"] == "warning"
    assert str(workspace / ".a.txt.0123456789ab.tmp") in said
    assert (workspace / "docs" / ".b.txt.0123456789ab.deleting").exists() and not (
        workspace / "docs" / "b.txt"
    ).exists()


def test_a_recent_file_so_named_is_not_said(workspace: Path) -> None:
    (workspace / ".b.txt.0123456789ab.deleting").write_text("a delete under way, maybe")
    with structlog.testing.capture_logs() as logs:
        workspace_leftovers.sweep(Workspace(workspace))
        workspace_leftovers.sweep_done(60)
    assert not [line for line in logs if "not marked" in line["event"]]
