"""The redaction processor: secret keys, secret-looking values and remembered secret values are masked."""

from __future__ import annotations

import io
import json
import logging

import structlog

from orchestra.secrets import mask_secrets
from orchestra.telemetry import redaction
from orchestra.telemetry.logging import configure_logging
from orchestra.telemetry.redaction import MASK, redact, redact_processor


def test_keys_that_name_a_secret_are_masked_at_any_depth():
    event = {"event": "call", "headers": {"Authorization": "x", "Cookie": "c", "Accept": "json"},
             "api_key": "abc", "OPENAI_API_KEY": "z", "total_tokens": 12, "token": "t", "password": ""}  # fmt: skip
    out = redact_processor(None, "info", dict(event))
    assert out["headers"] == {"Authorization": MASK, "Cookie": MASK, "Accept": "json"}
    assert out["api_key"] == MASK and out["OPENAI_API_KEY"] == MASK and out["token"] == MASK
    assert out["total_tokens"] == 12 and out["password"] == ""  # counts stay, empty values are no secret


def test_values_that_look_like_secrets_are_masked_inside_text():
    text = "sent Bearer abcdef123456 and sk-proj-0123456789abcdefghij, key AKIAABCDEFGHIJKLMNOP"
    masked = redact(text)
    assert "abcdef123456" not in masked and "sk-proj" not in masked and "AKIA" not in masked
    assert masked.startswith("sent Bearer [REDACTED]")


def test_remembered_values_are_masked_wherever_they_appear():
    redaction.remember({"X-Custom": "my-own-format-42"}, "abc")
    assert redact(["error: server said my-own-format-42 is wrong"]) == [f"error: server said {MASK} is wrong"]
    assert redact("abc") == "abc"  # too short to remember without masking ordinary words


def test_configured_logging_renders_json_with_context_and_masks(monkeypatch):
    stream = io.StringIO()
    configure_logging("json", stream=stream)
    try:
        with structlog.contextvars.bound_contextvars(workflow_id="wf-1", node="n"):
            structlog.get_logger("t").info("called", api_key="sk-live-0123456789abcdefXYZ", size=3)
        logging.getLogger("plain").warning("token Bearer qwertyuiop123 leaked")
    finally:
        logging.getLogger().handlers = [h for h in logging.getLogger().handlers if h.get_name() != "orchestra"]
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["workflow_id"] == "wf-1" and first["node"] == "n" and first["api_key"] == MASK and first["size"] == 3
    assert second["event"] == f"token Bearer {MASK} leaked" and second["level"] == "warning"


def test_console_logging_shows_others_words_without_terminal_controls():
    """On a terminal the worker's log is read by a person: a step's error a server wrote, or a traceback
    quoting it, must not clear or retitle the screen (as the CLI's views do not, orchestra.text.printable)."""
    escapes = "\x1b[2J\x1b]0;pwned\x07\x9b1m\x08"
    stream = io.StringIO()
    configure_logging("console", stream=stream)
    try:
        structlog.get_logger("t").warning(f"tool failed{escapes}", error=f"HTTP 500: {escapes}", error_type="http_500")
        try:
            raise ValueError(f"bad{escapes}")
        except ValueError:
            logging.getLogger("plain").exception(f"plain{escapes}")
    finally:
        logging.getLogger().handlers = [h for h in logging.getLogger().handlers if h.get_name() != "orchestra"]
    text = stream.getvalue()
    assert "tool failed" in text and "HTTP 500" in text and "ValueError: bad" in text and "plain" in text, text
    assert not any(control in text for control in "\x1b\x07\x9b\x08"), repr(text)


def test_a_value_remembered_costs_its_own_pattern_not_all_of_them_again(built_patterns):
    # The log redaction remembers up to MAX_REMEMBERED values: building the union of all their patterns
    # anew for each one added was quadratic, seconds of the worker's GIL per value.
    built = built_patterns
    earlier = [f"header-value-{i:04d}-of-a-plan" for i in range(5)]  # each pattern built is 50 ms of CPU
    redaction.remember(*earlier)
    assert redact("header-value-0003-of-a-plan") == MASK
    built.clear()
    redaction.remember("one-more-header-value")
    assert redact("sent one-more-header-value and header-value-0004-of-a-plan") == f"sent {MASK} and {MASK}"
    assert built == ["one-more-header-value"]


def nested(depth: int, innermost: object) -> object:
    value = innermost
    for level in range(depth):
        value = {"level": level, "inner": [value]}
    return value


def test_a_secret_nested_at_any_depth_is_masked_in_logs():
    """The walk stopped at 12 levels and logged what was below as it was: a remembered secret 40 levels
    down in an event's value reached the log whole."""
    secret = "deep-secret-value-77"
    redaction.remember(secret)
    stream = io.StringIO()
    configure_logging("json", stream=stream)
    try:
        structlog.get_logger("t").info("called", answer=nested(40, {"note": f"key {secret}", "token": "t0ken"}))
    finally:
        logging.getLogger().handlers = [h for h in logging.getLogger().handlers if h.get_name() != "orchestra"]
    logged = stream.getvalue()
    assert secret not in logged and "t0ken" not in logged and MASK in logged, logged[-300:]


