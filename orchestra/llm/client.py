"""An OpenAI-compatible chat-completions client over httpx (OpenAI, Azure, Ollama, vLLM, LiteLLM, OpenRouter).

``chat`` makes exactly one HTTP call and raises a classified LLMError; retrying is the caller's
activity RetryPolicy's job. ``structured`` asks for JSON matching a pydantic model and, when the answer
does not parse or validate, shows the model its mistake and asks again, at most ``max_repairs`` times.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import httpx
from pydantic import BaseModel, ValidationError

from orchestra.charsets import pin_response_encoding
from orchestra.documents import parse_json
from orchestra.environment import shown_base_url
from orchestra.llm.config import LLMConfig
from orchestra.llm.credentials import Credentials
from orchestra.llm.errors import (
    LLMAnswerTooLarge,
    LLMBadAnswer,
    LLMBadResponse,
    LLMTimeout,
    LLMUnavailable,
    error_for_status,
    quoted,
)
from orchestra.llm.types import NO_CHOICES, ChatRequest, ChatResponse, Message, ToolCallRequest, Usage
from orchestra.references import whole_characters
from orchestra.shown_url import url_credentials
from orchestra.telemetry import redaction
from orchestra.telemetry.llm import chat_span, record_answer
from orchestra.text import one_line

T = TypeVar("T", bound=BaseModel)
# Shorter query values of an endpoint's URL are versions and flags, not keys (see ChatClient._credentials).
MIN_URL_KEY_CHARS = 16
FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)
# What a re-ask quotes of the invalid answer, and of why it is invalid: the answer may be up to
# max_answer_bytes (4 MB), and resent whole with each re-ask, it made 3 requests of up to 12 MB.
REPAIR_QUOTE_CHARS = 4_000
MAX_PROBLEM_CHARS = 2_000
# JSON values a reply or a structured answer may hold, counted from its commas outside strings before it is
# parsed (_too_many_values). The parser holds the GIL, so a thread does not free the worker's loop:
# 4 MB of tiny values held it 1.3 s; this many parse in milliseconds, and no plan or analysis needs more.
MAX_ANSWER_VALUES = 100_000
# Tokens one call may count: a thousand times the largest model's window (1-2 million). The sum of as many calls
# as any run makes stays far within the Int64 of a search attribute.
MAX_CALL_TOKENS = 1_000_000_000
# An answer's words about itself (its model's name, its finish reason): kept on every step of the record, in
# spans and as a metric's label, and shown in `status`'s header. A real one is a few dozen characters; an
# endpoint's megabyte name grew each step's record by a megabyte.
MAX_ANSWER_WORD_CHARS = 200


@dataclass(frozen=True)
class _Answer:
    status: int
    body: bytes
    encoding: str
    cut: bool  # the body went on past ``max_answer_bytes``
    retry_after: str | None

    @property
    def text(self) -> str:
        return self.body.decode(self.encoding, errors="replace")


class ChatClient:
    def __init__(self, config: LLMConfig, http: httpx.AsyncClient | None = None) -> None:
        self.config = config
        self._http = http
        self.usage = Usage()

    async def __aenter__(self) -> ChatClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            timeout = httpx.Timeout(self.config.timeout_s, connect=self.config.connect_timeout_s)
            # The endpoint's charset is read by orchestra/charsets.py, never asked of the codec registry.
            self._http = httpx.AsyncClient(timeout=timeout, event_hooks={"response": [pin_response_encoding]})
        return self._http

    async def chat(self, request: ChatRequest) -> ChatResponse:
        """One call, traced as a span with the model, token counts and status; tokens also counted as metrics."""
        # The key (an error message may echo it) and the endpoint's credentials (its error body may echo the URL
        # asked), remembered in a thread: the log masker they change is made there, where its pattern of every form
        # of a key (0.65 s of CPU for 168 characters) holds no other activity's heartbeats (redaction.remember).
        credentials = [
            *([self.config.api_key] if self.config.api_key else []),
            *url_credentials(endpoint(self.config.base_url)),
        ]
        if credentials:
            await asyncio.to_thread(redaction.remember, *credentials)
        with chat_span(self.config.model, shown_base_url(self.config.base_url)) as span:
            answer = await self._chat(request)
            record_answer(span, answer, self.config.model)
            return answer

    async def _chat(self, request: ChatRequest) -> ChatResponse:
        body: dict[str, Any] = {"model": self.config.model, "messages": [m.wire() for m in request.messages]}
        if request.temperature is not None:
            body["temperature"] = request.temperature
        if request.max_tokens is not None:
            body["max_tokens"] = request.max_tokens
        if request.tools:
            body["tools"] = [t.wire() for t in request.tools]
        if request.tool_choice is not None:
            body["tool_choice"] = request.tool_choice
        if request.json_mode and self.config.json_mode:
            body["response_format"] = {"type": "json_object"}
        headers = {"Content-Type": "application/json"}
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        url = endpoint(self.config.base_url)
        shown = shown_base_url(url)  # a gateway's user:password@, ?key= or /key/ would reach the run's history
        limit = self.config.timeout_s
        try:
            async with asyncio.timeout(limit):
                answer = await self._post(url, body, headers)
        except TimeoutError:
            raise LLMTimeout(f"LLM endpoint {shown} did not finish its answer within {limit:g}s") from None
        except httpx.TimeoutException as exc:
            raise LLMTimeout(f"LLM endpoint {shown} did not answer in time ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            raise LLMUnavailable(f"cannot reach LLM endpoint {shown}: {exc}") from None
        # Quoted in a thread: a quote is masked before it is cut, by a masker a new setting or key makes there.
        if answer.status >= 400:
            raise await asyncio.to_thread(error_for_status, answer.status, answer.text, answer.retry_after)
        if answer.cut:
            raise LLMAnswerTooLarge(
                f"LLM endpoint {shown} sent an answer over {self.config.max_answer_bytes:,} bytes, longer than any "
                f"chat completion; the read stopped there: {await asyncio.to_thread(quoted, answer.text)}",
                status=answer.status,
            )
        # In a thread: a 16 MB answer's JSON and its masking took the event loop (the worker's other calls'
        # heartbeats) for seconds; so did the masker itself, made there, for a key it had not masked before
        # (the pattern of its every form: 0.65 s of CPU for a key of 168 characters, seconds at load).
        given = self._credentials(url)
        response = await asyncio.to_thread(lambda: _parse(answer, Credentials(given)))
        self.usage = self.usage.plus(response.usage)
        return response

    def _credentials(self, url: str) -> list[str]:
        """What the endpoint was given to let us in: its API key, and a gateway's key in the URL (a password,
        a query value long enough to be one: an ``api-version=2024-06-01``, masked, hid a model's dates)."""
        given = [value for value in url_credentials(url) if len(value) >= MIN_URL_KEY_CHARS]
        return [value for value in (self.config.api_key, *given) if value]

    async def _post(self, url: str, body: dict[str, Any], headers: dict[str, str]) -> _Answer:
        """The answer's status and body, read up to ``max_answer_bytes`` (decoded, so a compressed body is
        bounded as what it expands to)."""
        cap = self.config.max_answer_bytes
        async with self._client().stream("POST", url, json=body, headers=headers) as response:
            chunks: list[bytes] = []
            size, cut = 0, False
            async for chunk in response.aiter_bytes():
                if size + len(chunk) > cap:
                    chunks.append(chunk[: cap - size])
                    cut = True
                    break
                chunks.append(chunk)
                size += len(chunk)
            return _Answer(response.status_code, b"".join(chunks), response.encoding or "utf-8", cut,
                           response.headers.get("Retry-After"))  # fmt: skip

    async def structured(
        self,
        messages: list[Message],
        model: type[T],
        *,
        check: Callable[[T], None] | None = None,
        max_repairs: int | None = None,
    ) -> T:
        """An answer parsed as ``model`` (and accepted by ``check``, which raises ValueError)."""
        repairs = self.config.max_repairs if max_repairs is None else max_repairs
        conversation = list(messages)
        problem = ""
        for _ in range(repairs + 1):
            answer = await self.chat(ChatRequest(messages=conversation, json_mode=True))
            text = answer.message.content or ""
            try:
                # In a thread: an answer of megabytes took seconds to parse and walk, the worker's loop held.
                return await asyncio.to_thread(_read, text, model, check)
            except (ValueError, ValidationError) as exc:
                problem = _cut(_describe(exc), MAX_PROBLEM_CHARS)
            conversation += [
                Message(role="assistant", content=_cut(text, REPAIR_QUOTE_CHARS)),
                Message(
                    role="user",
                    content=f"That answer is not valid: {problem}\nReply again with only the corrected JSON object.",
                ),
            ]
        raise LLMBadAnswer(
            f"the model gave no valid {model.__name__} after {repairs + 1} answers; last problem: {problem}"
        )


