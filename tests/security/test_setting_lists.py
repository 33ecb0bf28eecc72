"""Settings of the network boundary and of the OTLP exporter, read at start: a list of commas alone names nothing
and is refused; an IPv4 network rule takes a port (an IPv6 one in [ ]); the collector's CA file is checked as
Temporal's is."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import certifi
import pytest

from orchestra.environment import SettingError, check_environment
from orchestra.network import Boundary, DestinationRefused, parse_rule

OTLP = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}


@pytest.mark.parametrize("variable", ["ORCHESTRA_ALLOWED_HOSTS", "ORCHESTRA_PROTECTED_ENDPOINTS"])
@pytest.mark.parametrize("word", [",", " , ,", ",,,"])
def test_a_list_of_commas_alone_is_refused(variable: str, word: str) -> None:
    with pytest.raises(SettingError, match=f"{variable}=.*names no entry, only commas"):
        check_environment({variable: word})  # before: no host allowed, no endpoint guarded


@pytest.mark.parametrize("word", ["example.com,", ",example.com", "example.com,,api.example.com"])
def test_a_blank_entry_among_others_is_skipped(word: str) -> None:
    check_environment({"ORCHESTRA_ALLOWED_HOSTS": word})


@pytest.mark.parametrize(
    ("entry", "network", "port"),
    [
        ("10.0.0.0/8:80", "10.0.0.0/8", 80),
        ("[fd00::/8]:443", "fd00::/8", 443),
        ("192.168.0.0/16", "192.168.0.0/16", None),
    ],
)
def test_a_network_rule_takes_a_port(entry: str, network: str, port: int | None) -> None:
    check_environment({"ORCHESTRA_ALLOWED_HOSTS": entry})  # before: refused, '10.0.0.0/8:80' no network
    rule = parse_rule(entry)
    assert (rule.kind, rule.pattern, rule.port) == ("network", network, port)


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ("fd00::/8:443", r"an IPv6 network with a port goes in \[ \]"),
        ("10.0.0.0/8:0", "not a number from 1 to 65535"),
        ("10.1.0.0/8:80", "bits set beyond its prefix"),
    ],
)
def test_a_network_rule_with_a_port_it_cannot_take_says_why(entry: str, why: str) -> None:
    with pytest.raises(SettingError, match=why):
        check_environment({"ORCHESTRA_ALLOWED_HOSTS": entry})


async def test_a_network_rule_with_a_port_allows_that_port_alone() -> None:
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        boundary = Boundary.from_entries([f"127.0.0.0/8:{port}"])
        assert await boundary.resolve("127.0.0.2", port) == [ipaddress.ip_address("127.0.0.2")]
        with pytest.raises(DestinationRefused):
            await boundary.resolve("127.0.0.2", port + 1 if port < 65535 else port - 1)


@pytest.mark.parametrize("variable", ["OTEL_EXPORTER_OTLP_CERTIFICATE", "OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE"])
@pytest.mark.parametrize(
    ("content", "why"),
    [
        (None, "cannot be read"),
        (b"root:x:0:0:root:/root:/bin/bash\n", "no certificate in PEM form"),
        (
            b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n",
            "no certificate that can be read",
        ),
    ],
)
def test_the_collectors_ca_file_is_checked_at_start(
    tmp_path: Path, variable: str, content: bytes | None, why: str
) -> None:
    path = tmp_path / "ca.pem"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SettingError, match=f"{variable}=.*{why}"):
        check_environment({**OTLP, variable: str(path)})  # before: started, every export failed


def test_a_readable_ca_file_is_taken_and_one_not_read_is_not_checked(tmp_path: Path) -> None:
    check_environment({**OTLP, "OTEL_EXPORTER_OTLP_CERTIFICATE": certifi.where()})
    check_environment({"OTEL_EXPORTER_OTLP_CERTIFICATE": str(tmp_path / "absent.pem")})  # no OTLP export: not read
