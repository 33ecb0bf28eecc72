"""Whether a step goes on past its failure is asked of its node (orchestra/scheduling.SkipsOnError), not read from a
dict of every step built as the run's driver starts: with 150,000 steps that walk was a third of the CPU time of the
run's costliest activation. It answers as that dict did."""

from __future__ import annotations

from orchestra.plan import parse_plan
from orchestra.scheduling import SkipsOnError


def test_skips_on_error_answers_as_the_plans_nodes_say() -> None:
    plan = parse_plan(
        {"name": "skips", "nodes": [
            {"id": "a", "tool": "sleep", "args": {"seconds": 0}, "skip_on_error": True},
            {"id": "b", "tool": "sleep", "args": {"seconds": 0}},
        ]}
    )  # fmt: skip
    skips = SkipsOnError(plan)
    assert dict(skips) == {n.id: n.skip_on_error for n in plan.nodes} == {"a": True, "b": False}
    assert skips.get("not-a-step") is None and len(skips) == 2
