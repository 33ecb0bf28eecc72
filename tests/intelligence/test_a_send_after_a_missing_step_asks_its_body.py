"""A send to a URL naming nothing it sends, after a step no tool serves, asks for its body: with the built-ins only
(no summarizer), "Summarize notes.txt, then post to https://x/hook" posted nothing, at once, beside the missing
summary it was to send. A send saying it sends nothing, or after a step that was served and changed something, keeps
its plan; so does one naming what it sends."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import calls_asked_and_said

URL = "https://x.example/hook"


@pytest.mark.parametrize(
    "task",
    [
        f"Summarize notes.txt, then post to {URL}",
        f"Summarize notes.txt and post to {URL}",
        f"Summarize notes.txt, post to {URL}",
        f"Summarize notes.txt and then send to {URL}",
        f"Summarize notes.txt. Then upload to {URL}",
        f"Summarize notes.txt and upload to {URL}",
        f"Summarize notes.txt and finally post to {URL}",
        f"Please summarize notes.txt and upload to {URL}",
        f"Translate 'hello' into French, then post to {URL}",
        f"Caption photo.jpg, then send to {URL}",
        f"Summarize notes.txt, then submit to {URL}",
        f"Summarize notes.txt, then publish to {URL}",
    ],
)
async def test_the_body_a_missing_step_was_to_make_is_asked(task: str) -> None:
    calls, asked, _ = await calls_asked_and_said(task)
    sends = [args for tool, args in calls if tool == "http_request"]
    assert sends, calls
    assert all("body" in args or "json" in args for args in sends), calls
    assert "http_request_body" in asked, asked


@pytest.mark.parametrize(
    ("task", "args"),
    [
        (f"post to {URL}", {"url": URL, "method": "POST"}),
        (f"Summarize notes.txt, then post an empty request to {URL}", {"url": URL, "method": "POST"}),
        (f"Summarize notes.txt, then submit 'done' to {URL}", {"url": URL, "method": "POST", "body": "done"}),
        (
            f"Summarize notes.txt, then post notes.txt to {URL}",
            {"url": URL, "method": "POST", "body": "${read.output.content}"},
        ),
        (f"Write 'hi' to a.txt and post to {URL}", {"url": URL, "method": "POST"}),
        (f"Wait 5 seconds and post to {URL}", {"url": URL, "method": "POST"}),
        (f"Delete a.txt, then post to {URL}", {"url": URL, "method": "POST"}),
        (f"Sleep 2 seconds, then upload to {URL}", {"url": URL, "method": "${inputs.http_request_method}"}),
        (f"Delete a.txt and then send to {URL}", {"url": URL, "method": "${inputs.http_request_method}"}),
    ],
)
async def test_a_send_saying_what_it_sends_or_after_a_served_step_keeps_its_plan(
    task: str, args: dict[str, object]
) -> None:
    calls, _, _ = await calls_asked_and_said(task)
    assert calls[-1] == ("http_request", args), calls
