"""Sending or uploading to a URL is a POST of what is sent (plan141): "Send notes.txt to https://x/u" and "Upload
notes.txt to ..." planned nothing (no tool "sends"; "upload" was turned from the fetcher as the opposite of
"download"). A method named for the call is the method: "Send a POST request to ..." made a GET and drew a picture
of the page. A result an earlier step made, named ("the list"), is the body: it was asked for."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said

URL = "https://x.example/u"


@pytest.mark.parametrize("verb", ["Send", "Upload"])
async def test_a_file_sent_to_a_url_is_posted(verb: str) -> None:
    calls, missing, _ = await calls_asked_and_said(f"{verb} notes.txt to {URL}", MEDIA)
    assert calls == [
        ("read_file", {"path": "notes.txt"}),
        ("http_request", {"url": URL, "method": "POST", "body": "${read.output.content}"}),
    ]
    assert not missing


async def test_a_quote_sent_is_the_body() -> None:
    calls, missing, _ = await calls_asked_and_said(f"Send 'hello there' to {URL}", MEDIA)
    assert calls == [("http_request", {"url": URL, "method": "POST", "body": "hello there"})] and not missing


async def test_a_summary_uploaded_is_the_body() -> None:
    calls, _, _ = await calls_asked_and_said(f"Upload the summary of notes.txt to {URL}", MEDIA)
    assert [c[0] for c in calls] == ["read_file", "summarize_text", "http_request"]
    body = calls[-1][1]["body"]
    assert calls[-1][1]["method"] == "POST" and str(body).endswith(".output.text}"), calls  # the summarizer's


async def test_a_page_sent_to_the_user_is_still_fetched() -> None:
    calls, _, _ = await calls_asked_and_said(f"Send me the page at {URL}", MEDIA)
    assert calls == [("http_request", {"url": URL})]


@pytest.mark.parametrize(
    ("task", "args"),
    [
        (f"Send a POST request to {URL}", {"url": URL, "method": "POST"}),
        (f"Make a POST request to {URL}", {"url": URL, "method": "POST"}),
        (f"Send a GET request to {URL}", {"url": URL}),
        (f"Send a PUT request to {URL} with 'hi'", {"url": URL, "method": "PUT", "body": "hi"}),
        (f"Send a HEAD request to {URL}", {"url": URL, "method": "HEAD"}),
        (f"Send a DELETE request to {URL}", {"url": URL, "method": "DELETE"}),
    ],
)
async def test_a_method_said_is_the_method(task: str, args: dict[str, object]) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert calls == [("http_request", args)] and not missing


@pytest.mark.parametrize("named", ["the list", "the listing", "the result"])
async def test_an_earlier_result_named_is_the_body(named: str) -> None:
    calls, missing, _ = await calls_asked_and_said(f"List the files and post {named} to {URL}", MEDIA)
    assert calls[0][0] == "list_files"
    # a list made is sent as JSON (attack147: as the text body, the call failed at run time)
    assert calls[-1] == ("http_request", {"url": URL, "method": "POST", "json": "${list.output.entries}"})
    assert not missing


async def test_a_result_named_with_no_step_before_is_still_asked() -> None:
    _, missing, _ = await calls_asked_and_said(f"Post the file list to {URL}", MEDIA)
    assert missing == ["http_request_body"]


async def test_a_method_word_that_names_no_call_is_no_method() -> None:
    # "delete requests" here are what is sent, not a DELETE (its body was dropped)
    calls, _, _ = await calls_asked_and_said(f"Send the delete requests to {URL}", MEDIA)
    assert calls[-1][0] == "http_request" and calls[-1][1]["method"] == "POST", calls
