"""A clause that names a web page of its own works on that page's text, not on what the step before it
made: "Summarize notes.txt. Then summarize https://...", or "do the same for https://..." (pass 30's
repeat), summarized the first summary and never fetched the page, since a URL is no text until it is
fetched. Requests written for these tests, with the media catalogue."""

from __future__ import annotations

import pytest

from orchestra.plan import Plan
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA


async def _plan(task: str) -> Plan:
    result = await plan_task(task, default_registry([MEDIA]))
    assert result.execution.plan is not None
    return result.execution.plan


@pytest.mark.parametrize(
    "task",
    [
        "Summarize notes.txt. Summarize https://example.com/a",
        "Summarize notes.txt. Then do the same for https://example.com/a",
        "Translate notes.txt to French, then summarize https://example.com/a",
    ],
)
async def test_a_page_a_clause_names_is_fetched_for_it(task: str) -> None:
    # before: the second text step took "${summarize.output.text}" (or the translation); no step fetched the page
    plan = await _plan(task)
    (fetch,) = [n for n in plan.nodes if n.args.get("url") == "https://example.com/a"]
    texts = [n for n in plan.nodes if n.tool in ("summarize_text", "translate_text")]
    assert f"${{{fetch.id}.output.text}}" in [n.args.get("text") for n in texts], [n.args for n in plan.nodes]


async def test_a_page_fetched_then_referred_to_is_still_what_the_fetch_made() -> None:
    plan = await _plan("Download https://example.com/a, then summarize it")
    assert [n.tool for n in plan.nodes] == ["http_request", "summarize_text"]
    assert plan.nodes[1].args == {"text": f"${{{plan.nodes[0].id}.output.text}}"}
