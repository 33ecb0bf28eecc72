"""Informational (1xx) heads longer than the counter read as heads, but shorter than h11's bound (100 KiB): each is
a 1xx h11 reads and waits on past, so they are counted like short ones. The counter gave up on a head past
64 KiB, and a server answering 80 KiB 102s without end held the call for its whole timeout again."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from orchestra.errors import ToolError
from orchestra.informational import MAX_INFORMATIONAL
from orchestra.tool_spec import ToolContext
from orchestra.tools.http_request import http_request_tool
from tests.helpers import serving

TOOL = http_request_tool()
PADDING = 80 * 1024


class LongProcessing(BaseHTTPRequestHandler):
    """Answers more ``102 Processing`` heads, each with a long header, than a request may take, then 200."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        head = b"HTTP/1.1 102 Processing\r\nX-Padding: " + b"a" * PADDING + b"\r\n\r\n"
        try:
            for _ in range(MAX_INFORMATIONAL + 5):
                self.wfile.write(head)
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        except OSError:  # the client gave up
            pass

    def log_message(self, *args: Any) -> None:
        pass


async def test_long_informational_heads_are_counted(ctx: ToolContext) -> None:
    with serving(LongProcessing, daemon_threads=True) as url:
        model = TOOL.spec.input_model.model_validate({"url": f"{url}/slow", "timeout_s": 60})
        with pytest.raises(ToolError) as failed:
            await TOOL.run(model, ctx)
    assert failed.value.code == "no_final_answer", failed.value
