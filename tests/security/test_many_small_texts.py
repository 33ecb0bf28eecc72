"""A log line (or any value) of many small texts is masked with one pass of every matcher over them all, and the
base64 and hex runs of a text decoded a call per offset, not per run: a pass per text and a decoding per run
cost a line of 2x10^4 small texts 3.4 s (bench/log_masking.py prints the figure). Masked together, each text
comes out as masked alone: the joint between two texts is an edge to every form, and no form runs across it."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from orchestra import encoded_spans
from orchestra.secrets import Masker
from orchestra.telemetry import redaction

KEY = "sk-worker-key-0123456789abcdef"
PIN = "2026"
PLAN = "X-Plan: tok3n-of-the-plan"


def texts() -> list[str]:
    """Texts each holding a value in one form or none, beside others that may run into it."""
    forms = [
        KEY,
        KEY.upper(),
        base64.b64encode(KEY.encode()).decode(),
        KEY.encode().hex(),
        quote(KEY, safe=""),
        json.dumps({"k": KEY}),
        f"pin {PIN}",
        f"{PIN}-12-01",
        f"report_{PIN}.pdf",
        json.dumps(f"a\n-{PIN}"),
        PLAN,
        base64.b64encode(PLAN.encode()).decode(),
        f"Basic {base64.b64encode(b'user:' + PIN.encode()).decode()}",
        "QUJDREVGR0hJSktM",
        "de:ad:be:ef:00:11:22",
        "%41%42 plain",
        "",
        "***",
        f"a***{KEY}",
        "\ud800",
    ]
    return [f"{before}{form}{after}" for form in forms for before in ("", "x", " ", "=") for after in ("", "y", " ")]


@pytest.fixture
def remembered() -> Iterator[None]:
    redaction.forget_all()
    redaction.remember(KEY, PIN)
    redaction.remember(PLAN, every_form=False)
    yield
    redaction.forget_all()


def test_texts_masked_together_are_masked_as_each_alone() -> None:
    masker = Masker([KEY, PIN], as_written=[PLAN])
    each = texts()
    assert masker.texts(each) == [masker.text(text) for text in each]
    assert masker.value({"a": each, "b": [{"c": text} for text in each]}) == {
        "a": [masker.value(text) for text in each],
        "b": [{"c": masker.value(text)} for text in each],
    }


@pytest.mark.usefixtures("remembered")
def test_a_log_value_masked_together_is_masked_as_each_text_alone() -> None:
    each = texts()
    assert redaction.redact({"items": each}) == {"items": [redaction.redact_text(text) for text in each]}


@pytest.mark.usefixtures("remembered")
def test_a_line_of_many_texts_is_one_pass_of_the_matchers(monkeypatch: pytest.MonkeyPatch) -> None:
    passes = 0
    spans = Masker.spans

    def counted(self: Masker, text: str) -> list[tuple[int, int]]:
        nonlocal passes
        passes += 1
        return spans(self, text)

    monkeypatch.setattr(Masker, "spans", counted)
    line: dict[str, Any] = {"event": "x", "items": [f"item {n}: QUJD{n:06d}" for n in range(2_000)]}
    redaction.redact_processor(None, "info", line)
    assert passes <= 4, f"{passes} passes of every matcher for one line (a text's each, before)"


def test_the_runs_of_a_text_are_decoded_a_call_per_offset() -> None:
    text = " ".join(f"QUJD{n:06d}:deadbeef{n:06d}" for n in range(1_000))
    decoded = encoded_spans._run_segments(text)
    assert len(decoded) <= 6, f"{len(decoded)} decodings (one per run and offset, before)"
    masker = Masker([], as_written=["ABC00099"])
    assert masker.text(base64.b64encode(b"ABC00099").decode() + " " + text).startswith("***")