def test_masking_a_value_nested_past_the_recursion_limit_masks_it_all_without_recursion_error():
    """Masking recursed: a value nested deeper than Python's recursion limit raised RecursionError where a
    tool's output is masked (an activity failure retried as a system error, not the step's refusal)."""
    secret = "deep-secret-value-78"
    value = nested(5_000, [secret, {secret: 1}])
    masked = mask_secrets(value, [secret])
    assert secret not in str(_innermost(masked)) and "***" in str(_innermost(masked))
    assert redact(value) is not value and secret in str(_innermost(value))


def _innermost(value: object) -> object:
    while isinstance(value, dict):
        value = value["inner"][0]
    return value


def test_a_part_shared_or_looping_back_is_masked_once_and_kept_as_it_is():
    shared = ["shared-secret-value-79"]
    looping: dict[str, object] = {"a": shared, "b": shared}
    looping["self"] = looping
    masked = mask_secrets(looping, ["shared-secret-value-79"])
    assert masked["a"] == ["***"] and masked["a"] is masked["b"] and masked["self"] is masked


def test_a_mapping_keyed_by_tuples_is_logged_with_its_keys_masked_not_a_type_error():
    """The walk copied a tuple key as a list, unhashable: a console log line given a mapping keyed by pairs
    (a Counter of them) was lost to a TypeError in the handler; the log's walk before kept keys as they
    were. (JSON lines cannot have such keys: json refuses them, as before.)"""
    secret = "pair-secret-value-80"
    redaction.remember(secret)
    stream = io.StringIO()
    configure_logging("console", stream=stream)
    try:
        structlog.get_logger("t").info("counted", pairs={("a", secret): 2, ("b", ("c", 1)): 3})
    finally:
        logging.getLogger().handlers = [h for h in logging.getLogger().handlers if h.get_name() != "orchestra"]
    logged = stream.getvalue()
    assert "counted" in logged and secret not in logged and MASK in logged, logged[-300:]
    assert mask_secrets({("x", secret): [secret]}, [secret]) == {("x", "***"): ["***"]}


def test_values_a_plan_chose_push_out_none_of_the_workers_own_secrets():
    """Both were kept in one store of MAX_REMEMBERED, the oldest dropped first: a plan sending as many header
    values (an http_request's, remembered as written) pushed out the LLM API key remembered at start, and
    an error that echoed the key was logged in clear."""
    redaction.forget_all()
    try:
        redaction.remember("key-7f3e-of-the-worker")
        redaction.remember(*(f"plan-header-{n:05}" for n in range(redaction.MAX_REMEMBERED + 1)), every_form=False)
        assert redact("the endpoint said key-7f3e-of-the-worker is wrong") == f"the endpoint said {MASK} is wrong"
        assert redact(f"plan-header-{redaction.MAX_REMEMBERED:05}") == MASK
    finally:
        redaction.forget_all()


def test_every_field_of_a_log_line_is_masked_whatever_its_name():
    """Fields whose names began with ``_`` were skipped (structlog's own meta fields are removed before),
    and a field's name was never masked: a secret there was rendered in clear."""
    stream = io.StringIO()
    configure_logging("json", stream=stream)
    secret = "worker-secret-123"
    redaction.remember(secret)
    try:
        structlog.get_logger("t").info("called", _note=f"has {secret}", **{f"for {secret}": 1}, ok=secret)
        logging.getLogger("plain").warning("m", extra={"_x": secret})
    finally:
        logging.getLogger().handlers = [h for h in logging.getLogger().handlers if h.get_name() != "orchestra"]
        redaction.forget_all()
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert secret not in stream.getvalue(), stream.getvalue()
    assert first["_note"] == f"has {MASK}" and first[f"for {MASK}"] == 1 and second["_x"] == MASK


def test_a_credential_after_two_scheme_words_or_a_key_a_text_writes_is_masked_whole():
    """``Token Bearer abcdefghij`` was read as scheme Token and value Bearer, abcdefghij left in clear; a
    key written in text (a URL's ``token=``, ``api_key:``, JSON's ``"password": "..."``, ``Authorization:
    Basic`` with a short credential) was masked only as a dict's key."""
    cases = {
        "Token Bearer abcdefghij": f"Token Bearer {MASK}",
        "authorization: bearer Zk9aW4": f"authorization: bearer {MASK}",
        "Authorization: Basic YTpi end": f"Authorization: Basic {MASK} end",
        "GET /x?token=Zk9aW4&page=2": f"GET /x?token={MASK}&page=2",
        "api_key: Zk9a": f"api_key: {MASK}",
        "Cookie: a=b; session=Zk9aW4\nnext": f"Cookie: {MASK}\nnext",
        '{"password": "Zk9 aW4 two"}': f'{{"password": "{MASK}"}}',
        '{\\"client_secret\\": \\"Zk9 aW4\\"}': f'{{\\"client_secret\\": \\"{MASK}\\"}}',
    }
    for text, expected in cases.items():
        assert redaction.redact_text(text) == expected, text
        assert redaction.redact_text(expected) == expected  # masking twice changes nothing
    assert redaction.redact_text("total_tokens=12, Bearer Basic Token") == "total_tokens=12, Bearer Basic Token"
