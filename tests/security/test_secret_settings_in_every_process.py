"""The secret settings are masked by value in every process that reads them: the codec server too (it never told
its masker of ORCHESTRA_CODEC_KEY, and a refused setting quoting the key printed it in clear), and the OTLP
exporter's headers, where a collector's bearer token goes (OTEL_EXPORTER_OTLP_HEADERS and each signal's own), the
whole setting, each header's value and its credential alone. Real processes: `worker.py` and the codec server."""

from __future__ import annotations

import base64
from urllib.parse import quote

from orchestra.codec import new_key
from orchestra.secret_settings import secret_settings
from orchestra.settings import PROJECT_ROOT
from tests.cli.cli import clean_env
from tests.masked_words import assert_masked
from tests.ops.test_host_settings import _process

TOKEN = "otlp-token Zq8/kP+3wX"
WORKER = (str(PROJECT_ROOT / "worker.py"),)
CODEC_SERVER = ("-m", "orchestra.codec_server")


def test_each_otlp_header_value_is_a_secret_setting() -> None:
    headers = f"Authorization=Bearer {quote(TOKEN)},x-api-key=key-{TOKEN[:6]}-9,accept=gzip"
    for name in ("OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "OTEL_EXPORTER_OTLP_LOGS_HEADERS"):
        values = secret_settings({name: headers})
        assert {headers, f"Bearer {TOKEN}", TOKEN, f"key-{TOKEN[:6]}-9"} <= set(values), values
        assert "gzip" not in values  # too short to be a credential: masked, it would blank every such word


async def test_the_codec_server_masks_its_key_in_a_refused_setting() -> None:
    key = new_key()
    env = clean_env(ORCHESTRA_CODEC_KEY=key, ORCHESTRA_CODEC_SERVER_PORT=key)
    code, words = await _process(*CODEC_SERVER, env=env)
    assert code == 2 and "ORCHESTRA_CODEC_SERVER_PORT" in words, words
    assert_masked(words, key)


async def test_the_codec_server_masks_a_secret_setting_in_its_errors() -> None:
    """An error of its own (a Host list it refuses) quoting another secret setting's value."""
    env = clean_env(ORCHESTRA_CODEC_KEY=new_key(), ORCHESTRA_CODEC_SERVER_TOKEN="t" * 32)
    env["ORCHESTRA_SECRET_DB"] = TOKEN
    env["ORCHESTRA_CODEC_SERVER_HOSTS"] = f"http://{TOKEN}/"
    code, words = await _process(*CODEC_SERVER, env=env)
    assert code == 2 and "error" in words, words
    assert_masked(words, TOKEN)


async def test_an_otlp_bearer_token_is_masked_in_a_refusal() -> None:
    """The token pasted into another variable too: the worker's and the codec server's refusal quote it."""
    headers = f"Authorization=Bearer%20{quote(TOKEN)}"
    for process, setting in ((WORKER, "ORCHESTRA_UI_PORT"), (CODEC_SERVER, "ORCHESTRA_CODEC_SERVER_PORT")):
        env = clean_env(OTEL_EXPORTER_OTLP_TRACES_HEADERS=headers, ORCHESTRA_CODEC_KEY=new_key(), **{setting: TOKEN})
        code, words = await _process(*process, env=env)
        assert code == 2 and setting in words, words
        assert_masked(words, TOKEN, base64.b64encode(TOKEN.encode()).decode())
