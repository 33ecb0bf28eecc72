"""The ``http_request`` tool: one HTTP call inside the network boundary, with a capped response body."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from orchestra.charsets import text_encoding
from orchestra.errors import ToolError, ToolValidationError
from orchestra.references import depth_over
from orchestra.retry_after import retry_after_seconds
from orchestra.secret_references import uses_secret
from orchestra.shown_url import shown_url, unreadable_because
from orchestra.temporal_bounds import NUMBER
from orchestra.tool_spec import RetryHints, Tool, ToolContext, ToolSpec
from orchestra.tools import earlier_attempts
from orchestra.tools._support import clamp_timeout, decode, heartbeating

if TYPE_CHECKING:  # httpx, the guarded transport and tracing are imported by a call, not by the registry:
    import httpx  # every CLI command builds the built-in tools' specs, and `plan` never sends a request

    from orchestra.confinement import Confinement

MAX_REDIRECTS = 10
ATTEMPT_MARGIN_SHARE = 0.1  # of the activity's start-to-close timeout, left for after the call
MIN_ATTEMPT_MARGIN_S = 1.0  # a busy worker took 0.2 s and more to report a failure: Temporal's timeout came first
SHORTEST_CALL_S = 0.1  # a step whose timeout_s leaves less still tries, and fails as its own timeout
RETRY = RetryHints(max_attempts=3, initial_interval_s=1.0, backoff=2.0, max_interval_s=30.0)
MAX_RETRY_AFTER_S = 300.0  # the longest Retry-After honoured where no retry policy says
ERROR_SNIPPET_CHARS = 300
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # RFC 9110's token: a method, a header's name
_HEADER_VALUE_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")

HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
# RFC 9110 9.2.2: sending one of these twice has the effect of sending it once (urllib3's Retry resends the
# same ones by default). A POST or PATCH is resent only when it surely was not processed.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# The server saying it did not act on the request: too many requests, or not available now.
NOT_PROCESSED_STATUSES = frozenset({429, 503})
IDEMPOTENCY_KEY = "idempotency-key"
GONE_STATUSES = frozenset({404, 410})
# RFC 9110 9.2.1: sending one of these has no effect the client asked for, so a redirect may lead it back
# where it was (a server setting a cookie, then sending it on); any other method replays its body there.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class HttpRequestInput(BaseModel):
    # ``json`` is an alias because a field of that name would shadow BaseModel.json.
    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)

    method: HttpMethod = Field("GET", description="HTTP method")
    url: str = Field(description="absolute http(s) URL; its host and the addresses it resolves to must be allowed")
    headers: dict[str, str] = Field(default_factory=dict, description="request headers (treated as secret)")
    params: dict[str, str | int | float | bool] = Field(
        default_factory=dict, description="query parameters added to the URL"
    )
    json_: Any = Field(None, alias="json", description="JSON request body (mutually exclusive with body)")
    body: str | None = Field(None, description="raw text request body (mutually exclusive with json)")
    timeout_s: Annotated[float, NUMBER] = Field(
        30.0, gt=0, allow_inf_nan=False, description="timeout for the whole request, clamped to the worker's maximum"
    )
    follow_redirects: bool = Field(
        True, description="follow redirects; every hop is checked, and to another origin only safe headers go along"
    )
    raise_for_status: bool = Field(True, description="fail on HTTP 4xx/5xx instead of returning the response")

    @field_validator("url")
    @classmethod
    def _readable(cls, url: str) -> str:
        from orchestra.network import DestinationRefused, url_parts

        try:
            url_parts(url)
        except DestinationRefused as exc:
            raise ValueError(str(exc)) from None
        return url

    @field_validator("headers")
    @classmethod
    def _carried_by_http(cls, headers: dict[str, str]) -> dict[str, str]:
        for name, value in headers.items():
            if problem := header_problem(name, value):
                raise ValueError(problem)
        return headers


class HttpResponseOutput(BaseModel):
    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)

    status: int = Field(description="HTTP status code")
    headers: dict[str, str] = Field(description="response headers, names in lower case")
    text: str = Field(description="response body decoded as text, capped to the worker's output limit")
    truncated: bool = Field(description="true if the body was longer than the cap")
    json_: Any = Field(None, alias="json", description="the body parsed as JSON if the content type is JSON, else null")
    elapsed_ms: float = Field(description="time from sending the request to reading the body")
    url: str = Field(description="the final URL after redirects")
    note: str | None = Field(
        None,
        description="why an error status is taken as success, if one is; for a 101, that the switched connection "
        "was closed unread",
    )


# A 101 the request's own Upgrade header asked for: the tool speaks no other protocol, so it returns the
# switch as the answer (status, headers) and closes the connection, reading nothing the new protocol sends.
SWITCHED = (
    "the server switched protocols (101) as the request's Upgrade header asked; this tool speaks HTTP only: "
    "the connection was closed, nothing sent after the switch was read"
)


def _is_json_content_type(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json") or media == "text/json"


async def _read_capped(response: httpx.Response, cap: int, ctx: ToolContext) -> tuple[bytes, bool]:
    """Read at most ``cap`` bytes, then stop: a huge download must not exhaust the worker's memory."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        ctx.heartbeat()
        if size + len(chunk) > cap:
            chunks.append(chunk[: cap - size])
            return b"".join(chunks), True
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks), False


