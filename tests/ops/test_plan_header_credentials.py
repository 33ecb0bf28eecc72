"""Which of a plan's headers the log and span masker remembers, and in which parts: the credential after
an Authorization scheme alone, and none of the headers that carry no credential by their definition."""

from __future__ import annotations

import base64

import pytest

from orchestra.telemetry import redaction
from orchestra.telemetry.redaction import MASK, redact

TOKEN = "Xk9pZq2wLm7Rt-4f"


@pytest.fixture(autouse=True)
def _fresh_memory():
    redaction.forget_all()
    yield
    redaction.forget_all()


@pytest.mark.parametrize("written", [f"Bearer {TOKEN}", f"token {TOKEN}", f"Token Bearer {TOKEN}", f"bearer {TOKEN}\n"])
def test_the_credential_after_a_scheme_is_masked_alone_and_base64d(written: str) -> None:
    redaction.remember({"Authorization": written}, every_form=False)
    assert redact(f"invalid credential {TOKEN} for user") == f"invalid credential {MASK} for user"
    encoded = base64.b64encode(b"user=7;" + TOKEN.encode()).decode()
    assert TOKEN not in redact(f"echo {encoded}") and MASK in redact(f"echo {encoded}")
    assert redact(f'{{"detail": "{TOKEN.encode().hex()}"}}') == f'{{"detail": "{MASK}"}}'


def test_a_cookies_values_are_masked_alone() -> None:
    redaction.remember({"Cookie": "theme=dark; session=Qm9vb2s5ZmY=; lang=en"}, every_form=False)
    assert redact("session Qm9vb2s5ZmY= expired, theme dark") == f"session {MASK} expired, theme dark"


def test_a_plans_headers_that_carry_no_credential_leave_other_lines_as_they_are() -> None:
    redaction.remember(
        {
            "Content-Type": "application/json",
            "connection": "keep-alive",
            "Accept-Encoding": "gzip, deflate",
            "User-Agent": "orchestra/1.0",
            "X-Tenant-Sig": "acme-signed-9f3",
            "Referer": "https://a.example/reset?k=Zq81mm",
            "Prefer": "return=minimal, mode=strict",
            "Forwarded": "for=192.0.2.60;proto=https",
        },
        every_form=False,
    )
    line = "sent content-type: application/json, Connection: keep-alive, gzip, deflate as orchestra/1.0"
    assert redact(line) == line
    assert redact("minimal answer from 192.0.2.60, strict") == "minimal answer from 192.0.2.60, strict"
    assert redact("sig acme-signed-9f3 from https://a.example/reset?k=Zq81mm") == f"sig {MASK} from {MASK}"
