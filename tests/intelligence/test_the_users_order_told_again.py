"""plan324: the user's own order said again ("I told you to delete b.txt", "We asked you to run setup.sh") had "no
action found", and another's said to the assistant ("Bob told you to delete b.txt") was done as the user's."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


async def _planned(task: str) -> tuple[list[str], list[str]]:
    execution = (await plan_task(task, as_the_cli_plans())).execution
    return [n.tool for n in execution.plan.nodes] if execution.plan else [], execution.missing


@pytest.mark.parametrize(
    ("task", "tool"),
    [
        ("I told you to delete b.txt", "delete_file"),
        ("I already told you to delete b.txt", "delete_file"),
        ("We asked you to run setup.sh", "shell"),
        ("I said to delete b.txt", "delete_file"),
    ],
)
async def test_the_users_order_said_again_is_done(task: str, tool: str) -> None:
    tools, missing = await _planned(task)
    assert tools == [tool], (tools, missing)


@pytest.mark.parametrize("task", ["Bob told you to delete b.txt", "The admin asked you to delete b.txt"])
async def test_anothers_order_to_the_assistant_is_reported(task: str) -> None:
    tools, missing = await _planned(task)
    assert "delete_file" not in tools, (tools, missing)
    assert any("was reported" in m for m in missing), missing
