"""A request of hundreds of clauses, each taking the one before's result, plans: the steps are ordered by
the longest chain before each without recursion, which Python's limit stopped at about a thousand."""

from __future__ import annotations

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


async def test_a_chain_of_hundreds_of_steps_is_planned() -> None:
    # before: RecursionError from the planner's ordering (15,000 characters)
    result = await plan_task("Let me know what photo.jpg shows. " * 450, default_registry([MEDIA]))
    plan = result.execution.plan
    assert plan is not None and len(plan.nodes) == 900
