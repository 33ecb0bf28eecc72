"""plan204: "read a.txt, read b.txt, post them to URL" asked the body, where "read a.txt and b.txt, post them to
URL" posted both texts: a sender told to send several results took none of them, its tool's card naming only the
URL. Read apart or together, the two texts are what is sent."""

from __future__ import annotations

import pytest

from tests.intelligence.reading import calls_asked_and_said, output_of

URL = "https://x.test/hook"


@pytest.mark.parametrize(
    ("task", "first", "second"),
    [
        (f"read a.txt, read b.txt, post them to {URL}", "read", "read_2"),
        (f"read a.txt and b.txt, post them to {URL}", "read_1", "read_2"),
        (f"Read a.txt. Read b.txt. Then upload both to {URL}", "read", "read_2"),
    ],
)
async def test_them_read_apart_are_sent_together(task: str, first: str, second: str) -> None:
    calls, asked, _ = await calls_asked_and_said(task)
    assert calls[-1][0] == "http_request", calls
    assert calls[-1][1].get("body") == f"{output_of(first)}\n{output_of(second)}\n", calls
    assert not asked, asked
