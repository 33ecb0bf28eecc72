"""The values of the settings that are secrets, which every process masks by value from its start (the CLI before it
parses its command line, the worker before it connects): a secret is known by its value, not by its shape. An error,
a log line or a usage error quoting one was masked only if it looked like a key (letters and digits, ``sk-…``): a
passphrase, a short one or one in a URL went out in clear. Light: the CLI reads this before anything heavy."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from urllib.parse import unquote

ENV_PREFIX = "ORCHESTRA_SECRET_"  # a plan's ``${secrets.NAME}`` on the worker (orchestra/secrets.py)
# Settings holding one secret each: Temporal's API key, the payload codec's key, a model provider's key, the
# payload store's (boto3 reads these) credentials.
SECRET_VARIABLES = (
    "TEMPORAL_API_KEY",
    "ORCHESTRA_CODEC_KEY",
    "ORCHESTRA_CODEC_SERVER_TOKEN",  # whoever has it may have the codec server decrypt any payload
    "ORCHESTRA_LLM_API_KEY",
    "OPENAI_API_KEY",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
)
OLD_CODEC_KEYS = "ORCHESTRA_CODEC_OLD_KEYS"  # ``id=base64`` pairs, each value a key
# The OTLP exporter's headers (``name=value,...``, values percent-encoded), all signals' and each one's: where a
# collector's bearer token or API key goes. A spans exporter's failure quoting them went out in clear.
OTLP_HEADERS = re.compile(r"OTEL_EXPORTER_OTLP_(?:[A-Z]+_)?HEADERS")
SHORTEST_HEADER_PART = 6


def secret_settings(env: Mapping[str, str] | None = None) -> list[str]:
    """The values of every secret setting set in ``env`` (the process's environment): SECRET_VARIABLES, the keys of
    ORCHESTRA_CODEC_OLD_KEYS, every ORCHESTRA_SECRET_*. Stripped (as their readers take them), blank ones left out."""
    environ = os.environ if env is None else env
    values = [environ.get(name, "") for name in SECRET_VARIABLES]
    values += [pair.partition("=")[2] for pair in environ.get(OLD_CODEC_KEYS, "").split(",")]
    values += [value for name, value in environ.items() if name.startswith(ENV_PREFIX)]
    values += [part for name, value in environ.items() if OTLP_HEADERS.fullmatch(name) for part in header_values(value)]
    return kept(values)


def header_values(headers: str) -> list[str]:
    """An OTLP headers setting (``Authorization=Bearer%20tok,x-api-key=k``) and each header's value in it, as written
    and percent-decoded, and its credential alone after a scheme ('Bearer', 'Basic'): an error may quote any of them.
    Parts shorter than SHORTEST_HEADER_PART left out: 'gzip', a '1' would be masked in every text, no credential."""
    values = [headers]
    for pair in headers.split(","):
        value = pair.partition("=")[2]
        for form in dict.fromkeys((value, unquote(value))):
            values += [form, form.strip().partition(" ")[2]]
    return list(dict.fromkeys(value for value in values if len(value.strip()) >= SHORTEST_HEADER_PART))


def kept(values: Iterable[str]) -> list[str]:
    """``values`` stripped, as their readers take them, blank ones left out."""
    return [text for text in (value.strip() for value in values) if text]
