"""The selections a plan prints are the tools its steps use: a tool moved off by a later rule (one that would run or
change what its clause does not ask) was still shown selected, while the plan said no tool serves the step (the
shell for "provide an interpretation of @p0", a "command interpreter"). Media catalogue, as `client.py plan` has it."""

from __future__ import annotations

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans


async def test_selections_show_the_plans_tools() -> None:
    # "Produce", not "Provide": handing over an interpretation no tool says is missing whole since plan334
    result = await plan_task("Produce an interpretation of photo.jpg", as_the_cli_plans(MEDIA))
    plan = result.execution.plan
    assert plan is not None
    chosen = {s.step: s.selected.tool for s in result.selections if s.selected is not None}
    # before: {"caption_image": "caption_image", "produce": "shell"}
    assert sorted(chosen.values()) == sorted(n.tool for n in plan.nodes) == ["caption_image"], chosen
    unserved = [s for s in result.selections if s.selected is None]
    assert [s.step for s in unserved] == ["produce"] and "shell would run" in unserved[0].reason
