"""An IPv6 rule written without [ ] is refused at start where its last group reads as a port ('::1:8080' was
read as the address ::1:8080, no port: the rule meant for [::1]:8080 allowed nothing, unsaid), and so is an IPv6
form that is no address ('fd00::*', '::ffff:10.0.0.1:80': a name rule with colons matched no host). The message
says how to write it."""

from __future__ import annotations

import ipaddress

import pytest

from orchestra.environment import SettingError, check_environment
from orchestra.network import Boundary, DestinationRefused, parse_rule


@pytest.mark.parametrize(
    ("entry", "advice"),
    [
        ("::1:8080", r"write \[::1\]:8080 for the port, \[::1:8080\] for the address"),
        ("fe80::1:443", r"write \[fe80::1\]:443 for the port"),
        ("2001:db8::7:80", r"write \[2001:db8::7\]:80 for the port"),
        ("::ffff:10.0.0.1:80", r"write \[::ffff:10.0.0.1\]:80 for the port\)"),
        ("fd00::*", r"is no IPv6 address: write one in \[ \]"),
        ("fd00::1:99999", r"is no IPv6 address"),
    ],
)
def test_an_unbracketed_ipv6_rule_that_could_carry_a_port_is_refused_at_start(entry: str, advice: str) -> None:
    with pytest.raises(SettingError, match=advice):
        check_environment({"ORCHESTRA_ALLOWED_HOSTS": f"example.com,{entry}"})


@pytest.mark.parametrize("entry", ["::1", "2001:db8::5", "fe80::abcd", "2001:db8:0:0:0:0:1:80", "[::1:8080]"])
def test_an_ipv6_address_that_cannot_hide_a_port_is_taken(entry: str) -> None:
    check_environment({"ORCHESTRA_ALLOWED_HOSTS": entry})
    assert parse_rule(entry).kind == "address"


async def test_the_bracketed_rule_allows_that_port_and_is_shown_as_written() -> None:
    boundary = Boundary.from_entries(["[::1]:8080", "[::1:8080]"])
    assert await boundary.resolve("::1", 8080) == [ipaddress.ip_address("::1")]
    with pytest.raises(DestinationRefused):
        await boundary.resolve("::1", 8081)
    with pytest.raises(DestinationRefused) as refused:
        boundary.check_url("http://[::2]:80/")
    assert "['[::1]:8080', '[::1:8080]']" in str(refused.value), "a rule shown as the setting refuses it"
