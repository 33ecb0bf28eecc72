"""What reading a large YAML plan file costs (`validate --plan`, `start --plan`, `run --plan`: the file read,
its aliases counted, the document built), with Python's cycle collector running throughout (as it did) and as
the reader does it now, the collector paused for the read.

    .venv/bin/python -m bench.plan_read_cost [--steps 9000,60000]

Prints, per plan, its steps, its bytes and the CPU seconds of each (the machine is shared: CPU time, not the
wall clock), the better of three reads each.
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bench.table import print_table
from orchestra.documents import MAX_DEPTH, MAX_VALUES, check_expansion, load_yaml
from orchestra.plan_file import read_plan_document

HEADER = ["steps", "file bytes", "collector running, CPU s", "paused for the read, CPU s"]
LIMIT = 1 << 30  # no size limit: the cost of the read is what is measured


def plan_file(directory: Path, steps: int) -> Path:
    path = directory / f"steps-{steps}.yaml"
    nodes = [{"id": f"n{i}", "tool": "sleep", "args": {"seconds": 0}} for i in range(steps)]
    path.write_text(yaml.dump({"name": "many", "nodes": nodes}, Dumper=yaml.CSafeDumper))
    return path


def collector_running(path: Path) -> Any:
    """The read as it was: the same checks and loader, the collector left to run."""
    text = path.read_text()
    check_expansion(text, MAX_VALUES, MAX_DEPTH, max_chars=LIMIT)
    return load_yaml(text)


def cpu(read: Callable[[Path], Any], path: Path) -> float:
    best = float("inf")
    for _ in range(3):
        gc.collect()
        began = time.process_time()
        read(path)
        best = min(best, time.process_time() - began)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", default="9000,60000")
    options = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        for steps in (int(s) for s in options.steps.split(",")):
            path = plan_file(Path(directory), steps)
            before = cpu(collector_running, path)
            after = cpu(lambda p: read_plan_document(p, LIMIT, "no limit"), path)
            rows.append([f"{steps:,}", f"{path.stat().st_size:,}", f"{before:.2f}", f"{after:.2f}"])
    print_table("Reading a YAML plan file", HEADER, rows)


if __name__ == "__main__":
    main()
