"""A usage error quotes what was typed ('Got unexpected extra argument (KEY)', "Invalid value for '--address': …"): a
secret setting's value (TEMPORAL_API_KEY, ORCHESTRA_CODEC_KEY, ORCHESTRA_SECRET_*) or an --api-key given earlier on the
line went out in clear on stderr and in the --json error object, since click refused the line before the CLI had
remembered any secret. Each case is a real `client.py` process; its words are checked for the secret in clear and in
the encodings the masker knows."""

from __future__ import annotations

import asyncio
import base64
import json

import pytest

from tests.cli.cli import Result, clean_env, run_client

HEX_KEY = "3f9a1c7e5b2d4f608a1e3c5b7d9f0a2c"
PASSPHRASE = "correct horse battery staple"
METACHARACTERS = "a.b*c(d)[e]+?{2}|^$\\"
UNICODE = "pässwört-€-ключ"
SHORT = "pin42"


def said(result: Result) -> str:
    return result.out + result.err


def assert_masked(result: Result, secret: str) -> None:
    forms = [secret, json.dumps(secret)[1:-1], base64.b64encode(secret.encode()).decode(), secret.encode().hex()]
    words = said(result)
    assert result.code == 2 and "[REDACTED]" in words, words
    for form in forms:
        assert form not in words, (form, words)


# (the line after its secret, the environment, the secret): the secret typed where the line had no place for it.
CASES = [
    (["status", "x", HEX_KEY, "--json"], {"TEMPORAL_API_KEY": HEX_KEY}, HEX_KEY),
    (
        ["status", "x", "--address", f"plain words {PASSPHRASE}", "--json"],
        {"ORCHESTRA_CODEC_KEY": PASSPHRASE},
        PASSPHRASE,
    ),
    (["--api-key", METACHARACTERS, "status", "x", METACHARACTERS, "--json"], {}, METACHARACTERS),
    ([f"--api-key={UNICODE}", "status", "x", "--ui-port", UNICODE], {}, UNICODE),
    (["status", "x", SHORT, "--json"], {"ORCHESTRA_SECRET_PIN": SHORT}, SHORT),
    (["status", "x", f"https://user:{HEX_KEY}@host/", "--json"], {"ORCHESTRA_SECRET_TOKEN": HEX_KEY}, HEX_KEY),
    (["status", "x", HEX_KEY], {"ORCHESTRA_CODEC_OLD_KEYS": f"k1={HEX_KEY}", "ORCHESTRA_LOG_FORMAT": "json"}, HEX_KEY),
]


async def test_a_secret_quoted_by_a_usage_error_is_masked() -> None:
    results = await asyncio.gather(*(run_client(*argv, env=clean_env(**env)) for argv, env, _ in CASES))
    for (argv, _, secret), result in zip(CASES, results, strict=True):
        assert_masked(result, secret)
        if "--json" in argv:
            assert "[REDACTED]" in result.json["error"], result.out


@pytest.mark.parametrize("where", ["before", "after"])
async def test_an_api_key_given_on_the_line_is_masked_in_the_usage_error_after_it(where: str) -> None:
    key = ["--api-key", PASSPHRASE]
    line = [*key, "status", "x", PASSPHRASE] if where == "before" else ["status", "x", PASSPHRASE, *key]
    assert_masked(await run_client(*line, env=clean_env()), PASSPHRASE)
