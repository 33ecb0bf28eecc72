"""What a plan run's first workflow task pays to read its request: decoded by type (the request and an
empty carry, as every starter of ours sends them), or as plain JSON validated by the workflow itself (the
request sent alone, as the Web UI or `temporal workflow start` sends it).

    .venv/bin/python -m bench.start_decode [--sizes 1000,10000,100000] [--repeat 3]

Prints, per plan size, the request's payload size and the best of ``--repeat`` decodes each way, with
the project's payload converter, in this process (no server: the cost is the worker's CPU).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from bench.plan_scale import no_op_plan
from bench.server import leave, machine_line
from bench.table import print_table
from orchestra.calls import RunRequest
from orchestra.converter import PayloadConverter
from orchestra.plan_chain import PlanCarry, first_run_args

HEADER = ["nodes", "request MB", "by type s", "plain JSON + validation s", "ratio"]


def best_of(repeat: int, decode: Callable[[], Any]) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        decode()
        times.append(time.perf_counter() - began)
    return min(times)


def measure(nodes: int, repeat: int) -> list[Any]:
    converter = PayloadConverter()
    request = RunRequest(plan=no_op_plan(nodes, 64, local=False))
    both = converter.to_payloads(first_run_args(request))
    typed = best_of(repeat, lambda: converter.from_payloads(both, [RunRequest, PlanCarry | None]))  # type: ignore[list-item]
    plain = best_of(repeat, lambda: RunRequest.model_validate(converter.from_payloads(both[:1])[0]))
    return [f"{nodes:,}", f"{len(both[0].data) / 1e6:.1f}", f"{typed:.3f}", f"{plain:.3f}", f"{plain / typed:.2f}"]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.start_decode")
    p.add_argument("--sizes", default="1000,10000,100000")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args(argv)
    print(machine_line().split(";")[0], flush=True)
    rows = [measure(int(size), args.repeat) for size in args.sizes.split(",")]
    print_table("A plan run's request, decoded by the worker (best of each)", HEADER, rows)
    return 0


if __name__ == "__main__":
    leave(main())
