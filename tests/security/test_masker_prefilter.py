"""The masker's patterns tried only where RE2 finds a form of a secret may begin (orchestra/secret_prefilter.py).

Tried at every character by Python's ``re``, 50 short secrets cost about 9 s per megabyte of a tool's output and
200 about 35 s, on the thread that masks every log line. The prefilter must lose nothing: random texts holding the
secrets in any case, split by every kind of invisible character (as it is or JSON-escaped), in their escaped and
encoded forms, JSON-escaped as a whole, are masked exactly as the patterns alone mask them."""

from __future__ import annotations

import base64
import html
import json
import random
import re
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest

from orchestra import secrets as masking
from orchestra.invisible_chars import IGNORABLE_RANGES
from orchestra.secrets import Masker

_WORDS = ["order", "2026-12-01", "FY2026Q1", "status=ok", "id:4821", "user", "Token", "\\n", "%0A", "ZGF0YQ==", "&amp;"]
_INVISIBLES = [chr(first) for first, _ in IGNORABLE_RANGES] + [chr(last) for _, last in IGNORABLE_RANGES]


def _secrets(rng: random.Random) -> list[str]:
    alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    found = ["".join(rng.choice(alphabet) for _ in range(rng.randint(4, 7))) for _ in range(4)]
    found += ["".join(rng.choice(alphabet + "+/=_-.") for _ in range(rng.randint(8, 20))) for _ in range(2)]
    found += [
        rng.choice(
            ["pässwört", "Straße12", "\uff50\uff49\uff4e\uff12\uff10\uff12\uff16", "clé-€uro", "2026", "hunter2!"]
        )
    ]
    return found


def _split(secret: str, rng: random.Random) -> str:
    """The secret with an invisible character, as it is or JSON-escaped, between two of its characters."""
    at = rng.randint(1, len(secret) - 1)
    invisible = rng.choice(_INVISIBLES)
    if rng.random() < 0.5:
        invisible = json.dumps(invisible)[1:-1] if json.dumps(invisible) != f'"{invisible}"' else invisible
    return secret[:at] + invisible + secret[at:]


def _form(secret: str, rng: random.Random) -> str:
    cased = rng.choice([secret, secret.upper(), secret.lower(), secret.swapcase()])
    forms = [
        lambda: cased,
        lambda: _split(cased, rng),
        lambda: urllib.parse.quote(secret, safe=""),
        lambda: "".join(f"%{ord(c):02X}" if rng.random() < 0.5 and c.isascii() else c for c in secret),
        lambda: html.escape(secret),
        lambda: "".join(f"&#{ord(c)};" if rng.random() < 0.5 else c for c in secret),
        lambda: json.dumps(secret, ensure_ascii=True)[1:-1],
        lambda: "".join(f"\\u{ord(c):04x}" if rng.random() < 0.5 and ord(c) < 0x10000 else c for c in secret),
        lambda: base64.b64encode(secret.encode()).decode(),
        lambda: secret.encode().hex(),
        lambda: f"pin{cased}Code",
        lambda: f"{cased}{cased}",
    ]
    return rng.choice(forms)()


def _text(secrets: list[str], rng: random.Random, size: int) -> str:
    words: list[str] = []
    while sum(map(len, words)) < size:
        words.append(_form(rng.choice(secrets), rng) if rng.random() < 0.08 else rng.choice(_WORDS))
    glue = rng.choice([" ", "", "\n", "-", "_", "\t"])
    text = glue.join(words)
    return json.dumps(text)[1:-1] if rng.random() < 0.3 else text


class _Reference:
    """A masker's output with its patterns tried everywhere, its prefilters out of the way meanwhile."""

    def __init__(self, secrets: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
        self.masker = Masker(secrets)
        self.monkeypatch = monkeypatch

    def text(self, text: str) -> str:
        with self.monkeypatch.context() as patch:
            patch.setattr(masking, "prefilters", lambda cores: None)
            patch.setattr(masking, "_short_prefilters", lambda secrets: (None,) * len(self.masker._short))
            self.masker.__dict__.pop("_short_filters", None)
            try:
                return self.masker.text(text)
            finally:
                self.masker.__dict__.pop("_short_filters", None)


@pytest.mark.parametrize("seed", range(24))
def test_the_prefilter_masks_what_the_patterns_alone_mask(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    secrets = _secrets(rng)
    masker, reference = Masker(secrets), _Reference(secrets, monkeypatch)
    for size in (40, 400, 4000):
        text = _text(secrets, rng, size)
        expected = reference.text(text)
        assert masker.text(text) == expected, (secrets, text)
        assert masker.text(text[1:]) == reference.text(text[1:]), (secrets, text[1:])


def test_every_invisible_between_every_two_characters_is_masked_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    secrets = ["pin7", "hunter22", "Zm9vYmFyYmF6"]
    masker, reference = Masker(secrets), _Reference(secrets, monkeypatch)
    for invisible in _INVISIBLES:
        escaped = json.dumps(invisible)[1:-1]
        for secret in secrets:
            for joiner in {invisible, escaped, escaped.replace("\\", "\\\\")}:
                text = f"a {joiner.join(secret.upper())} b {joiner.join(secret)}."
                assert masker.text(text) == reference.text(text), (secret, joiner)
                assert secret not in masker.text(text).replace(joiner, "")


class _Counting:
    """A pattern that counts the characters it is tried at: ``match`` one, ``search`` and ``finditer`` the rest
    of the text."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.regex, self.pattern = pattern, pattern.pattern
        self.tried: int = 0

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        self.tried += 1
        return self.regex.match(text, pos)

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        found = self.regex.search(text, pos)
        self.tried += (found.start() if found else len(text)) - pos + 1
        return found

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        self.tried += len(text)
        return self.regex.finditer(text)


def test_the_patterns_are_tried_only_where_a_secret_may_begin() -> None:
    rng = random.Random(238)
    secrets = ["".join(rng.choice("abcdefghijkmnopqrstuvwxyz0123456789") for _ in range(4 + n % 4)) for n in range(50)]
    secrets.append("sk-" + "Q" * 24)
    text = " ".join(rng.choice(_WORDS) for _ in range(40_000)) + f" {secrets[0]} {secrets[-1]}."
    masker = Masker(secrets)
    short = [_Counting(kind) for kind in masker._short]
    state: dict[str, Any] = masker.__dict__
    state["_short"] = tuple(short)
    assert masker.text(text).endswith(f" {masking.MASK} {masking.MASK}.")
    tried: int = sum(one.tried for one in short)
    # Before: every short secrets' pattern tried at every one of the text's 270,000 characters.
    assert tried < 100, tried
