"""A dev server slower to start than the SDK's 5 s default still serves the tests (tests/conftest.py's dev_server):
on loaded cores a session's first test failed with "did not start within 5s". A real server behind a launcher that
waits first, as a loaded machine does."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests import conftest

LATE_S = 7  # past the SDK's 5 s, well within DEV_SERVER_STARTUP


async def test_a_dev_server_that_comes_up_late_is_waited_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    late = tmp_path / "late-temporal"
    late.write_text(f'#!/bin/sh\nsleep {LATE_S}\nexec "{conftest.temporal_cli()}" "$@"\n')
    late.chmod(late.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(conftest, "temporal_cli", lambda: str(late))
    async with conftest.dev_server() as env:
        assert await env.client.service_client.check_health()
