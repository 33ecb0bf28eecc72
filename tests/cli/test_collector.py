"""The CLI process collects garbage while a command that follows runs can run long, not while it starts
or runs a bounded command (orchestra/collector.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROBE = """
import gc
from orchestra.cli import main
from orchestra.cli.options import command

@command("probe-long")
async def long(ctx):
    print("long", gc.isenabled(), gc.get_freeze_count() > 0)
    return 0

@command("probe-bounded", bounded=True)
async def bounded(ctx):
    print("bounded", gc.isenabled(), gc.get_freeze_count() > 0)
    return 0

gc.disable()  # as client.py starts
main(["probe-long"])
print("after", gc.isenabled())
main(["probe-bounded"])
print("after", gc.isenabled())
main(["--help"])
print("after help", gc.isenabled())
"""


def test_start_up_is_frozen_and_only_a_bounded_command_runs_without_collection() -> None:
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=root, capture_output=True, text=True, timeout=60)
    lines = [line for line in done.stdout.splitlines() if line.startswith(("long", "bounded", "after"))]
    assert lines == [
        "long True True", "after True", "bounded False True", "after True", "after help True",
    ], done.stdout + done.stderr  # fmt: skip
