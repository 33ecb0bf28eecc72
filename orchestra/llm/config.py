"""Which endpoint to talk to: any OpenAI-compatible chat-completions server, from the environment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from orchestra import environment

# A slow local model may take over an hour for a long reply; a day is what the setting's check takes too.
MAX_LLM_TIMEOUT_S = environment.MAX_SETTING_S
# Four times the longest reply a model writes (128k output tokens, about 512 KB of text, twice that JSON-escaped):
# no chat completion is longer. The read stops there.
MAX_ANSWER_BYTES = 4 * 1024 * 1024


class LLMConfig(BaseModel):
    # A refused field's input is the URL (a credential in it) or the key itself: never quoted in the error;
    # a URL set after the config is made is checked as one given to it.
    model_config = ConfigDict(hide_input_in_errors=True, validate_assignment=True)

    base_url: str = "https://api.openai.com/v1"
    model: str = "gpt-4o-mini"
    api_key: str | None = Field(None, repr=False)
    # Bounded: 1e300 s was taken, a model call never given up on (a stalled provider held the step). It bounds
    # the whole call, not one read of it: a server sending a byte every few seconds never tripped httpx's
    # per-read timeout, and the call (the planner's CLI, a model step's worker slot) was held for ever.
    timeout_s: float = Field(60.0, gt=0, le=MAX_LLM_TIMEOUT_S, allow_inf_nan=False)
    connect_timeout_s: float = Field(10.0, gt=0, le=MAX_LLM_TIMEOUT_S, allow_inf_nan=False)
    # Read whole, an endless answer held the worker's memory until it died (every run on it with it).
    max_answer_bytes: int = Field(MAX_ANSWER_BYTES, ge=1024, le=256 * MAX_ANSWER_BYTES)
    json_mode: bool = Field(True, description="send response_format json_object (some servers ignore it)")
    max_repairs: int = Field(2, ge=0, description="re-asks after an invalid structured answer")

    @field_validator("base_url")
    @classmethod
    def _callable(cls, url: str) -> str:
        """Checked as the settings are: a script's LLMConfig(base_url=...) is not read from the environment,
        and an unreadable URL failed each model call (a raw InvalidCodepoint, a port of 0 'not known')."""
        if (refused := environment.refusal("base_url", environment.URL, url)) is not None:
            raise ValueError(refused)
        return url

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        """A config logged or printed names its URL as a message does: a script's print(config) or a log line
        of it carried the gateway's user:password@, ?key= or /key/ whole."""
        for name, given in super().__repr_args__():
            yield name, environment.shown_base_url(given) if name == "base_url" else given

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> LLMConfig:
        env = dict(os.environ if env is None else env)
        values: dict[str, object] = {}
        # Checked as the worker's start checks it: an unreadable URL is refused by the setting's name here
        # too (a raw InvalidURL at the first call), where `plan --backend llm` reads it.
        base = environment.value("ORCHESTRA_LLM_BASE_URL", env) or environment.value("OPENAI_BASE_URL", env)
        if base:
            values["base_url"] = base
        if env.get("ORCHESTRA_LLM_MODEL"):
            values["model"] = env["ORCHESTRA_LLM_MODEL"]
        key = env.get("ORCHESTRA_LLM_API_KEY") or env.get("OPENAI_API_KEY")
        if key:
            values["api_key"] = key
        if (timeout := environment.value("ORCHESTRA_LLM_TIMEOUT_S", env)) is not None:
            values["timeout_s"] = float(timeout)
        values["json_mode"] = environment.flag("ORCHESTRA_LLM_JSON_MODE", True, env)  # ``off`` was read as on
        return cls.model_validate(values)
