"""plan324: the user's own order said after another's words of it ("My boss said: delete b.txt. So delete b.txt.")
planned two deletes, the reported one with its path asked; "The manual says to delete cache.txt, so delete
cache.txt" planned none. Each step is judged where it is said: the user's is done once, the reported one is not."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


@pytest.mark.parametrize(
    ("task", "path"),
    [
        ("My boss said: delete b.txt. So delete b.txt.", "b.txt"),
        ("My boss said: delete b.txt. Then delete b.txt", "b.txt"),
        ("Delete b.txt. My boss said: delete b.txt.", "b.txt"),
        ("The manual says to delete cache.txt, so delete cache.txt", "cache.txt"),
    ],
)
async def test_the_users_own_order_is_done_once(task: str, path: str) -> None:
    execution = (await plan_task(task, as_the_cli_plans())).execution
    nodes = execution.plan.nodes if execution.plan else []
    assert [(n.tool, n.args) for n in nodes] == [("delete_file", {"path": path})], (nodes, execution.missing)
