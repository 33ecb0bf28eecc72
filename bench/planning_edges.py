"""Per-sample edge listing on planning-dev's chain and DAG samples: request, gold and planned tools and links.

    python -m bench.planning_edges [--data ../shared/planning-dev] [--split even|odd] [--wrong]

For each chain/DAG sample of the half: the request, the gold tools and links (TaskBench's, read from
``<node-j>`` arguments), the planned ones, and the links found (``=``), wrong (``+``) and lost
(``-``). ``--wrong`` lists only the samples with a wrong or lost link. Tune on the even half only.

At the end, the links' errors by cause (``planning_quality.edge_errors``: a link wrong or lost
between two tools the gold and the plan share is the linking's; one touching a tool only one of
them has follows from the choice of tools), and the edge scores a planner linking perfectly among
the tools it planned would reach: what better linking alone can give.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections import Counter
from pathlib import Path

from bench.planning_quality import (
    DEFAULT_DATA,
    EDGE_ERRORS,
    Counts,
    edge_errors,
    gold,
    load_registry,
    plan_json,
    prediction,
)


def _links(edges: set[tuple[str, str]]) -> str:
    return ", ".join(f"{s} -> {t}" for s, t in sorted(edges)) or "-"


async def run(data: Path, split: str | None, wrong_only: bool) -> None:
    registry, _, _ = load_registry(data)
    counts, linked = Counts(), Counts()
    causes: Counter[str] = Counter()
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
    print(f"chain/dag edges: P {counts.precision():.1f} / R {counts.recall():.1f} / F1 {counts.f1():.1f}")
    print(f"with perfect links among the tools planned: P {linked.precision():.1f} / R {linked.recall():.1f} / "
          f"F1 {linked.f1():.1f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with tool_desc.json and samples.jsonl")
    parser.add_argument("--split", choices=["even", "odd"], help="only the samples at even or odd positions")
    parser.add_argument("--wrong", action="store_true", help="only samples with a wrong or lost link")
    args = parser.parse_args()
    asyncio.run(run(args.data, args.split, args.wrong))


if __name__ == "__main__":
    main()
