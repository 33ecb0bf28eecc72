"""The suite's dev servers (tests/conftest.py's dev_server) are waited for as long as a loaded machine takes to start
one: the SDK's own wait is 5 s, and under load (the suite's processes and 3 busy loops on 2 cores) a test errored at
set-up with "ephemeral server ... did not start within 5s"."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests import conftest

SLOW_S = 8  # longer than the SDK's 5 s


async def test_a_dev_server_slower_to_start_than_the_sdks_wait_is_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = tmp_path / "temporal"
    slow.write_text(f'#!/bin/sh\nsleep {SLOW_S}\nexec {conftest.temporal_cli()} "$@"\n')
    slow.chmod(slow.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(conftest, "temporal_cli", lambda: str(slow))
    async with conftest.dev_server() as env:
        assert (await env.client.count_workflows()).count == 0
