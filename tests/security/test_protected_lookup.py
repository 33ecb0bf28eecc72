"""A protected endpoint (the worker's own Temporal frontend, metrics) named by a host whose look-up failed once:
it is looked up again, and guarded once it resolves (the failed answer was cached for the process's life, and
the service stayed reachable from a tool)."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import pytest

from orchestra import network
from orchestra.network import Boundary, DestinationRefused, Endpoint

HOST = "frontend.lookup-test"


class FlakyResolver:
    """getaddrinfo, but ``HOST`` fails ``failures`` times before it resolves to loopback; counts its look-ups."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.lookups = 0
        self._real = socket.getaddrinfo

    def __call__(self, host: Any, *args: Any, **kwargs: Any) -> Any:
        if host != HOST:
            return self._real(host, *args, **kwargs)
        self.lookups += 1
        if self.lookups <= self.failures:
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return self._real("127.0.0.1", *args, **kwargs)


def fresh(monkeypatch: pytest.MonkeyPatch, resolver: FlakyResolver) -> None:
    """No look-up kept from before, and ``resolver`` answering."""
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    monkeypatch.setattr(network, "_resolved", {})
    monkeypatch.setattr(network, "_failed_at", {})


@pytest.mark.parametrize("failures", [1, 3])
def test_a_failed_lookup_of_a_protected_host_does_not_stick(monkeypatch: pytest.MonkeyPatch, failures: int) -> None:
    resolver = FlakyResolver(failures)
    fresh(monkeypatch, resolver)
    monkeypatch.setattr(network, "FAILED_LOOKUP_KEPT_S", 0.0)
    port = 17233 + failures
    boundary = Boundary.from_entries([f"127.0.0.1:{port}"], [Endpoint(HOST, port, "Temporal frontend")])
    loopback = [ipaddress.ip_address("127.0.0.1")]
    for _ in range(failures):  # unknown while it does not resolve: nothing to guard
        boundary.check_addresses("127.0.0.1", port, loopback)
    for _ in range(3):
        with pytest.raises(DestinationRefused) as refused:
            boundary.check_addresses("127.0.0.1", port, loopback)
        assert refused.value.code == "protected_endpoint", "allowed for good after one failed look-up, before"
    assert resolver.lookups == failures + 1, "an address found is kept: looked up once"


def test_a_failed_lookup_is_not_repeated_on_every_call(monkeypatch: pytest.MonkeyPatch) -> None:
    resolver = FlakyResolver(failures=100)
    fresh(monkeypatch, resolver)
    boundary = Boundary.from_entries(["127.0.0.1:17299"], [Endpoint(HOST, 17299, "metrics")])
    for _ in range(20):
        boundary.check_addresses("127.0.0.1", 17299, [ipaddress.ip_address("127.0.0.1")])
    assert resolver.lookups <= 1
