"""Planning cost: analysis + selection + planning time for registries of 10..10,000 tools and plans of
10..10,000 nodes. Pure code, no server: `python -m bench.planning`.

Registries: the built-in tools plus synthetic tools spread over 50 capabilities (five of which the
task uses), so candidate lists grow with the registry. Plans: the titles task with N URLs gives
2N + 1 nodes (N downloads, N extractions, one write).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from bench.table import print_table
from orchestra.analysis.heuristic import analyse_heuristic
from orchestra.planning.planner import build_plan
from orchestra.registry import ToolRegistry, default_registry
from orchestra.selection.selector import select_tools
from orchestra.tool_spec import Tool, ToolContext, ToolSpec

CAPABILITIES = ["fetch", "extract", "write", "read", "summarize", *[f"cap{i}" for i in range(45)]]
TYPES = ["url", "html", "text", "json", "path", "summary", "markdown", "csv"]


class _In(BaseModel):
    text: str = ""


async def _noop(args: _In, ctx: ToolContext) -> dict[str, Any]:
    return {}


def registry_of(size: int) -> ToolRegistry:
    registry = default_registry()
    for i in range(max(0, size - len(registry))):
        spec = ToolSpec(
            name=f"tool_{i}",
            description=f"synthetic tool {i} for {CAPABILITIES[i % 50]}",
            capabilities=[CAPABILITIES[i % 50], CAPABILITIES[(i * 7) % 50]],
            input_model=_In,
            input_types=[TYPES[i % 8]],
            output_types=[TYPES[(i + 1) % 8], TYPES[(i + 3) % 8]],
            cost=(i % 5) * 0.1,
        )
        registry.register(Tool(spec=spec, run=_noop))
    return registry


def titles_task(urls: int) -> str:
    links = " ".join(f"http://127.0.0.1:9/p{i}" for i in range(urls))
    return f"download these URLs {links}, extract the titles and write them to titles.json"


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000, value


def measure(tools: int, urls: int, repeat: int) -> list[Any]:
    registry = registry_of(tools)
    task = titles_task(urls)
    t_analysis, analysis = timed(lambda: analyse_heuristic(task, registry), repeat)
    t_select, selections = timed(lambda: select_tools(analysis, registry), repeat)
    t_plan, execution = timed(lambda: build_plan(analysis, selections, registry), repeat)
    nodes = len(execution.plan.nodes) if execution.plan else 0
    candidates = sum(len(s.candidates) for s in selections)
    total = t_analysis + t_select + t_plan
    return [len(registry), nodes, candidates, f"{t_analysis:.1f}", f"{t_select:.1f}", f"{t_plan:.1f}", f"{total:.1f}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="best of N (default 3)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes only")
    args = parser.parse_args()
    header = ["tools", "nodes", "candidates", "analysis ms", "selection ms", "planning ms", "total ms"]
    sizes = [10, 100, 1000] if args.quick else [10, 100, 1000, 10_000]
    rows = [measure(size, 5, args.repeat) for size in sizes]
    print_table("registry size (titles task, 5 URLs = 11 nodes)", header, rows)
    node_counts = [10, 100, 1000] if args.quick else [10, 100, 1000, 10_000]
    rows = [measure(100, max(1, (n - 1) // 2), 1 if n >= 10_000 else args.repeat) for n in node_counts]
    print_table("plan size (registry of 100 tools; 2N+1 nodes for N URLs)", header, rows)


if __name__ == "__main__":
    main()
