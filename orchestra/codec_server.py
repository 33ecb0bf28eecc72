"""A codec server, so the Temporal Web UI and CLI can show encrypted payloads to those allowed to read them.

    ORCHESTRA_CODEC_KEY=... python -m orchestra.codec_server --port 8081
    temporal workflow show -w ID --codec-endpoint http://localhost:8081
    Web UI: Settings (gear) -> Codec Server -> http://localhost:8081

POST /encode and POST /decode take and return ``{"payloads": [...]}`` (Temporal's JSON form of
Payloads). Requests need ``Authorization: Bearer <token>`` with the token in ORCHESTRA_CODEC_SERVER_TOKEN:
the server refuses to start without one unless given ``--insecure`` (then anything that can reach the
port can decrypt). Requests whose Host header is not in ORCHESTRA_CODEC_SERVER_HOSTS (default
localhost, 127.0.0.1 and [::1] with the server's port) are refused, so a web page cannot reach the
server through DNS rebinding. CORS answers only the origins in ORCHESTRA_CODEC_CORS_ORIGINS (default
the local Web UI). Decrypted payloads only ever leave through this server, so run it where only the
intended people can reach it.

It runs on uvicorn (asyncio: an idle connection costs a socket, not a thread) with bounds on what a
client can hold: at most MAX_CONNECTIONS at once (503 beyond), a deadline for a request's headers
(REQUEST_HEAD_TIMEOUT_S, from the connection or the previous response on), a deadline for its body
(BODY_TIMEOUT_S), idle keep-alive connections closed after KEEP_ALIVE_S, a body of at most
MAX_BODY_BYTES (413, checked against Content-Length before reading and while reading), and 400 for a
Content-Length that is not a number.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hmac
import json
import os
import socket
import sys
import threading
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import uvicorn
from google.protobuf import json_format
from temporalio.api.common.v1 import Payloads
from uvicorn.protocols.http.h11_impl import H11Protocol

from orchestra import environment
from orchestra.codec import CodecKeyError, EncryptionCodec, new_key
from orchestra.secret_settings import secret_settings
from orchestra.storage.display import display_codec

DEFAULT_ORIGINS = "http://localhost:8233,http://127.0.0.1:8233,http://localhost:8080"
DEFAULT_HOST_NAMES = ("localhost", "127.0.0.1", "[::1]")
MAX_BODY_BYTES = 64 * 1024 * 1024
MAX_CONNECTIONS = 64
MAX_HEAD_BYTES = 16 * 1024
REQUEST_HEAD_TIMEOUT_S = 10.0
BODY_TIMEOUT_S = 30.0
DISCARD_BYTES = 64 * 1024
KEEP_ALIVE_S = 5

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def split_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _host_and_port(value: str) -> tuple[str, str | None]:
    """``name``, ``name:port``, ``[v6]`` or ``[v6]:port``, lower-cased; the port is None if absent."""
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        name, rest = value[: end + 1], value[end + 1 :]
        return name, rest[1:] if rest.startswith(":") else None
    name, sep, port = value.rpartition(":")
    return (name, port) if sep else (value, None)


class _RequestDeadline(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, closing a connection whose next request's head does not arrive in
    time (slowloris): uvicorn's keep-alive timer stops at the first byte received and never runs before
    the first request."""

    _deadline: asyncio.TimerHandle | None = None
    _cycle_when_armed: object = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._cycle_when_armed = self.cycle
        self._deadline = self.loop.call_later(REQUEST_HEAD_TIMEOUT_S, self._expire)

    def _expire(self) -> None:
        if self.cycle is self._cycle_when_armed and not self.transport.is_closing():
            self.transport.close()


