"""attack168: "Post notes.txt to https://x, but not the first line" posted the whole of notes.txt, the line the user
kept back with it: the refused piece was dropped as work not to do. A send of all but a part is asked, as a send of a
part is (plan160, `part_sent`); a refusal naming no part of what is sent is as before."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import MEDIA, calls_asked_and_said

URL = "https://x.example/up"


@pytest.mark.parametrize(
    "task",
    [
        f"Post notes.txt to {URL}, but not the first line",
        f"Post notes.txt to {URL} but not its last 3 lines",
        f"Upload notes.txt to {URL}, but not line 2",
        f"Post notes.txt to {URL} except the first line",
    ],
)
async def test_a_send_of_all_but_a_part_is_asked(task: str) -> None:
    calls, missing, said = await calls_asked_and_said(task, MEDIA)
    (post,) = [args for tool, args in calls if tool == "http_request"]
    assert "${inputs." in str(post) and missing, calls
    assert any("only a part is to be sent" in s for s in said), said


@pytest.mark.parametrize(
    "task", [f"Post notes.txt to {URL}, but not a.txt", f"Post notes.txt to {URL}, but don't translate it"]
)
async def test_a_refusal_of_no_part_sends_as_said(task: str) -> None:
    calls, missing, _ = await calls_asked_and_said(task, MEDIA)
    assert ("http_request", {"url": URL, "method": "POST", "body": "${read.output.content}"}) in calls, calls
    assert not missing