def resendable(method: str, headers: Mapping[str, str]) -> bool:
    """Whether the request may be sent again after it may have been processed: an idempotent method, or an
    ``Idempotency-Key`` the caller gave (the server, which honours it, acts on the key once; the key is in the
    step's arguments, so every attempt sends the same one)."""
    return method.upper() in IDEMPOTENT_METHODS or any(
        name.lower() == IDEMPOTENCY_KEY and value.strip() for name, value in headers.items()
    )


def gone_already(method: str, status: int) -> str | None:
    """Why a DELETE's 404 or 410 is its success, or None. A DELETE is retried after a timeout, a lost
    connection or a 5xx, any of which may come after the server deleted it: the next attempt is then told
    it is not there. Its end, the resource gone, is what was asked (as Kubernetes' controllers and
    Terraform's providers read a delete's 404); where no earlier attempt can have deleted it (the first, or
    all before it refused at connect or turned away with a 429 or 503), a 404 is a wrong address and fails."""
    from temporalio import activity

    if method.upper() != "DELETE" or status not in GONE_STATUSES or earlier_attempts.none_acted():
        return None
    # Honest about what it cannot tell: an earlier attempt may have deleted it, or not, and a DELETE to an
    # address that never existed, after an attempt that timed out, ends here too.
    return (
        f"HTTP {status} on attempt {activity.info().attempt}: taken as deleted (an earlier attempt reached "
        "the server and may have deleted it; this attempt cannot tell that from a resource that never existed)"
    )


def _not_resent(method: str, url: str) -> str:
    host = urlsplit(url).hostname or url
    return (
        f"{method} to {host} may have been processed: not sent again (a {method} is not idempotent); "
        f"give an {IDEMPOTENCY_KEY.title()} header the server honours to have it retried: "
    )


def _status_error(
    status: int,
    url: str,
    text: str,
    ctx: ToolContext,
    *,
    method: str,
    resend: bool,
    turned_away: bool,
    retry_after: str | None = None,
) -> ToolError:
    snippet = ctx.quote_start(text, ERROR_SNIPPET_CHARS)
    message = f"HTTP {status} from {shown_url(url)}" + (f": {snippet}" if snippet else "")
    # 429 and 5xx are the server saying "not now"; any other 4xx will fail the same way next time.
    retryable = status == 429 or status >= 500
    # A 500 or 502 may come after the server acted; only a request turned away (_Progress) was not.
    if retryable and not resend and not turned_away:
        return ToolError(_not_resent(method, url) + message, retryable=False, code=f"http_{status}")
    wait_s = retry_after_seconds(retry_after) if retryable else None
    if wait_s is not None and wait_s > (longest := longest_retry_wait_s()):
        # Trying sooner than the server said is refused again (and may count against the caller's quota).
        return ToolError(
            f"{message} (the server asks to wait {wait_s:g}s before trying again, longer than the step's "
            f"retry.max_interval_s {longest:g}s: not retried)",
            retryable=False,
            code=f"http_{status}",
        )
    return ToolError(message, retryable=retryable, code=f"http_{status}", retry_after_s=wait_s)


def longest_retry_wait_s() -> float:
    """The longest wait between attempts the step allows: its retry policy's maximum interval (the node's
    ``retry.max_interval_s``), or MAX_RETRY_AFTER_S outside an activity."""
    from temporalio import activity

    if activity.in_activity() and (policy := activity.info().retry_policy) and policy.maximum_interval:
        return policy.maximum_interval.total_seconds()
    return MAX_RETRY_AFTER_S


