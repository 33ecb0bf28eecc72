"""Where a secret's pattern of every form is compiled: on an event loop, it holds every activity's heartbeats."""

from __future__ import annotations

import asyncio

import pytest

from orchestra import secrets


def on_an_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def compiled_where(monkeypatch: pytest.MonkeyPatch, key: str) -> list[bool]:
    """Filled as ``key``'s pattern is compiled: whether each compile ran on an event loop."""
    where: list[bool] = []
    real = secrets.secret_pattern

    def spy(secret: str) -> str:
        if secret == key:
            where.append(on_an_event_loop())
        return real(secret)

    monkeypatch.setattr(secrets, "secret_pattern", spy)
    return where
