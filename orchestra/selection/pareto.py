"""Pareto front over the strategy scores: the tools no other tool beats on every count."""

from __future__ import annotations

from collections.abc import Sequence

from orchestra.selection.models import STRATEGIES, ScoredTool


def dominates(a: ScoredTool, b: ScoredTool) -> bool:
    at_least = all(a.scores[s] >= b.scores[s] for s in STRATEGIES)
    better = any(a.scores[s] > b.scores[s] for s in STRATEGIES)
    return at_least and better


def pareto_front(tools: Sequence[ScoredTool]) -> list[ScoredTool]:
    return [t for t in tools if not any(dominates(o, t) for o in tools if o is not t)]
