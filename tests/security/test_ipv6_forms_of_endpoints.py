"""The worker's own endpoint named in an IPv6 form that carries an IPv4 address (``[::ffff:10.0.0.5]:7233``, a
name DNS64 answers with ``64:ff9b::a00:5``) is guarded at that IPv4 address too: guarded only as written, a tool
reached the frontend at 10.0.0.5:7233. And a rule for an IPv6 address or network with a port is shown as it is
written, in [ ] (``::1:8080`` read back is another address with no port)."""

from __future__ import annotations

import ipaddress

import pytest

from orchestra import network
from orchestra.network import Boundary, DestinationRefused, Endpoint, parse_rule


@pytest.fixture(autouse=True)
def fresh_lookups(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(network, "_resolved", {})
    monkeypatch.setattr(network, "_failed_at", {})


@pytest.mark.parametrize("named", ["::ffff:10.0.0.5", "64:ff9b::a00:5", "::ffff:a00:5"])
@pytest.mark.parametrize("reached", ["10.0.0.5", "::ffff:10.0.0.5"])
def test_an_endpoint_named_in_an_ipv6_form_is_guarded_at_its_ipv4_address(named: str, reached: str) -> None:
    boundary = Boundary(
        (parse_rule("10.0.0.0/8"), parse_rule("[::ffff:10.0.0.0/104]")),
        (Endpoint(named, 7233, "Temporal frontend"),),
    )
    with pytest.raises(DestinationRefused) as refused:
        boundary.check_addresses("frontend", 7233, [ipaddress.ip_address(reached)])
    assert refused.value.code == "protected_endpoint"


def test_the_host_of_an_endpoint_named_in_an_ipv6_form_is_guarded_at_its_ipv4_address() -> None:
    boundary = Boundary((parse_rule("10.0.0.0/8"),), (Endpoint("::ffff:10.0.0.5", 7233, "frontend", guard_host=True),))
    with pytest.raises(DestinationRefused) as refused:
        boundary.check_addresses("frontend", 8233, [ipaddress.ip_address("10.0.0.5")])
    assert refused.value.code == "protected_host"


@pytest.mark.parametrize(
    ("entry", "shown"),
    [
        ("[::1]:8080", "[::1]:8080"),
        ("[fd00::/8]:443", "[fd00::/8]:443"),
        ("[::ffff:10.0.0.1]:80", "[::ffff:a00:1]:80"),
        ("::1", "::1"),
        ("10.0.0.0/8:80", "10.0.0.0/8:80"),
        ("api.example.com:443", "api.example.com:443"),
    ],
)
def test_a_rule_is_shown_as_it_is_written(entry: str, shown: str) -> None:
    boundary = Boundary.from_entries([entry])
    with pytest.raises(DestinationRefused) as refused:
        boundary.check_url("http://elsewhere.example/")
    assert repr(shown) in str(refused.value)
    assert parse_rule(shown) == parse_rule(entry), "shown, it reads back as another rule"
