"""Per-sample edge listing on planning-dev's chain and DAG samples: request, gold and planned tools and links.

    python -m bench.planning_edges [--data ../shared/planning-dev] [--split even|odd] [--wrong]

For each chain/DAG sample of the half: the request, the gold tools and links (TaskBench's, read from
``<node-j>`` arguments), the planned ones, and the links found (``=``), wrong (``+``) and lost
(``-``). ``--wrong`` lists only the samples with a wrong or lost link. Tune on the even half only.

At the end, the links' errors by cause (``planning_quality.edge_errors``: a link wrong or lost
between two tools the gold and the plan share is the linking's; one touching a tool only one of
them has follows from the choice of tools), the linking's errors by how the step was fed
(``link_errors``), and the edge scores a planner linking perfectly among the tools it planned would
reach: what better linking alone can give. Last, the edges scored against the links each sample
lists (``task_links``), which TaskBench's measure does not read: it reads ``<node-j>`` arguments only,
and 47 samples' arguments name their sources otherwise (by an output's name, or a wrong index), so
a link right by the sample's own list can count as wrong; a change to linking is judged by both.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections import Counter
from pathlib import Path
from typing import Any

from bench.planning_quality import (
    DEFAULT_DATA,
    EDGE_ERRORS,
    Counts,
    Graph,
    edge_errors,
    gold,
    load_registry,
    plan_json,
    prediction,
)

LINK_ERRORS = (
    "(a) wrong source: the gold feeds the step from another step",
    "(a) reversed",
    "(a) lost: the plan feeds the step from another step",
    "(b) lost: the plan feeds the step from the request",
    "(c) chained: the gold feeds the step from the request",
    "(c) fan-in the gold lacks",
    "(d) wrong: a tool not gold",
    "(d) lost: a tool not planned",
)


def _sources(edges: set[tuple[str, str]], target: str) -> set[str]:
    return {s for s, t in edges if t == target}


def link_errors(expected: Graph, predicted: Graph) -> list[str]:
    """Each edge wrong or lost, by how the plan fed the step it ends at: from the wrong step (a), from the
    request where the gold feeds it from a step (b), from a step where the gold feeds it from the request or
    from one step only (c), or through a tool the gold or the plan lacks (d, the choice of tools')."""
    gold_tools, planned_tools = set(expected.nodes), set(predicted.nodes)
    out = []
    for source, target in predicted.edges - expected.edges:
        if not {source, target} <= gold_tools:
            out.append(LINK_ERRORS[6])
        elif (target, source) in expected.edges:
            out.append(LINK_ERRORS[1])
        elif _sources(expected.edges, target):
            out.append(LINK_ERRORS[0])
        elif len(_sources(predicted.edges, target)) > 1:
            out.append(LINK_ERRORS[5])
        else:
            out.append(LINK_ERRORS[4])
    for source, target in expected.edges - predicted.edges:
        if not {source, target} <= planned_tools:
            out.append(LINK_ERRORS[7])
        else:
            out.append(LINK_ERRORS[2] if _sources(predicted.edges, target) else LINK_ERRORS[3])
    return out


def links_listed(sample: dict[str, Any], nodes: list[str]) -> set[tuple[str, str]]:
    """The links a sample lists (``task_links``), as (source tool, target tool): a link by the nodes' positions
    is read by position, one to ``destination`` as to ``target``; a tool linked to itself is no link."""
    links = sample.get("task_links")
    out: set[tuple[str, str]] = set()
    for link in links if isinstance(links, list) else []:
        ends = [link.get("source"), link.get("target", link.get("destination"))] if isinstance(link, dict) else []
        ends = [nodes[e] if isinstance(e, int) and 0 <= e < len(nodes) else e for e in ends]
        if len(ends) == 2 and all(isinstance(e, str) for e in ends) and ends[0] != ends[1]:
            out.add((str(ends[0]).replace("_", " "), str(ends[1]).replace("_", " ")))
    return out


def _links(edges: set[tuple[str, str]]) -> str:
    return ", ".join(f"{s} -> {t}" for s, t in sorted(edges)) or "-"


async def run(data: Path, split: str | None, wrong_only: bool) -> None:
    registry, _, _ = load_registry(data)
    counts, linked, listed = Counts(), Counts(), Counts()
    causes: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for position, line in enumerate((data / "samples.jsonl").read_text().splitlines()):
        if split is not None and ("odd" if position % 2 else "even") != split:
            continue
        sample = json.loads(line)
        expected = gold(sample)
        if expected is None or sample.get("type") == "single":
            continue
        predicted = prediction(await plan_json(sample["instruction"], registry, "heuristic"))
        counts.add(predicted.edges, expected.edges)
        causes.update(edge_errors(expected, predicted))
        kinds.update(link_errors(expected, predicted))
        listed.add(predicted.edges, links_listed(sample, expected.nodes))
        planned, right = set(predicted.nodes), set(expected.nodes)
        # perfect links among the planned tools: every gold link between two of them, and the links to a tool
        # the gold lacks still drawn (a wrong tool is still fed and still feeds)
        kept = {e for e in expected.edges if set(e) <= planned} | {e for e in predicted.edges if not set(e) <= right}
        linked.add(kept, expected.edges)
        if wrong_only and predicted.edges == expected.edges:
            continue
        print(f"#{position} {sample['id']} {sample['type']}: {sample['instruction']}")
        print(f"  gold  {expected.nodes}\n        {_links(expected.edges)}")
        print(f"  plan  {predicted.nodes}\n        {_links(predicted.edges)}")
        print(f"  = {_links(predicted.edges & expected.edges)}")
        print(f"  + {_links(predicted.edges - expected.edges)}")
        print(f"  - {_links(expected.edges - predicted.edges)}\n")
    for cause in EDGE_ERRORS:
        print(f"{causes[cause]:5d}  {cause}")
    print("the linking's errors by how the step was fed:")
    for kind in LINK_ERRORS:
        print(f"{kinds[kind]:5d}  {kind}")
    print(f"chain/dag edges: P {counts.precision():.1f} / R {counts.recall():.1f} / F1 {counts.f1():.1f}")
    print(f"with perfect links among the tools planned: P {linked.precision():.1f} / R {linked.recall():.1f} / "
          f"F1 {linked.f1():.1f}")  # fmt: skip
    print(f"against the links the samples list (task_links): P {listed.precision():.1f} / R {listed.recall():.1f} / "
          f"F1 {listed.f1():.1f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with tool_desc.json and samples.jsonl")
    parser.add_argument("--split", choices=["even", "odd"], help="only the samples at even or odd positions")
    parser.add_argument("--wrong", action="store_true", help="only samples with a wrong or lost link")
    args = parser.parse_args()
    asyncio.run(run(args.data, args.split, args.wrong))


if __name__ == "__main__":
    main()
