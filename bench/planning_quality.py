"""Planning quality on a TaskBench-style set: node F1, edge F1, empty plans, by sample type; time per plan.

    python -m bench.planning_quality [--data ../shared/planning-dev] [--backend heuristic|llm] [--limit N]
        [--split even|odd] [--show N] [--errors] [--ablation]

``--split even`` scores the samples at even positions of the file (the half the planner was tuned
on), ``--split odd`` the other half, which tuning never looked at; without it, all of them, with one
row per half as well. ``--errors`` prints an error analysis: for one-tool samples, which tool was
chosen instead of the gold one; for the others, the gold and planned number of tools; per tool, which gold
tools were missed and which planned ones were wrong (a gold tool was missed) or extra (none was); for edges, which
were found, which are wrong between two gold tools or touch a tool the gold lacks, and which are lost
between two planned tools or with a tool not planned.

The set's tool file (``tool_desc.json``: id, desc, input-type/output-type, optional parameters) is
turned into a registry of ``kind: http`` tools, written to a tools file and loaded like any
``--registry`` file. Every sample's request goes through the same code path as
``client.py plan --json`` (registry = built-ins + the file + support tools; ``plan_task``; the JSON
dump), and the plan's nodes become a TaskBench prediction: tool names, and arguments where a
reference to another node's output is written ``<node-j>``.

Scoring follows TaskBench's ``evaluate.py`` for the resource-dependency splits (see the data's
README): node F1 over the sets of tool names listed in the tool file, micro-averaged; edge F1 over
the sets of (source tool, target tool) pairs read from ``<node-j>`` arguments, micro-averaged.
``--ablation`` scores the offline planner's parts one by one on both halves (``ABLATION``: words
alone, + the sentence encoder, + data types), by the settings that turn each off.
``--backend llm`` scores the LLM planner (ORCHESTRA_LLM_* must name an endpoint): reported, no target.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.table import print_table

# ../shared/planning-dev beside the clone (CI) or beside the folder of worktrees.
DEFAULT_DATA = next(
    (
        p / "shared" / "planning-dev"
        for p in Path(__file__).resolve().parents
        if (p / "shared" / "planning-dev").is_dir()
    ),
    Path("../shared/planning-dev"),
)
NODE_REF = re.compile(r"<node-(\d+)>")
REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\.output[^}]*\}")
JSON_TYPES = {"string": "string", "integer": "integer", "number": "number", "float": "number", "boolean": "boolean",
              "bool": "boolean", "array": "array", "list": "array", "object": "object", "dict": "object"}  # fmt: skip


def tool_name(raw: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.\-]+", "_", raw).strip("_") or "tool"


def _param_name(raw: str) -> str:
    name = re.sub(r"\W+", "_", raw).strip("_")
    return name if name and not name[0].isdigit() else f"p_{name}"


def registry_document(tool_desc: dict[str, Any]) -> dict[str, Any]:
    """TaskBench tool descriptions -> a tools file (``kind: http``) with typed inputs and outputs."""
    tools = []
    for node in tool_desc["nodes"]:
        name = tool_name(node["id"])
        inputs: dict[str, Any] = {}
        for param in node.get("parameters") or []:
            kind = JSON_TYPES.get(str(param.get("type", "string")).lower(), "string")
            inputs[_param_name(param["name"])] = {"type": kind, "description": param.get("desc", "")}
        if not inputs:
            for data_type in node.get("input-type") or []:
                key, n = data_type, 2
                while key in inputs:
                    key, n = f"{data_type}_{n}", n + 1
                inputs[_param_name(key)] = {"type": "string", "description": f"the input {data_type}"}
        outputs = {_param_name(t): {"type": "string", "required": False} for t in node.get("output-type") or []}
        tools.append(
            {
                "name": name,
                "kind": "http",
                "description": node.get("desc", ""),
                "input_types": list(node.get("input-type") or []),
                "output_types": list(node.get("output-type") or []),
                "method": "POST",
                "url": f"http://127.0.0.1:9/tools/{name}",
                "json": {key: f"{{{{ {key} }}}}" for key in inputs},
                "inputs": inputs,
                "outputs": outputs,
            }
        )
    return {"version": 1, "tools": tools}


# --- predictions and gold -------------------------------------------------------------------------


@dataclass
class Graph:
    nodes: list[str] = field(default_factory=list)
    edges: set[tuple[str, str]] = field(default_factory=set)


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def prediction(plan: dict[str, Any] | None) -> Graph:
    """A plan (as `plan --json` prints it) -> tool names and <node-j> edges."""
    graph = Graph()
    if not plan:
        return graph
    nodes = plan["nodes"]
    position = {n["id"]: i for i, n in enumerate(nodes)}
    names = [n["tool"].replace("_", " ") for n in nodes]
    graph.nodes = names
    for i, node in enumerate(nodes):
        for arg in node.get("args", {}).values():
            for text in _strings(arg):
                match = REFERENCE.search(text)
                if match and position.get(match.group(1), i) != i:
                    graph.edges.add((names[position[match.group(1)]], names[i]))
    return graph


def gold(sample: dict[str, Any]) -> Graph | None:
    nodes = sample.get("task_nodes")
    if isinstance(nodes, str):
        try:
            nodes = json.loads(nodes)
        except ValueError:
            return None
    if isinstance(nodes, dict):
        nodes = nodes.get("nodes") or list(nodes.values())
    if not isinstance(nodes, list):
        return None
    graph = Graph()
    names = [str(n.get("task", "")).replace("_", " ") for n in nodes if isinstance(n, dict)]
    graph.nodes = names
    for i, node in enumerate(n for n in nodes if isinstance(n, dict)):
        args = node.get("arguments", node.get("parameters", []))
        for arg in args if isinstance(args, list) else [args]:
            match = NODE_REF.search(json.dumps(arg) if not isinstance(arg, str) else arg)
            if match:
                j = int(match.group(1))
                if j != i and j < len(names):
                    graph.edges.add((names[j], names[i]))
    return graph


# --- scoring --------------------------------------------------------------------------------------


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: set[Any], expected: set[Any]) -> None:
        self.tp += len(predicted & expected)
        self.fp += len(predicted - expected)
        self.fn += len(expected - predicted)

    def precision(self) -> float:
        return 100 * self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    def recall(self) -> float:
        return 100 * self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    def f1(self) -> float:
        precision, recall = self.precision(), self.recall()
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass
class Score:
    samples: int = 0
    empty: int = 0
    nodes: Counts = field(default_factory=Counts)
    edges: Counts = field(default_factory=Counts)
    seconds: list[float] = field(default_factory=list)

    def row(self, label: str) -> list[str]:
        times = sorted(self.seconds)
        median = times[len(times) // 2] * 1000 if times else 0.0
        return [label, str(self.samples), f"{self.nodes.f1():.1f}",
                f"{self.nodes.precision():.0f} / {self.nodes.recall():.0f}", f"{self.edges.f1():.1f}",
                f"{self.edges.precision():.0f} / {self.edges.recall():.0f}",
                f"{100 * self.empty / max(self.samples, 1):.1f}", f"{median:.1f}",
                f"{(times[-1] * 1000 if times else 0.0):.1f}"]  # fmt: skip


def score_sample(score: Score, predicted: Graph, expected: Graph, known: set[str], seconds: float) -> None:
    score.samples += 1
    score.empty += not predicted.nodes
    score.nodes.add({n for n in predicted.nodes if n in known}, {n for n in expected.nodes if n in known})
    score.edges.add(predicted.edges, expected.edges)
    score.seconds.append(seconds)


# --- running --------------------------------------------------------------------------------------


async def plan_json(task: str, registry: Any, backend: str) -> dict[str, Any] | None:
    """What `client.py plan --json TASK` prints, parsed: None when the task has no plan."""
    from orchestra.analysis.models import TaskAnalysisError
    from orchestra.planning.pipeline import plan_task

    try:
        result = await plan_task(task, registry, backend=backend)  # type: ignore[arg-type]
    except TaskAnalysisError:
        return None
    document = json.loads(result.model_dump_json())
    plan: dict[str, Any] | None = document["execution"]["plan"]
    return plan


def _errors(results: list[tuple[dict[str, Any], Graph, Graph]], known: set[str]) -> None:
    confusion: Counter[tuple[str, str]] = Counter()
    sizes: Counter[tuple[str, int, int]] = Counter()
    for sample, expected, predicted in results:
        gold_set = {n for n in expected.nodes if n in known}
        plan_set = {n for n in predicted.nodes if n in known}
        if sample.get("type") == "single":
            if gold_set != plan_set:
                confusion[(", ".join(sorted(gold_set)) or "-", ", ".join(sorted(plan_set)) or "(none)")] += 1
        else:
            sizes[(sample.get("type", "?"), len(gold_set), len(plan_set))] += 1
    rows = [[str(n), gold_tool, planned] for (gold_tool, planned), n in confusion.most_common()]
    print_table(
        "one-tool samples planned wrong: gold -> planned (catalogue tools only)", ["n", "gold", "planned"], rows
    )
    rows = [[kind, str(g), str(p), str(n)] for (kind, g, p), n in sorted(sizes.items())]
    print_table("multi-tool samples: distinct gold tools vs planned", ["type", "gold", "planned", "samples"], rows)
    tools = Counter(error for _, expected, predicted in results for error in node_errors(expected, predicted, known))
    kinds = Counter(kind for kind, _ in tools.elements())
    rows = [[kind, str(kinds[kind]), ", ".join(f"{tool} {n}" for (k, tool), n in tools.most_common() if k == kind)[:120]]
            for kind in NODE_ERRORS]  # fmt: skip
    print_table("tools: missed, wrong and extra (catalogue tools only)", ["tools", "n", "most often"], rows)
    edges = Counter(kind for _, expected, predicted in results for kind in edge_errors(expected, predicted))
    print_table("edges: found, wrong and lost, by whether their tools are the gold plan's",
                ["edges", "n"], [[kind, str(edges[kind])] for kind in EDGE_ERRORS])  # fmt: skip


EDGE_ERRORS = (
    "found",
    "wrong: both tools gold, reversed",
    "wrong: both tools gold, no such gold edge",
    "wrong: a tool not gold",
    "lost: both tools planned",
    "lost: a tool not planned",
)


NODE_ERRORS = ("missed", "wrong", "extra step")


def node_errors(expected: Graph, predicted: Graph, known: set[str]) -> list[tuple[str, str]]:
    """Each tool of a sample the plan got wrong, by kind: a gold tool not planned is missed; a planned tool the gold
    lacks is wrong where the plan missed a gold tool (chosen in its place, or beside it) and an extra step where it
    missed none (context or a restatement read as work)."""
    gold_tools = {n for n in expected.nodes if n in known}
    planned_tools = {n for n in predicted.nodes if n in known}
    missed = sorted(gold_tools - planned_tools)
    added = "wrong" if missed else "extra step"
    return [("missed", tool) for tool in missed] + [(added, tool) for tool in sorted(planned_tools - gold_tools)]


def edge_errors(expected: Graph, predicted: Graph) -> list[str]:
    """Each edge of a sample, found or not, by whether its tools are the gold plan's: an edge wrong
    between two gold tools is a wrong link; one touching a tool the gold lacks follows from tool choice."""
    gold_tools, planned_tools = set(expected.nodes), set(predicted.nodes)
    out = ["found"] * len(predicted.edges & expected.edges)
    for source, target in predicted.edges - expected.edges:
        if {source, target} <= gold_tools:
            out.append(
                f"wrong: both tools gold, {'reversed' if (target, source) in expected.edges else 'no such gold edge'}"
            )
        else:
            out.append("wrong: a tool not gold")
    for edge in expected.edges - predicted.edges:
        out.append("lost: both tools planned" if set(edge) <= planned_tools else "lost: a tool not planned")
    return out


# The offline planner's parts, added one at a time: (label, settings).
ABLATION = (
    ("BM25 only (words)", {"ORCHESTRA_SEMANTIC": "0", "ORCHESTRA_PLAN_TYPES": "0"}),
    ("+ encoder (MiniLM)", {"ORCHESTRA_SEMANTIC": "1", "ORCHESTRA_PLAN_TYPES": "0"}),
    ("+ types (the default)", {"ORCHESTRA_SEMANTIC": "1", "ORCHESTRA_PLAN_TYPES": "1"}),
)


def load_registry(data: Path) -> tuple[Any, set[str], float]:
    """The set's tools as a registry (built-ins + the file + support tools), the names scored, load time."""
    from orchestra.registry import default_registry
    from orchestra.tools.cleanup import with_support_tools

    tool_desc = json.loads((data / "tool_desc.json").read_text())
    known = {n["id"].replace("_", " ") for n in tool_desc["nodes"]}
    known |= {tool_name(n["id"]).replace("_", " ") for n in tool_desc["nodes"]}
    with tempfile.TemporaryDirectory() as folder:
        tools_file = Path(folder) / "tools.json"
        tools_file.write_text(json.dumps(registry_document(tool_desc)))
        started = time.perf_counter()
        registry = default_registry([tools_file])
        with_support_tools(registry)
        registry.index()
        load_s = time.perf_counter() - started
    return registry, known, load_s


