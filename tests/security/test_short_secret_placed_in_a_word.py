"""A short secret (under 8 characters) is masked only as a whole token, so a plan that writes it inside a longer
word ('pin${secrets.PIN}', '${secrets.PIN}-7', the same PIN twice in a row) had a server quoting it back show it in
the run's history in clear: the argument is refused before the secret is placed, saying why."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from orchestra.errors import ToolValidationError
from orchestra.secrets import Masker, resolve_secrets

ENV = {"ORCHESTRA_SECRET_PIN": "2026", "ORCHESTRA_SECRET_CODE": "a b!", "ORCHESTRA_SECRET_KEY": "sk-long-key-123"}


@pytest.mark.parametrize(
    "argument",
    [
        "x${secrets.PIN}",
        "${secrets.PIN}7",
        "${secrets.PIN}-7",
        "inv-${secrets.PIN}",
        "v1.${secrets.PIN}",
        "${secrets.PIN}${secrets.PIN}",
        "q=x${secrets.CODE}",
        {"body": ["ok", "id_${secrets.PIN}"]},
    ],
)
def test_a_short_secret_inside_a_word_is_refused(argument: object) -> None:
    with pytest.raises(ToolValidationError) as refused:
        resolve_secrets(argument, ENV, placed=quote)
    assert refused.value.code == "short_secret_in_word"
    assert "2026" not in str(refused.value)


@pytest.mark.parametrize(
    "argument",
    [
        "pin ${secrets.PIN}",
        "pin=${secrets.PIN}&x=1",
        '{"pin": "${secrets.PIN}"}',
        "${secrets.PIN}.",
        "${secrets.PIN} ${secrets.PIN}",
        "\\n${secrets.PIN}",
        "q=${secrets.CODE}",
        "key${secrets.KEY}",
    ],
)
def test_a_short_secret_standing_alone_is_placed_and_masked_where_echoed(argument: str) -> None:
    resolved, used = resolve_secrets(argument, ENV)
    assert "${" not in resolved
    echoed = Masker(used).text(f"you sent: {resolved}")
    assert all(secret not in echoed for secret in used), echoed