def _transport_error(exc: Exception, method: str, url: str, timeout: float, *, resend: bool, sent: bool) -> ToolError:
    """A request that got no answer: sent again only if it is resendable, or surely never reached a server
    (no hop began to send it: the failure came while resolving or connecting, whatever timed out)."""
    import httpx

    timed_out = isinstance(exc, (httpx.TimeoutException, TimeoutError))
    if timed_out:
        message, code = f"timed out after {timeout:g}s calling {shown_url(url)}: {exc!r}", "timeout"
    else:
        message, code = f"connection error calling {shown_url(url)}: {exc!r}", "connection_error"
    if resend or not sent:
        return ToolError(message, retryable=True, code=code)
    return ToolError(_not_resent(method, url) + message, retryable=False, code=code)


def within_the_attempt(timeout: float) -> float:
    """``timeout``, but ending before the activity's own start-to-close timeout (a step's ``timeout_s``,
    which may be shorter than the call's): when Temporal's fires first, the attempt fails with no word
    from the tool on whether the request was sent, and is retried — a POST posted again, once per
    attempt. The call's own timeout says, and a request that may not be resent is not. A share of the
    attempt is left for what the activity does after the call (masking, storing the output)."""
    from temporalio import activity

    if not activity.in_activity() or (limit := activity.info().start_to_close_timeout) is None:
        return timeout
    info = activity.info()
    spent = max((datetime.now(UTC) - info.started_time).total_seconds(), 0.0)
    left = limit.total_seconds() - spent - max(ATTEMPT_MARGIN_SHARE * limit.total_seconds(), MIN_ATTEMPT_MARGIN_S)
    return min(timeout, max(left, SHORTEST_CALL_S))


def header_problem(name: str, value: str) -> str | None:
    """What makes a header one HTTP cannot carry, if anything: a name that is no token, a value with a
    line break or another control character (which would end the header early), or beyond ASCII. The
    caller's mistake, to be said as such (httpx fails it as a connection error, which is retried). The
    value is never quoted: it may be a secret."""
    if not _TOKEN.fullmatch(name):
        return f"header name {name!r} is not a valid HTTP header name"
    if _HEADER_VALUE_CONTROL.search(value):
        return f"header {name!r}: its value holds a line break or another control character"
    if not value.isascii():
        return f"header {name!r}: its value holds characters beyond ASCII; percent-encode them"
    if value != value.strip(" \t"):  # RFC 9110 5.5: no part of a value; h11 refuses to send it
        return f"header {name!r}: its value begins or ends with a space or tab, which HTTP does not carry"
    return None


async def perform_request(ctx: ToolContext, *, method: str, url: str, **options: Any) -> HttpResponseOutput:
    """Send one request under ``ctx.confinement``; shared with tools described in YAML/JSON files.

    Traced as an HTTP client span (method, URL without query or credentials, response status)."""
    from opentelemetry.trace import SpanKind

    from orchestra.telemetry import tracing

    attributes = {"http.request.method": method, "url.full": tracing.safe_url(url)}
    progress = _Progress(resend=resendable(method, options.get("headers") or {}))
    earlier_attempts.starting()
    with tracing.span(f"HTTP {method}", kind=SpanKind.CLIENT, attributes=attributes) as span:
        try:
            result = await _perform_request(ctx, progress, method=method, url=url, **options)
        except ToolError as exc:
            if exc.code and exc.code.startswith("http_") and exc.code[5:].isdigit():
                tracing.set_http_status(span, int(exc.code[5:]))
            if exc.retryable and progress.unprocessed:  # last, after the client's close: its last heartbeat
                earlier_attempts.this_one_did_nothing(ctx)
            else:
                earlier_attempts.this_one_ended()
            raise
        except BaseException:  # cancelled: the next attempt, if any, reads "may have acted"
            earlier_attempts.this_one_ended()
            raise
        earlier_attempts.this_one_ended()
        tracing.set_http_status(span, result.status)
        return result


