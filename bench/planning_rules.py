"""What each of the offline planner's word lists and patterns is worth on each half of the development set.

Every module-level word collection and compiled pattern of ``orchestra.analysis`` (named in capitals) is
turned off in turn — a pattern that matches nothing, an empty collection — and both halves are scored;
the table prints the change against the planner as it is. A rule that helps the half it was tuned on
(even) and leaves the held-out half (odd) flat was fitted to the requests read; one that helps both is
evidence of a rule of the language; one whose removal helps the odd half is a candidate to drop.
Turning a rule off is crude (some lists guard others): read a row as a pointer, not a verdict.

    python -m bench.planning_rules [--data DIR] [--limit N] [NAME ...]

takes several minutes (one scoring of the set per rule); NAMEs (``goals.CURIOUS``) limit it to those.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from bench.planning_quality import DEFAULT_DATA, Score, load_registry, score_halves
from bench.table import print_table

MODULES = ("words", "data", "clauses", "goals", "choice", "converters", "finish", "heuristic")
NOTHING = re.compile(r"(?!)")


def rules(modules: list[ModuleType]) -> Iterator[tuple[str, Any]]:
    """Each capitalised pattern or collection of words once, by the first module that names it."""
    seen: set[int] = set()
    for module in modules:
        for name, value in vars(module).items():
            words = isinstance(value, frozenset | set | tuple) and value and all(isinstance(v, str) for v in value)
            if name.isupper() and (isinstance(value, re.Pattern) or words) and id(value) not in seen:
                seen.add(id(value))
                yield f"{module.__name__.rsplit('.', 1)[-1]}.{name}", value


def swap(modules: list[ModuleType], old: Any, new: Any) -> None:
    """Every module's name for ``old`` (imported names included) bound to ``new``."""
    for module in modules:
        for name, value in list(vars(module).items()):
            if value is old:
                setattr(module, name, new)


def clear_caches(modules: list[ModuleType]) -> None:
    for module in modules:
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def figures(halves: dict[str, Score]) -> tuple[float, float, float, float]:
    even, odd = halves["even"], halves["odd"]
    return even.nodes.f1(), even.edges.f1(), odd.nodes.f1(), odd.edges.f1()


async def main(data: Path, limit: int | None, only: list[str]) -> None:
    modules = [importlib.import_module(f"orchestra.analysis.{m}") for m in MODULES]
    registry, known, _ = load_registry(data)
    lines = (data / "samples.jsonl").read_text().splitlines()[:limit]
    base = figures(await score_halves(registry, known, lines))
    rows = [["(as it is)", *(f"{f:.1f}" for f in base)]]
    for label, value in list(rules(modules)):
        if only and label not in only:
            continue
        off = NOTHING if isinstance(value, re.Pattern) else type(value)()
        swap(modules, value, off)
        clear_caches(modules)
        try:
            changed = figures(await score_halves(registry, known, lines))
            rows.append([label, *(f"{c - b:+.1f}" for c, b in zip(changed, base, strict=True))])
        except Exception as exc:  # a rule the planner cannot do without: say so, go on
            rows.append([label, *[f"fails: {type(exc).__name__}"] * 4])
        finally:
            swap(modules, off, value)
            clear_caches(modules)
        print(" | ".join(rows[-1]), flush=True)
    header = ["rule turned off", "even node F1", "even edge F1", "odd node F1", "odd edge F1"]
    print_table(f"{data.name}: each rule turned off (change in F1; even tuned on, odd held out)", header, rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with tool_desc.json and samples.jsonl")
    parser.add_argument("--limit", type=int, help="only the first N samples")
    parser.add_argument("names", nargs="*", help="only these rules (module.NAME)")
    args = parser.parse_args()
    asyncio.run(main(args.data, args.limit, args.names))