class CodecApp:
    """The ASGI application: Host check, CORS, bearer token, bounded body, encode or decode."""

    def __init__(
        self, codec: EncryptionCodec, origins: Sequence[str], token: str | None, hosts: set[tuple[str, str | None]]
    ) -> None:
        self.codec = codec
        self.origins = set(origins)
        self.token = token or None
        self.hosts = hosts

    def host_allowed(self, header: str | None) -> bool:
        if not header:
            return False
        name, port = _host_and_port(header)
        return (name, port) in self.hosts or (name, None) in self.hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        cors = self._cors(headers.get("origin"))
        if not self.host_allowed(headers.get("host")):
            await _discard_body(receive)
            await _reply(send, 403, {"error": "Host header not allowed (see ORCHESTRA_CODEC_SERVER_HOSTS)"}, close=True)
            return
        method, path = scope["method"], scope["path"].rstrip("/")
        if method == "OPTIONS":
            await _reply(send, 204, None, cors)
        elif method == "GET" and path in ("", "/health"):
            await _reply(send, 200, {"status": "ok", "key_id": self.codec.key_id}, cors)
        elif method == "POST" and path.rsplit("/", 1)[-1] in ("encode", "decode") and path.count("/") == 1:
            await self._code(path[1:], headers, receive, send, cors)
        else:
            await _discard_body(receive)
            await _reply(send, 404, {"error": "POST /encode or /decode"}, cors)

    async def _code(
        self, operation: str, headers: dict[str, str], receive: Receive, send: Send, cors: list[Any]
    ) -> None:
        if not self._authorized(headers.get("authorization", "")):
            await _discard_body(receive)
            await _reply(send, 401, {"error": "missing or wrong bearer token"}, cors)
            return
        try:
            body = await _read_body(headers, receive)
            payloads = await asyncio.to_thread(json_format.Parse, body or b"{}", Payloads())
            codec = self.codec
            coded = await (
                codec.encode(payloads.payloads) if operation == "encode" else codec.decode(payloads.payloads)
            )
            answer = await asyncio.to_thread(json_format.MessageToDict, Payloads(payloads=coded))
        except BadRequest as exc:
            await _reply(send, exc.status, {"error": str(exc)}, cors, close=True)
            return
        except (json_format.ParseError, CodecKeyError, ValueError) as exc:
            await _reply(send, 400, {"error": f"cannot {operation}: {exc}"}, cors)
            return
        except Exception:  # e.g. cryptography.exceptions.InvalidTag: never echo details of a failed decryption
            await _reply(send, 400, {"error": f"cannot {operation} these payloads"}, cors)
            return
        await _reply(send, 200, answer, cors)

    def _cors(self, origin: str | None) -> list[tuple[bytes, bytes]]:
        if not origin or origin not in self.origins:
            return []
        return [
            (b"access-control-allow-origin", origin.encode("latin-1")),
            (b"access-control-allow-credentials", b"true"),
            (b"access-control-allow-methods", b"POST, OPTIONS"),
            (b"access-control-allow-headers", b"Content-Type, X-Namespace, Authorization"),
            (b"vary", b"Origin"),
        ]

    def _authorized(self, given: str) -> bool:
        if not self.token:
            return True
        return hmac.compare_digest(given.encode(), f"Bearer {self.token}".encode())


async def _read_body(headers: dict[str, str], receive: Receive) -> bytes:
    declared = headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise BadRequest(400, "Content-Length is not a number")
        if int(declared) > MAX_BODY_BYTES:
            raise BadRequest(413, f"request body over {MAX_BODY_BYTES} bytes")
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(BODY_TIMEOUT_S):
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise BadRequest(400, "the client went away")
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise BadRequest(413, f"request body over {MAX_BODY_BYTES} bytes")
                chunks.append(chunk)
                if not message.get("more_body"):
                    return b"".join(chunks)
    except TimeoutError:
        raise BadRequest(408, f"the request body did not arrive within {BODY_TIMEOUT_S:g}s") from None


async def _discard_body(receive: Receive) -> None:
    """Read (a little of) a refused request's body before answering: closing a socket with unread data
    resets it, and the client may then lose the answer."""
    read = 0
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(1.0):
            while read <= DISCARD_BYTES:
                message = await receive()
                read += len(message.get("body", b""))
                if message["type"] == "http.disconnect" or not message.get("more_body"):
                    return


async def _reply(send: Send, status: int, body: Any, extra: list[Any] | None = None, *, close: bool = False) -> None:
    data = b"" if body is None else json.dumps(body).encode()
    headers = [*(extra or []), (b"content-length", str(len(data)).encode())]
    if body is not None:
        headers.append((b"content-type", b"application/json"))
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


