"""The threads a plan's tool calls start for their output passes (activities/tools.py hands each call's
masking and measuring, and its payload, to orchestra.interruptible): N steps of a 5 KB output, at most
--at-once of them at a time, as a worker runs them. Prints the threads started and the CPU a step.

    .venv/bin/python -m bench.pass_threads [--steps 500] [--at-once 8]
"""

from __future__ import annotations

import argparse
import asyncio
import threading
import time

from activities.tools import _output_value
from orchestra.converter import compose
from orchestra.interruptible import run_interruptibly
from orchestra.settings import Settings
from orchestra.storage.values import payload_of

OUTPUT = {"path": "out.txt", "content": "x" * 5_000, "lines": list(range(20))}


async def steps(count: int, at_once: int) -> None:
    converter = compose(None, Settings.from_env())
    room = asyncio.Semaphore(at_once)

    async def step() -> None:
        async with room:
            dumped, _, _ = await run_interruptibly(_output_value, OUTPUT, ["a-secret-value"])
            await run_interruptibly(payload_of, converter, dumped)

    await asyncio.gather(*(step() for _ in range(count)))


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.pass_threads")
    p.add_argument("--steps", type=int, default=500)
    p.add_argument("--at-once", type=int, default=8)
    args = p.parse_args(argv)
    started = 0
    start = threading.Thread.start

    def counting(thread: threading.Thread) -> None:
        nonlocal started
        started += 1
        start(thread)

    threading.Thread.start = counting  # type: ignore[method-assign,assignment]
    began = time.process_time()
    asyncio.run(steps(args.steps, args.at_once))
    cpu = time.process_time() - began
    threading.Thread.start = start  # type: ignore[method-assign]
    print(
        f"{args.steps} steps, {args.at_once} at once: {started} threads started, CPU {cpu / args.steps * 1000:.2f} ms a step"
    )


if __name__ == "__main__":
    main()
