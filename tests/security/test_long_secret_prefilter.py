"""A long secret's pattern (the worker's secret settings: a codec key, TEMPORAL_API_KEY) tried only where RE2 finds
one of its forms begins (orchestra/secrets.py ``_long_prefilters``), and an output's strings read in one pass.

Tried by ``re`` at every character, each setting cost every tool's output about 0.25 s a megabyte (ten settings,
seconds of a thread per call; bench/output_masking.py). The prefilter must lose nothing: whatever a text holds, at its
very start or end, two secrets' forms overlapping, a form cut by a line's end or a soft break, it is masked exactly
as the patterns tried everywhere mask it."""

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

from orchestra import secrets as secrets_module
from orchestra.secrets import MASK, Masker

_LONG = [
    "Kq7vN2pLx9Wm4RtZ",
    base64.b64encode(bytes(range(7, 39))).decode(),  # a codec key: + and / in it
    "pass phrase with spaces & <tags> 'quoted' \"too\"",
    "clé-€uro~Straße#42\\path",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl",
]
_WORDS = ["order", "2026-12-01", "status=ok", "id:4821", "\\n", "%0A", "ZGF0YQ==", "&amp;", "***", "=\r\n", "\t"]


def _reference(secrets: list[str]) -> Masker:
    """A masker whose long secrets' patterns are tried at every character, as before their prefilters."""
    masker = Masker(secrets)
    masker._long_filters = [None] * len(masker._long_filters)
    return masker


def _forms(secret: str) -> list[str]:
    data = secret.encode()
    wrapped = base64.b64encode(data).decode()
    return [
        secret,
        secret.upper(),
        secret.swapcase(),
        urllib.parse.quote(secret, safe=""),
        urllib.parse.quote_plus(secret),
        html.escape(secret),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        json.dumps(json.dumps(secret))[1:-1],
        base64.b64encode(data).decode(),
        base64.urlsafe_b64encode(data).decode().rstrip("="),
        "\n".join(wrapped[i : i + 7] for i in range(0, len(wrapped), 7)),
        data.hex(),
        data.hex(" "),
        str(list(data)),
        secret.encode("utf-16-le").hex(" "),
        secret[:5] + "\u200b" + secret[5:],
        secret[:6] + "\n" + secret[6:],
        repr(secret),
        repr(data),
    ]


def _text(secrets: list[str], rng: random.Random, size: int) -> str:
    words: list[str] = []
    while sum(map(len, words)) < size:
        words.append(rng.choice(_forms(rng.choice(secrets))) if rng.random() < 0.15 else rng.choice(_WORDS))
    return rng.choice([" ", "", "\n", "-"]).join(words)


@pytest.mark.parametrize("seed", range(12))
def test_the_prefilter_masks_what_the_patterns_alone_mask(seed: int) -> None:
    rng = random.Random(seed)
    secrets = rng.sample(_LONG, 3)
    masker, reference = Masker(secrets), _reference(secrets)
    for size in (30, 300, 3000):
        text = _text(secrets, rng, size)
        for part in (text, text[1:], text[:-1], text[rng.randrange(len(text)) :]):
            assert masker.text(part) == reference.text(part), (secrets, part)


@pytest.mark.parametrize("secret", _LONG)
def test_every_form_at_the_very_start_and_end_and_alone(secret: str) -> None:
    masker, reference = Masker([secret]), _reference([secret])
    for form in _forms(secret):
        for text in (form, form + " tail", "head " + form, "x" * 5000 + form, form + "y" * 5000):
            masked = masker.text(text)
            assert masked == reference.text(text), (form, text[:80])
            assert MASK in masked and secret not in masked, (form, masked[:80])


def test_overlapping_forms_of_two_secrets_are_masked_whole() -> None:
    first, second = "Kq7vN2pLx9Wm4RtZ", "x9Wm4RtZbH3cQ8sV"  # the second begins inside the first
    masker, reference = Masker([first, second]), _reference([first, second])
    for text in (first[:-8] + second, first + second[8:], f"a {first}{second} b", f"{second}{first}"):
        for form in (text, text.encode().hex(), urllib.parse.quote(text, safe="")):
            assert masker.text(form) == reference.text(form), form
            assert first not in masker.text(form) and second not in masker.text(form)


