"""The CPU time of a plan run's costliest workflow task (one activation), as plans grow: Temporal's deadlock detector
fails an activation past 2 s, and a task that fails so is retried, under load maybe for ever. What one activation does
must not grow with the plan (conditions evaluated, steps settled by them, held steps scanned, record updates).

    .venv/bin/python -m bench.activation_cost [--sizes 1500,5000,20000] [--shape skips|cascade|held] [--timeout 300]

On a fresh dev server, an in-process worker whose workflow activations are timed in CPU seconds of their thread
(time.thread_time: another process's load does not count). Shapes, each ``size`` steps after a first step ``a``:
skips: every step's condition is false (all ready at once); cascade: the first one's condition is false and each
other depends on the one before (one skip settles the chain); held: a tool limited to 1 at once, every step ready
at once with a true condition. Prints the activations, the costliest's CPU ms, and the sum.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from temporalio.bridge.proto.workflow_activation import WorkflowActivation
from temporalio.bridge.proto.workflow_completion import WorkflowActivationCompletion
from temporalio.worker import WorkflowInstance, WorkflowInstanceDetails

from bench.server import dev_server, machine_line
from bench.table import print_table
from tests.helpers import start_plan, worker_for
from worker import ValidatedOnceSandbox

CPU_MS: list[float] = []
SAID_MS = 250


class TimedInstance(WorkflowInstance):
    def __init__(self, instance: WorkflowInstance) -> None:
        self.instance = instance

    def activate(self, act: WorkflowActivation) -> WorkflowActivationCompletion:
        began = time.thread_time()
        try:
            return self.instance.activate(act)
        finally:
            CPU_MS.append((time.thread_time() - began) * 1000)
            if CPU_MS[-1] > SAID_MS:  # said as it happens: a run that never ends prints no table
                print(f"an activation took {CPU_MS[-1]:,.0f} CPU ms", flush=True)

    def get_serialization_context(self, *args: Any, **kwargs: Any) -> Any:
        return self.instance.get_serialization_context(*args, **kwargs)

    def get_external_store_context(self, *args: Any, **kwargs: Any) -> Any:
        return self.instance.get_external_store_context(*args, **kwargs)

    def get_info(self, *args: Any, **kwargs: Any) -> Any:
        return self.instance.get_info(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.instance, name)


class TimedRunner(ValidatedOnceSandbox):
    def create_instance(self, det: WorkflowInstanceDetails) -> WorkflowInstance:
        return TimedInstance(super().create_instance(det))


def plan_of(shape: str, size: int) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = [{"id": "a", "tool": "sleep", "args": {"seconds": 0}}]
    for i in range(size):
        node: dict[str, Any] = {"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}}
        if shape == "cascade":
            node["depends_on"] = [f"s{i - 1}" if i else "a"]
            if not i:
                node["condition"] = "a.output.slept_s > 1000"
        else:
            node["depends_on"] = ["a"]
            node["condition"] = "a.output.slept_s " + (">" if shape == "skips" else "<") + " 1000"
        nodes.append(node)
    plan: dict[str, Any] = {"name": f"{shape}-{size}", "max_parallel": min(size, 1000), "nodes": nodes}
    if shape == "held":
        plan["tool_concurrency"] = {"sleep": 1}
    return plan


async def run(shape: str, sizes: Sequence[int], timeout: float) -> None:
    rows = []
    async with dev_server() as env:
        for size in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                queue = f"bench-{uuid.uuid4()}"
                async with worker_for(env.client, queue, Path(tmp) / "ws", workflow_runner=TimedRunner()):
                    CPU_MS.clear()
                    handle = await start_plan(env.client, queue, plan_of(shape, size))
                    try:
                        await asyncio.wait_for(handle.result(), timeout)
                        ended = "yes"
                    except TimeoutError:
                        ended = f"not in {timeout:g} s"
                        await handle.terminate()
                rows.append([f"{size:,}", ended, f"{len(CPU_MS):,}", f"{max(CPU_MS):,.0f}", f"{sum(CPU_MS):,.0f}"])
                print(*rows[-1], flush=True)
    print(machine_line())
    print_table(
        f"{shape}: one activation's CPU", ["steps", "ended", "activations", "costliest CPU ms", "sum CPU ms"], rows
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1500,5000,20000")
    parser.add_argument("--shape", choices=["skips", "cascade", "held"], default="skips")
    parser.add_argument("--timeout", type=float, default=300, help="seconds a run may take (a stuck one is ended)")
    args = parser.parse_args()
    asyncio.run(run(args.shape, [int(s) for s in args.sizes.split(",")], args.timeout))


if __name__ == "__main__":
    main()
