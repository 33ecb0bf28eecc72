"""Work after a step that sent or stored is new work, not that step said again (plan159): "Fetch A, then post it to
B, then fetch it" dropped the last fetch unsaid, folded into the post (both http_request)."""

from __future__ import annotations

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans


async def test_a_fetch_after_a_post_is_planned() -> None:
    """ "Fetch A, then post it to B, then fetch it" dropped the last fetch unsaid (read as the post said again)."""
    result = await plan_task(
        "Fetch https://a.example/x, then post it to https://b.example/y, then fetch it", as_the_cli_plans()
    )
    assert result.execution.plan is not None
    gets = [n.args.get("url") for n in result.execution.plan.nodes if n.args.get("method") != "POST"]
    assert gets == ["https://a.example/x"] * 2, result.execution.plan.nodes


async def test_where_a_page_was_posted_is_not_downloaded() -> None:
    """ "... post it to B, then download it" (a verb no tool's words serve) fetched B, where the page went."""
    result = await plan_task(
        "Fetch https://a.example/x, then post it to https://b.example/y, then download it", as_the_cli_plans()
    )
    nodes = result.execution.plan.nodes if result.execution.plan is not None else []
    assert not [n for n in nodes if n.args.get("url") == "https://b.example/y" and n.args.get("method") != "POST"]
