"""Secret settings (TEMPORAL_API_KEY or --api-key, ORCHESTRA_CODEC_KEY, ORCHESTRA_CODEC_OLD_KEYS) are masked in
whatever the CLI says however they are written: an exception echoing a key was masked only if the key had a
secret's shape (letters and digits, ``sk-…``), so a passphrase-like key reached stderr and the --json error."""

from __future__ import annotations

import base64
import io
import uuid

import pytest

from orchestra.cli import ending
from orchestra.cli.app import context_for, parse
from orchestra.cli.options import Pending


def unusual() -> str:
    """A key of no secret's shape: lowercase words, no digit."""
    return "horse-battery-" + "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:12])


def echoed(argv: list[str], secret: str) -> str:
    """What the CLI says (stderr, --json stdout) of an error echoing ``secret`` as written, in base64 and hex."""
    err, out = io.StringIO(), io.StringIO()
    pending = parse(argv, err, out)
    assert isinstance(pending, Pending)
    context_for(pending, out, err)
    forms = (secret, base64.b64encode(secret.encode()).decode(), secret.encode().hex())
    ending.unexpected(RuntimeError("the server said: " + " / ".join(forms)), err, out)
    return err.getvalue() + out.getvalue()


@pytest.mark.parametrize("variable", ["TEMPORAL_API_KEY", "ORCHESTRA_CODEC_KEY", "ORCHESTRA_CODEC_OLD_KEYS"])
def test_a_secret_variable_is_masked_whatever_its_shape(variable: str, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = unusual()
    monkeypatch.setenv(variable, f"old={secret}" if variable == "ORCHESTRA_CODEC_OLD_KEYS" else secret)
    said = echoed(["status", "some-id", "--json"], secret)
    assert "the server said" in said and '"exit_code": 1' in said, said
    for form in (secret, base64.b64encode(secret.encode()).decode(), secret.encode().hex()):
        assert form not in said, (variable, said)


def test_an_api_key_flag_is_masked_whatever_its_shape() -> None:
    secret = unusual()
    said = echoed(["status", "some-id", "--api-key", secret, "--json"], secret)
    assert "the server said" in said and secret not in said, said
