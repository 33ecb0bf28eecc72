"""Which of a plan's headers the log and span masker remembers, and in which parts: the credential after
an Authorization scheme alone, and none of the headers that carry no credential by their definition."""

from __future__ import annotations

import pytest

from orchestra.telemetry import redaction
from orchestra.telemetry.redaction import MASK, redact

TOKEN = "Xk9pZq2wLm7Rt-4f"


@pytest.fixture(autouse=True)
def _fresh_memory():
    redaction.forget_all()
    yield
    redaction.forget_all()


def test_a_plans_headers_that_carry_no_credential_leave_other_lines_as_they_are() -> None:
    redaction.remember(
        {
            "Content-Type": "application/json",
            "connection": "keep-alive",
            "Accept-Encoding": "gzip, deflate",
            "User-Agent": "orchestra/1.0",
            "X-Tenant-Sig": "acme-signed-9f3",
            "Referer": "https://a.example/reset?k=Zq81mm",
        },
        every_form=False,
    )
    line = "sent content-type: application/json, Connection: keep-alive, gzip, deflate as orchestra/1.0"
    assert redact(line) == line
    assert redact("sig acme-signed-9f3 from https://a.example/reset?k=Zq81mm") == f"sig {MASK} from {MASK}"
