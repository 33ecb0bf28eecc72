"""The one pattern of every short secret the worker knows (0.22 s of CPU for one, 1.4 s for 16) is compiled where
they are remembered (a step's thread), not at the next log line, which may be on the event loop, where it held every
activity's heartbeats: the new secret's own masker compiled the pattern of the new secret alone."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable, Iterator

import pytest

from orchestra import secrets
from orchestra.telemetry import redaction
from tests.compiled_where import on_an_event_loop


@pytest.fixture(autouse=True)
def nothing_remembered() -> Iterator[None]:
    redaction.forget_all()
    yield
    redaction.forget_all()


async def test_the_short_secrets_pattern_is_compiled_where_they_are_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    short = [uuid.uuid4().hex[:6] for _ in range(3)]  # new ones: no pattern of them is cached
    where: list[bool] = []
    real = secrets.short_secrets_patterns

    def spy(values: Iterable[str]) -> list[str]:
        values = list(values)
        if set(values) & set(short):
            where.append(on_an_event_loop())
        return real(values)

    monkeypatch.setattr(secrets, "short_secrets_patterns", spy)
    for value in short:  # as steps remember their secrets: each in its own thread
        await asyncio.to_thread(redaction.remember, value)
    line = f"failed with {short[0]} and {short[2]}"
    assert redaction.redact_text(line) == line.replace(short[0], redaction.MASK).replace(short[2], redaction.MASK)
    assert where and not any(where), where
