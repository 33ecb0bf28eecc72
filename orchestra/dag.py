"""Pure graph algorithms over ``{node: [dependencies]}``; deterministic, so workflows may call them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def find_cycle(deps: Mapping[str, Sequence[str]]) -> list[str] | None:
    """Return one cycle as a path ``[a, b, ..., a]`` (a depends on b ...), or None if the graph is acyclic."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(deps, WHITE)
    for root in deps:
        if colour[root] != WHITE:
            continue
        # Iterative DFS: plans of 10,000 nodes in a chain would overflow Python's recursion limit.
        path: list[str] = [root]
        iters = [iter(deps[root])]
        colour[root] = GREY
        while iters:
            nxt = next(iters[-1], None)
            if nxt is None:
                colour[path.pop()] = BLACK
                iters.pop()
                continue
            if nxt not in colour:
                continue
            if colour[nxt] == GREY:
                return [*path[path.index(nxt) :], nxt]
            if colour[nxt] == WHITE:
                colour[nxt] = GREY
                path.append(nxt)
                iters.append(iter(deps[nxt]))
    return None


def topological_phases(deps: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Group nodes into levels: every node's dependencies lie in earlier levels. Order within a level
    follows the mapping's order, so phases are stable for display."""
    level: dict[str, int] = {}
    for node in topological_order(deps):
        level[node] = 1 + max((level[d] for d in deps[node]), default=-1)
    phases: list[list[str]] = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for node in deps:
        phases[level[node]].append(node)
    return phases


def topological_order(deps: Mapping[str, Sequence[str]]) -> list[str]:
    """Kahn's algorithm; raises ValueError on a cycle."""
    remaining = {n: len(set(ds)) for n, ds in deps.items()}
    dependents: dict[str, list[str]] = {n: [] for n in deps}
    for node, ds in deps.items():
        for d in set(ds):
            dependents[d].append(node)
    ready = [n for n, count in remaining.items() if count == 0]
    order: list[str] = []
    while ready:
        node = ready.pop()
        order.append(node)
        for child in dependents[node]:
            remaining[child] -= 1
            if remaining[child] == 0:
                ready.append(child)
    if len(order) != len(deps):
        raise ValueError(f"graph has a cycle: {' -> '.join(find_cycle(deps) or [])}")
    return order


def critical_path(deps: Mapping[str, Sequence[str]], duration: Mapping[str, float]) -> tuple[float, list[str]]:
    """Longest duration-weighted path: the least time any scheduler can take with unlimited workers."""
    finish: dict[str, float] = {}
    via: dict[str, str | None] = {}
    for node in topological_order(deps):
        before = max(deps[node], key=lambda d: finish[d], default=None)
        finish[node] = (finish[before] if before else 0.0) + duration.get(node, 0.0)
        via[node] = before
    if not finish:
        return 0.0, []
    end: str | None = max(finish, key=lambda n: finish[n])
    length = finish[end]  # type: ignore[index]
    path: list[str] = []
    while end is not None:
        path.append(end)
        end = via[end]
    return length, path[::-1]
