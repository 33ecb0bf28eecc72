"""A step fanned out over N URLs binds N calls of one action that names them all, and each call searched that action
again for a method said ("a PUT request") and a thing made named ("send me the summary"): quadratic in the URLs
(999 nodes: 3-5 s in build_plan, 9,999: over 5 minutes). Each action is read once now: counted, not timed."""

from __future__ import annotations

from typing import Any

import pytest

from orchestra.analysis import derived_sent
from orchestra.analysis.heuristic import analyse_heuristic
from orchestra.planning import binding
from orchestra.planning.planner import build_plan
from orchestra.registry import default_registry
from orchestra.selection.selector import select_tools

URLS = 60


class Counted:
    """A compiled pattern whose searches are counted, by the length of the text searched."""

    def __init__(self, pattern: Any) -> None:
        self.pattern, self.read = pattern, 0

    def search(self, text: str, *args: Any) -> Any:
        self.read += len(text)
        return self.pattern.search(text, *args)


def test_the_calls_of_a_fanned_step_read_its_action_once(monkeypatch: pytest.MonkeyPatch) -> None:
    links = " ".join(f"http://127.0.0.1:9/p{i}" for i in range(URLS))
    task = f"download these URLs {links}, extract the titles and write them to titles.json"
    registry = default_registry()
    analysis = analyse_heuristic(task, registry)
    selections = select_tools(analysis, registry)
    patterns = {
        (derived_sent, "_NAMED_ALONE"): Counted(derived_sent._NAMED_ALONE),
        (binding, "_METHOD_SAID"): Counted(binding._METHOD_SAID),
    }
    for (module, name), counted in patterns.items():
        monkeypatch.setattr(module, name, counted)
    for read in (derived_sent.made_thing_named, binding._method_said):
        getattr(read, "cache_clear", lambda: None)()  # what an earlier test read is read again here
    execution = build_plan(analysis, selections, registry)
    assert execution.plan is not None and len(execution.plan.nodes) == 2 * URLS + 1
    actions = sum(len(step.action) for step in analysis.steps)
    for counted in patterns.values():
        assert 0 < counted.read <= actions, (counted.read, actions)  # each step's action read once at most
