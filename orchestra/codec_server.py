"""A codec server, so the Temporal Web UI and CLI can show encrypted payloads to those allowed to read them.

    ORCHESTRA_CODEC_KEY=... python -m orchestra.codec_server --port 8081
    temporal workflow show -w ID --codec-endpoint http://localhost:8081
    Web UI: Settings (gear) -> Codec Server -> http://localhost:8081

POST /encode and POST /decode take and return ``{"payloads": [...]}`` (Temporal's JSON form of
Payloads). CORS answers the origins in ORCHESTRA_CODEC_CORS_ORIGINS (default the local Web UI). With
ORCHESTRA_CODEC_SERVER_TOKEN set, requests need ``Authorization: Bearer <token>``; decrypted payloads
only ever leave through this server, so run it where only the intended people can reach it.
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

DEFAULT_ORIGINS = "http://localhost:8233,http://127.0.0.1:8233,http://localhost:8080"
MAX_BODY_BYTES = 64 * 1024 * 1024


class CodecServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], codec: EncryptionCodec, origins: Sequence[str], token: str | None
    ) -> None:
        super().__init__(address, _Handler)
        self.codec = codec
        self.origins = set(origins)
        self.token = token

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
        if origin and ("*" in self.server.origins or origin in self.server.origins):
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

    def do_OPTIONS(self) -> None:
        self.send_response(204)
        self._cors()
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        if self.path.rstrip("/") in ("", "/health"):
            self._reply(200, {"status": "ok", "key_id": self.server.codec.key_id})
        else:
            self._reply(404, {"error": "POST /encode or /decode"})

    def do_POST(self) -> None:
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
    args = parser.parse_args(argv)
    if args.new_key:
        print(new_key())
        return 0
    try:
        codec = EncryptionCodec.from_env()
    except CodecKeyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if codec is None:
        print("error: set ORCHESTRA_CODEC_KEY (make one with --new-key)", file=sys.stderr)
        return 2
    origins = [o.strip() for o in os.environ.get("ORCHESTRA_CODEC_CORS_ORIGINS", DEFAULT_ORIGINS).split(",")]
    server = CodecServer((args.host, args.port), codec, [o for o in origins if o],
                         os.environ.get("ORCHESTRA_CODEC_SERVER_TOKEN") or None)  # fmt: skip
    print(f"codec server on {server.url} (key id {codec.key_id})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
