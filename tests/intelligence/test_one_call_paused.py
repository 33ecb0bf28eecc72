"""A pause "before each" or "after each" call of work that makes one call still goes before or after that call:
"wait 5 seconds before each download of A" downloaded at once and waited after it (``planner._gaps`` needed two
calls to place a pause). Requests written for these tests, with the media catalogue and the built-ins."""

from __future__ import annotations

from tests.intelligence.reading import whole_plan

URL = "https://a.example/x.png"


async def test_a_wait_before_the_one_call():
    plan = await whole_plan(f"Wait 5 seconds before each download of {URL}")
    deps = {n.tool: n.depends_on for n in plan.nodes}
    (wait,) = [n.id for n in plan.nodes if n.tool == "sleep"]
    assert deps == {"sleep": [], "http_request": [wait]}


async def test_a_wait_after_the_one_call():
    plan = await whole_plan(f"Download {URL} and wait 5 seconds after each download")
    deps = {n.tool: n.depends_on for n in plan.nodes}
    (download,) = [n.id for n in plan.nodes if n.tool == "http_request"]
    assert deps == {"http_request": [], "sleep": [download]}
