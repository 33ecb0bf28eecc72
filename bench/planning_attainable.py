"""How far a planner can go on planning-dev: the scores of a planner that finds every gold tool a reader can tell from the request.

    python -m bench.planning_attainable [--data ../shared/planning-dev] [--labels bench/planning_attainable.json] [--plan]

``planning_attainable.json`` classes every gold tool of 70 samples of the tuning (even) half by
reading each request: ``a`` asked for in so many words, ``b`` implied (a reader can tell it is
needed: a reader of a document image before a question on it), ``c`` not inferable from the
request, ``unknown`` a name missing from ``tool_desc.json``; ``extra`` marks a step a reader would
plan that the gold plan lacks. The "attainable" planner plans exactly the a + b tools and, of the
gold edges (TaskBench's, read from ``<node-j>`` arguments), those between two a + b tools that the
request implies (``unimplied_edges`` lists the others: both steps work on the user's data). Its
node precision is 100 by construction, so its F1 is the ceiling of a planner that is right only
where the request says or implies what to do; a second row adds the ``extra`` steps such a
planner would also plan. ``--plan`` scores the offline planner on the same samples beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bench.planning_quality import DEFAULT_DATA, Graph, Score, gold, load_registry, plan_json, prediction, score_sample
from bench.table import print_table

LABELS = Path(__file__).with_name("planning_attainable.json")
REACHABLE = {"a", "b"}


def attainable(expected: Graph, entry: dict[str, Any], with_extra: bool) -> Graph:
    """The plan of a planner right exactly where the request says or implies a tool or a link."""
    classes = {t["tool"]: t["class"] for t in entry["tools"]}
    keep = {tool for tool, cls in classes.items() if cls in REACHABLE}
    nodes = [n for n in dict.fromkeys(expected.nodes) if n in keep]
    if with_extra:
        nodes += [tool for tool, cls in classes.items() if cls == "extra"]
    unimplied = {(e["source"], e["target"]) for e in entry.get("unimplied_edges", [])}
    edges = {(s, t) for s, t in expected.edges if s in keep and t in keep and (s, t) not in unimplied}
    return Graph(nodes=nodes, edges=edges)


def edge_losses(expected: Graph, entry: dict[str, Any]) -> Counter[str]:
    """Why each gold edge is out of reach: an end not in tool_desc.json, an end not inferable, a link not implied."""
    classes = {t["tool"]: t["class"] for t in entry["tools"]}
    unimplied = {(e["source"], e["target"]) for e in entry.get("unimplied_edges", [])}
    losses: Counter[str] = Counter()
    for source, target in expected.edges:
        ends = {classes.get(source, "unknown"), classes.get(target, "unknown")}
        reason = next((f"an end of class {cls}" for cls in ("unknown", "c") if cls in ends), None)
        losses[reason or ("link not implied" if (source, target) in unimplied else "reachable")] += 1
    return losses


async def main_async(data: Path, labels: Path, plan: bool) -> None:
    samples = {}
    for line in (data / "samples.jsonl").read_text().splitlines():
        sample = json.loads(line)
        samples[sample["id"]] = sample
    labelled = json.loads(labels.read_text())["samples"]
    registry, known, _ = load_registry(data) if plan else (None, None, 0.0)
    if known is None:
        known = {n["id"].replace("_", " ") for n in json.loads((data / "tool_desc.json").read_text())["nodes"]}
    rows_by: dict[str, dict[str, Score]] = defaultdict(lambda: defaultdict(Score))
    classes_seen: Counter[tuple[str, str]] = Counter()
    losses: Counter[str] = Counter()
    for entry in labelled:
        sample = samples[entry["id"]]
        expected = gold(sample)
        assert expected is not None
        classes = {t["tool"]: t["class"] for t in entry["tools"]}
        group = "single" if entry["type"] == "single" else "chain/dag"
        for tool_class in classes.values():
            classes_seen[(group, tool_class)] += 1
        losses += edge_losses(expected, entry)
        for label, graph in (
            ("attainable (a+b)", attainable(expected, entry, with_extra=False)),
            ("attainable + extra steps", attainable(expected, entry, with_extra=True)),
        ):
            for key in (group, "all"):
                score_sample(rows_by[label][key], graph, expected, known, 0.0)
        if plan:
            planned = prediction(await plan_json(sample["instruction"], registry, "heuristic"))
            for key in (group, "all"):
                score_sample(rows_by["offline planner"][key], planned, expected, known, 0.0)
    header = ["planner", "samples", "node F1", "node P / R", "edge F1", "edge P / R"]
    rows = [
        [f"{label}: {key}", str(s.samples), f"{s.nodes.f1():.1f}", f"{s.nodes.precision():.0f} / {s.nodes.recall():.0f}",
         f"{s.edges.f1():.1f}", f"{s.edges.precision():.0f} / {s.edges.recall():.0f}"]
        for label, by_key in rows_by.items() for key in ("chain/dag", "single", "all") for s in [by_key[key]]
    ]  # fmt: skip
    print_table(f"{data.name}: what a planner can reach ({labels.name})", header, rows)
    class_rows = [[group, cls, str(n)] for (group, cls), n in sorted(classes_seen.items())]
    print_table("gold tools by class", ["samples", "class", "tools"], class_rows)
    print_table("gold edges by reach", ["ends", "edges"], [[k, str(v)] for k, v in losses.most_common()])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--plan", action="store_true", help="score the offline planner on the same samples")
    args = parser.parse_args()
    asyncio.run(main_async(args.data, args.labels, args.plan))


if __name__ == "__main__":
    main()
