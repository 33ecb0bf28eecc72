"""Every way a base URL reaches the model client is checked alike, with one message naming the setting and why,
the URL shown by its scheme, host and port alone: a script's ``LLMConfig(base_url=...)`` was not checked at all,
and an IDNA host httpx.URL reads but a request cannot encode (``xn--a``) passed the start's check; each failed
every model call with a raw error. A credential in the URL (user info, query, path) is never in a message."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from orchestra import environment
from orchestra.llm import ChatClient, ChatRequest, LLMConfig, LLMUnavailable, Message

SECRET = "sk-path-0123456789abcdef"
BAD = [
    ("", "its scheme is not http or https"),
    (" http://127.0.0.1:9/v1", "a space, a line break"),
    ("http:ann:pw@127.0.0.1:9/v1", "it names no host"),
    ("http://h:0/v1", "its port 0 is not 1 to 65535"),
    ("http://ann:p@ss@h:99999/v1", "its port is not a number"),
    ("http://xn--a.example/v1", "its host is not a name IDNA can encode"),
    ("ftp://h/v1", "its scheme is not http or https"),
    # host 'ann', port 1234 to urllib and httpx: the password '1234/x' meant for h went to a host it named
    ("http://ann:1234/pw@h/v1", "it cannot be read: a ':' in its host part and an '@' after it"),
    ("http://ann:1234?pw@h/v1", "it cannot be read: a ':' in its host part and an '@' after it"),
    ("http://[fe80::1%25eth0]/v1", "its host holds a '%'"),  # passed, and every call 'cannot reach' it
]


@pytest.mark.parametrize(("url", "why"), BAD)
def test_a_base_url_given_in_code_is_refused_by_its_field_and_why(url: str, why: str) -> None:
    with pytest.raises(ValidationError) as info:
        LLMConfig(base_url=url.replace("/v1", f"/{SECRET}/v1?key={SECRET}"), api_key=SECRET)
    message = str(info.value)
    assert "base_url=" in message and why in message, message
    assert SECRET not in message and "pw" not in message and "p@ss" not in message, message
    assert "1234" not in message, message  # an ambiguous URL's password: its first part was shown as a port
    assert "1234" not in message, message  # an ambiguous URL's password, its first part read as a port


@pytest.mark.parametrize("name", ["ORCHESTRA_LLM_BASE_URL", "OPENAI_BASE_URL"])
def test_an_idna_host_no_request_can_encode_is_refused_at_start(name: str) -> None:
    env = {name: f"http://xn--a.example/{SECRET}/v1"}
    for check in (environment.check_environment, LLMConfig.from_env):
        with pytest.raises(environment.SettingError) as info:
            check(env)
        assert f"{name}='http://xn--a.example/…'" in str(info.value) and "IDNA" in str(info.value)
        assert SECRET not in str(info.value)


def test_a_base_url_that_can_be_called_is_taken_as_written() -> None:
    for url in ("http://bücher.example/v1", "http://[::1]:8080/v1", "https://gw.example/v1?api-version=2024"):
        assert LLMConfig(base_url=url).base_url == url
        assert environment.value("OPENAI_BASE_URL", {"OPENAI_BASE_URL": url}) == url


async def test_an_unreachable_endpoint_is_named_without_the_key_in_its_path() -> None:
    async with ChatClient(LLMConfig(base_url=f"http://127.0.0.1:9/{SECRET}/v1", timeout_s=5)) as chat:
        with pytest.raises(LLMUnavailable) as info:
            await chat.chat(ChatRequest(messages=[Message(role="user", content="hi")]))
    assert "http://127.0.0.1:9/…" in str(info.value) and SECRET not in str(info.value)


def test_a_config_printed_or_set_after_it_is_made_holds_no_credential_and_no_unchecked_url() -> None:
    config = LLMConfig(base_url=f"http://ann:pw-{SECRET}@gw.example/{SECRET}/v1?key={SECRET}", api_key=SECRET)
    assert SECRET not in repr(config) and SECRET not in str(config) and "gw.example/…" in repr(config)
    with pytest.raises(ValidationError, match="its port 0 is not 1 to 65535"):
        config.base_url = "http://h:0/v1"
