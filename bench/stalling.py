"""A quick plan's latency alone, and while another run's step receives each stalling input.

    python -m bench.stalling [--runs 5]

The hostile inputs are the ones the trust boundary was built against: malformed HTML for
extract_text (quadratic in html.parser), an unclosed ``{{`` template, a template that would render to
200 MB, a JMESPath expression that builds tens of MB. They run in killable child processes
(orchestra/tools/offload.py), so the quick plan's latency should stay near what it is alone: the
ratio column should stay near 1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from temporalio.client import Client, WorkflowFailureError

from bench.server import dev_server
from bench.table import print_table
from orchestra.calls import RunRequest
from orchestra.plan import parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.settings import Settings
from orchestra.telemetry.logging import configure_logging
from worker import create_worker
from workflows.orchestration import OrchestrationWorkflow

QUICK = {"name": "quick", "nodes": [
    {"id": "pick", "tool": "json_query", "args": {"data": {"a": [1, 2, 3]}, "expression": "a[1]"}},
    {"id": "find", "tool": "extract_text", "args": {"text": "id=42", "pattern": "id=(\\d+)"}},
    {"id": "fill", "tool": "render_template", "args": {"template": "{{ x }}", "values": {"x": "${find.output.first}"}}},
    {"id": "save", "tool": "write_file", "args": {"path": "quick.txt", "content": "${fill.output.text}"}},
]}  # fmt: skip

HOSTILE: dict[str, dict[str, Any]] = {
    "malformed HTML (extract_text)": {"tool": "extract_text", "args": {"text": "<a " * 12_000, "mode": "html_title"}},
    "unclosed {{ (render_template)": {"tool": "render_template", "args": {"template": "{{" * 20_000, "values": {}}},
    "200 MB render (render_template)": {
        "tool": "render_template",
        "args": {"template": "{{ v }}" * 20_000, "values": {"v": "x" * 10_000}},
    },
    "growing string (json_query)": {
        "tool": "json_query",
        "args": {"data": '"\\' * 700, "expression": "to_string([" * 9 + "@" + ",@,@,@])" * 9},
    },
}


async def run_plan(client: Client, task_queue: str, plan: dict[str, Any]) -> float:
    started = time.perf_counter()
    handle = await client.start_workflow(
        OrchestrationWorkflow.run,
        args=first_run_args(RunRequest(plan=parse_plan(plan))),
        id=f"bench-{uuid.uuid4()}",
        task_queue=task_queue,
    )
    with contextlib.suppress(WorkflowFailureError):  # the hostile runs are expected to fail their step
        await handle.result()
    return time.perf_counter() - started


async def quick_latency(client: Client, task_queue: str, runs: int) -> float:
    return statistics.median([await run_plan(client, task_queue, QUICK) for _ in range(runs)])


async def main(runs: int) -> None:
    configure_logging("console", "error")  # the figures, not every tool call
    async with dev_server() as env:
        client = env.client
        with tempfile.TemporaryDirectory(prefix="orchestra-bench-stall-") as tmp:
            task_queue = f"bench-stall-{uuid.uuid4()}"
            settings = Settings(task_queue=task_queue, workspace=Path(tmp) / "ws", data_dir=Path(tmp))
            async with create_worker(client, settings):
                await quick_latency(client, task_queue, runs)  # warm: children started, caches filled
                alone = await quick_latency(client, task_queue, runs)
                rows = [("(alone)", f"{alone * 1000:.0f}", "—", "1.00")]
                for name, step in HOSTILE.items():
                    hostile = {"name": "hostile", "nodes": [{"id": "h", "retry": {"max_attempts": 1}, **step}]}
                    stalling = asyncio.create_task(run_plan(client, task_queue, hostile))
                    await asyncio.sleep(0.3)  # the hostile step is under way
                    during = await quick_latency(client, task_queue, runs)
                    hostile_s = await stalling
                    rows.append((name, f"{during * 1000:.0f}", f"{hostile_s:.1f}", f"{during / alone:.2f}"))
    print_table(
        f"Quick plan latency (median of {runs}) alone and while another run's step gets hostile input "
        f"({os.cpu_count()} CPUs)",
        ["hostile input", "quick plan ms", "hostile run s", "ratio"],
        rows,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    asyncio.run(main(parser.parse_args().runs))
