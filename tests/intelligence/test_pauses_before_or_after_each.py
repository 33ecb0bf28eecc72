"""A pause "before each" or "after each" call of a piece of work goes around every call, one call at a time:
"wait 5 seconds before each download of A and B" had no plan (the wait was given the URLs), and "... wait 5
seconds after each download" waited once, after both. Requests written for these tests, with the media
catalogue and the built-ins."""

from __future__ import annotations

import pytest

from orchestra.plan import Plan
from tests.intelligence.reading import whole_plan

URLS = "https://a.example/x.png and https://b.example/y.png"


def _calls(plan: Plan) -> tuple[list[str], list[str], dict[str, list[str]]]:
    downloads = [n.id for n in plan.nodes if n.tool == "http_request"]
    waits = [n.id for n in plan.nodes if n.tool == "sleep"]
    assert len(plan.nodes) == 4, [(n.id, n.tool) for n in plan.nodes]
    return downloads, waits, {n.id: n.depends_on for n in plan.nodes}


@pytest.mark.parametrize(
    "request_",
    [f"Wait 5 seconds before each download of {URLS}", f"Download {URLS}, waiting 5 seconds before every download"],
)
async def test_a_wait_before_each_call(request_: str):
    (first, second), (wait_1, wait_2), deps = _calls(await whole_plan(request_))
    assert deps[wait_1] == [] and deps[first] == [wait_1]
    assert deps[wait_2] == [first] and deps[second] == [wait_2]


async def test_a_wait_after_each_call():
    plan = await whole_plan(f"Download {URLS} and wait 5 seconds after each download")
    (first, second), (wait_1, wait_2), deps = _calls(plan)
    assert deps[first] == [] and deps[wait_1] == [first]
    assert deps[second] == [wait_1] and deps[wait_2] == [second]
    assert all(n.args == {"seconds": 5.0} for n in plan.nodes if n.tool == "sleep")


async def test_a_wait_after_the_work_is_one_wait():
    plan = await whole_plan(f"Download {URLS} and wait 5 seconds after the downloads")
    (wait,) = [n for n in plan.nodes if n.tool == "sleep"]
    assert sorted(wait.depends_on) == sorted(n.id for n in plan.nodes if n.tool == "http_request")
