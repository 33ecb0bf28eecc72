"""A protected host whose first look-up never answers (its name server gone): a tool call waited for it as long
as the resolver's own timeout, every call, again each FAILED_LOOKUP_KEPT_S, with nothing known to guard. Now it
waits FIRST_LOOKUP_WAIT_S, then is not made (Unresolved: a connection error, retried), the event loop free
meanwhile; once the look-up answers, the host is guarded."""

from __future__ import annotations

import asyncio

import pytest

from orchestra import network
from orchestra.network import Boundary, DestinationRefused, Endpoint, Unresolved
from tests.security.resolvers import GatedResolver, resolving_with

PORT = 17461
SUFFIX = ".first-test"


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> GatedResolver:
    return resolving_with(monkeypatch, GatedResolver(SUFFIX))


async def test_a_first_lookup_that_never_answers_holds_no_tool_call(
    resolver: GatedResolver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(network, "FIRST_LOOKUP_WAIT_S", 0.05, raising=False)  # raising: the code before had none
    boundary = Boundary.from_entries(["10.40.0.0/16"], [Endpoint("first" + SUFFIX, PORT, "Temporal frontend")])
    resolver.gate.clear()  # the name server never answers
    try:
        for target in ("10.40.0.5", "10.40.0.6"):
            with pytest.raises(Unresolved) as held:
                await asyncio.wait_for(boundary.resolve(target, PORT), 20)
            assert "not been looked up yet" in str(held.value), held.value
        assert resolver.waiting == 1, "one look-up under way, whoever waits on it"
    finally:
        resolver.gate.set()
    for _ in range(2000):  # the look-up under way answers
        if not resolver.waiting and not network._lookups:
            break
        await asyncio.sleep(0.01)
    with pytest.raises(DestinationRefused) as refused:
        await asyncio.wait_for(boundary.resolve("10.40.0.5", PORT), 20)
    assert refused.value.code == "protected_endpoint"
    assert await asyncio.wait_for(boundary.resolve("10.40.0.6", PORT), 20)
