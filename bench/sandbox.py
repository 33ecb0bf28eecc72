"""What the OS sandbox costs per shell call: the shell tool running `true` and `wc` with the sandbox
off and on (bubblewrap, setpriv/prlimit), same process, same tool code.

    python -m bench.sandbox [--calls 100]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bench.table import print_table
from orchestra.confinement import Confinement
from orchestra.sandbox import detect
from orchestra.tool_spec import ToolContext
from orchestra.tools.shell import ShellInput, run_shell

COMMANDS = {"true": ShellInput(command=["true"]), "wc -l (stdin)": ShellInput(command=["wc", "-l"], stdin="a\nb\n")}


async def per_call_ms(ctx: ToolContext, args: ShellInput, calls: int) -> list[float]:
    await run_shell(args, ctx)  # warm: the first exec of each binary pays for the page cache
    timings = []
    for _ in range(calls):
        started = time.perf_counter()
        await run_shell(args, ctx)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


async def main(calls: int) -> None:
    sandbox = detect("auto")
    if sandbox.mode != "bwrap":
        raise SystemExit(f"no sandbox to measure: {sandbox.describe()}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="orchestra-bench-sandbox-") as tmp:
        workspace = Path(tmp)
        off = ToolContext(confinement=Confinement(workspace=workspace, sandbox=detect("off")))
        on = ToolContext(confinement=Confinement(workspace=workspace, sandbox=sandbox))
        for name, args in COMMANDS.items():
            plain = await per_call_ms(off, args, calls)
            boxed = await per_call_ms(on, args, calls)
            added = statistics.median(boxed) - statistics.median(plain)
            rows.append(
                (name, f"{statistics.median(plain):.2f}", f"{statistics.median(boxed):.2f}", f"{added:.2f}",
                 f"{statistics.quantiles(boxed, n=20)[-1]:.2f}")
            )  # fmt: skip
    print_table(
        f"Shell call cost, sandbox off vs on ({sandbox.describe()}; median of {calls} calls, ms)",
        ["command", "off", "on", "added", "on p95"],
        rows,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=100)
    asyncio.run(main(parser.parse_args().calls))
