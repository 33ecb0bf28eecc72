"""A name resolver tests steer: ``socket.getaddrinfo``, but one name answers the address a test sets (or fails while
it is None), every other name as the system does."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from orchestra import network


class MovingResolver:
    """``host`` (any case, a trailing dot or not) resolves to ``address``, which a test changes; ``lookups`` counts
    its look-ups."""

    def __init__(self, host: str, address: str | None) -> None:
        self.host, self.address = host, address
        self.lookups = 0
        self._real = socket.getaddrinfo

    def __call__(self, host: Any, *args: Any, **kwargs: Any) -> Any:
        if not (isinstance(host, str) and host.lower().removesuffix(".") == self.host):
            return self._real(host, *args, **kwargs)
        self.lookups += 1
        if self.address is None:
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return self._real(self.address, *args, **kwargs)


def moving_resolver(monkeypatch: pytest.MonkeyPatch, host: str, address: str) -> MovingResolver:
    """The resolver in place of the system's, with no look-up of the worker's kept (orchestra/network.py)."""
    moving = MovingResolver(host, address)
    monkeypatch.setattr(socket, "getaddrinfo", moving)
    monkeypatch.setattr(network, "_resolved", {})
    monkeypatch.setattr(network, "_failed_at", {})
    return moving
