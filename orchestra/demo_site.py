"""The demo's fixture site: ``examples/site`` served read-only on a loopback port by ``client.py up``.

The example plan needs something to fetch. The Temporal Web UI is no longer a destination (tools never
reach the worker's own services, orchestra/network.py), so `up` serves this small site instead and
starts its worker with exactly this origin allowed (``127.0.0.1:<port>``, ORCHESTRA_DEMO_SITE_PORT).

    python -m orchestra.demo_site --port 8234
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import os
import secrets
import sys
import time
from collections.abc import Sequence
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from orchestra import environment
from orchestra.settings import PROJECT_ROOT, Settings

ROOT = PROJECT_ROOT / "examples" / "site"
HOST = "127.0.0.1"
# The first word of the site's ``Server`` header, with the data dir's token after a slash: how `up` tells the site it
# started from another server on its port. The name alone any server could send (and was used by `up`, the worker let
# reach it): the token, random, is known only from the data dir's file and the site's environment.
SERVER_NAME = "orchestra-demo-site"
TOKEN_VARIABLE = "ORCHESTRA_DEMO_SITE_TOKEN"


def origin_rule(settings: Settings) -> str:
    """The ORCHESTRA_ALLOWED_HOSTS entry the worker of `up` gets for this site."""
    return f"{HOST}:{settings.demo_site_port}"


def base_url(settings: Settings) -> str:
    return f"http://{HOST}:{settings.demo_site_port}"


def command(settings: Settings) -> list[str]:
    return [sys.executable, "-m", "orchestra.demo_site", "--port", str(settings.demo_site_port)]


def site_token(settings: Settings) -> str:
    """The token of the data dir's demo site (``demo_site.token``), made at the first start: not a secret, a mark no
    stranger sends by accident."""
    path = settings.data_dir / "demo_site.token"
    with contextlib.suppress(FileNotFoundError):
        if token := path.read_text().strip():
            return token
    token = secrets.token_hex(16)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{token}\n")
    return token


def command_env(settings: Settings) -> dict[str, str]:
    """The environment the site is started with: this one, and the data dir's token."""
    return {**os.environ, TOKEN_VARIABLE: site_token(settings)}


def is_site_server(server_header: str | None, token: str) -> bool:
    """Whether an HTTP ``Server`` header is the site's started with ``token``."""
    return server_header is not None and server_header.split(" ", 1)[0] == f"{SERVER_NAME}/{token}"


def is_site_command(argv: list[str]) -> bool:
    """``<python> -m orchestra.demo_site --port N``, as `up` launches it."""
    return len(argv) == 5 and argv[1:3] == ["-m", "orchestra.demo_site"] and Path(argv[0]).name.startswith("python")


async def listening(port: int, within_s: float = 15.0) -> bool:
    """True once something accepts connections on the site's port (False after ``within_s``)."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            _, writer = await asyncio.open_connection(HOST, port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        writer.close()
        return True
    return False


class _ReadOnly(SimpleHTTPRequestHandler):
    server_version = SERVER_NAME

    def list_directory(self, path: Any) -> None:
        self.send_error(404)
        return None

    def log_message(self, format: str, *args: Any) -> None:
        pass


def main(argv: Sequence[str] | None = None) -> int:
    try:
        default_port = Settings.from_env().demo_site_port
    except ValueError as exc:  # a setting's bad word (environment.SettingError), said without a traceback
        print(f"error: bad settings: {exc}", file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(prog="python -m orchestra.demo_site", description=__doc__)
    parser.add_argument("--port", type=environment.port_argument, default=default_port)
    args = parser.parse_args(argv)
    try:
        server = ThreadingHTTPServer((HOST, args.port), functools.partial(_ReadOnly, directory=str(ROOT)))
    except OSError as exc:  # the port taken
        print(f"error: cannot serve the demo site on {HOST}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    if token := os.environ.get(TOKEN_VARIABLE, ""):
        _ReadOnly.server_version = f"{SERVER_NAME}/{token}"
    server.daemon_threads = True
    print(f"demo site on http://{HOST}:{args.port} ({ROOT})", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
