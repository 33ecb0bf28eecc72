"""A request on the network said as another's act to come ("Bob will post to https://x", "Bob needs to fetch
https://x", "My colleague is going to send b.txt to https://x") is theirs, reported (or found no tool), not made: the step's words
reach the check lower-cased ("bob will post ..."), the name went unknown by its capital, and a tool declaring no
side effects (http_request, a GET unless told to post) was planned for it. The user's own request is made."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.planning.reported import ordered_of_another
from tests.intelligence.reading import MEDIA, as_the_cli_plans

_URL = "https://x.example/a"


@pytest.mark.parametrize("media", [False, True])
@pytest.mark.parametrize(
    "task",
    [
        f"Bob will post to {_URL}",
        f"Bob will post b.txt to {_URL}",
        f"Alice is going to post to {_URL}",
        f"Bob should fetch {_URL}",
        f"Carol wants to post to {_URL}",
        f"Bob might post the report to {_URL}",
        f"Dave plans to post to {_URL}",
        f"Bob is supposed to post to {_URL}",
        f"Eve would post to {_URL}",
        f"Bob can post to {_URL} later",
        f"Bob has to post to {_URL}",
        f"Frank will fetch {_URL}",
    ],
)
async def test_a_request_another_will_make_is_reported(task: str, media: bool) -> None:
    registry = as_the_cli_plans(MEDIA) if media else as_the_cli_plans()
    result = (await plan_task(task, registry)).execution
    nodes = result.plan.nodes if result.plan is not None else []
    assert not [n for n in nodes if n.tool == "http_request"], nodes
    assert result.missing, "the step is said to be no one's to make here"


@pytest.mark.parametrize(
    "task",
    [
        f"Post to {_URL}",
        f"Fetch {_URL}",
        f"Download {_URL}",
        f"Please fetch {_URL}",
        f"Get {_URL}",
        f"Bob said it is fine. Fetch {_URL}",
        f"Fetch {_URL} for Bob",
        f"Bob wrote the page. Fetch {_URL}",
        f"Fetch {_URL} now",
        f"I will need {_URL}: fetch it",
        f"Fetch {_URL} and show me the body",
    ],
)
async def test_a_request_the_user_asks_is_made(task: str) -> None:
    result = (await plan_task(task, as_the_cli_plans())).execution
    assert result.plan is not None, result.problems
    assert "http_request" in [n.tool for n in result.plan.nodes], result.plan.nodes
    assert not any("was reported" in m for m in result.missing), result.missing


@pytest.mark.parametrize(
    "task",
    [
        "How could we fetch @u0?",
        "How can I post to @u0?",
        "Why would we fetch @u0?",
        "Where should I post @p0?",
        "When will we fetch @u0?",
        "However you can, fetch @u0",
        "Maybe we should fetch @u0",
        "Perhaps you could post @p0 to @u0",
        "What would it take to fetch @u0?",
        "Whatever you can fetch from @u0, summarize it",
    ],
)
def test_a_word_opening_a_question_is_no_one_acting(task: str) -> None:
    # the step's words, lower-cased, get the request's capitals back: "How could we ..." is no person "How"
    clause = task.rstrip("?").lower()
    assert not ordered_of_another(clause, task)


@pytest.mark.parametrize(
    ("clause", "task"),
    [
        ("bob will post to @u0", "Bob will post to @u0"),
        ("alice needs to fetch @u0", "Alice needs to fetch @u0"),
        ("my colleague is going to post @p0 to @u0", "My colleague is going to post @p0 to @u0"),
        ("carol should fetch @u0", "Carol should fetch @u0"),
        ("bob might post @p0 to @u0", "I hear Bob might post @p0 to @u0"),
        ("the team will fetch @u0", "The team will fetch @u0"),
        ("dave wants to post to @u0", "Dave wants to post to @u0"),
        ("erin can fetch @u0", "Erin can fetch @u0"),
        ("frank would post to @u0", "Frank would post to @u0"),
        ("gina has to fetch @u0", "Gina has to fetch @u0"),
    ],
)
def test_another_acting_is_known_in_lower_case(clause: str, task: str) -> None:
    assert ordered_of_another(clause, task)
