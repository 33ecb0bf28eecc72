"""A log line's texts are masked each, and where a remembered value runs from one into the next: that second
look joined the whole texts, so every character of a line was read by every matcher twice (a field of 64 KiB,
twice). Now it reads only each text's ends, as far as a value's form may reach (``redaction._reach``), and masks
the same."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from orchestra.secrets import Masker
from orchestra.telemetry import redaction
from orchestra.telemetry.redaction import MASK, redact_processor

KEY = "worker-key-0123456789"
PLAN_VALUE = "plan-chosen-s3cret-value"
FIELD = 60_000


@pytest.fixture(autouse=True)
def remembered() -> Iterator[None]:
    redaction.forget_all()
    redaction.remember({"X-Api": PLAN_VALUE}, every_form=False)
    redaction.remember(KEY)
    yield
    redaction.forget_all()


@pytest.mark.parametrize("secret", [KEY, PLAN_VALUE])
def test_a_line_is_read_about_once_and_masked_as_before(secret: str, monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[int] = []
    spans = Masker.spans

    def counted(self: Masker, text: str) -> list[tuple[int, int]]:
        read.append(len(text))
        return spans(self, text)

    monkeypatch.setattr(Masker, "spans", counted)
    head = "a" * (FIELD - 30) + f" {secret} " + "b" * 10 + secret[:7]
    tail = secret[7:] + " " + "c" * (FIELD - 100) + f" {secret} end"
    line = redact_processor(None, "info", {"event": "tool said", "head": head, "tail": tail})
    assert secret not in line["head"] and secret not in line["tail"], "masked whole, within and across"
    assert line["head"].endswith(MASK) and line["tail"].startswith(MASK), (line["head"][-40:], line["tail"][:40])
    assert line["tail"].endswith(f" {MASK} end") and f" {MASK} " in line["head"]
    texts = len(head) + len(tail) + len("tool said") + len("info")
    assert sum(read) < 1.5 * texts, f"read {sum(read):,} characters of a line of {texts:,}"