async def score_halves(registry: Any, known: set[str], lines: list[str]) -> dict[str, Score]:
    """The offline planner's score on each half of ``lines`` (samples.jsonl's), keyed "even" and "odd"."""
    halves: dict[str, Score] = defaultdict(Score)
    for position, line in enumerate(lines):
        sample = json.loads(line)
        expected = gold(sample)
        if expected is None:
            continue
        started = time.perf_counter()
        plan = await plan_json(sample["instruction"], registry, "heuristic")
        score_sample(halves["odd" if position % 2 else "even"], prediction(plan), expected, known,
                     time.perf_counter() - started)  # fmt: skip
    return halves


async def ablation(data: Path, limit: int | None) -> None:
    registry, known, _ = load_registry(data)
    lines = (data / "samples.jsonl").read_text().splitlines()[:limit]
    rows = []
    for label, settings in ABLATION:
        saved = {k: os.environ.get(k) for k in settings}
        os.environ.update(settings)
        try:
            halves = await score_halves(registry, known, lines)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        even, odd = halves["even"], halves["odd"]
        times = sorted(even.seconds + odd.seconds)
        rows.append([label, f"{even.nodes.f1():.1f}", f"{even.edges.f1():.1f}", f"{odd.nodes.f1():.1f}",
                     f"{odd.edges.f1():.1f}", f"{100 * (even.empty + odd.empty) / max(even.samples + odd.samples, 1):.1f}",
                     f"{times[len(times) // 2] * 1000:.1f}"])  # fmt: skip
    header = ["planner", "even node F1", "even edge F1", "odd node F1", "odd edge F1", "empty %", "median ms"]
    print_table(f"{data.name}: ablation (even half tuned on, odd half held out)", header, rows)


