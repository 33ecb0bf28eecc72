"""A tool's URL naming another name for a protected host (a CNAME of it, or the name it is a CNAME of): the tool's
own look-up is that host's latest answer too, as of its own name. The kept answer is up to RELOOKUP_S old, so a
frontend that moved (or a pool answering another of its addresses) was reached by an alias at an address the kept
answer did not hold, allowed by an address rule."""

from __future__ import annotations

import pytest

from orchestra.network import Boundary, DestinationRefused, Endpoint
from tests.security.resolvers import MovingResolver, moving_resolver

PORT = 17471
FRONTEND, CANONICAL = "frontend.cname-test", "lb-7.cname-test"


@pytest.fixture
def frontend(monkeypatch: pytest.MonkeyPatch) -> MovingResolver:
    return moving_resolver(monkeypatch, FRONTEND, "10.50.0.5", CANONICAL)


@pytest.mark.parametrize("alias", ["alias.cname-test", CANONICAL, "ALIAS.cname-test."])
async def test_a_protected_host_reached_by_another_name_is_guarded_at_its_new_address(
    frontend: MovingResolver, monkeypatch: pytest.MonkeyPatch, alias: str
) -> None:
    named = moving_resolver(monkeypatch, alias.lower().removesuffix("."), "10.50.0.5", CANONICAL)
    boundary = Boundary.from_entries(["10.50.0.0/16"], [Endpoint(FRONTEND, PORT, "Temporal frontend")])
    with pytest.raises(DestinationRefused) as first:
        await boundary.resolve(alias, PORT)
    assert first.value.code == "protected_endpoint"
    named.address = frontend.address = "10.50.0.6"  # moved; the kept answer (10.50.0.5) is not due again yet
    with pytest.raises(DestinationRefused) as moved:
        await boundary.resolve(alias, PORT)
    assert moved.value.code == "protected_endpoint", "the frontend was reached by an alias at its new address"
    assert "10.50.0.6" in str(moved.value)


async def test_another_canonical_name_at_that_address_waits_for_the_relookup(
    frontend: MovingResolver, monkeypatch: pytest.MonkeyPatch
) -> None:
    moving_resolver(monkeypatch, "other.cname-test", "10.50.0.6", "other-lb.cname-test")
    boundary = Boundary.from_entries(["10.50.0.0/16"], [Endpoint(FRONTEND, PORT, "Temporal frontend")])
    with pytest.raises(DestinationRefused):
        await boundary.resolve("10.50.0.5", PORT)
    frontend.address = "10.50.0.6"  # moved; the kept answer is not due again yet
    assert await boundary.resolve("other.cname-test", PORT), "no name of the frontend's: allowed by its rule"
