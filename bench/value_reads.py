"""What reading the sending worker's value limit adds to a run's history: a chain of steps each sent the previous
step's output (a call over 4 KiB reads the limit, a local activity: a marker event per read).

    .venv/bin/python -m bench.value_reads [--steps 200] [--output-kb 10]

Prints the run's events, its local activity markers and its workflow tasks.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import uuid
from collections import Counter
from pathlib import Path

from temporalio.api.enums.v1 import EventType

from bench.server import dev_server, leave, machine_line
from bench.table import print_table
from orchestra.calls import RunRequest
from orchestra.plan import parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.registry import default_registry
from orchestra.settings import Settings
from worker import create_worker


def chain_plan(steps: int, output_kb: int) -> dict[str, object]:
    first = {"id": "s0", "tool": "json_query", "args": {"data": "x" * (output_kb * 1000), "expression": "@"}}
    rest = [
        {
            "id": f"s{i}",
            "tool": "json_query",
            "args": {"data": f"${{s{i - 1}.output.result}}", "expression": "@"},
            "depends_on": [f"s{i - 1}"],
        }
        for i in range(1, steps)
    ]
    return {"name": "value-reads", "nodes": [first, *rest]}


async def measure(steps: int, output_kb: int) -> Counter[str]:
    with tempfile.TemporaryDirectory(prefix="orchestra-bench-") as tmp:
        async with dev_server(data_dir=Path(tmp)) as env:
            queue = f"bench-{uuid.uuid4()}"
            settings = Settings(task_queue=queue, workspace=Path(tmp) / "ws", data_dir=Path(tmp))
            async with create_worker(env.client, settings, default_registry()):
                request = RunRequest(plan=parse_plan(chain_plan(steps, output_kb)))
                handle = await env.client.start_workflow(
                    "OrchestrationWorkflow", args=first_run_args(request), id=f"bench-{queue}", task_queue=queue
                )
                await handle.result()
                history = await handle.fetch_history()
    return Counter(EventType.Name(e.event_type) for e in history.events)


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench.value_reads")
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--output-kb", type=int, default=10)
    args = p.parse_args()
    counts = asyncio.run(measure(args.steps, args.output_kb))
    print(machine_line())
    rows = [[name.removeprefix("EVENT_TYPE_"), str(n)] for name, n in counts.most_common()]
    print_table(
        f"history of a chain of {args.steps} steps, {args.output_kb} KB outputs",
        ["event", "count"],
        [*rows, ["total", str(sum(counts.values()))]],
    )
    leave(0)


if __name__ == "__main__":
    main()
