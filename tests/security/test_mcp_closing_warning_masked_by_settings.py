"""An MCP session closed as asked whose closing raises quoting one of the worker's secret settings (a key it was
handed): the warning "mcp session closing failed" was masked with the server's own secrets only, and the setting
reached the worker's log in clear. A real MCP server over loopback HTTP, its real transport."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import structlog

from orchestra.confinement import Confinement
from orchestra.mcp import http_transport
from orchestra.mcp.config import McpServerDecl
from orchestra.mcp.connection import Connection
from orchestra.mcp.transports import Link
from orchestra.secret_settings import ENV_PREFIX
from orchestra.secrets import Masker
from tests.helpers import TEST_HOSTS, host_rule
from tests.masked_words import EITHER_MASK, assert_masked
from tests.mcp.support import asking_over_http

SETTING = "the worker's own pass phrase: 9 ünïcode"


async def test_a_closing_warning_quoting_a_worker_setting_is_masked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(f"{ENV_PREFIX}CLOSING", SETTING)
    with asking_over_http() as url:
        decl = McpServerDecl(kind="mcp", name="a", url=url, timeout_s=30)
        confinement = Confinement(workspace=tmp_path, allowed_hosts=(*TEST_HOSTS, host_rule(url)))

        @contextlib.asynccontextmanager
        async def failing_on_close() -> AsyncIterator[Link]:
            async with http_transport.http(decl, confinement, {}) as link:
                yield link
            raise RuntimeError(f"closing broke, sent {SETTING}")

        connection = Connection("a", failing_on_close, Masker(()), lambda: None)
        await connection.session(30)
        with structlog.testing.capture_logs() as logs:
            await connection.close()
    said = [line for line in logs if line.get("event") == "mcp session closing failed"]
    assert len(said) == 1 and "RuntimeError: closing broke" in said[0]["reason"], logs
    assert_masked(said[0]["reason"], SETTING, mask=EITHER_MASK)
