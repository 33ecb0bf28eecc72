"""What a tool call waits for of the protected hosts' look-ups: every host due is looked up at once (one after
the other, 200 names of a slow resolver held the first call 200 look-ups long), and a look-up again of a host
whose addresses are known (kept, guarded for MOVED_ADDRESS_KEPT_S) is waited for only RELOOKUP_WAIT_S: one that
hung (a DNS server gone) held every tool call of the worker until the resolver gave up, every RELOOKUP_S."""

from __future__ import annotations

import asyncio

import pytest

from orchestra import network
from orchestra.network import Boundary, DestinationRefused, Endpoint
from tests.security.resolvers import GatedResolver, resolving_with

PORT = 17455
SUFFIX = ".waited-test"


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> GatedResolver:
    return resolving_with(monkeypatch, GatedResolver(SUFFIX))


async def test_a_hanging_relookup_holds_no_tool_call(resolver: GatedResolver, monkeypatch: pytest.MonkeyPatch) -> None:
    boundary = Boundary.from_entries(["10.40.0.0/16"], [Endpoint("frontend" + SUFFIX, PORT, "Temporal frontend")])
    with pytest.raises(DestinationRefused):
        await boundary.resolve("10.40.0.5", PORT)
    monkeypatch.setattr(network, "RELOOKUP_S", 0.0)
    monkeypatch.setattr(network, "RELOOKUP_WAIT_S", 0.05)
    resolver.gate.clear()  # the DNS server is gone: the look-up again hangs
    try:
        for _ in range(3):
            with pytest.raises(DestinationRefused) as refused:
                await asyncio.wait_for(boundary.resolve("10.40.0.5", PORT), 20)
            assert refused.value.code == "protected_endpoint", "the addresses known stay guarded"
            assert await asyncio.wait_for(boundary.resolve("10.40.0.6", PORT), 20)
    finally:
        resolver.gate.set()


async def test_the_hosts_due_are_looked_up_at_once(resolver: GatedResolver) -> None:
    endpoints = [Endpoint(f"h{n}{SUFFIX}", PORT, "protected endpoint") for n in range(12)]
    boundary = Boundary.from_entries(["10.40.0.0/16"], endpoints)
    resolver.gate.clear()
    call = asyncio.ensure_future(boundary.resolve("10.40.0.5", PORT))
    for _ in range(2000):  # until as many look-ups as the lookup threads are under way, or 20 s
        if resolver.waiting >= 2:
            break
        await asyncio.sleep(0.01)
    resolver.gate.set()
    with pytest.raises(DestinationRefused):
        await call
    assert resolver.most_at_once > 1, "the protected hosts were looked up one after the other"
