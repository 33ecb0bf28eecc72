"""A secret's UTF-16 or UTF-32 bytes (or a non-ASCII one's UTF-8) escaped as a program writes bytes — Python's repr
(``Z\\x00m\\x00``), that escaped once more, JSON's ``\\u0000``, C's ``\\0`` — is masked, as is a token in fullwidth
characters, its punctuation too. A server answering a header line in UTF-16 made httpx's error quote the worker's
secret so, and it reached the step's error and the history in clear: a real server on loopback, a real worker."""

from __future__ import annotations

import json
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

from orchestra.record import StepState
from orchestra.secrets import Masker
from tests.helpers import serving
from tests.security.support import real_settings, run

TOKEN = "Zm9v+/xS3cr3tV4lue=="
SECRETS = (TOKEN, "p@ss/w:rd?&=+ #key%7 ünï", "it's\\ a pass phrase", "4821")
WIDE = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")


def _repr(data: bytes) -> str:
    return repr(data)[2:-1]


ESCAPINGS: dict[str, Callable[[bytes], str]] = {
    "repr": _repr,
    "repr of repr": lambda data: repr(repr(bytearray(data))),
    "JSON of the bytes read as Latin-1": lambda data: json.dumps(data.decode("latin-1")),
    "JSON in JSON": lambda data: json.dumps(json.dumps(data.decode("latin-1"))),
    "C's \\0": lambda data: _repr(data).replace("\\x00", "\\0"),
    "octal": lambda data: "".join(chr(b) if 0x20 <= b < 0x7F and chr(b) not in "\\'\"" else f"\\{b:03o}" for b in data),
    "str's repr": lambda data: repr(data.decode("latin-1")),
}


# An ASCII secret's UTF-8 escaped is the secret with its quotes escaped: that has tests of its own.
ENCODED = [
    (secret, encoding)
    for secret in SECRETS
    for encoding in (*WIDE, "utf-8")
    if encoding in WIDE or not secret.isascii()
]


@pytest.mark.parametrize("escaping", ESCAPINGS)
@pytest.mark.parametrize(("secret", "encoding"), ENCODED)
def test_a_secrets_bytes_escaped_are_masked(secret: str, encoding: str, escaping: str) -> None:
    shown = ESCAPINGS[escaping](secret.encode(encoding))
    text = f"illegal header line: {shown}!"
    assert Masker([secret]).text(text).count("***") >= 1, text


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if 0x21 <= ord(c) <= 0x7E else c for c in text)


@pytest.mark.parametrize("secret", SECRETS)
def test_a_secret_in_fullwidth_is_masked_punctuation_and_all(secret: str) -> None:
    assert Masker([secret]).text(f"[{fullwidth(secret)}]") == "[***]"


def test_a_text_with_no_secret_is_left_as_it_was() -> None:
    text = "b'a\\x00b\\x00' \\u0000 " + fullwidth("a+b=c/d") + " Zm9v and 4822"
    assert Masker(SECRETS).text(text) == text


class _WideHeaderServer(BaseHTTPRequestHandler):
    """Answers with the request's X-Tok header echoed back as a header line in UTF-16 (which h11 refuses)."""

    def do_GET(self) -> None:
        line = ("X-Echo: " + self.headers["X-Tok"]).encode("utf-16-le")
        self.wfile.write(b"HTTP/1.1 200 OK\r\n" + line + b"\r\nContent-Length: 0\r\n\r\n")

    def log_message(self, *args: Any) -> None:
        pass


async def test_a_header_line_in_utf16_quoting_the_secret_leaves_it_in_no_error(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORCHESTRA_SECRET_TOKEN", TOKEN)
    with serving(_WideHeaderServer) as url:
        settings = real_settings(client, task_queue, tmp_path / "ws", allowed_hosts=[url[7:]])
        args = {"url": f"{url}/hdr", "headers": {"X-Tok": "${secrets.TOKEN}"}, "timeout_s": 20}
        plan = {
            "name": "wide",
            "nodes": [{"id": "h", "tool": "http_request", "args": args, "retry": {"max_attempts": 1}}],
        }
        record, history = await run(client, settings, plan)
    step = record.step("h")
    assert step.state == StepState.ERROR and step.error is not None
    error = step.error.message
    assert "illegal header line" in error and "***" in error, error
    wide = TOKEN.encode("utf-16-le")
    forms = [_repr(wide), _repr(wide).replace("\\", "\\\\"), _repr(wide[2:-2]), TOKEN, "m\\x009\\x00v\\x00+"]
    for where, text in (("the step's error", error), ("the history", history)):
        shown = [form for form in forms if form in text or json.dumps(form)[1:-1] in text]
        assert not shown, f"in {where}: {shown}"


@pytest.mark.parametrize("secret", ["it's\\ a pass phrase", 'it\'s "quoted" here'])
def test_a_secret_with_a_quote_in_a_repr_of_a_repr_of_its_bytes_is_masked(secret: str) -> None:
    shown = repr(repr(bytearray(secret.encode())))
    masked = Masker([secret]).text(shown)
    assert "***" in masked and secret.split()[-1] not in masked, masked
