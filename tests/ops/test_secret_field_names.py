"""Which names of a log line's fields, or of keys a text writes, mask their values: the key rule."""

from __future__ import annotations

import pytest

from orchestra.telemetry.redaction import MASK, redact


@pytest.mark.parametrize("key", ["githubToken", "dbPassword", "sessionToken", "oauthToken", "clientSecret"])
def test_a_camel_case_field_naming_a_secret_is_masked_as_a_field_and_in_text(key: str) -> None:
    assert redact({key: "hunter22"}) == {key: MASK}
    assert redact(f"{key}=hunter22 &") == f"{key}={MASK} &"


@pytest.mark.parametrize("key", ["input_token", "output_tokens", "completionTokens", "token_count", "max_token"])
def test_a_count_of_a_models_tokens_is_logged(key: str) -> None:
    assert redact({key: 512}) == {key: 512}


def test_a_flag_saying_whether_there_is_a_password_is_logged() -> None:
    assert redact({"has_password": True, "password": "hunter22"}) == {"has_password": True, "password": MASK}


@pytest.mark.parametrize("key", ["input_token", "output_token", "completionToken", "max_token", "prompt.token"])
def test_a_count_of_a_models_tokens_a_text_writes_is_logged(key: str) -> None:
    """As a text writes it (``input_token=512``), the count was masked where the field was not."""
    assert redact(f"usage {key}=512, {key}: 7 done") == f"usage {key}=512, {key}: 7 done"


@pytest.mark.parametrize(
    "text", ["has_password=True", '"token": null', "password=None", "secret: false", "api_key=undefined"]
)
def test_a_flag_or_nothing_given_to_a_key_naming_a_secret_in_text_is_logged(text: str) -> None:
    assert redact(f"{text} seen") == f"{text} seen"


@pytest.mark.parametrize(
    "text, masked",
    [
        ("password=4821", f"password={MASK}"),  # a PIN
        ("token=512", f"token={MASK}"),  # a number given to a secret's own name, not a count's
        ("max_token=abc123xyz", f"max_token={MASK}"),  # a count's name, given no count
        ("password=trueblue", f"password={MASK}"),
        ("id_token: 12345678", f"id_token: {MASK}"),
    ],
)
def test_a_short_secret_a_text_gives_a_key_is_still_masked(text: str, masked: str) -> None:
    assert redact(text) == masked


@pytest.mark.parametrize("text", ["Token expired.", "Basic authentication required", "Negotiate failed: no ticket"])
def test_a_word_of_prose_after_a_schemes_word_is_logged(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    "credential", ["abc123def", "dXNlcjpwYXNz", "abcdefghijklmnopq", "Abcdefgh", "abcdef-ghi", "abcdefghij"]
)
def test_a_credential_after_a_schemes_word_is_masked_still(credential: str) -> None:
    assert redact(f"Bearer {credential} refused") == f"Bearer {MASK} refused"
