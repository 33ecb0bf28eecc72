"""A real MCP server (the reference ``server-everything`` over streamable HTTP) behind a proxy that answers a
``tools/call`` with ``101 Switching Protocols``, which the client never asked: the call fails at once, said as
such, and the proxy sees it sent once."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

import pytest

from orchestra.errors import ToolError
from orchestra.settings import Settings
from orchestra.tool_spec import ToolContext
from tests.helpers import host_rule
from tests.mcp.support import everything_over_http, mcp_registry, tool_file

CONTEXT = cast(ToolContext, None)
SWITCH = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"


class SwitchingProxy:
    """Relays each connection to ``upstream`` byte for byte, but answers a request that holds ``tools/call``
    with a 101 and closes; counts those."""

    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "", parts.port or 80)
        self.calls = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]

    def serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        # The client's last request (closing its session) may come after the upstream has stopped: nothing to relay.
        with client, contextlib.suppress(OSError), socket.create_connection(self.upstream) as server:
            threading.Thread(target=self._pump, args=(server, client), daemon=True).start()
            while data := client.recv(65536):
                if b"tools/call" in data:
                    self.calls += 1
                    client.sendall(SWITCH)
                    return
                server.sendall(data)

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)


@contextlib.contextmanager
def switching_proxy(upstream: str) -> Iterator[tuple[SwitchingProxy, str]]:
    proxy = SwitchingProxy(upstream)
    threading.Thread(target=proxy.serve, daemon=True).start()
    try:
        yield proxy, f"http://127.0.0.1:{proxy.port}{urlsplit(upstream).path}"
    finally:
        proxy.listener.close()


async def test_an_unasked_101_from_a_proxy_fails_the_call_once(tmp_path: Path) -> None:
    with everything_over_http() as upstream, switching_proxy(upstream) as (proxy, url):
        workspace = tmp_path / "workspace"
        workspace.mkdir()
        config = Settings(workspace=workspace, data_dir=tmp_path / "data", allowed_hosts=[host_rule(url)])
        path = tool_file(tmp_path, {"kind": "mcp", "name": "e", "url": url, "timeout_s": 60})
        registry = await asyncio.to_thread(mcp_registry, config, path)
        try:
            assert not registry.server_problems.get("e"), registry.server_problems
            tool = registry.get("e.echo")
            with pytest.raises(ToolError) as failed:
                await asyncio.wait_for(tool.run(tool.spec.input_model.model_validate({"message": "hi"}), CONTEXT), 90)
        finally:
            await registry.aclose()
    assert failed.value.code == "mcp_unreadable_answer" and "switched protocols (101)" in str(failed.value), (
        failed.value
    )
    assert proxy.calls == 1
