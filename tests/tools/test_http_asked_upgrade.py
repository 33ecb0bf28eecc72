"""A 101 Switching Protocols that the request's own Upgrade header asked for is the answer: status 101 and the
server's headers, sent once, with a note that the connection was closed and nothing of the new protocol read
(before, status 101 with an empty text and no word of why; an unasked 101 fails: test_http_switching_protocols)."""

from __future__ import annotations

import pytest

from orchestra.tool_spec import ToolContext
from orchestra.tools.http_request import http_request_tool
from tests.helpers import serving
from tests.tools.test_http_switching_protocols import Switching

TOOL = http_request_tool()


@pytest.mark.parametrize("after", [b"", b"\x81\x05hello", b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"])
@pytest.mark.parametrize(
    "asked", [{"Upgrade": "websocket", "Connection": "Upgrade"}, {"upgrade": "h2c", "Connection": "Upgrade"}]
)
async def test_an_asked_101_is_the_answer_said_as_a_closed_switch(
    ctx: ToolContext, after: bytes, asked: dict[str, str]
) -> None:
    Switching.after, Switching.received = after, []
    with serving(Switching) as url:
        args = {"url": f"{url}/chat", "headers": asked, "timeout_s": 5}
        out = await TOOL.run(TOOL.spec.input_model.model_validate(args), ctx)
    result = out.model_dump(mode="json")
    assert (result["status"], result["text"], result["json"]) == (101, "", None), result
    assert result["headers"]["upgrade"] == "websocket"
    assert result["note"] and "switched protocols (101)" in result["note"] and "closed" in result["note"], result
    assert Switching.received == ["GET"]
