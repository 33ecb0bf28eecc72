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