def _parse(answer: _Answer, credentials: Credentials) -> ChatResponse:
    """The reply, normalised (see orchestra/llm/types.py); LLMBadResponse when the body is not a chat
    completion at all. An empty ``choices`` array is an empty reply (finish_reason ``no_choices``),
    which the caller can tell the model about, not a failure to retry. The endpoint's own credentials are
    masked in every form wherever the answer holds them: an endpoint (or a proxy before it) echoing the key
    in a reply, a tool call's arguments or task_done's summary put it in the run's history and the record,
    and handed it to the tools the model called."""
    status, snippet = answer.status, quoted(answer.text)
    if _too_many_values(answer.body):
        raise LLMAnswerTooLarge(f"LLM endpoint sent a body of more than {MAX_ANSWER_VALUES:,} JSON values, no chat "
                             f"completion: {snippet}", status=status)  # fmt: skip
    try:
        # A "\ud800" no UTF-8 carries: U+FFFD.
        data = credentials.value(whole_characters(parse_json(answer.body)), len(answer.body))
    except ValueError:
        raise LLMBadResponse(f"LLM endpoint sent a body that is not JSON: {snippet}", status=status) from None
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list):
        raise LLMBadResponse(f"LLM endpoint sent no choices array: {snippet}", status=status)
    try:
        usage = _counted(Usage.model_validate(data.get("usage") or {}))
        choice = choices[0] if choices else {}
        raw = choice.get("message") or {}
        calls = [ToolCallRequest.model_validate(c) for c in raw.get("tool_calls") or []]
    except (AttributeError, TypeError, ValidationError) as exc:
        raise LLMBadResponse(f"LLM endpoint sent a malformed choice: {quoted(str(exc))}", status=status) from None
    content = _text(raw.get("content"))
    if isinstance(raw.get("content"), list) and content:  # a key split over its parts is whole once joined
        content = credentials.text(content)
    message = Message(role="assistant", content=content, tool_calls=calls or None)
    finish = choice.get("finish_reason") if choices else NO_CHOICES
    model = data.get("model")
    # Words about the answer, not the answer: one that is not a string (``"finish_reason": {}``, ``"model":
    # 5``) is not known, where it failed the call with pydantic's own error, retried as if the endpoint were down.
    return ChatResponse(message=message, finish_reason=_word(finish), usage=usage, model=_word(model))