async def _perform_request(
    ctx: ToolContext,
    progress: _Progress,
    *,
    method: str,
    url: str,
    headers: dict[str, str] | None = None,
    params: dict[str, Any] | None = None,
    json_body: Any = None,
    has_json_body: bool = False,
    body: str | None = None,
    timeout_s: float = 30.0,
    follow_redirects: bool = True,
    raise_for_status: bool = True,
) -> HttpResponseOutput:
    import httpx

    from orchestra import guarded_http, informational, network

    confinement = ctx.confinement
    confinement.check_url(url)
    if has_json_body and body is not None:
        raise ToolValidationError("give either a json body or a text body, not both", code="bad_arguments")
    if not _TOKEN.fullmatch(method):  # a caller's own method (a described tool's is checked when loaded)
        raise ToolValidationError(f"method {method!r} is not a valid HTTP method", code="bad_method")
    for name, value in (headers or {}).items():
        if problem := header_problem(name, value):
            raise ToolValidationError(problem, code="bad_header")
    timeout = within_the_attempt(clamp_timeout(timeout_s, confinement))
    started = time.perf_counter()
    # Every connection goes through the network boundary (orchestra/network.py): the resolved address is
    # checked and is what is connected to. Redirects are followed by hand so every hop is checked too.
    async with guarded_http.client(confinement.boundary, timeout=timeout) as client:
        request_headers = dict(headers or {})
        content: bytes | None = body.encode() if body is not None else None
        if has_json_body:
            # Encoded here rather than by httpx so that an explicit JSON null is still sent as a body.
            content = json.dumps(json_body).encode()
            if not any(name.lower() == "content-type" for name in request_headers):
                request_headers["Content-Type"] = "application/json"
        try:
            # Merged by hand: httpx's params= would replace a query already in the URL.
            full_url = httpx.URL(url).copy_merge_params(params) if params else httpx.URL(url)
            request = client.build_request(method, full_url, headers=request_headers or None, content=content)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise ToolValidationError(
                f"invalid URL {shown_url(url)!r}: {unreadable_because(exc)}", code="bad_url"
            ) from None
        request.extensions["trace"] = progress.trace  # httpx carries it along to each redirect's request
        try:
            # timeout_s bounds the whole call, a body that drips in slowly included.
            async with heartbeating(ctx), asyncio.timeout(timeout):
                response = await _send_following_redirects(
                    client, request, confinement, follow_redirects, url, progress
                )
                try:
                    data, truncated = await _read_capped(response, confinement.max_output_bytes, ctx)
                finally:
                    await response.aclose()
        except network.DestinationRefused as exc:
            raise ToolValidationError(str(exc), code=exc.code) from None
        except httpx.DecodingError as exc:
            raise ToolError(f"cannot decode the response from {shown_url(url)}: {exc}", code="bad_encoding") from None
        except informational.UnreadableAnswer as exc:
            # The same server answers the same way next time: a GET was sent 3 times, each for its whole timeout.
            raise ToolError(f"{exc} from {shown_url(url)}", retryable=False, code=exc.code) from None
        except httpx.LocalProtocolError as exc:
            # What h11 refuses to send (a method or header it cannot write) is the caller's input, the same
            # next time: before, a transport error, retried, or said to be 'may have been processed'.
            raise ToolValidationError(
                f"cannot send this request to {shown_url(url)}: {exc}", code="bad_request"
            ) from None
        except (httpx.TransportError, TimeoutError) as exc:  # httpx's timeouts are transport errors
            raise _transport_error(exc, method, url, timeout, resend=progress.resend, sent=progress.sent) from exc
    elapsed_ms = (time.perf_counter() - started) * 1000
    # The server names the charset: one outside charsets.text_encodings() (unknown, or slow to decode) is read as UTF-8.
    text = decode(data, text_encoding(response.charset_encoding or "utf-8") or "utf-8")
    if truncated:
        text = ctx.cut_end(text)
    final_url = str(response.url)
    # The method that got this answer: a DELETE a 303 turned into a GET was not told 404 of what it deletes.
    note = gone_already(response.request.method, response.status_code)
    if response.status_code == 101:  # an unasked one fails in informational.CountingStream
        note = SWITCHED
    if raise_for_status and response.status_code >= 400 and note is None:
        # Only to the request itself (no redirect answered before it) do they say it was not acted on.
        progress.turned_away = not progress.answered and response.status_code in NOT_PROCESSED_STATUSES
        raise _status_error(
            response.status_code,
            final_url,
            text,
            ctx,
            method=method,
            resend=progress.resend,
            turned_away=progress.turned_away,
            retry_after=response.headers.get("retry-after"),
        )
    parsed: Any = None
    if not truncated and _is_json_content_type(response.headers.get("content-type", "")):
        try:
            parsed = json.loads(text)
        except (ValueError, RecursionError):
            parsed = None
        if depth_over(parsed):  # kept as text only: too deep to travel through a workflow
            parsed = None
    return HttpResponseOutput(
        status=response.status_code,
        headers=dict(response.headers.items()),
        text=text,
        truncated=truncated,
        json=parsed,
        elapsed_ms=round(elapsed_ms, 3),
        url=final_url,
        note=note,
    )


