"""A protected host's look-up runs off the event loop: made on it (inside check_addresses), a host whose DNS
timed out held the worker's loop, every tool call with it, for the resolver's timeout, and since a failed look-up
is tried again after a few seconds, again and again. Calls at once share one look-up."""

from __future__ import annotations

import asyncio
import socket
import threading
from typing import Any

import pytest

from orchestra import network
from orchestra.network import Boundary, DestinationRefused, Endpoint

HOST = "frontend.off-loop-test"
PORT = 17311


class WaitingResolver:
    """getaddrinfo, but ``HOST`` resolves to loopback only once the event loop has run a task (or 5 s passed,
    the loop held): records whether it had."""

    def __init__(self) -> None:
        self.loop_ran = threading.Event()
        self.lookups: list[bool] = []
        self._real = socket.getaddrinfo

    def __call__(self, host: Any, *args: Any, **kwargs: Any) -> Any:
        if host != HOST:
            return self._real(host, *args, **kwargs)
        self.lookups.append(self.loop_ran.wait(timeout=5))
        return self._real("127.0.0.1", *args, **kwargs)


async def test_a_protected_lookup_leaves_the_event_loop_free(monkeypatch: pytest.MonkeyPatch) -> None:
    resolver = WaitingResolver()
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    monkeypatch.setattr(network, "_resolved", {})
    monkeypatch.setattr(network, "_failed_at", {})
    boundary = Boundary.from_entries([f"127.0.0.1:{PORT}"], [Endpoint(HOST, PORT, "Temporal frontend")])

    async def another_task() -> None:
        await asyncio.sleep(0)
        resolver.loop_ran.set()

    task = asyncio.create_task(another_task())
    calls = [boundary.resolve("127.0.0.1", PORT) for _ in range(20)]
    outcomes = await asyncio.gather(*calls, return_exceptions=True)
    await task
    assert resolver.lookups == [True], "the look-up held the loop: no task ran while it waited"
    assert all(isinstance(o, DestinationRefused) and o.code == "protected_endpoint" for o in outcomes), outcomes
