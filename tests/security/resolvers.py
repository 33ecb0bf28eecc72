"""A name resolver tests steer: ``socket.getaddrinfo``, but one name answers the address a test sets (or fails while
it is None), every other name as the system does."""

from __future__ import annotations

import socket
import threading
from typing import Any, TypeVar

import pytest

from orchestra import network

Resolver = TypeVar("Resolver")


class MovingResolver:
    """``host`` (any case, a trailing dot or not) resolves to ``address``, which a test changes; ``lookups`` counts
    its look-ups. ``canonical``: the name its CNAMEs end at, said to a look-up asking it (AI_CANONNAME)."""

    def __init__(self, host: str, address: str | None, canonical: str = "") -> None:
        self.host, self.address, self.canonical = host, address, canonical
        self.lookups = 0
        self._real = socket.getaddrinfo

    def __call__(self, host: Any, *args: Any, **kwargs: Any) -> Any:
        if not (isinstance(host, str) and host.lower().removesuffix(".") == self.host):
            return self._real(host, *args, **kwargs)
        self.lookups += 1
        if self.address is None:
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        answers = self._real(self.address, *args, **kwargs)
        flags = kwargs.get("flags", args[4] if len(args) > 4 else 0)
        if not (self.canonical and flags & socket.AI_CANONNAME):
            return answers
        return [(*answer[:3], self.canonical if at == 0 else "", answer[4]) for at, answer in enumerate(answers)]


def moving_resolver(monkeypatch: pytest.MonkeyPatch, host: str, address: str, canonical: str = "") -> MovingResolver:
    """The resolver in place of the system's (or of the one in place), with no look-up of the worker's kept
    (orchestra/network.py)."""
    return resolving_with(monkeypatch, MovingResolver(host, address, canonical))


def resolving_with(monkeypatch: pytest.MonkeyPatch, resolver: Resolver) -> Resolver:
    """``resolver`` in place of the system's getaddrinfo, with no look-up of the worker's kept (orchestra/network.py)."""
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    monkeypatch.setattr(network, "_resolved", {})
    monkeypatch.setattr(network, "_failed_at", {})
    return resolver


class GatedResolver:
    """getaddrinfo, but a name ending in ``suffix`` resolves to 10.40.0.5 once ``gate`` is open (a name server
    that does not answer while it is shut); records how many such look-ups were under way at once."""

    def __init__(self, suffix: str) -> None:
        self.suffix = suffix
        self.gate = threading.Event()
        self.gate.set()
        self.waiting = 0
        self.most_at_once = 0
        self._lock = threading.Lock()
        self._real = socket.getaddrinfo

    def __call__(self, host: Any, *args: Any, **kwargs: Any) -> Any:
        if not (isinstance(host, str) and host.endswith(self.suffix)):
            return self._real(host, *args, **kwargs)
        with self._lock:
            self.waiting += 1
            self.most_at_once = max(self.most_at_once, self.waiting)
        try:
            self.gate.wait(timeout=30)
            return self._real("10.40.0.5", *args, **kwargs)
        finally:
            with self._lock:
                self.waiting -= 1
