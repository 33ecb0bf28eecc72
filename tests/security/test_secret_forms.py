"""A secret in the forms next to the common ones (tests/security/test_secrets.py has those): base32 and
base32hex, base85 and Ascii85, upper- or lower-cased by a tool, C octal escapes, CSS escapes,
quoted-printable, JavaScript's ``escape()`` (``%u0061``), the Unicode escapes of other languages
(``\\u{61}``, ``\\x{61}``, ``\\U00000061``, ``U+0061``, ``\\N{...}``), a backslash before each character
(a regex or shell quoting it), hex with separators, its bytes or characters as lists of numbers (hex
dumps, C arrays, list(bytes), Node's Buffer), UTF-7 and ROT13. An echoing server sends each, alone
and inside a longer encoded text; the history is searched for every one."""

from __future__ import annotations

import base64
import codecs
import json
import textwrap
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from orchestra.record import ExecutionRecord, StepState
from orchestra.secrets import mask_secrets
from tests.helpers import http_server
from tests.security.support import run
from tests.security.test_secrets import lookup_settings

# Letters (for the case forms), characters every escape writes otherwise, one outside Latin-1 and one
# outside the BMP.
SECRET = "Tok3n-Secret/é+€🔑 x"


def _units(char: str) -> list[int]:
    data = char.encode("utf-16-be")
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]


def inside(key: str) -> dict[str, tuple[str, str]]:
    """The key inside a longer encoded text, by name: the text sent, and the part of it that depends on
    the key alone (what must not be seen)."""
    data = key.encode()
    b32, b32hex = base64.b32encode(b"user:" + data).decode(), base64.b32hexencode(b"user:" + data).decode()
    b85, a85 = base64.b85encode(b"abc" + data).decode(), base64.a85encode(b"ab" + data).decode()
    return {
        "base32 inside": (b32, b32[8:-8]),
        "base32hex inside": (b32hex, b32hex[8:-8]),
        "base85 inside": (b85, b85[5:-5]),
        "ascii85 inside": (a85, a85[5:-5]),
    }


def neighbouring_forms(key: str) -> dict[str, str]:
    """The key as each neighbouring encoding writes it, by name."""
    data = key.encode()
    return {
        "base32": base64.b32encode(data).decode(),
        "base32 lower": base64.b32encode(data).decode().lower().rstrip("="),
        "base32hex": base64.b32hexencode(data).decode(),
        "base85": base64.b85encode(data).decode(),
        "ascii85": base64.a85encode(data, adobe=True).decode(),
        "upper": key.upper(),
        "lower": key.lower(),
        "swapped": key.swapcase(),
        "octal": "".join(f"\\{b:03o}" for b in data),
        "octal, short": "".join(f"\\{b:o}" for b in data),
        "css": "".join(f"\\{ord(c):x} " for c in key),
        "css, six digits": "".join(f"\\{ord(c):06X}" for c in key),
        "quoted-printable": "".join(f"={b:02X}" for b in data),
        "js escape()": "".join(f"%{ord(c):02X}" if ord(c) < 0x100 else "".join(f"%u{u:04X}" for u in _units(c)) for c in key),
        "%u every character": "".join(f"%u{u:04x}" for c in key for u in _units(c)),
        "es6": "".join(f"\\u{{{ord(c):x}}}" for c in key),
        "perl": "".join(f"\\x{{{ord(c):X}}}" for c in key),
        "python U": "".join(f"\\U{ord(c):08x}" for c in key),
        "code points": " ".join(f"U+{ord(c):04X}" for c in key).replace(" ", ""),
        "named": "".join(c if c.isascii() else f"\\N{{{unicodedata.name(c)}}}" for c in key),
        "backslash each": "".join(f"\\{c}" for c in key),
        "hex spaced": data.hex(" "),
        "hex colons": data.hex(":").upper(),
        # the bytes as numbers: a hex dump (xxd groups two bytes), a C array, hex wrapped in lines,
        # Python's list(bytes), Node's Buffer in JSON, Go's %v, Java's signed bytes, an array one number
        # a line, JavaScript's charCodeAt
        "hex dump": data.hex(" ", 2),
        "C array": "{" + ", ".join(f"0x{b:02X}" for b in data) + "}",
        "hex wrapped": "\n".join(textwrap.wrap(data.hex(), 16)),
        "list(bytes)": str(list(data)),
        "Buffer in JSON": json.dumps({"type": "Buffer", "data": list(data)}),
        "Go %v": str(list(data)).replace(",", ""),
        "Java bytes": str([b - 256 if b > 127 else b for b in data]),
        "one a line": json.dumps(list(data), indent=8),
        "charCodeAt": ",".join(str(u) for c in key for u in _units(c)),
        "utf-7": key.encode("utf-7").decode(),
        "rot13": codecs.encode(key, "rot13"),
        # `echo "$KEY" | base64` and MIME wrap at 76 columns, `openssl base64` at 64
        "base64 wrapped": "\n".join(textwrap.wrap(base64.b64encode(data * 3).decode(), 76)),
        "base64 wrapped, CRLF": "\r\n".join(textwrap.wrap(base64.b64encode(data * 3).decode(), 64)),
        "base64 in a URL": quote(base64.b64encode(data).decode(), safe=""),
        "base64 by PHP's json_encode": base64.b64encode(data).decode().replace("/", "\\/"),
        "base64 of UTF-16 (PowerShell -EncodedCommand)": base64.b64encode(key.encode("utf-16-le")).decode(),
    }  # fmt: skip


