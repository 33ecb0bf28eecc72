"""What a step before made, sent to a URL, goes as it is (attack147): "List the files and post the list to URL" bound
the listing (a list of objects) to the request's text body, and the run failed at the call, after the listing
("post: body: Input should be a valid string"). A list or an object is the JSON body; text stays the text body.
A verb of sending with nothing sent and no method said ("Send a request to URL") asks the method: it made an empty
POST."""

from __future__ import annotations

import pytest

from orchestra.tools.http_request import HttpRequestInput
from tests.intelligence.reading import MEDIA, calls_asked_and_said

URL = "https://x.example/u"


async def test_a_listing_sent_is_the_json_body() -> None:
    calls, missing, _ = await calls_asked_and_said(f"List the files and send the listing to {URL}", MEDIA)
    assert calls[-1] == ("http_request", {"url": URL, "method": "POST", "json": "${list.output.entries}"})
    assert not missing
    # the value the reference stands for (list_files' entries) is what the input takes there
    HttpRequestInput.model_validate({"url": URL, "method": "POST", "json": [{"path": "a.txt", "is_dir": False}]})


@pytest.mark.parametrize(
    ("task", "body"),
    [
        (f"Read notes.txt and post it to {URL}", "${read.output.content}"),
        (f"Summarize notes.txt and post it to {URL}", "${summarize.output.text}"),
        (f"Post 'hi' to {URL}", "hi"),
    ],
)
async def test_text_sent_is_the_text_body(task: str, body: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert calls[-1] == ("http_request", {"url": URL, "method": "POST", "body": body}) and not missing


@pytest.mark.parametrize("task", [f"Send a request to {URL}", f"Send the request to {URL}", f"Upload to {URL}"])
async def test_nothing_sent_and_no_method_said_asks_the_method(task: str) -> None:
    # an empty POST was made, unasked: a verb of sending with nothing sent says no method
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert calls == [("http_request", {"url": URL, "method": "${inputs.http_request_method}"})]
    assert missing == ["http_request_method"]


@pytest.mark.parametrize(
    ("task", "method"),
    [(f"Post to {URL}", "POST"), (f"Send a POST request to {URL}", "POST"), (f"Send a PUT request to {URL}", "PUT")],
)
async def test_a_method_said_with_nothing_sent_is_that_method(task: str, method: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert calls == [("http_request", {"url": URL, "method": method})] and not missing
