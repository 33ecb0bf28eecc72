"""Submitting, publishing, pushing, forwarding, delivering or sharing to a URL is a POST, as posting or sending is:
"Submit notes.txt to https://x/hook" found no tool. What it sends is read as a post's is, under the same safety:
a file that looks like it holds secrets is asked for, not sent; nothing named asks for the method (or the body,
after a missing step). The same verbs with no URL ("push the changes", "share the summary with Ann") are no
request."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import MEDIA, as_the_cli_plans, calls_asked_and_said

URL = "https://x.example/hook"
VERBS = ["submit", "publish", "push", "forward", "deliver", "share"]


@pytest.mark.parametrize("verb", VERBS)
async def test_a_file_sent_to_a_url_is_posted(verb: str) -> None:
    calls, asked, _ = await calls_asked_and_said(f"{verb.capitalize()} notes.txt to {URL}")
    assert calls == [
        ("read_file", {"path": "notes.txt"}),
        ("http_request", {"url": URL, "method": "POST", "body": "${read.output.content}"}),
    ], calls
    assert not asked


@pytest.mark.parametrize("verb", VERBS)
async def test_a_quote_sent_to_a_url_is_posted(verb: str) -> None:
    calls, _, _ = await calls_asked_and_said(f"{verb} 'hello' to {URL}")
    assert calls == [("http_request", {"url": URL, "method": "POST", "body": "hello"})], calls


@pytest.mark.parametrize("verb", VERBS)
async def test_a_result_sent_to_a_url_is_posted(verb: str) -> None:
    calls, _, _ = await calls_asked_and_said(f"Summarize notes.txt, then {verb} it to {URL}", MEDIA)
    assert calls[-1] == ("http_request", {"url": URL, "method": "POST", "body": "${summarize.output.text}"}), calls


@pytest.mark.parametrize("verb", VERBS)
async def test_a_secret_file_is_asked_for_not_sent(verb: str) -> None:
    calls, asked, _ = await calls_asked_and_said(f"{verb} .env to {URL}")
    assert "http_request_body" in asked, asked
    assert all("${read" not in str(args) for tool, args in calls if tool == "http_request"), calls


@pytest.mark.parametrize("verb", VERBS)
async def test_nothing_named_sends_nothing_unasked(verb: str) -> None:
    calls, asked, _ = await calls_asked_and_said(f"{verb} to {URL}")
    assert calls == [("http_request", {"url": URL, "method": "${inputs.http_request_method}"})], calls
    assert asked == ["http_request_method"]


@pytest.mark.parametrize(
    "task",
    [
        "Push the changes to the repo",
        "Share the summary with Ann",
        "Forward the e-mail to bob@example.com",
        "Submit the form",
        "Publish the post on my blog",
        "Deliver the parcel to Ann",
        "Share notes.txt with Ann",
        "Push notes.txt to the top of the list",
        "Forward 'hi' to Bob",
        "Submit 'hello'",
    ],
)
async def test_the_same_verbs_with_no_url_make_no_request(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(MEDIA))
    plan = result.execution.plan
    assert plan is None or all(n.tool != "http_request" for n in plan.nodes), plan
