"""`up` used whatever answered on the demo site's port: a gRPC server there made the example's fetch fail
later with "illegal request line", and nothing named the port or the setting. Now a stranger on the demo
site's port, or an HTTP server (or any server speaking no gRPC) on the Temporal server's, is refused at once, said with the setting that
moves it; the site `up` started (or any demo site) is reused as before. Real processes on real ports; the
session's dev server stands for "a Temporal server `up` did not start"."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from orchestra.cli.errors import EXIT_FAILED, EXIT_OK, EXIT_UNREACHABLE
from orchestra.cli.stack import port_open
from tests.cli.cli import Result, clean_env, run_client
from tests.helpers import until
from tests.reserved_ports import reserved_ports

# Python's file server saying the demo site's name in its Server header, as any server may.
NAMED_LIKE_THE_SITE = (
    "import http.server, sys\n"
    "http.server.SimpleHTTPRequestHandler.server_version = 'orchestra-demo-site'\n"
    "http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), http.server.SimpleHTTPRequestHandler)"
    ".serve_forever()\n"
)


@contextmanager
def plain_http_server(named_like_the_site: bool = False) -> Iterator[int]:
    """Python's own file server, a process of its own on a reserved port: an HTTP server that is not ours."""
    with reserved_ports(1) as (port,):
        server = subprocess.Popen(
            [sys.executable, "-c", NAMED_LIKE_THE_SITE, str(port)]
            if named_like_the_site
            else [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            yield port
        finally:
            server.kill()
            server.wait()


async def up_then_down(env: dict[str, str]) -> Result:
    """`up`, and `down` after it: should `up` go ahead after all, the worker it started goes."""
    try:
        return await run_client("up", env=env)
    finally:
        await run_client("down", env=env)


async def listening(port: int) -> None:
    async def is_open() -> bool:
        return port_open(port)

    await until(is_open)


def session_server_port(cli_env: dict[str, str]) -> int:
    return int(cli_env["TEMPORAL_ADDRESS"].rpartition(":")[2])


async def test_a_grpc_server_on_the_demo_sites_port_is_refused_and_named(cli_env):
    """The very case of the flake: a Temporal frontend (HTTP/2) where the demo site should be."""
    grpc_port = session_server_port(cli_env)
    up = await up_then_down({**cli_env, "ORCHESTRA_DEMO_SITE_PORT": str(grpc_port)})
    assert up.code == EXIT_FAILED, up.out + up.err
    assert f"port {grpc_port} (the demo site's) is taken by a server speaking HTTP/2" in up.err, up.err
    assert "ORCHESTRA_DEMO_SITE_PORT" in up.err
    assert "started the worker" not in up.out


async def test_an_http_server_on_the_demo_sites_port_is_refused_and_named(cli_env):
    with plain_http_server() as port:
        await listening(port)
        up = await up_then_down({**cli_env, "ORCHESTRA_DEMO_SITE_PORT": str(port)})
    assert up.code == EXIT_FAILED, up.out + up.err
    assert f"port {port} (the demo site's) is taken by an HTTP server" in up.err and "SimpleHTTP" in up.err, up.err
    assert "ORCHESTRA_DEMO_SITE_PORT" in up.err


async def test_a_stranger_saying_the_demo_sites_name_is_refused(cli_env):
    """`Server: orchestra-demo-site` was the whole check: any server saying it was used, and the worker let reach it.
    The site `up` starts says its data dir's token too (demo_site.site_token)."""
    with plain_http_server(named_like_the_site=True) as port:
        await listening(port)
        up = await up_then_down({**cli_env, "ORCHESTRA_DEMO_SITE_PORT": str(port)})
    assert up.code == EXIT_FAILED, up.out + up.err
    assert f"port {port} (the demo site's) is taken by an HTTP server" in up.err, up.err
    assert "Server: orchestra-demo-site Python" in up.err and "ORCHESTRA_DEMO_SITE_PORT" in up.err, up.err
    assert "demo site not started by `up`" not in up.out, up.out


async def test_an_http_server_on_the_temporal_port_is_refused_at_once(cli_env):
    with plain_http_server() as port:
        await listening(port)
        up = await up_then_down({**cli_env, "TEMPORAL_ADDRESS": f"127.0.0.1:{port}"})
    assert up.code == EXIT_UNREACHABLE, up.out + up.err
    assert f"port {port} (the Temporal server's) is taken by an HTTP server" in up.err, up.err
    assert "not a Temporal frontend" in up.err and "TEMPORAL_ADDRESS" in up.err
    assert "did not answer" not in up.err, "it waited for a frontend that HTTP/1 server could never be"


@contextmanager
def banner_server() -> Iterator[int]:
    """A process on a reserved port that greets every connection with an SSH banner: no HTTP, no gRPC."""
    serve = (
        "import socket, sys\n"
        "s = socket.create_server(('127.0.0.1', int(sys.argv[1])))\n"
        "while True:\n"
        "    c, _ = s.accept(); c.sendall(b'SSH-2.0-OpenSSH_9.2\\r\\n'); c.close()\n"
    )
    with reserved_ports(1) as (port,):
        server = subprocess.Popen([sys.executable, "-c", serve, str(port)])
        try:
            yield port
        finally:
            server.kill()
            server.wait()


async def test_a_server_speaking_no_http_on_the_temporal_port_is_refused_at_once(cli_env):
    """It was refused only when the frontend's health check gave up on it, 45 s later ("did not answer")."""
    with banner_server() as port:
        await listening(port)
        up = await up_then_down({**cli_env, "TEMPORAL_ADDRESS": f"127.0.0.1:{port}"})
    assert up.code == EXIT_UNREACHABLE, up.out + up.err
    assert f"port {port} (the Temporal server's) is taken by a server that does not speak HTTP" in up.err, up.err
    assert "SSH-2.0" in up.err and "TEMPORAL_ADDRESS" in up.err, up.err
    assert "did not answer" not in up.err, "it waited for a frontend that server could never be"


async def test_a_taken_web_ui_port_is_refused_before_the_server_starts(tmp_path):
    with plain_http_server() as ui_port, reserved_ports(1) as (port,):
        await listening(ui_port)
        env = clean_env(
            TEMPORAL_ADDRESS=f"127.0.0.1:{port}",
            ORCHESTRA_UI_PORT=str(ui_port),
            ORCHESTRA_DATA_DIR=str(tmp_path / "data"),
        )
        up = await up_then_down(env)
    assert up.code == EXIT_FAILED, up.out + up.err
    assert f"port {ui_port} (the Web UI's) is taken by an HTTP server" in up.err and "ORCHESTRA_UI_PORT" in up.err, (
        up.err
    )
    assert "started the Temporal dev server" not in up.out, up.out


async def test_the_site_up_started_is_reused_quietly(cli_env):
    with reserved_ports(1) as (site_port,):
        env = {**cli_env, "ORCHESTRA_DEMO_SITE_PORT": str(site_port)}
    first = await run_client("up", env=env)
    try:
        assert first.code == EXIT_OK, first.out + first.err
        assert "started the demo site (pid" in first.out and "not started by `up`" in first.out  # the session's server
        again = await run_client("up", env=env)
        assert again.code == EXIT_OK, again.out + again.err
        assert "demo site" not in again.out + again.err, again.out  # its pid file names it: nothing to say
    finally:
        down = await run_client("down", env=env)
    assert "stopped the demo site" in down.out and "stopped the worker" in down.out, down.out
