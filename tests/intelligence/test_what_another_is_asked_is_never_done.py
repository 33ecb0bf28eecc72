"""attack350 F12/F13: what the user asks another person to do is theirs whatever its verb: "Ask Bob to fetch
https://x" made the HTTP request (a fetch is a request on the network too), and "Have the team review a.txt and then
delete b.txt" deleted b.txt (the team's act goes on after "and then" with no new subject; a comma or "yourself" hands
it back to the user). The user's own fetches and deletes stay."""

from __future__ import annotations

import pytest

from orchestra.analysis.models import TaskAnalysisError
from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


async def _tools(task: str) -> list[str]:
    try:
        plan = (await plan_task(task, as_the_cli_plans())).execution.plan
    except TaskAnalysisError:
        return []  # "Have Bob fetch ...": no action of the user's found, none done
    return [] if plan is None else [n.tool for n in plan.nodes]


@pytest.mark.parametrize(
    "task",
    [
        "Ask Bob to fetch http://example.com/a",
        "Please ask Bob to fetch http://example.com/a",
        "Ask Alice to get http://example.com/a",
        "Tell Bob to fetch http://example.com/a",
        "Tell my colleague to fetch http://example.com/a",
        "Ask the team to fetch http://example.com/a",
        "Ask someone to fetch http://example.com/a",
        "Get Bob to fetch http://example.com/a",
        "Have Bob fetch http://example.com/a",
        "Have the team fetch http://example.com/a",
        "Remind Bob to fetch http://example.com/a",
    ],
)
async def test_a_fetch_another_is_asked_is_not_made(task: str) -> None:
    assert "http_request" not in await _tools(task)


@pytest.mark.parametrize(
    "task",
    [
        "Fetch http://example.com/a",
        "Please fetch http://example.com/a",
        "Get http://example.com/a",
        "Fetch http://example.com/a and tell me what it says",
    ],
)
async def test_the_users_own_fetch_is_made(task: str) -> None:
    assert "http_request" in await _tools(task)


@pytest.mark.parametrize(
    "task",
    [
        "Have the team review a.txt and then delete b.txt",
        "Ask Bob to review a.txt and then delete b.txt",
        "Tell the team to check a.txt and then remove b.txt",
        "Get Bob to read a.txt and then delete b.txt",
        "Have my colleague look at a.txt and then delete b.txt",
        "Ask someone to review a.txt and delete b.txt",
        "Have the team review a.txt and delete b.txt",
    ],
)
async def test_and_then_goes_on_with_what_another_is_asked(task: str) -> None:
    assert "delete_file" not in await _tools(task)


@pytest.mark.parametrize(
    "task",
    [
        "Ask Bob to delete b.txt and then delete c.txt yourself",
        "Have the team review a.txt, then delete b.txt",
        "Ask Bob to review a.txt, and delete b.txt",
        "Have the team review a.txt. Then delete b.txt",
        "Review a.txt and then delete b.txt",
        "Delete b.txt",
    ],
)
async def test_the_users_own_delete_after_it_stays(task: str) -> None:
    assert "delete_file" in await _tools(task)
