"""A clause sending something to the URL it names POSTs it as the body (plan124): "Post notes.txt to https://x/u"
made a GET of the URL, warned of notes.txt as given to no call; "Read notes.txt and post it to https://x/u" was
missing ("http_request takes ['url']"). A picture, a sound or a video is no text body: asked for, with why."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import calls_asked_and_said

URL = "https://x.example/u"


@pytest.mark.parametrize(
    ("task", "body"),
    [
        (f"Post notes.txt to {URL}", "${read.output.content}"),
        (f"Read notes.txt and post it to {URL}", "${read.output.content}"),
        (f"Post 'hello there' to {URL}", "hello there"),
        (f"Download https://a.example/p and post it to {URL}", "${download.output.text}"),
        (f"Post notes.txt and b.txt to {URL}", "${read_1.output.content}\n${read_2.output.content}\n"),
    ],
)
async def test_what_is_sent_is_the_body_of_a_post(task: str, body: str) -> None:
    calls, missing, said = await calls_asked_and_said(task)
    assert calls[-1] == ("http_request", {"url": URL, "method": "POST", "body": body}), calls
    assert not missing and not [s for s in said if "given to no call" in s], said


async def test_a_file_read_in_front_of_the_post_is_read_once() -> None:
    calls, _, _ = await calls_asked_and_said(f"Post notes.txt to {URL}")
    assert calls == [("read_file", {"path": "notes.txt"}), calls[-1]]


@pytest.mark.parametrize("file", ["a.jpg", "talk.wav", "clip.mp4"])
async def test_a_file_of_bytes_is_not_posted_as_its_path(file: str) -> None:
    calls, missing, said = await calls_asked_and_said(f"Post {file} to {URL}")
    assert calls == [("http_request", {"url": URL, "method": "POST", "body": "${inputs.http_request_body}"})]
    assert missing == ["http_request_body"]
    assert any(file in s and "no text" in s and "the body is asked for" in s for s in said), said


async def test_a_fetch_is_still_a_get() -> None:
    calls, missing, _ = await calls_asked_and_said("Download https://a.example/p and save it to out.txt")
    assert calls[0] == ("http_request", {"url": "https://a.example/p"}) and not missing
