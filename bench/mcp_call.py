"""What an MCP tool costs per call against the same work done by a built-in tool: reading one small file
with `files.read_text_file` (@modelcontextprotocol/server-filesystem, in the sandbox, one pooled session)
and with the built-in `read_file`.

Two views: the tool call alone, in this process (the MCP round trip: JSON-RPC over the server's pipes,
schema check, output mapping), and a chain of plan steps on the dev server (each step a `run_tool`
activity), where that round trip sits beside Temporal's own cost per step. The first MCP call, which
starts the server, is measured apart.

    python -m bench.mcp_call [--calls 200] [--steps 40]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import yaml

from bench.runs import make_worker, run_plan
from bench.server import dev_server
from bench.table import print_table
from orchestra.plan import Plan
from orchestra.registry import ToolRegistry, default_registry
from orchestra.settings import PROJECT_ROOT, Settings
from orchestra.telemetry.logging import configure_logging
from orchestra.tool_spec import ToolContext

SERVERS = PROJECT_ROOT / "examples" / "mcp"
PAIRS = {"built-in read_file": "read_file", "MCP files.read_text_file": "files.read_text_file"}


def registry_in(workspace: Path) -> ToolRegistry:
    entry = {
        "kind": "mcp", "name": "files", "command": [str(SERVERS / "node_modules/.bin/mcp-server-filesystem"), "."],
        "read_only": [str(SERVERS / "node_modules")], "memory_mb": 2048,
    }  # fmt: skip
    path = workspace.parent / "bench-mcp.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "tools": [entry]}))
    settings = Settings(workspace=workspace, data_dir=workspace.parent / "data")
    registry = default_registry([path], settings=settings, refresh_mcp=True)
    if "files.read_text_file" not in registry:
        raise SystemExit(f"the filesystem server is not there (./scripts/setup-test): {registry.server_problems}")
    return registry


async def direct(registry: ToolRegistry, workspace: Path, calls: int) -> tuple[list[Any], float]:
    ctx = ToolContext(confinement=Settings(workspace=workspace, data_dir=workspace.parent / "data").confinement())
    rows = []
    first_ms = 0.0
    for label, name in PAIRS.items():
        tool = registry.get(name)
        args = tool.spec.input_model.model_validate({"path": "note.txt"})
        started = time.perf_counter()
        await tool.run(args, ctx)  # the MCP one starts its server here
        if name != "read_file":
            first_ms = (time.perf_counter() - started) * 1000
        timings = []
        for _ in range(calls):
            started = time.perf_counter()
            await tool.run(tool.spec.input_model.model_validate({"path": "note.txt"}), ctx)
            timings.append((time.perf_counter() - started) * 1000)
        rows.append((label, f"{statistics.median(timings):.2f}", f"{statistics.quantiles(timings, n=20)[-1]:.2f}"))
    return rows, first_ms


async def chained(registry: ToolRegistry, workspace: Path, steps: int) -> list[Any]:
    rows = []
    async with dev_server() as env:
        task_queue = f"bench-mcp-{uuid.uuid4()}"
        async with make_worker(env.client, task_queue, workspace, registry):
            for label, name in PAIRS.items():
                nodes = [{"id": f"s{i}", "tool": name, "args": {"path": "note.txt"},
                          **({"depends_on": [f"s{i - 1}"]} if i else {})} for i in range(steps)]  # fmt: skip
                await run_plan(env.client, task_queue, Plan.model_validate({"name": "warm", "nodes": nodes[:2]}))
                timing = await run_plan(env.client, task_queue, Plan.model_validate({"name": "chain", "nodes": nodes}))
                rows.append((label, steps, f"{timing.makespan_s * 1000 / steps:.1f}"))
    return rows


async def main(calls: int, steps: int) -> None:
    configure_logging(level="warning")  # the tables are the output
    with tempfile.TemporaryDirectory(prefix="orchestra-bench-mcp-") as tmp:
        workspace = Path(tmp) / "workspace"
        workspace.mkdir()
        (workspace / "note.txt").write_text("a small note\n" * 20)
        registry = registry_in(workspace)
        try:
            rows, first_ms = await direct(registry, workspace, calls)
            print_table(
                f"One tool call in-process (median and p95 of {calls} calls, ms; MCP's first call, which starts "
                f"its server in the sandbox: {first_ms:.0f} ms)",
                ["tool", "median", "p95"],
                rows,
            )
            print_table("A chain of plan steps on the dev server (ms per step)", ["tool", "steps", "per step"],
                        await chained(registry, workspace, steps))  # fmt: skip
        finally:
            await registry.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--steps", type=int, default=40)
    options = parser.parse_args()
    asyncio.run(main(options.calls, options.steps))
