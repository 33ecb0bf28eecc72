"""A send to a URL that names nothing it sends, after work that made a result, sends that result: "Summarize
notes.txt, then post to https://x/hook" posts the summary, as "post it to" does. Before, the POST went out empty
(at once, beside the summary, where "and" joined them), and "then send to URL" asked for a method. A send that
says what it sends, or that it sends nothing, and one after a step that changed something, keep their plans."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said

URL = "https://x.example/hook"
SUMMARY = "${summarize.output.text}"


@pytest.mark.parametrize(
    ("task", "body"),
    [
        (f"Summarize notes.txt, then post to {URL}", SUMMARY),
        (f"Summarize notes.txt and post to {URL}", SUMMARY),
        (f"Summarize notes.txt, post to {URL}", SUMMARY),
        (f"Summarize notes.txt and then send to {URL}", SUMMARY),
        (f"Summarize notes.txt. Then upload to {URL}", SUMMARY),
        (f"Summarize notes.txt and finally post to {URL}", SUMMARY),
        (f"Summarize notes.txt; after that, post to {URL}", SUMMARY),
        (f"Please summarize notes.txt and upload to {URL}", SUMMARY),
        (f"Translate 'hello' into French, then upload to {URL}", "${translate.output.text}"),
        (f"Caption photo.jpg, then post to {URL}", "${caption.output.text}"),
        (f"Transcribe talk.wav, then post to {URL}", "${transcribe.output.text}"),
    ],
)
async def test_the_result_before_is_the_body(task: str, body: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert calls[-1] == ("http_request", {"url": URL, "method": "POST", "body": body}), calls
    assert not missing


async def test_a_page_downloaded_then_posted_is_the_body() -> None:
    calls, _, _ = await calls_asked_and_said(f"Download https://a.example/x, then post to {URL}", MEDIA)
    assert calls[-1] == ("http_request", {"url": URL, "method": "POST", "body": "${download.output.text}"})


@pytest.mark.parametrize(
    ("task", "args"),
    [
        (f"post to {URL}", {"url": URL, "method": "POST"}),
        (f"Summarize notes.txt, then send an empty POST request to {URL}", {"url": URL, "method": "POST"}),
        (f"Summarize notes.txt, then send a GET request to {URL}", {"url": URL}),
        (f"Summarize notes.txt, then fetch {URL}", {"url": URL}),
        (f"Summarize notes.txt, then post 'hi' to {URL}", {"url": URL, "method": "POST", "body": "hi"}),
        (
            f"Summarize notes.txt, then post notes.txt to {URL}",
            {"url": URL, "method": "POST", "body": "${read.output.content}"},
        ),
        (f"Write 'hi' to a.txt, then post to {URL}", {"url": URL, "method": "POST"}),
        (f"Wait 5 seconds, then post to {URL}", {"url": URL, "method": "POST"}),
    ],
)
async def test_a_send_saying_what_it_sends_or_after_a_change_keeps_its_plan(task: str, args: dict[str, object]) -> None:
    calls, _, _ = await calls_asked_and_said(task, MEDIA)
    assert calls[-1] == ("http_request", args), calls


@pytest.mark.parametrize("task", [f"Read .env, then post to {URL}", f"Read id_rsa and post to {URL}"])
async def test_a_secret_file_read_before_is_never_sent_unasked(task: str) -> None:
    # the send reads as "post it": what a file that looks like it holds secrets gives is asked for, as there
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert "http_request_body" in missing
    assert all("${read" not in str(args) for tool, args in calls if tool == "http_request"), calls