async def run(data: Path, backend: str, limit: int | None, show: int, split: str | None, errors: bool) -> None:
    registry, known, load_s = load_registry(data)
    by_type: dict[str, Score] = defaultdict(Score)
    halves: dict[str, Score] = defaultdict(Score)
    overall = Score()
    misses: list[str] = []
    results: list[tuple[dict[str, Any], Graph, Graph]] = []
    lines = (data / "samples.jsonl").read_text().splitlines()
    for position, line in enumerate(lines[:limit]):
        half = "odd" if position % 2 else "even"
        if split is not None and half != split:
            continue
        sample = json.loads(line)
        expected = gold(sample)
        if expected is None:
            continue
        started = time.perf_counter()
        plan = await plan_json(sample["instruction"], registry, backend)
        seconds = time.perf_counter() - started
        predicted = prediction(plan)
        for score in (overall, by_type[sample.get("type", "?")], halves[half]):
            score_sample(score, predicted, expected, known, seconds)
        results.append((sample, expected, predicted))
        if set(predicted.nodes) != set(expected.nodes) and len(misses) < show:
            misses.append(
                f"{sample['id']} {sample['instruction']}\n    gold {expected.nodes}\n    plan {predicted.nodes}"
            )
    header = ["type", "samples", "node F1", "node P / R", "edge F1", "edge P / R", "empty %", "median ms", "max ms"]
    rows = [by_type[t].row(t) for t in sorted(by_type)]
    if split is None:
        rows += [halves[h].row(f"{h} half") for h in sorted(halves)]
    rows.append(overall.row("all" if split is None else f"{split} half"))
    print_table(f"{data.name}: {backend} planner ({len(registry)} tools, loaded and indexed in {load_s * 1000:.0f} ms)",
                header, rows)  # fmt: skip
    for miss in misses:
        print(miss)
    if errors:
        _errors(results, known)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with tool_desc.json and samples.jsonl")
    parser.add_argument("--backend", choices=["heuristic", "llm"], default="heuristic")
    parser.add_argument("--limit", type=int, help="only the first N samples")
    parser.add_argument("--show", type=int, default=0, help="print the first N samples whose tools differ")
    parser.add_argument("--split", choices=["even", "odd"], help="only the samples at even or odd positions")
    parser.add_argument("--errors", action="store_true", help="print a confusion table and tool counts")
    parser.add_argument("--ablation", action="store_true", help="score the offline planner's parts one by one")
    args = parser.parse_args()
    if args.ablation:
        asyncio.run(ablation(args.data, args.limit))
        return
    asyncio.run(run(args.data, args.backend, args.limit, args.show, args.split, args.errors))


if __name__ == "__main__":
    main()
