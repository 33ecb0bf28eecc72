"""What a process said holds a mask and none of the secrets, whole or in the forms it is most often written in."""

from __future__ import annotations

import base64
import json

EITHER_MASK = ("[REDACTED]", "***")


def assert_masked(words: str, *secrets: str, mask: str | tuple[str, ...] = "[REDACTED]") -> None:
    """``mask``: the log's (``[REDACTED]``) or a history's (``***``, orchestra/secrets.py); EITHER_MASK where both
    maskers know the secret and which masks it first is not the point (a setting the log masker remembered, masked
    with the settings' masker before it is logged)."""
    assert any(m in words for m in ((mask,) if isinstance(mask, str) else mask)), words
    for secret in secrets:
        forms = (secret, json.dumps(secret)[1:-1], base64.b64encode(secret.encode()).decode(), secret.encode().hex())
        for form in forms:
            assert form not in words, (form, words)
