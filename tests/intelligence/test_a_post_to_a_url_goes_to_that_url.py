"""plan199 (issue 8): with a catalogue holding a chat poster ("post_message": channel, token), "Post notes.txt to
https://example.com/u" posted the file to a chat channel, and "Post the file listed in list.txt to https://..."
fetched the URL and posted the page. A place to send to that is a URL is served only by a tool taking one: the
call sends to that URL, and the URL is never fetched as data."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"
URL = "https://example.com/u"


@pytest.mark.parametrize(
    "task",
    [
        f"Post notes.txt to {URL}",
        f"Post the file listed in list.txt to {URL}",
        f"Send notes.txt to {URL}",
        f"Upload report.pdf to {URL}",
        f"Read notes.txt, then post it to {URL}",
    ],
)
async def test_a_send_to_a_url_is_a_call_to_that_url(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(THIRD_PARTY))
    plan = result.execution.plan
    assert plan is not None
    tools = [n.tool for n in plan.nodes]
    assert "post_message" not in tools and "extract_article" not in tools, tools
    assert [(n.args.get("url"), n.args.get("method")) for n in plan.nodes if n.tool == "http_request"] == [
        (URL, "POST")
    ], tools


async def test_a_post_to_a_channel_is_still_a_chat_post() -> None:
    result = await plan_task("Post notes.txt to #general", as_the_cli_plans(THIRD_PARTY))
    plan = result.execution.plan
    assert plan is not None
    assert [n.tool for n in plan.nodes] == ["read_file", "post_message"]
