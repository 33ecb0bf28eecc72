"""What carries no secret is logged as it is: a body's standard base64 of a JSON document over 1 KiB (a
JWT's header is base64url), and the timestamps and versions that hold a plan's API version header."""

from __future__ import annotations

import base64
import json

from orchestra.telemetry import redaction
from orchestra.telemetry.redaction import MASK, redact_text


def test_standard_base64_of_a_long_json_document_is_logged():
    """Its ``+``, ``/`` or padding tell it from a JWT's base64url (one with none of these is masked still)."""
    for value in ({"items": list(range(301))}, {"text": "é?>~" * 300}, {"text": "x" * 2_000}):
        document = base64.b64encode(json.dumps(value).encode()).decode()
        assert document.startswith("eyJ") and len(document) > 1024 and set(document) & set("+/=")
        assert redact_text(f"body {document} end") == f"body {document} end"


def test_a_long_base64url_header_is_still_masked_as_a_jwt():
    header = base64.urlsafe_b64encode(json.dumps({"kid": "k" * 2_000}).encode()).decode().rstrip("=")
    assert redact_text(f"auth {header} end") == f"auth {MASK} end"


def test_a_plans_api_version_header_leaves_timestamps_and_versions_logged():
    redaction.forget_all()
    try:
        redaction.remember({"Accept-Version": "2024-06-01", "X-GitHub-Api-Version": "2022-11-28"}, every_form=False)
        line = "sent at 2024-06-01T00:00:00Z, 2022-11-28 release"
        assert redact_text(line) == line
        redaction.remember({"X-Tenant-Sig": "2024-06-01"}, every_form=False)  # any other header still is
        assert MASK in redact_text(line)
    finally:
        redaction.forget_all()
