"""Every MCP transport a test opens must close cleanly: what its closing raises, besides what the session
using it raised, fails the test. The connection takes any error of its transport for the server's going
away (``Connection._run``), and nothing reads that after a close: an AttributeError ended every HTTP
session for months, swallowed there, and no test saw it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import traceback
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from orchestra.mcp import http_transport, transports
from orchestra.mcp.transports import Link

Opener = Callable[..., contextlib.AbstractAsyncContextManager[Link]]


def leaves(exc: BaseException) -> list[BaseException]:
    if isinstance(exc, BaseExceptionGroup):
        return [leaf for inner in exc.exceptions for leaf in leaves(inner)]
    return [exc]


def stray(exc: BaseException) -> str:
    """The error and the frames it was raised through: a transport's tasks are many, its message often empty."""
    frames = [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in traceback.extract_tb(exc.__traceback__)[-5:]]
    return f"{type(exc).__name__}: {exc} (raised through {' < '.join(reversed(frames))})"


def watched(opener: Opener, strays: list[str]) -> Opener:
    @contextlib.asynccontextmanager
    async def opened(*args: Any, **kwargs: Any) -> AsyncIterator[Link]:
        entered = False  # a transport that fails to open says why by raising: that is no stray
        thrown: BaseException | None = None
        try:
            async with opener(*args, **kwargs) as link:
                entered = True
                try:
                    yield link
                except BaseException as exc:
                    thrown = exc
                    raise
        except BaseException as exc:
            # What the session raised comes back, in a group or not; a cancellation is the closer's (a
            # connection not closed within its 5 s is cancelled), no fault of the transport's.
            known = [] if thrown is None else leaves(thrown)
            if entered:
                strays.extend(
                    stray(e)
                    for e in leaves(exc)
                    if not any(e is k for k in known) and not isinstance(e, asyncio.CancelledError)
                )
            raise

    return opened


@pytest.fixture(autouse=True)
def transports_close_cleanly(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    strays: list[str] = []
    monkeypatch.setattr(http_transport, "http", watched(http_transport.http, strays))
    monkeypatch.setattr(transports, "stdio", watched(transports.stdio, strays))
    yield
    assert not strays, f"an MCP transport's closing raised: {strays}"
    # The SDK's own errors (``post_writer`` logs what ends it, then goes on closing) go to the logging module.
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR and r.name.split(".")[0] == "mcp"]
    assert not errors, f"the MCP SDK logged errors: {errors}"
