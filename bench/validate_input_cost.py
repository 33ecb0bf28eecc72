"""What checking a plan costs (`validate --plan`, and the worker's prepare_plan: the same function) when its
steps, each its own (a URL of its own: not written alike, so each is checked), are all given one large input
(``headers: ${inputs.h}``). Each step's check validated the whole input again: 4,000 steps of 40,000 headers
took about 10 minutes of CPU. The plan's checks now validate at most a multiple of the values it holds.

    .venv/bin/python -m bench.validate_input_cost [--steps 4000] [--headers 40000]

Prints the steps, the headers, whether the plan was refused, and the CPU seconds of prepare_plan (the machine
is shared: CPU time, not the wall clock).
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from bench.table import print_table
from orchestra.errors import PlanValidationError
from orchestra.plan import parse_plan
from orchestra.registry import ToolRegistry
from orchestra.tools.http_request import http_request_tool
from orchestra.validation import prepare_plan

HEADER = ["steps", "headers", "refused", "CPU s", "CPU ms a step"]


def measure(steps: int, headers: int) -> tuple[bool, float]:
    nodes: list[dict[str, Any]] = [
        {"id": f"s{i}", "tool": "http_request", "args": {"url": f"https://example.com/{i}", "headers": "${inputs.h}"}}
        for i in range(steps)
    ]
    plan = parse_plan({"inputs": {"h": {f"x-h{i}": "v" for i in range(headers)}}, "nodes": nodes})
    began = time.process_time()
    try:
        prepare_plan(plan, ToolRegistry([http_request_tool()]))
        refused = False
    except PlanValidationError:
        refused = True
    return refused, time.process_time() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", default="4000")
    parser.add_argument("--headers", type=int, default=40_000)
    options = parser.parse_args()
    rows = []
    for steps in (int(s) for s in options.steps.split(",")):
        refused, cpu = measure(steps, options.headers)
        rows.append([f"{steps:,}", f"{options.headers:,}", refused, f"{cpu:.2f}", f"{1000 * cpu / steps:.1f}"])
    print_table("prepare_plan of steps each given one large input", HEADER, rows)


if __name__ == "__main__":
    main()
