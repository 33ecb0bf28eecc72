"""An MCP session closed as asked (a command's end, a worker's) whose closing raises: the error was swallowed with
no word, as nobody asks a closed connection why it went. It is logged as a warning, the server's secrets masked."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import structlog

from orchestra.confinement import Confinement
from orchestra.mcp import http_transport
from orchestra.mcp.config import McpServerDecl
from orchestra.mcp.connection import Connection
from orchestra.mcp.transports import Link
from orchestra.secrets import Masker
from tests.helpers import TEST_HOSTS, host_rule
from tests.mcp.support import asking_over_http

SECRET = "s3cr3t-token-the-server-echoed-4d2c"


async def test_an_error_closing_a_session_asked_to_stop_is_logged_masked(tmp_path: Path) -> None:
    with asking_over_http() as url:
        decl = McpServerDecl(kind="mcp", name="a", url=url, timeout_s=30)
        confinement = Confinement(workspace=tmp_path, allowed_hosts=(*TEST_HOSTS, host_rule(url)))

        @contextlib.asynccontextmanager
        async def failing_on_close() -> AsyncIterator[Link]:
            async with http_transport.http(decl, confinement, {}) as link:  # the real transport, closed cleanly
                yield link
            raise RuntimeError(f"closing broke, token {SECRET}")  # then the closing raises, as a transport's may

        connection = Connection("a", failing_on_close, Masker([SECRET]), lambda: None)
        await connection.session(30)
        with structlog.testing.capture_logs() as logs:
            await connection.close()
    said = [line for line in logs if line.get("event") == "mcp session closing failed"]
    assert len(said) == 1 and said[0]["log_level"] == "warning", logs
    assert said[0]["server"] == "a" and "RuntimeError: closing broke" in said[0]["reason"], said
    assert SECRET not in repr(logs), logs
