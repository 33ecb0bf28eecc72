"""An HTTP MCP server's event streams are read as bytes with bounds (orchestra/mcp/sse.py): what httpx_sse
read a line at a time in Python on the event loop (20 MB of comments: 21.7 s, the loop lagging 155 ms p50)
ends at its bound with words that say which, and a stream within them reads as before."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from orchestra.mcp import stream_budget
from orchestra.mcp.sse import MAX_EVENT_LINES, MAX_ID_BYTES, MAX_NOISE_BYTES
from orchestra.registry import ToolRegistry
from orchestra.settings import Settings
from tests.helpers import host_rule
from tests.mcp.support import listening, mcp_registry, tool_file
from tests.mcp.test_hostile import CONTEXT

SERVER = Path(__file__).resolve().parent / "streaming_server.py"
NEVER = 300  # far longer than any listing here takes: only a worker that waits for ever hits it


@contextlib.contextmanager
def serving(
    tmp_path: Path, mode: str, size: int = 0, timeout_s: int = 20, headers: dict[str, str] | None = None
) -> Iterator[Callable[[], ToolRegistry]]:
    """streaming_server.py in ``mode`` on a loopback port, and how to list it."""
    env = {"PATH": "/usr/bin:/bin"}
    with listening(lambda port: ([sys.executable, str(SERVER), str(port), mode, str(size)], env)) as port:
        url = f"http://127.0.0.1:{port}/mcp"
        workspace = tmp_path / "workspace"
        workspace.mkdir(exist_ok=True)
        config = Settings(workspace=workspace, data_dir=tmp_path / "data", allowed_hosts=[host_rule(url)])
        headers_given = {"headers": headers} if headers else {}
        path = tool_file(tmp_path, {"kind": "mcp", "name": "s", "url": url, "timeout_s": timeout_s, **headers_given})
        yield lambda: mcp_registry(config, path)


async def listed(tmp_path: Path, mode: str, size: int = 0) -> ToolRegistry:
    with serving(tmp_path, mode, size) as listing:
        return await asyncio.wait_for(asyncio.to_thread(listing), NEVER)


async def test_a_stream_with_crlf_comments_and_data_over_lines_is_read(tmp_path):
    registry = await listed(tmp_path, "plain")
    assert "s.plain" in registry, registry.server_problems


async def test_a_byte_order_mark_split_over_the_first_chunks_is_passed_over(tmp_path):
    """The mark was cut from the first chunk only when that chunk held all three bytes: read as two,
    the stream's first line (the answer's 'data:') started with the rest and was dropped as no field."""
    registry = await listed(tmp_path, "split-bom")
    assert "s.plain" in registry, registry.server_problems


async def pinged(listing: Callable[[], ToolRegistry]) -> str:
    """What the server's tool says once its own stream's ping was answered, or after a minute that it was not."""
    registry = await asyncio.wait_for(asyncio.to_thread(listing), NEVER)
    try:
        tool = registry.get("s.plain")
        text = ""
        for _ in range(240):  # the answer to the ping arrives once the stream is opened again
            output = await asyncio.wait_for(tool.run(tool.spec.input_model.model_validate({}), CONTEXT), NEVER)
            if (text := output.text) == "pinged":
                break
            await asyncio.sleep(0.25)
        return text
    finally:
        await registry.aclose()


async def test_the_servers_own_stream_is_closed_past_its_budget_and_opened_again(tmp_path, monkeypatch):
    """The server's own stream lives as long as the link, and had no count of events: a server sending
    small events without end kept the worker's event loop busy for the link's life. Past a window's budget
    the stream is closed now, and opened again when the window ends: twice here, and the ping the third
    stream brings is answered (a count of events per stream, as a request's, left it closed for good after
    two)."""
    monkeypatch.setattr(stream_budget, "OWN_STREAM_WINDOW_S", 1.0)
    with serving(tmp_path, "own-stream", 2) as listing:
        assert await pinged(listing) == "pinged"


async def test_an_event_past_the_budget_is_read_again_when_the_stream_reopens(tmp_path, monkeypatch):
    """The event that passed the budget was dropped unhandled, yet its id kept as read: the stream, reopened
    after that id, never brought it again (here the server's ping, left unanswered for good)."""
    monkeypatch.setattr(stream_budget, "OWN_STREAM_WINDOW_S", 1.0)
    monkeypatch.setattr(stream_budget, "OWN_STREAM_EVENTS", 5)
    with serving(tmp_path, "own-resume", 5) as listing:
        assert await pinged(listing) == "pinged"


async def test_an_event_larger_than_the_whole_budget_is_passed_over(tmp_path, monkeypatch):
    """An event that alone is over a window's bytes was never handled nor its id kept: the stream, reopened
    after each window, brought it again and again, and every event after it never (the ping here)."""
    monkeypatch.setattr(stream_budget, "OWN_STREAM_WINDOW_S", 1.0)
    monkeypatch.setattr(stream_budget, "OWN_STREAM_BYTES", 70)  # each notice is 94 bytes, the ping 54
    with serving(tmp_path, "own-resume", 2) as listing:
        assert await pinged(listing) == "pinged"


async def test_a_servers_retry_of_days_is_cut_to_the_most_its_client_waits(tmp_path, monkeypatch):
    """``retry: 999999999`` on the server's own stream kept it closed 11.6 days after it ended; its client
    waits MAX_RECONNECT_S at most (a minute; two seconds here, to be quick)."""
    monkeypatch.setattr(stream_budget, "MAX_RECONNECT_S", 2.0)
    with serving(tmp_path, "own-retry") as listing:
        assert await pinged(listing) == "pinged"


async def test_comments_within_the_bound_are_passed_over(tmp_path):
    registry = await listed(tmp_path, "comments", MAX_NOISE_BYTES // 2)
    assert "s.plain" in registry, registry.server_problems


async def test_a_chunk_of_many_short_events_is_no_event_of_many_lines(tmp_path):
    """Each event's lines were added to one count that only a blank line in a later chunk set back: a
    64 KiB read of 5,461 priming events (12 bytes, 2 lines each) failed as 'an event of the server's
    stream has over 10000 lines', and so would a long event that followed short ones in its chunk."""
    registry = await listed(tmp_path, "priming", MAX_EVENT_LINES)
    assert "s.plain" in registry, registry.server_problems


@pytest.mark.parametrize(
    ("mode", "size", "words"),
    [
        ("comments", 20 * 1024 * 1024, f"over {MAX_NOISE_BYTES} bytes of comments"),
        ("data-lines", MAX_EVENT_LINES * 2, f"over {MAX_EVENT_LINES} lines"),
        ("long-id", MAX_ID_BYTES * 100, f"an id of over {MAX_ID_BYTES} bytes"),
    ],
)
async def test_a_stream_past_a_bound_fails_its_request_with_the_bound_named(tmp_path, mode, size, words):
    registry = await listed(tmp_path, mode, size)
    assert "s.plain" not in registry
    assert words in " | ".join(registry.server_problems.get("s", []))


async def test_a_server_that_never_acknowledges_the_answers_to_its_requests_holds_no_call(tmp_path):
    """The answers to a server's requests were written through the SDK's writer of requests, each POST
    waited for (up to 5 s, or the entry's timeout_s): a call whose server held the answers to its pings
    waited behind them, out of its own time (the SDK lists the tools again within each call). They are
    written by a task of their own now."""
    with serving(tmp_path, "ask-deaf", 16, timeout_s=4) as listing:
        registry = await asyncio.wait_for(asyncio.to_thread(listing), NEVER)
        try:
            tool = registry.get("s.plain")
            for _ in range(2):
                output = await asyncio.wait_for(tool.run(tool.spec.input_model.model_validate({}), CONTEXT), NEVER)
                assert output.text == "done"
        finally:
            await registry.aclose()