def _too_many_values(json_text: bytes | str) -> bool:
    """Whether a reply's body, or a structured answer in its text, holds MAX_ANSWER_VALUES JSON values or more:
    4 MB of tiny ones took 9 s to parse and walk, the worker's loop and heartbeats held (the parser holds the
    GIL, thread or not). A real one holds a few dozen: its text and its calls' arguments are strings. Counted
    from its commas (values side by side are parted by one; values nested in one another are few, the parser
    refusing depth), all of them first (milliseconds), then, only if those are too many, those outside its
    strings: a long text of many commas is no flood."""
    if isinstance(json_text, str):
        if json_text.count(",") < MAX_ANSWER_VALUES:
            return False
        return _TEXT_STRINGS.sub("", json_text).count(",") >= MAX_ANSWER_VALUES
    if json_text.count(b",") < MAX_ANSWER_VALUES:
        return False
    return _STRINGS.sub(b"", json_text).count(b",") >= MAX_ANSWER_VALUES


# A JSON string, escapes and all (unrolled: one alternation per character took seconds on a megabyte string).
_STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_TEXT_STRINGS = re.compile(_STRINGS.pattern.decode(), re.DOTALL)


def _word(value: Any) -> str | None:
    """An answer's word about itself on one line, cut (``MAX_ANSWER_WORD_CHARS``) and escaped; None when it is
    not a string."""
    return one_line(value, MAX_ANSWER_WORD_CHARS) if isinstance(value, str) else None


def _counted(usage: Usage) -> Usage:
    """The endpoint's token counts, each within 0 and MAX_CALL_TOKENS: they are summed into the run's record
    and its OrchestraTokens search attribute, and ``"total_tokens": 1e20`` (past Int64) failed the run's every
    workflow task (BadSearchAttributes): stuck for ever."""
    counts = usage.model_dump()
    return usage.model_copy(update={name: min(max(count, 0), MAX_CALL_TOKENS) for name, count in counts.items()})


def _text(content: Any) -> str | None:
    """Message content as text: some servers send a list of parts ({"type": "text", "text": ...})."""
    if content is None or isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(p.get("text", "")) for p in content if isinstance(p, dict)) or None
    return str(content)


def _read(text: str, model: type[T], check: Callable[[T], None] | None) -> T:
    text = _strip_fence(text)
    if _too_many_values(text):
        raise ValueError(f"the answer holds more than {MAX_ANSWER_VALUES:,} JSON values; answer with far fewer")
    value = model.model_validate(whole_characters(parse_json(text)))
    if check is not None:
        check(value)
    return value


def _strip_fence(text: str) -> str:
    match = FENCE.match(text)
    return match.group(1) if match else text.strip()


def _cut(text: str, limit: int) -> str:
    """``text`` whole when within ``limit`` characters, else its start and end around a note of the cut."""
    if len(text) <= limit:
        return text
    head, tail = limit * 3 // 4, limit // 4
    return f"{text[:head]}\n...[{len(text) - head - tail:,} characters left out]...\n{text[len(text) - tail :]}"


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in exc.errors()[:10])
    if isinstance(exc, json.JSONDecodeError):
        return f"not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
    return str(exc)


def endpoint(base_url: str) -> str:
    """The chat completions URL under ``base_url``, its query kept after the path (a gateway's
    ``?api-version=`` or ``?key=``): appended to the whole URL, it went into the query's last value."""
    try:
        parts = urlsplit(base_url)
    except ValueError:  # httpx says what is wrong with it
        return base_url.rstrip("/") + "/chat/completions"
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/chat/completions"))
