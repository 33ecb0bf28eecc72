"""The cost of choosing a plan's next batch under tool_concurrency, per run: the scan of every held step on every
wake-up (the code before orchestra.scheduling.HeldSteps) against HeldSteps, both in process, no server.

    .venv/bin/python -m bench.held_steps [--widths 1000,10000,100000] [--limit 2]

A plan ``width`` steps wide of one tool limited to ``--limit`` at once, all ready together, as the plan driver wakes:
each wake-up one running step finished and a batch fills its slot. Prints the seconds each way took for the whole run.
"""

from __future__ import annotations

import argparse
import time

from orchestra.scheduling import HeldSteps


def scan(width: int, limit: int) -> float:
    held: list[str] = []
    ready = [f"n{i}" for i in range(width)]
    running, started = 0, 0
    began = time.perf_counter()
    while started < width:
        candidates, held, ready = [*held, *ready], [], []
        busy, batch = running, 0
        for node in candidates:
            if busy < limit:
                busy, batch = busy + 1, batch + 1
            else:
                held.append(node)
        running, started = busy - (1 if busy else 0), started + batch  # one finishes before the next wake-up
    return time.perf_counter() - began


def queued(width: int, limit: int) -> float:
    limits = {"t": limit}
    held = HeldSteps(limits, lambda _node: "t")
    held.hold([f"n{i}" for i in range(width)])
    running, started = 0, 0
    began = time.perf_counter()
    while started < width:
        busy = {"t": running}
        batch = held.take(width, busy)
        running, started = busy["t"] - (1 if busy["t"] else 0), started + len(batch)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--widths", default="1000,10000,30000")
    parser.add_argument("--limit", type=int, default=2)
    args = parser.parse_args()
    print(f"{'width':>8} {'scan s':>10} {'queues s':>10}")
    for width in (int(w) for w in args.widths.split(",")):
        print(f"{width:>8} {scan(width, args.limit):>10.3f} {queued(width, args.limit):>10.3f}", flush=True)


if __name__ == "__main__":
    main()
