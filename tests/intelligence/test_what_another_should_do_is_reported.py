"""plan347: "The team should remove old.txt", "Someone should delete b.txt" were refused as "delete_file would delete,
which the step's words do not ask": the tools were first judged without the request, where no report is seen, and a
modal before the verb hides the verb. What another should do is their act, reported, not asked, as "My colleague
needs to delete b.txt" was; the user's own orders keep their plans."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


async def _reasons(task: str) -> tuple[list[str], list[str]]:
    result = (await plan_task(task, as_the_cli_plans())).execution
    tools = [n.tool for n in result.plan.nodes] if result.plan is not None else []
    return tools, [*result.missing, *result.problems]


@pytest.mark.parametrize(
    "task",
    [
        "The team should remove old.txt",
        "Someone should delete b.txt",
        "Bob should delete b.txt",
        "Bob must delete b.txt",
        "My colleague could delete b.txt",
        "The admin will delete b.txt",
        "My boss might remove b.txt",
        "Somebody should erase b.txt",
        "They should delete b.txt",
        "Alice shall delete b.txt",
        "My colleague needs to delete b.txt",
    ],
)
async def test_what_another_should_do_is_reported_not_asked(task: str) -> None:
    tools, reasons = await _reasons(task)
    assert "delete_file" not in tools, tools
    assert any("reported" in r and "not asked" in r for r in reasons), reasons
    assert not any("do not ask" in r for r in reasons), reasons


@pytest.mark.parametrize(
    "task",
    [
        "Delete b.txt",
        "Please delete b.txt",
        "You should delete b.txt now, please do it: delete b.txt",
        "Remove old.txt, the team no longer needs it",
        "Have Bob's copy kept and delete b.txt",
    ],
)
async def test_the_users_own_delete_is_done(task: str) -> None:
    tools, reasons = await _reasons(task)
    assert "delete_file" in tools, (tools, reasons)
