"""Random layered DAGs of `sleep` nodes with known durations, reproducible from a seed."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from orchestra.dag import critical_path
from orchestra.plan import Plan, parse_plan

DURATION_FACTORS = (0.5, 1.0, 1.5)


@dataclass(frozen=True)
class BenchDag:
    plan: Plan
    durations: dict[str, float]
    critical_path_s: float
    layers: int

    @property
    def nodes(self) -> int:
        return len(self.durations)


def layered_dag(width: int, layers: int, duration: float, seed: int, *, max_parents: int = 3) -> BenchDag:
    """``layers`` layers of at most ``width`` nodes (the first and one random layer exactly ``width``);
    every node past layer 0 depends on 1..max_parents nodes of the previous layer."""
    rng = random.Random(f"{seed}:{width}:{layers}")
    full = {0, rng.randrange(layers)}
    sizes = [width if k in full else rng.randint(max(1, width // 2), width) for k in range(layers)]
    nodes: list[dict[str, Any]] = []
    durations: dict[str, float] = {}
    previous: list[str] = []
    for k, size in enumerate(sizes):
        current = [f"l{k}_n{i}" for i in range(size)]
        for node_id in current:
            seconds = rng.choice(DURATION_FACTORS) * duration
            parents = sorted(rng.sample(previous, rng.randint(1, min(max_parents, len(previous))))) if previous else []
            nodes.append({"id": node_id, "tool": "sleep", "args": {"seconds": seconds}, "depends_on": parents})
            durations[node_id] = seconds
        previous = current
    plan = parse_plan({"name": f"bench-w{width}", "max_parallel": max(width, 1), "nodes": nodes})
    deps = {n.id: n.depends_on for n in plan.nodes}
    length, _ = critical_path(deps, durations)
    return BenchDag(plan=plan, durations=durations, critical_path_s=length, layers=layers)


def chain(steps: int, seconds: float = 0.0) -> Plan:
    nodes = [
        {"id": f"s{i}", "tool": "sleep", "args": {"seconds": seconds}, "depends_on": [f"s{i - 1}"] if i else []}
        for i in range(steps)
    ]
    return parse_plan({"name": f"bench-chain{steps}", "max_parallel": 1, "nodes": nodes})