def test_a_secret_near_the_end_of_a_long_output_is_masked() -> None:
    secret = _LONG[1]
    filler = "".join(random.Random(5).choice("abcdef0123456789 \n") for _ in range(1 << 20))
    masker = Masker([secret])
    for form in (secret, secret.encode().hex(), urllib.parse.quote(secret, safe="")):
        output = masker.value({"rows": [filler, filler + form], "body": filler + form + "."})
        assert output["rows"][1] == filler + MASK and output["body"] == filler + MASK + "."
        assert masker.value(filler + form) == filler + MASK


def test_an_output_that_is_one_string_is_masked_as_a_text_is() -> None:
    """Read as a container, a string's characters were each a text joined to the next (a million for a megabyte's
    output: seconds); where that read found more than the masking had (a short secret it set apart: 'pin7hunter2hunter2'
    masked 'pin7***', pin7 a word of its own then), a character was to be replaced in the string, a TypeError (the
    step failed, was retried, and failed again)."""
    masker = Masker(["hunter2hunter2", "pin7"])
    for text in ("pin7hunter2hunter2", "hunter2hunter2pin7", "a pin7hunter2hunter2 b", "pin7 hunter2hunter2"):
        assert masker.value(text) == masker.text(text)
        assert "hunter2" not in masker.value(text)
    assert masker.value(["pin7hunter2hunter2"]) == [masker.text("pin7hunter2hunter2")]


class _Counting:
    """A pattern that counts the places it is tried at: ``match`` one, ``finditer`` every character."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.regex = pattern
        self.tried = 0

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        self.tried += 1
        return self.regex.match(text, pos)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        self.tried += len(text)
        return self.regex.finditer(text)


def test_a_long_secret_is_tried_only_where_one_of_its_forms_begins(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = _LONG[1]
    masker = Masker([secret])
    counting = [_Counting(secrets_module._compiled(secret))]
    monkeypatch.setattr(secrets_module, "_compiled", lambda _: counting[0])
    text = "".join(random.Random(9).choice("abcdef0123456789 \n") for _ in range(200_000))
    assert masker.text(f"{text} {secret} {secret.encode().hex()}") == f"{text} {MASK} {MASK}"
    # Before: tried at every one of the text's 200,000 characters.
    assert sum(one.tried for one in counting) < 10


def test_strings_of_different_containers_are_still_not_joined() -> None:
    secret = "Kq7vN2pLx9Wm4RtZ"
    masker = Masker([secret])
    joined = masker.value({"a": ["x " + secret[:8], secret[8:] + " y"], "b": "z"})
    assert joined == {"a": ["x " + MASK, MASK + " y"], "b": "z"}
    apart = [["a", "x " + secret[:8]], [secret[8:] + " y", "b"], {"k": secret[:8], "l": "c"}, {"k": secret[8:]}]
    assert masker.value(apart) == apart


def test_rows_are_read_in_one_pass_not_one_each() -> None:
    masker = Masker(["Kq7vN2pLx9Wm4RtZ"])
    calls = 0
    spans = masker.spans

    def counted(text: str) -> list[tuple[int, int]]:
        nonlocal calls
        calls += 1
        return spans(text)

    state: dict[str, Any] = masker.__dict__
    state["spans"] = counted
    rows = [{"id": str(n), "text": f"row {n} Kq7vN2pL", "more": "x9Wm4RtZ end"} for n in range(1000)]
    output = masker.value({"rows": rows})
    assert all(row["text"].endswith(MASK) and row["more"].startswith(MASK) for row in output["rows"])
    # Before: one pass for every row (1,000), each every matcher's fixed cost.
    assert calls <= 4, calls


def test_a_long_secrets_pattern_is_compiled_only_where_its_prefilter_finds_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each long secret's pattern of every form is compiled where its prefilter first finds a start, not when its
    masker is made (ten settings' masker took 5.8 s of CPU to make, though almost no text holds one); a masker made in
    a thread for an event loop compiles them all at once (``compiled``)."""
    compiled: list[str] = []
    real = secrets_module._compiled

    def counted(secret: str) -> re.Pattern[str]:
        compiled.append(secret)
        return real(secret)

    monkeypatch.setattr(secrets_module, "_compiled", counted)
    lazy, eager = _LONG[0] + "-lazy", _LONG[0] + "-eager"
    masker = Masker([lazy])
    assert masker.text("nothing secret here\n" * 50) == "nothing secret here\n" * 50
    assert lazy not in compiled
    assert masker.text(f"a {lazy} b {base64.b64encode(lazy.encode()).decode()}") == f"a {MASK} b {MASK}"
    assert lazy in compiled
    Masker([eager], compiled=True)
    assert eager in compiled
