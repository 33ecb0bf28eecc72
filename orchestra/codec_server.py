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
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import json
import os
import sys
import threading
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from google.protobuf import json_format
from temporalio.api.common.v1 import Payloads

from orchestra.codec import CodecKeyError, EncryptionCodec, new_key
from orchestra.storage.display import display_codec

DEFAULT_ORIGINS = "http://localhost:8233,http://127.0.0.1:8233,http://localhost:8080"
DEFAULT_HOST_NAMES = ("localhost", "127.0.0.1", "[::1]")
MAX_BODY_BYTES = 64 * 1024 * 1024


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


class CodecServer(ThreadingHTTPServer):
    """``hosts``: the Host header values accepted (``name`` for any port, ``name:port`` for one);
    None means localhost, 127.0.0.1 and [::1] on the port the server listens on."""

    daemon_threads = True

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
        super().__init__(address, _Handler)
        self.codec = codec
        self.origins = set(origins)
        self.token = token or None
        port = str(self.server_address[1])
        chosen = hosts if hosts else [f"{name}:{port}" for name in DEFAULT_HOST_NAMES]
        self.hosts = {_host_and_port(host) for host in chosen}

    def host_allowed(self, header: str | None) -> bool:
        if not header:
            return False
        name, port = _host_and_port(header)
        return (name, port) in self.hosts or (name, None) in self.hosts

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def serve_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="codec-server", daemon=True)
        thread.start()
        return thread


class _Handler(BaseHTTPRequestHandler):
    server: CodecServer

    def _cors(self) -> None:
        origin = self.headers.get("Origin")
        if origin and origin in self.server.origins:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Credentials", "true")
            self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, X-Namespace, Authorization")
            self.send_header("Vary", "Origin")

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self._cors()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _host_refused(self) -> bool:
        """Refuses a Host the server does not go by: a DNS-rebinding page sends its own name."""
        if self.server.host_allowed(self.headers.get("Host")):
            return False
        self.close_connection = True
        data = json.dumps({"error": "Host header not allowed (see ORCHESTRA_CODEC_SERVER_HOSTS)"}).encode()
        self.send_response(403)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        return True

    def do_OPTIONS(self) -> None:
        if self._host_refused():
            return
        self.send_response(204)
        self._cors()
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        if self._host_refused():
            return
        if self.path.rstrip("/") in ("", "/health"):
            self._reply(200, {"status": "ok", "key_id": self.server.codec.key_id})
        else:
            self._reply(404, {"error": "POST /encode or /decode"})

    def do_POST(self) -> None:
        if self._host_refused():
            return
        path = self.path.split("?", 1)[0].rstrip("/")
        operation = path.rsplit("/", 1)[-1]
        if operation not in ("encode", "decode"):
            self._reply(404, {"error": "POST /encode or /decode"})
            return
        if not self._authorized():
            self._reply(401, {"error": "missing or wrong bearer token"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self._reply(413, {"error": "request too large"})
            return
        try:
            payloads = json_format.Parse(self.rfile.read(length) or b"{}", Payloads())
            codec = self.server.codec
            coroutine = codec.encode(payloads.payloads) if operation == "encode" else codec.decode(payloads.payloads)
            result = Payloads(payloads=asyncio.run(coroutine))
        except (json_format.ParseError, CodecKeyError, ValueError) as exc:
            self._reply(400, {"error": f"cannot {operation}: {exc}"})
            return
        except Exception:  # e.g. cryptography.exceptions.InvalidTag: never echo details of a failed decryption
            self._reply(400, {"error": f"cannot {operation} these payloads"})
            return
        self._reply(200, json_format.MessageToDict(result))

    def _authorized(self) -> bool:
        token = self.server.token
        if not token:
            return True
        given = self.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())

    def log_message(self, format: str, *args: Any) -> None:
        pass  # payloads are sensitive; request lines add nothing an operator needs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestra.codec_server", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--host", default=os.environ.get("ORCHESTRA_CODEC_SERVER_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("ORCHESTRA_CODEC_SERVER_PORT", "8081")))
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
    except CodecKeyError as exc:
        print(f"error: {exc}", file=sys.stderr)
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
    origins = split_list(os.environ.get("ORCHESTRA_CODEC_CORS_ORIGINS", DEFAULT_ORIGINS))
    hosts = split_list(os.environ.get("ORCHESTRA_CODEC_SERVER_HOSTS", ""))
    try:
        server = CodecServer((args.host, args.port), codec, origins, token, hosts=hosts, insecure=args.insecure)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if token is None:
        print("warning: --insecure: no bearer token, anyone who can reach this port can decrypt", file=sys.stderr)
    allowed = ", ".join(sorted(f"{name}:{port}" if port else name for name, port in server.hosts))
    print(f"codec server on {server.url} (key id {codec.key_id}; Host: {allowed})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