class _Server(uvicorn.Server):
    """uvicorn's server, telling another thread when it listens."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        self.ready.set()


class CodecServer:
    """``hosts``: the Host header values accepted (``name`` for any port, ``name:port`` for one);
    None means localhost, 127.0.0.1 and [::1] on the port the server listens on."""

    def __init__(
        self,
        address: tuple[str, int],
        codec: EncryptionCodec,
        origins: Sequence[str],
        token: str | None,
        *,
        hosts: Sequence[str] | None = None,
        insecure: bool = False,
    ) -> None:
        if not token and not insecure:
            raise ValueError(
                "the codec server needs a bearer token (ORCHESTRA_CODEC_SERVER_TOKEN); "
                "without one anything that can reach its port can decrypt payloads (--insecure allows that)"
            )
        if "*" in origins:
            raise ValueError("ORCHESTRA_CODEC_CORS_ORIGINS cannot be '*': name the Web UI's origin")
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(address)
        self.server_address = self.socket.getsockname()
        port = str(self.server_address[1])
        chosen = hosts if hosts else [f"{name}:{port}" for name in DEFAULT_HOST_NAMES]
        self.app = CodecApp(codec, origins, token, {_host_and_port(host) for host in chosen})
        # log_config None: uvicorn's own handlers wrote its warnings and tracebacks as they were, past the masking of
        # the process's lines (main routes them: orchestra/cli/log_lines.py); a process serving in a thread keeps its own.
        config = uvicorn.Config(
            self.app, http=_RequestDeadline, lifespan="off", log_level="warning", access_log=False, log_config=None,
            limit_concurrency=MAX_CONNECTIONS, timeout_keep_alive=KEEP_ALIVE_S,
            h11_max_incomplete_event_size=MAX_HEAD_BYTES, server_header=False,
        )  # fmt: skip
        self._server = _Server(config)
        self._thread: threading.Thread | None = None

    @property
    def hosts(self) -> set[tuple[str, str | None]]:
        return self.app.hosts

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://[{host}]:{port}" if ":" in str(host) else f"http://{host}:{port}"

    def serve_forever(self) -> None:
        self._server.run(sockets=[self.socket])

    def serve_in_thread(self) -> threading.Thread:
        self._thread = threading.Thread(target=self.serve_forever, name="codec-server", daemon=True)
        self._thread.start()
        self._server.ready.wait(30)
        return self._thread

    def close(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(30)
        with contextlib.suppress(OSError):
            self.socket.close()


def main(argv: Sequence[str] | None = None) -> int:
    from orchestra.cli.log_lines import route_log_lines
    from orchestra.telemetry.own_lines import remember_when_masking

    # Its key (and every other secret setting) masked by value from its first line: a refused setting or an error
    # quoting ORCHESTRA_CODEC_KEY printed the key in clear.
    remember_when_masking(*secret_settings())
    route_log_lines()  # uvicorn's lines and any library's, through the standard library: masked as its own are
    environment.refuse_bad_settings()
    parser = argparse.ArgumentParser(prog="python -m orchestra.codec_server", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument(
        "--host", type=environment.argument_of(environment.LISTEN_HOST),
        default=environment.value("ORCHESTRA_CODEC_SERVER_HOST") or "127.0.0.1",
    )  # fmt: skip
    parser.add_argument(
        "--port", type=environment.port_argument, default=int(environment.value("ORCHESTRA_CODEC_SERVER_PORT") or 8081)
    )
    parser.add_argument("--new-key", action="store_true", help="print a fresh ORCHESTRA_CODEC_KEY value and exit")
    parser.add_argument(
        "--insecure",
        action="store_true",
        help="serve without ORCHESTRA_CODEC_SERVER_TOKEN: anyone who can reach the port can decrypt payloads",
    )
    args = parser.parse_args(argv)
    if args.new_key:
        print(new_key())
        return 0
    try:
        codec = display_codec()  # decrypts, and shows values stored outside the history
    except (CodecKeyError, ValueError) as exc:  # ValueError: storage settings ('s3' with no bucket), a traceback before
        _error(str(exc))
        return 2
    if codec is None:
        print("error: set ORCHESTRA_CODEC_KEY (make one with --new-key)", file=sys.stderr)
        return 2
    token = os.environ.get("ORCHESTRA_CODEC_SERVER_TOKEN", "").strip() or None
    if token is None and not args.insecure:
        print(
            "error: set ORCHESTRA_CODEC_SERVER_TOKEN (clients then send 'Authorization: Bearer <token>'); "
            "to serve decrypted payloads to anyone who can reach the port, pass --insecure",
            file=sys.stderr,
        )
        return 2
    origins = split_list(environment.value("ORCHESTRA_CODEC_CORS_ORIGINS") or DEFAULT_ORIGINS)
    hosts = split_list(environment.value("ORCHESTRA_CODEC_SERVER_HOSTS") or "")
    try:
        server = CodecServer((args.host, args.port), codec, origins, token, hosts=hosts, insecure=args.insecure)
    except ValueError as exc:
        _error(str(exc))
        return 2
    except OSError as exc:  # a name that does not resolve, an address no interface has, a port in use
        _error(
            f"cannot listen on {args.host} port {args.port}: {exc.strerror or exc}"
            " (ORCHESTRA_CODEC_SERVER_HOST / _PORT, or --host / --port)"
        )
        return 2
    if token is None:
        print("warning: --insecure: no bearer token, anyone who can reach this port can decrypt", file=sys.stderr)
    allowed = ", ".join(sorted(f"{name}:{port}" if port else name for name, port in server.hosts))
    print(f"codec server on {server.url} (key id {codec.key_id}; Host: {allowed})", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


def _error(text: str) -> None:
    """``error: text`` on stderr, the secret settings masked in it (a setting's value quoted by its error)."""
    from orchestra.telemetry.own_lines import masked

    print(masked(f"error: {text}"), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
