"""The helper that starts the tests' servers: a port chosen free may be taken by another xdist worker's server
before this one binds it, and a connection alone then reached that server (CI: an MCP test listed another
test's tools, "server 'e' has no tool 'echo'; it has: plain")."""

from __future__ import annotations

import socket
import sys
import urllib.request
from collections.abc import Iterator

import pytest

from tests.cli.cli import free_port
from tests.mcp import support


def test_a_server_whose_port_was_taken_meanwhile_is_started_on_another(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        ports: Iterator[int] = iter([taken.getsockname()[1], free_port()])
        monkeypatch.setattr(support, "free_port", lambda: next(ports))
        started = support.listening(
            lambda port: ([sys.executable, "-m", "http.server", "-b", "127.0.0.1", str(port)], {})
        )
        with started as port:
            assert port != taken.getsockname()[1], "the other process's listener was taken for the server's"
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as answer:
                assert answer.status == 200