@dataclass
class _Progress:
    """How far the request went: whether any hop began to send its headers (httpcore's ``trace``
    extension says so; before that, nothing reached a server), whether a redirect answered it (then
    the server had it, and may have acted on it), whether the request itself was answered 429 or 503 (the
    server saying it did not act on it), and whether every hop sent may be sent again (a 307 to another
    origin replays a POST's body without its Idempotency-Key: that server cannot tell a retry)."""

    resend: bool
    sent: bool = False
    answered: bool = False
    turned_away: bool = False

    @property
    def unprocessed(self) -> bool:
        """Whether the request surely had no effect at any server."""
        return not self.sent or self.turned_away

    async def trace(self, event: str, info: Mapping[str, Any]) -> None:
        if event.endswith("send_request_headers.started"):
            self.sent = True


async def _send_following_redirects(
    client: httpx.AsyncClient,
    request: httpx.Request,
    confinement: Confinement,
    follow: bool,
    url: str,
    progress: _Progress,
) -> httpx.Response:
    from orchestra import guarded_http

    sent_to = {_resource(request.url)}
    for _ in range(MAX_REDIRECTS + 1):
        response = await client.send(request, stream=True)
        next_request = response.next_request
        if not (follow and next_request is not None):
            return response
        progress.answered = True
        await response.aclose()
        confinement.check_url(str(next_request.url))
        if next_request.method not in SAFE_METHODS and _resource(next_request.url) in sent_to:
            raise _redirect_loop(next_request.method, url, response.status_code)
        sent_to.add(_resource(next_request.url))
        request = guarded_http.redirect_request(request, next_request)
        progress.resend = progress.resend and resendable(request.method, request.headers)
    await response.aclose()
    raise ToolError(f"more than {MAX_REDIRECTS} redirects from {shown_url(url)}", code="too_many_redirects")


def _resource(url: httpx.URL) -> str:
    """Where a request goes, its query aside: a server redirecting a POST to its own path with a new query
    each time (``/pay?n=1``, ``/pay?n=2``...) replays the body to the same handler at every hop."""
    return str(url.copy_with(query=None, fragment=None))


def _redirect_loop(method: str, url: str, status: int) -> ToolError:
    """A 307/308 replays a POST's body: one leading back to a URL this call already sent it to would send it
    again, every time round (httpx and browsers follow until their limit, 20: the payment made 20 times).
    Refused at once; the server's redirects will loop the same way next time."""
    return ToolError(
        f"{method} to {shown_url(url)}: HTTP {status} redirects it back to a URL (its query aside) it was "
        f"already sent to (a redirect loop); not sent again",
        retryable=False,
        code="redirect_loop",
    )


async def run_http_request(args: HttpRequestInput, ctx: ToolContext) -> HttpResponseOutput:
    send = partial(
        perform_request,
        ctx,
        method=args.method,
        url=args.url,
        headers=args.headers,
        params=args.params,
        json_body=args.json_,
        has_json_body="json_" in args.model_fields_set,
        body=args.body,
        timeout_s=args.timeout_s,
        follow_redirects=args.follow_redirects,
        raise_for_status=args.raise_for_status,
    )
    if resendable(args.method, args.headers):
        return await send()
    return await retried_while_unprocessed(send, RETRY, ctx.sends)


Answer = TypeVar("Answer")