def echo_forms(request: Any) -> tuple[int, dict[str, str], bytes]:
    key = parse_qs(urlsplit(request.path).query).get("key", [""])[0]
    sent = {**neighbouring_forms(key), **{name: whole for name, (whole, _) in inside(key).items()}}
    body = "\n".join(f"{name}: [{form}]" for name, form in sent.items())
    return 200, {"Content-Type": "text/plain; charset=utf-8"}, body.encode()


async def looked_up(
    client: Any, task_queue: str, tmp_path: Path, answer: Callable[[Any], Any], page: str
) -> tuple[ExecutionRecord, str]:
    """A plan whose one step, named ``page``, calls ``lookup`` with the secret API for that page of a server
    answering with ``answer``: its record and its history's text."""
    with http_server(answer) as url:
        settings = lookup_settings(client, task_queue, tmp_path, url)
        args = {"api_key": "${secrets.API}", "page": page}
        return await run(client, settings, {"name": page, "nodes": [{"id": page, "tool": "lookup", "args": args}]})


async def test_a_secret_in_a_neighbouring_encoding_is_masked(client, task_queue, tmp_path, monkeypatch):
    monkeypatch.setenv("ORCHESTRA_SECRET_API", SECRET)
    record, history = await looked_up(client, task_queue, tmp_path, echo_forms, "echo")
    assert record.step("echo").state == StepState.COMPLETED
    shown = {
        name
        for name, form in [*neighbouring_forms(SECRET).items(), *((n, part) for n, (_, part) in inside(SECRET).items())]
        if form in history or json.dumps(form, ensure_ascii=False)[1:-1] in history
    }
    assert not shown, f"found in the history: {sorted(shown)}"
    assert all(f"{name}: [***]" in history for name in ("octal", "base85", "upper")), "the page's own words are kept"


def test_every_neighbouring_form_is_masked_where_it_stands():
    """The same forms, masked directly: each one whole, and the text around it kept."""
    for name, form in neighbouring_forms(SECRET).items():
        masked = mask_secrets(f"{name}: [{form}]", [SECRET])
        assert form not in masked and masked.startswith(f"{name}: ["), name
    for name in ("base64 wrapped", "base64 wrapped, CRLF"):  # a copy of the key across a line break too
        masked = mask_secrets(neighbouring_forms(SECRET)[name], [SECRET]).replace("\r", "").replace("\n", "")
        assert len(masked.replace("***", "")) < 4, masked  # what is left: a character between copies
    for name, (whole, part) in inside(SECRET).items():
        assert part not in mask_secrets(whole, [SECRET]), name


# Its length a multiple of 3, so its base64 has no character shared with what follows: masked whole.
KEYED = "Kx9/Tq+Lm2Zr"


def keyed_by_forms(request: Any) -> tuple[int, dict[str, str], bytes]:
    key = parse_qs(urlsplit(request.path).query).get("key", [""])[0]
    forms = {key: "raw", quote(key, safe=""): "percent", base64.b64encode(key.encode()).decode(): "base64"}
    body = {**forms, "***": "own", "***#2": "own #2"}  # the server's own keys, after the secret's
    return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()


async def test_keys_that_mask_to_the_same_text_keep_every_value(client, task_queue, tmp_path, monkeypatch):
    # Masked, the four keys are one: the last value replaced the others, and the answer looked whole.
    monkeypatch.setenv("ORCHESTRA_SECRET_API", KEYED)
    record, history = await looked_up(client, task_queue, tmp_path, keyed_by_forms, "keys")
    step = record.step("keys")
    assert step.state == StepState.COMPLETED and isinstance(step.output, dict), step.error
    answer = step.output["json"]
    assert sorted(answer.values()) == ["base64", "own", "own #2", "percent", "raw"], answer
    # The server's own keys keep their names: the masked ones were numbered first and took them ("***" held
    # the secret's value, the server's "***" became "***#4"), its "***#2" renamed "***#2#2".
    assert answer["***"] == "own" and answer["***#2"] == "own #2", answer
    assert all(
        form not in history for form in (KEYED, quote(KEYED, safe=""), base64.b64encode(KEYED.encode()).decode())
    )


def test_keys_masked_alike_are_numbered_past_those_already_taken():
    cases = {KEYED: 1, KEYED.upper(): 2, "***#3": 3, KEYED.lower(): 4, "***": 5}
    assert mask_secrets(cases, [KEYED]) == {"***#2": 1, "***#4": 2, "***#3": 3, "***#5": 4, "***": 5}
    # Keys masked alike in number (the secret in 4,096 letter cases) are numbered in one pass each: each
    # searched from #2 again, 5,000 of them took 20 s.
    letters = "KxqTLmZrwPbn"
    cased = (
        "".join(c.swapcase() if bit == "1" else c for c, bit in zip(letters, f"{i:012b}", strict=True))
        for i in range(4096)
    )
    many = {key: i for i, key in enumerate(cased)}
    assert sorted(mask_secrets(many, [letters]).values()) == list(range(4096))
