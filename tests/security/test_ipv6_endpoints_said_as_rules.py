"""A setting naming a host and port (ORCHESTRA_PROTECTED_ENDPOINTS, TEMPORAL_ADDRESS, the metrics address) given
an IPv6 address without [ ] is refused as ORCHESTRA_ALLOWED_HOSTS refuses it, saying how to write it: '::1:8080'
was refused with 'it names no host', where the same entry as a host rule said 'write [::1]:8080'."""

from __future__ import annotations

import re

import pytest

from orchestra.environment import SettingError, check_environment

ENTRIES = [
    ("::1:8080", r"reads as ::1 with port 8080: write \[::1\]:8080 for the port;"),
    ("fe80::1:443", r"reads as fe80::1 with port 443: write \[fe80::1\]:443"),
    ("::ffff:10.0.0.1:80", r"write \[::ffff:10.0.0.1\]:80 for the port"),
    ("fd00::*", r"is no IPv6 address: write one in \[ \]"),
    ("::1", r"is an IPv6 address with no port: write \[::1\]:PORT"),
]


@pytest.mark.parametrize(("entry", "advice"), ENTRIES)
@pytest.mark.parametrize("setting", ["ORCHESTRA_PROTECTED_ENDPOINTS", "TEMPORAL_ADDRESS", "ORCHESTRA_METRICS_ADDRESS"])
def test_an_unbracketed_ipv6_endpoint_is_refused_saying_how_to_write_it(setting: str, entry: str, advice: str) -> None:
    with pytest.raises(SettingError) as refused:
        check_environment({setting: entry})
    said = str(refused.value).splitlines()[0]
    assert "names no host" not in said
    assert re.search(advice, said), said
    assert "for the address" not in said, "an endpoint needs a port: the address alone is no way to write it"


@pytest.mark.parametrize("entry", ["[::1]:8080", "[fe80::1]:443", "127.0.0.1:7233"])
def test_a_bracketed_endpoint_is_taken(entry: str) -> None:
    check_environment({"ORCHESTRA_PROTECTED_ENDPOINTS": entry, "TEMPORAL_ADDRESS": entry})
