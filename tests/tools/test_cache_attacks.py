"""Attacks on the planning cache by whoever else can write to its folder: what they put there is never read,
and never makes `plan` wait (``selection/disk_cache._read_own``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import clean_env
from tests.tools.test_tool_file_cache import _tool

# Generous: `plan` takes a second or two; this only keeps a hung `plan` from hanging the suite.
HANG_GUARD_S = 300


def _plan(catalogue: Path, data: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "client.py", "plan", "convert the invoice", "--registry", str(catalogue)]
    env = clean_env(ORCHESTRA_DATA_DIR=str(data), ORCHESTRA_SEMANTIC="0")
    try:
        return subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=HANG_GUARD_S)
    except subprocess.TimeoutExpired:  # run() has killed it
        raise AssertionError("plan hung on a cache entry") from None


def test_a_fifo_in_place_of_an_entry_is_a_miss_not_a_hang(tmp_path: Path) -> None:
    """Opening a FIFO for reading waits for a writer: checked after the open, it hung `plan` (and a worker
    loading an MCP server's listing) for good. Each entry is swapped for a FIFO of its name."""
    catalogue, data = tmp_path / "catalogue.json", tmp_path / "data"
    catalogue.write_text(json.dumps({"tools": [_tool(i) for i in range(240)]}))
    first = _plan(catalogue, data)
    assert first.returncode == 0, first.stderr
    entries = [p for p in (data / "cache" / "planning").iterdir() if not p.name.startswith(".")]
    assert {p.name.split("-")[0] for p in entries} >= {"tools", "index"}, entries
    for entry in entries:
        entry.unlink()
        os.mkfifo(entry, 0o600)
    again = _plan(catalogue, data)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout
