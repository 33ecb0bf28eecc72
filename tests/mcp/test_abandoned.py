"""What a hostile MCP server can make the worker keep after a call ends, or show from what it was sent:
a request the worker stopped waiting for is given up for the server too (so neither side keeps it),
a stream the server keeps ending is not reconnected to faster than a floor nor past the call's deadline,
and the worker's own secrets echoed back in a broken answer are masked like every other error."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
import structlog

from orchestra.errors import ToolError
from orchestra.mcp.http_transport import MIN_RECONNECT_S
from orchestra.settings import Settings
from orchestra.tool_spec import ToolContext
from tests.helpers import host_rule
from tests.mcp import unreadable_server
from tests.mcp.support import mcp_registry, tool_file
from tests.mcp.test_hostile import hostile
from tests.mcp.test_unreadable import failure_of, registry_for

CONTEXT = cast(ToolContext, None)
SECRET = "mcp-header-token-7731"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with unreadable_server.serving() as url:
        yield url


async def _timed_out_then_seen(tmp_path: Path, mode: str) -> tuple[dict[str, Any], set[Any] | None]:
    """A first call to a server in ``mode`` times out; a second asks the server what it saw of it (its
    ``unanswered`` and ``cancelled`` request ids). Also: the ids the connection still tracks as in flight."""
    registry = await asyncio.to_thread(registry_for, tmp_path, hostile(mode, timeout_s=2))
    tool = registry.get("h.plain")
    arguments = tool.spec.input_model.model_validate({})
    try:
        with pytest.raises(ToolError) as failed:
            await tool.run(arguments, CONTEXT)
        assert failed.value.code == "timeout", failed.value
        seen: dict[str, Any] = json.loads((await tool.run(arguments, CONTEXT)).text)
        connection = registry.mcp._connections["h"] if registry.mcp else None
        pending = connection._link.flight.pending if connection and connection._link else None
    finally:
        await registry.aclose()
    return seen, pending


async def test_a_stdio_call_that_timed_out_is_cancelled_for_the_server(tmp_path):
    # The specification: a request that timed out SHOULD be cancelled. Left uncancelled, each one the server
    # never answers stays tracked as in flight for the connection's life (an unbounded set on a long-lived
    # worker), and the server goes on working for nobody.
    seen, pending = await _timed_out_then_seen(tmp_path, "mute-call")
    assert seen["cancelled"] == [seen["unanswered"]], seen
    assert pending == set(), "nothing the worker gave up on is still tracked"


async def test_a_stream_the_server_keeps_ending_is_not_reconnected_to_in_a_loop(tmp_path, base_url):
    # The server primes each stream with an event id and retry: 0, then ends it: the SDK reconnects at
    # once, for ever (its attempt count restarts after each stream that ends normally), long after the
    # call gave up waiting.
    url = f"{base_url}/prime-loop"
    timeout_s = 3
    entry = {"kind": "mcp", "name": "u", "url": url, "timeout_s": timeout_s}
    registry = registry_for(tmp_path, entry, [host_rule(url)])
    unreadable_server.Handler.reconnections = 0
    failed = await failure_of(registry, "u.again")
    assert failed.code in ("timeout", "mcp_connection_lost"), failed
    # At most one reconnection per floor interval while the call may still be answered.
    assert unreadable_server.Handler.reconnections <= timeout_s / MIN_RECONNECT_S + 2, (
        unreadable_server.Handler.reconnections
    )


async def test_a_secret_header_echoed_in_a_broken_answer_is_masked(tmp_path, base_url, monkeypatch):
    monkeypatch.setenv("ORCHESTRA_SECRET_MCP_HEADER", SECRET)
    url = f"{base_url}/echo-status"
    entry = {"kind": "mcp", "name": "u", "url": url, "timeout_s": 60, "headers": {"X-Token": "${secrets.MCP_HEADER}"}}
    for tool in ("u.once", "u.again"):
        failed = await failure_of(registry_for(tmp_path, entry, [host_rule(url)]), tool)
        assert failed.code in ("mcp_outcome_unknown", "mcp_connection_lost"), failed
        assert SECRET not in str(failed) and "***" in str(failed), failed


async def test_an_event_kind_carrying_a_secret_header_is_never_logged_cut(tmp_path, base_url, monkeypatch):
    """An unknown event's kind was logged cut at 64 characters before the masker ran: a name carrying the
    server's header secret across the cut showed the secret's start at debug level, which no masker knows."""
    monkeypatch.setenv("ORCHESTRA_SECRET_MCP_HEADER", SECRET)
    url = f"{base_url}/odd-event"
    entry = {"kind": "mcp", "name": "u", "url": url, "timeout_s": 60, "headers": {"X-Token": "${secrets.MCP_HEADER}"}}
    registry = registry_for(tmp_path, entry, [host_rule(url)])
    tool = registry.get("u.once")
    try:
        with structlog.testing.capture_logs() as logs:
            assert (await tool.run(tool.spec.input_model.model_validate({}), CONTEXT)).text == "done"
    finally:
        await registry.aclose()
    told = [line for line in logs if "unknown kind" in line["event"]]
    assert len(told) == 1 and SECRET[:8] not in str(told), told


async def test_cancelling_one_call_never_cancels_another(tmp_path):
    # Two calls starting together: each must name its own request when it gives up. One that read the
    # session's next id before its request took it named the other call's, so the server dropped that
    # call's work and its answer came as a late one, ignored: the other call waited out its timeout.
    registry = await asyncio.to_thread(registry_for, tmp_path, hostile("cancel-pair", timeout_s=30))
    tool = registry.get("h.plain")
    try:
        # The session is open before the two calls start: they start in the same step of the event loop.
        assert (await tool.run(tool.spec.input_model.model_validate({"x": "warm"}), CONTEXT)).text == "warm"
        first = asyncio.ensure_future(tool.run(tool.spec.input_model.model_validate({"x": "first"}), CONTEXT))
        second = asyncio.ensure_future(tool.run(tool.spec.input_model.model_validate({"x": "second"}), CONTEXT))
        # Both take their request ids in the loop's next steps (the probe's must come after theirs, or a
        # call that read the wrong id names the probe's, answered by then); the probe is answered once the
        # server has both requests.
        for _ in range(10):
            await asyncio.sleep(0)
        assert (await tool.run(tool.spec.input_model.model_validate({"x": "probe"}), CONTEXT)).text == "both wait"
        second.cancel()
        seen = json.loads((await first).text)
    finally:
        await registry.aclose()
    assert seen["cancelled"] != seen["mine"], seen


async def test_a_server_that_stops_reading_cannot_hold_a_call_past_its_timeout(tmp_path):
    # The SDK bounds the wait for an answer, not the writing of the request: once the server's stdin is
    # full, a request waits for room for ever, and every later call behind it.
    registry = await asyncio.to_thread(registry_for, tmp_path, hostile("deaf", timeout_s=2))
    tool = registry.get("h.plain")
    try:
        for x in ("stop reading", "x" * 1_000_000, "x" * 1_000_000):  # the first fills the pipe, the next waits
            with pytest.raises(ToolError) as failed:
                await asyncio.wait_for(tool.run(tool.spec.input_model.model_validate({"x": x}), CONTEXT), 120)
            assert failed.value.code == "timeout", failed.value
    finally:
        await registry.aclose()


async def test_an_answer_nested_past_any_parser_fails_its_call_and_nothing_else(tmp_path):
    registry = await asyncio.to_thread(registry_for, tmp_path, hostile("call-deep", timeout_s=60))
    tool = registry.get("h.plain")
    arguments = tool.spec.input_model.model_validate({})
    try:
        with pytest.raises(ToolError) as failed:
            await asyncio.wait_for(tool.run(arguments, CONTEXT), 120)
        assert failed.value.code == "mcp_unreadable_answer", failed.value
        assert (await tool.run(arguments, CONTEXT)).text == "done", "the connection goes on"
    finally:
        await registry.aclose()


async def _own_streams_during_a_call(tmp_path: Path, url: str, call_s: float) -> tuple[float, list[Any]]:
    """One call the server answers after ``call_s``, its own stream (GET) counted meanwhile: how long it took,
    and what the worker logged."""
    entry = {"kind": "mcp", "name": "u", "url": url, "timeout_s": 60}
    registry = registry_for(tmp_path, entry, [host_rule(url)])
    unreadable_server.Handler.streams, unreadable_server.Handler.slow_s = 0, call_s
    tool = registry.get("u.again")
    started = time.monotonic()
    try:
        with structlog.testing.capture_logs() as logs:
            assert (await tool.run(tool.spec.input_model.model_validate({}), CONTEXT)).text == "done"
    finally:
        await registry.aclose()
        unreadable_server.Handler.slow_s = 0.0
    return time.monotonic() - started, logs


async def test_a_server_stream_that_keeps_ending_is_not_reopened_in_a_loop(tmp_path, base_url):
    # The server's own stream (GET) is reopened after it ends, as soon as the server's retry field says:
    # with retry: 0, a loop of requests for the connection's whole life, calls or none.
    elapsed, _ = await _own_streams_during_a_call(tmp_path, f"{base_url}/get-loop", 3.0)
    # At most one reopening per floor interval (fewer on a loaded machine, never more).
    assert unreadable_server.Handler.streams <= elapsed / MIN_RECONNECT_S + 2, (
        unreadable_server.Handler.streams,
        elapsed,
    )


async def test_a_server_stream_that_ends_at_once_with_nothing_is_reopened_less_and_less_often(tmp_path, base_url):
    """A GET answered with an empty event stream was reopened once a second for the connection's life; it
    backs off now (1, 2, 4, 8... s up to MAX_RECONNECT_S) and says so once."""
    elapsed, logs = await _own_streams_during_a_call(tmp_path, f"{base_url}/get-empty", 12.0)
    # Doubling waits: in t seconds at most log2(t) + 2 reopenings (once a second gave about t).
    assert unreadable_server.Handler.streams <= math.log2(elapsed) + 2, (unreadable_server.Handler.streams, elapsed)
    told = [line for line in logs if "ends at once with nothing" in line["event"]]
    assert len(told) == 1, logs


async def test_closing_a_server_whose_child_keeps_its_stdout_open_ends(tmp_path):
    # Without the sandbox's pid namespace, a server's child in a session of its own outlives the group
    # kill and holds the pipes open, so they never end: the close must end all the same.
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    config = Settings(workspace=workspace, data_dir=tmp_path / "data", sandbox="off")
    registry = await asyncio.to_thread(mcp_registry, config, tool_file(tmp_path, hostile("orphan", timeout_s=30)))
    tool = registry.get("h.plain")
    try:
        assert (await tool.run(tool.spec.input_model.model_validate({}), CONTEXT)).text == "done"
        closing = asyncio.ensure_future(registry.aclose())
        done, _ = await asyncio.wait({closing}, timeout=120)
        assert done, "the close returns"
    finally:
        pid = workspace / "orphan.pid"
        if pid.exists():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid.read_text()), signal.SIGKILL)
    await closing


async def test_every_request_a_call_made_is_cancelled_when_it_is_given_up(tmp_path):
    # The SDK's call_tool lists the tools again (to check the result against an output schema) before it
    # returns: a server that never answers that list held the call to its timeout, and the list request,
    # not the call's own, stayed in flight for good.
    seen, _ = await _timed_out_then_seen(tmp_path, "mute-relist")
    assert seen["unanswered"] and set(seen["unanswered"]) <= set(seen["cancelled"]), seen
