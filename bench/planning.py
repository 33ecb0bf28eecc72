"""Planning cost: analysis + selection + planning time for registries of 10..10,000 tools and plans of
10..10,000 nodes; loading and indexing a 10,000-tool file; `client.py plan` end to end.
Pure code, no server: `python -m bench.planning` (`--end-to-end`: only `client.py plan`, the last table).

Registries: the built-in tools plus synthetic tools spread over 50 capabilities (five of which the
task uses), so candidate lists grow with the registry. Plans: the titles task with N URLs gives
2N + 1 nodes (N downloads, N extractions, one write).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bench.cli_startup import with_bytecode
from bench.table import print_table
from orchestra.analysis.heuristic import analyse_heuristic
from orchestra.planning.planner import build_plan
from orchestra.registry import ToolRegistry, default_registry
from orchestra.selection.selector import select_tools
from orchestra.tool_spec import Tool, ToolContext, ToolSpec

CAPABILITIES = ["fetch", "extract", "write", "read", "summarize", *[f"cap{i}" for i in range(45)]]
MEANING_TASK = "boil the cap7 records down to reports"
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


def tools_file(folder: Path, size: int) -> Path:
    """A tools file of ``size`` described HTTP tools over 50 made-up domains."""
    tools = [
        {
            "name": f"tool_{i}",
            "kind": "http",
            "description": f"Convert {CAPABILITIES[i % 50]} records of batch {i} into {TYPES[(i + 1) % 8]} reports",
            "input_types": [TYPES[i % 8]],
            "output_types": [TYPES[(i + 1) % 8]],
            "url": "https://api.example.com/t/{{ q }}",
            "inputs": {"q": {"type": "string", "description": "the records"}},
        }
        for i in range(size)
    ]
    path = folder / f"tools_{size}.json"
    path.write_text(json.dumps({"tools": tools}))
    return path


def measure_file(size: int) -> list[Any]:
    """Load a described-tools file, build the index (cold), then plan with it (warm index)."""
    with tempfile.TemporaryDirectory() as folder:
        path = tools_file(Path(folder), size)
        started = time.perf_counter()
        registry = default_registry([path])
        loaded = time.perf_counter()
        registry.index()
        indexed = time.perf_counter()
    task = "convert cap7 records of batch 7 into reports, then write them to out.json"
    t_plan, _ = timed(lambda: build_plan(*_analysed(task, registry), registry), 3)
    built = sum(1 for t in registry if t.built)
    return [
        len(registry),
        f"{(loaded - started) * 1000:.0f}",
        f"{(indexed - loaded) * 1000:.0f}",
        f"{t_plan:.1f}",
        built,
    ]


def _analysed(task: str, registry: ToolRegistry) -> tuple[Any, Any]:
    analysis = analyse_heuristic(task, registry)
    return analysis, select_tools(analysis, registry)


def end_to_end(args: list[str], env: dict[str, str], repeat: int, command: list[str] | None = None) -> float:
    """Best wall time of a `client.py plan` process (or of ``command``), in ms."""
    root = Path(__file__).resolve().parents[1]
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(
            command or [sys.executable, "client.py", "plan", *args], cwd=root, env=env, capture_output=True, check=False
        )
        best = min(best, time.perf_counter() - started)
    return best * 1000


# The planning path alone, as `client.py plan --json` runs it, without the CLI around it.
PLANNING_PATH = """
import asyncio, sys
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from orchestra.tools.cleanup import with_support_tools
registry = default_registry(sys.argv[2:])
with_support_tools(registry)
print(asyncio.run(plan_task(sys.argv[1], registry)).model_dump_json())
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="best of N (default 3)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes only")
    parser.add_argument("--end-to-end", action="store_true", help="only `client.py plan` end to end (the last table)")
    args = parser.parse_args()
    sizes = [1000] if args.quick else [1000, 10_000]
    if not args.end_to_end:
        in_process(args.quick, args.repeat)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        # A data folder of its own: the first call finds no planning cache, the next ones do.
        env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTRA_")} | {"ORCHESTRA_DATA_DIR": folder}
        # Bytecode kept as a user's Python keeps it: under PYTHONDONTWRITEBYTECODE (set on CI machines) every row
        # compiled the whole source again, about 0.6 s of the 0.8-1.0 s measured at stop 42.
        env = with_bytecode(env, str(Path(folder) / "bytecode"))
        end_to_end(["read notes.txt"], env, 1)  # compiles it, once
        big = tools_file(Path(folder), sizes[-1])
        task = "convert cap7 records of batch 7 into reports, then write them to out.json"
        path_only = [sys.executable, "-c", PLANNING_PATH]
        rows = [
            ["built-ins only", "read notes.txt", f"{end_to_end(['read notes.txt'], env, args.repeat):.0f}",
             f"{end_to_end([], env, args.repeat, [*path_only, 'read notes.txt']):.0f}"],
            ["built-ins only, --json", "read notes.txt", f"{end_to_end(['read notes.txt', '--json'], env, args.repeat):.0f}",
             ""],
            [f"{sizes[-1]} described tools, first call", task,
             f"{end_to_end(['--registry', str(big), task], env, 1):.0f}", ""],
            [f"{sizes[-1]} described tools, cached", task,
             f"{end_to_end(['--registry', str(big), task], env, args.repeat):.0f}",
             f"{end_to_end([], env, args.repeat, [*path_only, task, str(big)]):.0f}"],
            # Words that match no tool's words: the sentence encoder is loaded and the shortlist embedded.
            [f"{sizes[-1]} described tools, by meaning, first call", MEANING_TASK,
             f"{end_to_end(['--registry', str(big), MEANING_TASK], env, 1):.0f}", ""],
            [f"{sizes[-1]} described tools, by meaning, cached", MEANING_TASK,
             f"{end_to_end(['--registry', str(big), MEANING_TASK], env, args.repeat):.0f}",
             f"{end_to_end([], env, args.repeat, [*path_only, MEANING_TASK, str(big)]):.0f}"],
        ]  # fmt: skip
    print_table(
        "`client.py plan` end to end (process start, imports, load, plan, print); the planning path alone",
        ["registry", "task", "client.py plan ms", "planning path ms"],
        rows,
    )
    # Other work on the machine slows every row: read them beside the load they ran under.
    print(f"load average (1 min): {load_before:.2f} before, {os.getloadavg()[0]:.2f} after; {os.cpu_count()} cores")


def in_process(quick: bool, repeat: int) -> None:
    """Planning in this process: by registry size, by plan size, and a described-tools file's load."""
    header = ["tools", "nodes", "candidates", "analysis ms", "selection ms", "planning ms", "total ms"]
    sizes = [10, 100, 1000] if quick else [10, 100, 1000, 10_000]
    rows = [measure(size, 5, repeat) for size in sizes]
    print_table("registry size (titles task, 5 URLs = 11 nodes)", header, rows)
    node_counts = [10, 100, 1000] if quick else [10, 100, 1000, 10_000]
    rows = [measure(100, max(1, (n - 1) // 2), 1 if n >= 10_000 else repeat) for n in node_counts]
    print_table("plan size (registry of 100 tools; 2N+1 nodes for N URLs)", header, rows)
    sizes = [1000] if quick else [1000, 10_000]
    rows = [measure_file(size) for size in sizes]
    header = ["tools", "load ms", "index ms (once)", "plan ms (indexed)", "tools built"]
    print_table("a described-tools file: lazy loading, index once per content", header, rows)


if __name__ == "__main__":
    main()
