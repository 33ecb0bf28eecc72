"""A secret setting assigned on the command line after the command, as a shell line puts it before
(``client.py run --plan p.yaml ORCHESTRA_SECRET_DB=…``), is refused as an extra argument whose usage error quoted the
value in clear: it was masked only when the word's shape or the setting's name looked like a key. Now a word
``NAME=value`` naming a secret setting (in any case: a shell's names are typed both ways) is masked as the setting is."""

from __future__ import annotations

import pytest

from tests.cli.cli import clean_env, run_client
from tests.cli.test_secrets_in_usage_errors import assert_masked

PASSWORD = "hunter two horse"


@pytest.mark.parametrize(
    "word",
    [
        f"ORCHESTRA_SECRET_DB={PASSWORD}",
        f"orchestra_secret_db={PASSWORD}",
        f"ORCHESTRA_LLM_API_KEY={PASSWORD}",
        f"ORCHESTRA_CODEC_OLD_KEYS=k1={PASSWORD}",
    ],
)
async def test_a_secret_setting_assigned_on_the_line_is_masked(word: str) -> None:
    result = await run_client("status", "x", word, "--json", env=clean_env())
    assert_masked(result, PASSWORD)
