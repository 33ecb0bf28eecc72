"""A protected host (the worker's own Temporal frontend) whose address changes: it is looked up again after
RELOOKUP_S, off the event loop, and both its old and its new addresses are guarded for a while (cached for the
process's life, its first answer left the new address reachable from a tool)."""

from __future__ import annotations

import pytest

from orchestra import network
from orchestra.network import Boundary, DestinationRefused, Endpoint
from tests.security.resolvers import MovingResolver, moving_resolver

HOST = "frontend.moving-test"
PORT = 17421


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> MovingResolver:
    moving = moving_resolver(monkeypatch, HOST, "10.20.0.5")
    monkeypatch.setattr(network, "FAILED_LOOKUP_KEPT_S", 0.0)
    return moving


BOUNDARY = Boundary.from_entries(["10.20.0.0/16"], [Endpoint(HOST, PORT, "Temporal frontend")])


async def refused(address: str) -> bool:
    try:
        await BOUNDARY.resolve(address, PORT)
    except DestinationRefused as exc:
        assert exc.code == "protected_endpoint", exc
        return True
    return False


async def test_a_moved_frontend_is_guarded_at_its_new_address(
    resolver: MovingResolver, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert await refused("10.20.0.5")
    assert not await refused("10.20.0.6")
    resolver.address = "10.20.0.6"
    assert not await refused("10.20.0.6"), "looked up again before RELOOKUP_S: one look-up per call"
    monkeypatch.setattr(network, "RELOOKUP_S", 0.0)
    assert await refused("10.20.0.6"), "the frontend's new address was reachable from a tool"
    assert await refused("10.20.0.5"), "its old address is still guarded for a while"


@pytest.mark.parametrize("new", ["10.20.0.7", "::ffff:10.20.0.8"])
async def test_an_old_address_is_let_go_only_after_a_while(
    resolver: MovingResolver, monkeypatch: pytest.MonkeyPatch, new: str
) -> None:
    monkeypatch.setattr(network, "RELOOKUP_S", 0.0)
    assert await refused("10.20.0.5")
    resolver.address = new
    assert await refused(new.removeprefix("::ffff:"))
    assert await refused("10.20.0.5")
    monkeypatch.setattr(network, "MOVED_ADDRESS_KEPT_S", 0.0)
    assert await refused(new.removeprefix("::ffff:"))
    assert not await refused("10.20.0.5"), "an address answers no longer hold is let go once the while is over"


async def test_a_failed_relookup_keeps_the_known_addresses(
    resolver: MovingResolver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(network, "RELOOKUP_S", 0.0)
    monkeypatch.setattr(network, "MOVED_ADDRESS_KEPT_S", 0.0)
    assert await refused("10.20.0.5")
    resolver.address = None
    for _ in range(3):
        assert await refused("10.20.0.5"), "a DNS outage unguarded the frontend"
    resolver.address = "10.20.0.9"
    assert await refused("10.20.0.9")
    assert resolver.lookups == 5


async def test_addresses_let_go_are_not_kept(resolver: MovingResolver, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(network, "RELOOKUP_S", 0.0)
    monkeypatch.setattr(network, "MOVED_ADDRESS_KEPT_S", 0.0)
    for last in range(1, 50):  # a name answered by ever other addresses (a pool)
        resolver.address = f"10.20.1.{last}"
        assert await refused(resolver.address)
    assert len(network._resolved[HOST].seen) == 1, "every address it ever had was kept"