async def retried_while_unprocessed(
    send: Callable[[], Awaitable[Answer]], hints: RetryHints, sends: int | None
) -> Answer:
    """``send`` again, as ``hints`` say, while it fails retryably: for a request that may not be resent, the
    tool's errors are retryable only when the request surely was not processed (refused at connect, a 429 or
    503 to the request itself). Done here, in the activity's one attempt (``attempts_for``; an MCP tool that
    is not idempotent has one too), as long as the attempt leaves time for the wait; a step given more
    attempts (a plan's ``retry`` may ask it of an MCP tool) has them share ``hints.max_attempts``, or the plan's
    own ``retry.max_attempts`` where it asks fewer (``sends``, ``ToolContext.sends``: with 1, the tool's 3 tries sent it 3 times)."""
    tries = tries_in_this_attempt(min(hints.max_attempts, sends or hints.max_attempts))
    hints = spaced_as_asked(hints)
    interval = hints.initial_interval_s
    for attempt in range(1, tries + 1):
        try:
            return await send()
        except ToolError as exc:
            wait = max(interval, exc.retry_after_s or 0.0)
            if not exc.retryable or attempt == tries or within_the_attempt(wait) < wait:
                raise
        await asyncio.sleep(wait)
        interval = min(interval * hints.backoff, hints.max_interval_s)
    raise AssertionError("unreachable: the last attempt returns or raises")


def spaced_as_asked(hints: RetryHints) -> RetryHints:
    """``hints``, with the waits of the step's retry policy where it runs in an activity: its plan's
    ``retry`` over its tool's (``initial_interval_s``, ``backoff``, ``max_interval_s``). With the tool's
    own, a POST turned away with a 429 was sent again after 1 s where its plan asked 10 s between tries."""
    from temporalio import activity

    if not activity.in_activity() or (policy := activity.info().retry_policy) is None:
        return hints
    first = policy.initial_interval.total_seconds()
    longest = policy.maximum_interval.total_seconds() if policy.maximum_interval else 100 * first  # Temporal's
    return hints.model_copy(
        update={"initial_interval_s": first, "backoff": policy.backoff_coefficient, "max_interval_s": longest}
    )


def tries_in_this_attempt(most: int) -> int:
    """How many times this Temporal attempt may send a call that may not be resent, so that all the step's
    attempts together send it at most ``most`` times, or once each where it has more attempts than that:
    once in each attempt Temporal follows with another, the rest in the last. Each attempt sending ``most``
    sent an MCP call a plan gave 3 attempts 9 times, the server turning it away each time."""
    from temporalio import activity

    if not activity.in_activity():
        return most
    info = activity.info()
    attempts = info.retry_policy.maximum_attempts if info.retry_policy else 0  # 0: Temporal's default, no end
    if attempts == 0 or info.attempt < attempts:
        return 1
    return max(most - (info.attempt - 1), 1)


def attempts_for(args: Mapping[str, Any]) -> int | None:
    """One Temporal attempt for a call that may not be resent (a method, or headers, given by a reference are
    not known to be resendable): a timeout or a lost worker says nothing of what the server did."""
    method, headers = args.get("method", "GET"), args.get("headers") or {}
    # A GET's headers given by reference (${inputs.headers}) leave it a GET: resendable whatever they hold.
    # The arguments are unchecked here (an agent's, in its workflow): a key that is no string is no key.
    given = (
        {name: value for name, value in headers.items() if isinstance(value, str)}
        if isinstance(headers, Mapping)
        else {}
    )
    if isinstance(method, str) and resendable(method, given):
        return None
    return 1


def secret_in_host(args: Mapping[str, Any]) -> str | None:
    """Why the arguments as written (secrets unresolved) send a secret where none may go: in the URL's host
    or port, whose name goes to DNS resolvers in clear and which chooses where the request goes."""
    url = args.get("url")
    if isinstance(url, str) and uses_secret(urlsplit(url).netloc.rpartition("@")[2]):
        return "url: a secret may be in a URL's user, password, path, query or fragment, not its host or port"
    return None


def http_request_tool() -> Tool:
    spec = ToolSpec(
        name="http_request",
        description=(
            "Make one HTTP request to an allowed host and return status, headers and the body "
            "(as text, and parsed if it is JSON). 429/5xx and network errors are retryable, other 4xx are not. "
            "A POST may not be idempotent: it is retried only when surely not processed."
        ),
        capabilities=["http", "fetch", "download", "web"],
        input_model=HttpRequestInput,
        output_model=HttpResponseOutput,
        input_types=["url"],
        output_types=["http_response", "html", "text", "json"],
        side_effects=False,
        idempotent=True,
        timeout_s=600.0,
        retry=RETRY,
        attempts_for=attempts_for,
        secret_args=["headers"],
        takes_secrets=["params"],  # httpx encodes them
        secrets_in_url=["url"],
        secrets_placed=secret_in_host,
    )
    return Tool(spec=spec, run=run_http_request)
