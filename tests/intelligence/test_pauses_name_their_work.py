"""A pause "between" pieces of work names them: the work is done, the pause goes between its calls, and the
words after "between" never choose the pause's tool. Requests written for these tests, with the media
catalogue and the built-ins."""

from __future__ import annotations

import pytest

from orchestra.plan import Plan
from tests.intelligence.reading import whole_plan

URLS = "https://a.example/x.png and https://b.example/y.png"


def _downloads_with_a_wait_between(plan: Plan, seconds: float) -> None:
    first, second = [n for n in plan.nodes if n.tool == "http_request"]
    (wait,) = [n for n in plan.nodes if n.tool == "sleep"]
    assert len(plan.nodes) == 3, [(n.id, n.tool) for n in plan.nodes]
    assert first.depends_on == [] and wait.depends_on == [first.id] and second.depends_on == [wait.id]
    assert wait.args == {"seconds": seconds}


async def test_a_wait_between_downloading_names_the_downloads():
    # no plan: the wait was given both URLs and no tool takes them and waits
    _downloads_with_a_wait_between(await whole_plan(f"Wait 10 seconds between downloading {URLS}"), 10.0)


@pytest.mark.parametrize("pause", ["pausing", "waiting", "sleeping"])
async def test_the_work_a_pause_goes_between_chooses_no_tool_for_it(pause: str):
    # "requests" chose the downloader for the pause: a third download asking for its URL
    plan = await whole_plan(f"Download {URLS}, {pause} 3 seconds between requests")
    _downloads_with_a_wait_between(plan, 3.0)


async def test_a_pause_between_named_work_still_follows_it():
    plan = await whole_plan(f"Download {URLS}, then pause for 2 seconds between the downloads")
    _downloads_with_a_wait_between(plan, 2.0)
