"""A tool's URL naming a protected host itself: the addresses the tool's own look-up just found are that host's
latest answer and are guarded, whatever the kept answer (up to RELOOKUP_S old) says. A frontend that moved, or a
name answering another of its pool's addresses each time, was reached by its own name at an address the kept
answer did not hold, allowed by an address rule."""

from __future__ import annotations

import pytest

from orchestra.network import Boundary, DestinationRefused, Endpoint
from tests.security.resolvers import MovingResolver, moving_resolver

HOST = "frontend.asked-test"
PORT = 17433


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> MovingResolver:
    moving = moving_resolver(monkeypatch, HOST, "10.30.0.5")
    return moving


@pytest.mark.parametrize("named", [HOST, HOST + ".", HOST.upper()])
@pytest.mark.parametrize("protected", [HOST, HOST.upper() + "."])
async def test_a_protected_name_is_guarded_at_what_the_tools_lookup_finds(
    resolver: MovingResolver, named: str, protected: str
) -> None:
    boundary = Boundary.from_entries(["10.30.0.0/16", "*.asked-test"], [Endpoint(protected, PORT, "Temporal frontend")])
    with pytest.raises(DestinationRefused) as first:
        await boundary.resolve(named, PORT)
    assert first.value.code == "protected_endpoint"
    resolver.address = "10.30.0.6"  # moved, or the pool's other member: the kept answer is not due again yet
    with pytest.raises(DestinationRefused) as moved:
        await boundary.resolve(named, PORT)
    assert moved.value.code == "protected_endpoint", "the frontend was reached by its own name at its new address"
    assert "10.30.0.6" in str(moved.value)


async def test_another_name_at_the_new_address_waits_for_the_relookup(resolver: MovingResolver) -> None:
    boundary = Boundary.from_entries(["10.30.0.0/16"], [Endpoint(HOST, PORT, "Temporal frontend")])
    with pytest.raises(DestinationRefused):
        await boundary.resolve("10.30.0.5", PORT)
    resolver.address = "10.30.0.6"
    # Only the tool's look-up of the same name tells: an address alone is checked against the kept answer.
    assert await boundary.resolve("10.30.0.6", PORT)
