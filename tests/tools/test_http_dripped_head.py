"""A server dripping a long answer head a byte at a time: the head is searched for its end once in all,
not whole on every read (a 64 KiB head cost a search of everything read so far per read, quadratic)."""

from __future__ import annotations

import re
import socket
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from orchestra import informational
from orchestra.tool_spec import ToolContext
from orchestra.tools.http_request import http_request_tool
from tests.helpers import serving

TOOL = http_request_tool()
PADDING = 48 * 1024  # under MAX_HEAD_BYTES, so the whole head is counted


class Dripping(BaseHTTPRequestHandler):
    """Answers 200 with a long header, written a byte at a time with pauses, so it is read in many reads."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        head = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Padding: " + b"a" * PADDING + b"\r\n\r\nok"
        for i in range(len(head)):
            self.wfile.write(head[i : i + 1])
            if i % 128 == 0:
                time.sleep(0.0005)  # lets the client read what came so far

    def log_message(self, *args: Any) -> None:
        pass


class CountingSearch:
    """The blank-line pattern, counting the bytes each search looks through, and the searches."""

    def __init__(self, pattern: re.Pattern[bytes]) -> None:
        self._pattern = pattern
        self.searched = 0
        self.searches = 0

    def search(self, text: bytes, pos: int = 0) -> re.Match[bytes] | None:
        found = self._pattern.search(text, pos)
        self.searches += 1
        self.searched += (found.end() if found else len(text)) - pos
        return found


async def test_a_dripped_head_is_searched_in_linear_work(ctx: ToolContext, monkeypatch: pytest.MonkeyPatch) -> None:
    counting = CountingSearch(informational._BLANK_LINE)
    monkeypatch.setattr(informational, "_BLANK_LINE", counting)
    with serving(Dripping) as url:
        model = TOOL.spec.input_model.model_validate({"url": f"{url}/slow", "timeout_s": 60})
        out = await TOOL.run(model, ctx)
    assert out.status == 200 and out.text == "ok"
    assert counting.searches > 100, "the head came in few reads: nothing was dripped"
    # Each byte once, plus the overlap kept at each read's start; whole-head searches were ~ reads x head / 2.
    assert counting.searched <= PADDING + 100 + 2 * counting.searches, (counting.searched, counting.searches)
