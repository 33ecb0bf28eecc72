"""What the OS sandbox costs per shell call: the shell tool running `true` and `wc` with the sandbox
off and on (bubblewrap, setpriv/prlimit), same process, same tool code; in time and in CPU (user + system of this
process, the memory watchdog's threads among them, and of its waited-for children: ``os.times``).

`sleep 2` prices a running step: the watchdog looks at the sandbox as long as its program runs, so its CPU less a
`true`'s, divided by the 2 s, is what each second of a step (or of an MCP stdio server's life) costs the worker.

    python -m bench.sandbox [--calls 100] [--sleep-calls 5]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.table import print_table
from orchestra.confinement import Confinement
from orchestra.sandbox import detect
from orchestra.tool_spec import ToolContext
from orchestra.tools.shell import ShellInput, run_shell

COMMANDS = {"true": ShellInput(command=["true"]), "wc -l (stdin)": ShellInput(command=["wc", "-l"], stdin="a\nb\n")}
SLEEP_S = 2
SLEEP = ShellInput(command=["sleep", str(SLEEP_S)])
SLEEP_NAME = f"sleep {SLEEP_S}"


def cpu_s() -> tuple[float, float]:
    """User and system CPU of this process (every thread), and of the children it waited for (and theirs): getrusage's
    microseconds rather than os.times's clock ticks (10 ms: a `true` takes a few)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


@dataclass(frozen=True)
class Cost:
    """One command's calls: each one's wall time (ms), and the CPU they took, per call (ms)."""

    timings: list[float]
    worker_ms: float
    children_ms: float

    @property
    def cpu_ms(self) -> float:
        return self.worker_ms + self.children_ms


async def per_call(ctx: ToolContext, args: ShellInput, calls: int) -> Cost:
    await run_shell(args, ctx)  # warm: the first exec of each binary pays for the page cache
    timings = []
    own_started, children_started = cpu_s()
    for _ in range(calls):
        started = time.perf_counter()
        await run_shell(args, ctx)
        timings.append((time.perf_counter() - started) * 1000)
    own, children = cpu_s()
    return Cost(timings, (own - own_started) * 1000 / calls, (children - children_started) * 1000 / calls)


async def main(calls: int, sleep_calls: int) -> None:
    sandbox = detect("auto")
    if sandbox.mode != "bwrap":
        raise SystemExit(f"no sandbox to measure: {sandbox.describe()}")
    rows = []
    costs: dict[tuple[str, str], Cost] = {}
    with tempfile.TemporaryDirectory(prefix="orchestra-bench-sandbox-") as tmp:
        workspace = Path(tmp)
        contexts = {
            "off": ToolContext(confinement=Confinement(workspace=workspace, sandbox=detect("off"))),
            "on": ToolContext(confinement=Confinement(workspace=workspace, sandbox=sandbox)),
        }
        for name, args in {**COMMANDS, SLEEP_NAME: SLEEP}.items():
            for mode, ctx in contexts.items():
                costs[name, mode] = await per_call(ctx, args, sleep_calls if args is SLEEP else calls)
            plain, boxed = (statistics.median(costs[name, mode].timings) for mode in contexts)
            on = costs[name, "on"]
            p95 = statistics.quantiles(on.timings, n=20)[-1] if len(on.timings) > 1 else on.timings[0]
            rows.append(
                (name, f"{plain:.2f}", f"{boxed:.2f}", f"{boxed - plain:.2f}", f"{p95:.2f}",
                 f"{costs[name, 'off'].cpu_ms:.2f}", f"{on.cpu_ms:.2f}", f"{on.worker_ms:.2f}")
            )  # fmt: skip
    print_table(
        f"Shell call cost, sandbox off vs on ({sandbox.describe()}; median of {calls} calls, {sleep_calls} of sleep, "
        "ms; CPU per call: user + system of the worker, its threads and its children)",
        ["command", "off", "on", "added", "on p95", "CPU off", "CPU on", "of it worker"],
        rows,
    )
    running = []
    for mode in contexts:
        slept, short = costs[SLEEP_NAME, mode], costs["true", mode]
        per_s = [(slept.cpu_ms - short.cpu_ms) / SLEEP_S, (slept.worker_ms - short.worker_ms) / SLEEP_S]
        running.append((mode, *(f"{value:.2f}" for value in per_s)))
    print_table(
        f"CPU per second of a running step: (CPU of {SLEEP_NAME} - CPU of true) / {SLEEP_S} s (ms)",
        ["sandbox", "CPU ms/s", "of it worker"],
        running,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--sleep-calls", type=int, default=5)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.calls, arguments.sleep_calls))
