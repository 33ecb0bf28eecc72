"""A secret holding quotes, as quoting writes it inside a string of its own kind (CSV's and SQL's doubled quote, a
shell's '\\'' and '"'"' and "\\"", a backslash before it), a long one wrapped across lines (LF, CRLF, JSON-escaped)
or with its tabs expanded to spaces, and its UTF-16LE bytes in hex: each was left in clear. The texts are made by
the tools that write them (csv, shlex, textwrap, expandtabs, bytes.hex) where Python has one."""

from __future__ import annotations

import csv
import io
import json
import shlex
import textwrap
from collections.abc import Callable

import pytest

from orchestra.secrets import Masker

QUOTED = "pa\"ss'word-Xy9z"
TABBED = "tab\tbed\tsecret-42"
LONG = "wrapped-secret-value-0123456789-abcdefghij"


def csv_field(value: str) -> str:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL).writerow(["id", value])
    return out.getvalue()


QUOTINGS: dict[str, Callable[[str], str]] = {
    "CSV": csv_field,
    "SQL": lambda s: "INSERT INTO t VALUES ('" + s.replace("'", "''") + "')",
    "shell single": lambda s: "run --key " + shlex.quote(s),
    "shell '\"'\"'": lambda s: "run --key '" + s.replace("'", "'\"'\"'") + "'",
    "shell double": lambda s: 'run --key "' + s.replace('"', '"\\""') + '"',
    "backslashed": lambda s: "key=" + s.replace('"', '\\"').replace("'", "\\'"),
    "JSON then CSV": lambda s: csv_field(json.dumps({"k": s})),
}


@pytest.mark.parametrize("name", QUOTINGS)
def test_a_quoted_secret_is_masked(name: str) -> None:
    text = QUOTINGS[name](QUOTED)
    masked = Masker([QUOTED]).text(text)
    assert "***" in masked and "word-Xy9z" not in masked and "pa" not in masked.replace("VALUES", ""), (text, masked)


WRAPPINGS: dict[str, Callable[[str], str]] = {
    "LF at 10": lambda s: "\n".join(textwrap.wrap(s, 10, break_on_hyphens=False)),
    "LF at 7": lambda s: "\n".join(s[i : i + 7] for i in range(0, len(s), 7)),
    "CRLF at 16": lambda s: "\r\n".join(s[i : i + 16] for i in range(0, len(s), 16)),
    "JSON-escaped LF": lambda s: json.dumps("\n".join(s[i : i + 12] for i in range(0, len(s), 12)))[1:-1],
    "CR alone": lambda s: s[:20] + "\r" + s[20:],
}


@pytest.mark.parametrize("name", WRAPPINGS)
def test_a_wrapped_secret_is_masked(name: str) -> None:
    text = "log: " + WRAPPINGS[name](LONG) + " end"
    masked = Masker([LONG]).text(text)
    assert masked == "log: *** end", (text, masked)


@pytest.mark.parametrize("tabsize", [1, 2, 4, 8])
def test_a_secret_with_its_tabs_expanded_is_masked(tabsize: int) -> None:
    for before in ("", "x", "abcdef"):
        text = (before + TABBED).expandtabs(tabsize)
        assert Masker([TABBED]).text(text) == before + "***", text


HEX_DUMPS: dict[str, Callable[[bytes], str]] = {
    "bare": lambda data: data.hex(),
    "spaced": lambda data: data.hex(" "),
    "words": lambda data: data.hex(" ", 2),
    "upper, colons": lambda data: data.hex(":").upper(),
    "C array": lambda data: ", ".join(f"0x{b:02x}" for b in data),
}


@pytest.mark.parametrize("name", HEX_DUMPS)
def test_the_hex_of_a_secrets_utf16le_bytes_is_masked(name: str) -> None:
    for secret in (LONG, "pässwört-€-ключ"):
        text = "dump: " + HEX_DUMPS[name](secret.encode("utf-16-le")) + " end"
        assert Masker([secret]).text(text) == "dump: *** end", text


def test_the_words_around_are_kept() -> None:
    """Not a secret: the same words broken elsewhere than between its characters, a quote doubled beside it."""
    masker = Masker([LONG, QUOTED])
    for text in ("wrapped-secret\n\nvalue", "\"\" ''", "pa\"ss 'word", "00 00 00 00 6c 00"):
        assert masker.text(text) == text
