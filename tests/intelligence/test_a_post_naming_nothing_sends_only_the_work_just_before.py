"""attack374: plan369 read "Summarize notes.txt, then post to URL" as "post it" (the summary), but also where the
user said what goes after the URL ("... the word done", "... saying the job finished"), opened the post as apart
("Separately, post to URL"), put the message in the URL's query, said something else between ("deploy.sh is
broken"), said the work after the post ("But first read ..."), or told of another's act ("Bob summarized it"). None
of those sends the step before's result: the body is asked, or the POST stays as said. A method said after the URL
("with PUT") is that method."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said

URL = "https://x.example/hook"


def _posts(calls: list[tuple[str, dict[str, object]]]) -> list[dict[str, object]]:
    return [args for tool, args in calls if tool == "http_request"]


@pytest.mark.parametrize(
    "task",
    [
        f"Summarize notes.txt, then post to {URL} the word done",
        f"Summarize notes.txt, then post to {URL} saying the job finished",
        f"Summarize notes.txt, then post to {URL} a heartbeat",
        f"Summarize notes.txt, then post to {URL} my status",
        f"Summarize notes.txt, then post to {URL} today's date",
        f"Summarize notes.txt, then post to {URL} with my name",
        f"Summarize notes.txt, then post to {URL}: all good",
        f"Summarize notes.txt, then post to {URL} only the title",
        f"Summarize notes.txt, then send to {URL} as a query parameter",
        f"Summarize notes.txt, then send to {URL}?msg=hello",
        f"Summarize notes.txt, then post to {URL}?status=done&id=4",
        f"Summarize notes.txt. Separately, post to {URL}",
        f"Summarize notes.txt; unrelated: post to {URL}",
        f"Summarize notes.txt and, at the same time, post to {URL}",
        f"Summarize notes.txt. Also, post to {URL}",
        f"Summarize notes.txt and also post to {URL}",
        f"Summarize notes.txt. Meanwhile, post to {URL}",
        f"Summarize notes.txt. Independently, post to {URL}",
        f"Read config.yaml. deploy.sh is broken. Post to {URL}",
        f"Read config.yaml; my API token is in it. Post to {URL}",
        f"Post to {URL}. But first read config.yaml",
        f"Before posting to {URL}, read config.yaml",
        f"Bob summarized notes.txt. Post to {URL}",
        f"Read notes.txt. Bob summarized it. Post to {URL}",
    ],
)
async def test_what_was_not_said_to_go_is_not_sent(task: str) -> None:
    calls, _, _ = await calls_asked_and_said(task, MEDIA)
    posts = _posts(calls)
    assert posts, calls
    for post in posts:
        body = str(post.get("body", "")) + str(post.get("json", ""))
        assert "output" not in body, calls  # what it carries is said, asked, or nothing: never a step's result


@pytest.mark.parametrize(
    ("task", "body"),
    [
        (f"Summarize notes.txt, then post to {URL}", "${summarize.output.text}"),
        (f"Summarize notes.txt and post to {URL}", "${summarize.output.text}"),
        (f"Summarize notes.txt. Then post to {URL}", "${summarize.output.text}"),
        (f"Summarize notes.txt, then post to {URL} too", "${summarize.output.text}"),
        (f"Summarize notes.txt, then post to {URL} please", "${summarize.output.text}"),
        (f"Summarize notes.txt, then post to {URL} when done", "${summarize.output.text}"),
        (f"Summarize notes.txt and post to {URL} as well", "${summarize.output.text}"),
        (f"Summarize notes.txt and then, finally, post to {URL}", "${summarize.output.text}"),
        (f"Transcribe talk.wav. After that, post to {URL}", "${transcribe.output.text}"),
        (f"Read notes.txt, translate it into French, and then post to {URL}", "${translate.output.text}"),
        (f"Read a.txt and post to {URL}", "${read.output.content}"),
        (f"Summarize notes.txt. Also, post it to {URL}", "${summarize.output.text}"),
        (f"Summarize notes.txt, then post to {URL} 'done'", "done"),
    ],
)
async def test_the_work_just_before_is_still_sent(task: str, body: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    (post,) = _posts(calls)
    assert post.get("body") == body and post.get("method") == "POST" and not missing, calls


@pytest.mark.parametrize(
    ("task", "method"),
    [
        (f"Summarize notes.txt, then upload to {URL} with PUT", "PUT"),
        (f"Summarize notes.txt, then upload to {URL} using a PUT", "PUT"),
        (f"Summarize notes.txt, then upload to {URL} using a PUT request", "PUT"),
        (f"Summarize notes.txt, then send to {URL} via PATCH", "PATCH"),
        (f"Summarize notes.txt, then post to {URL} with a patch request", "PATCH"),
    ],
)
async def test_a_method_said_after_the_url_is_that_method(task: str, method: str) -> None:
    calls, _, _ = await calls_asked_and_said(task, MEDIA)
    (post,) = _posts(calls)
    assert post.get("method") == method and post.get("body") == "${summarize.output.text}", calls


@pytest.mark.parametrize(
    "task",
    [
        f"Summarize notes.txt, then post to {URL} nothing",
        f"Summarize notes.txt, then post to {URL} without a body",
        f"Summarize notes.txt, then post to {URL} with a GET request",
    ],
)
async def test_nothing_said_after_the_url_sends_nothing(task: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    (post,) = _posts(calls)
    assert "body" not in post and "json" not in post and not missing, calls
