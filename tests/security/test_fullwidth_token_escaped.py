"""A token written in fullwidth characters (as a Japanese or Chinese text writes one) and then escaped as Python's
``json.dumps`` writes it (``\\uff3a\\uff4d``), or its UTF-8 bytes written as hex or percent-encoded, is masked as the
fullwidth token itself was: each showed the secret in clear (attack350 M3)."""

from __future__ import annotations

import json
import re
import subprocess
import urllib.parse
from collections.abc import Callable

import pytest

from orchestra.secrets import Masker

SECRETS = ("correcthorsebatterystaple42", "Zm9v+/xS3cr3tV4lue==")


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


FORMS: dict[str, Callable[[str], str]] = {
    "json.dumps": lambda wide: json.dumps({"token": wide}),
    "JSON upper-case hex": lambda wide: re.sub(r"\\u(....)", lambda m: "\\u" + m[1].upper(), json.dumps(wide)),
    "hex": lambda wide: wide.encode().hex(),
    "hex spaced": lambda wide: wide.encode().hex(" "),
    "xxd -p": lambda wide: subprocess.run(
        ["xxd", "-p", "-c", "0"], input=wide.encode(), capture_output=True
    ).stdout.decode(),
    "URL-encoded": lambda wide: urllib.parse.quote(wide),
    "URL-encoded lower case": lambda wide: urllib.parse.quote(wide).lower(),
    "URL-encoded twice": lambda wide: urllib.parse.quote(urllib.parse.quote(wide)),
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("secret", SECRETS)
def test_a_fullwidth_token_written_as_bytes_is_masked(secret: str, form: str) -> None:
    shown = FORMS[form](_fullwidth(secret))
    assert "***" in Masker([secret]).text(f"got {shown} end"), shown
