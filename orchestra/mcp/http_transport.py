"""Streamable-HTTP MCP servers: the SDK's client, through the network boundary, each answer held to its request.

The httpx client is the network boundary's (``guarded_http``), as ``http_request``'s is. The SDK's
transport is used with these changes, each where it decides whose an answer is or how long to wait:

- every request's POST ends with an answer to that request: what the transport could not read (a
  garbage body, a content type that is neither JSON nor an event stream, a message that is no JSON-RPC,
  a reply to another id, a stream closed mid-message, an HTTP error status) becomes that request's
  failure at once (``answers.Failure``), where the SDK hands it to the session's message handler and
  the request waits out its timeout, or lets it end the whole transport, and every call in flight;
- a notification the server refuses is logged: the SDK would end the transport over it; one it does not
  acknowledge within NOTIFICATION_WAIT_S is given up (the SDK held every later request for 300 s);
- the stream of server-initiated messages (GET) carries no answers (the specification forbids them
  there): one that comes is dropped rather than taken for the answer of whichever request has its id;
  and it is reopened no sooner than the resumptions below;
- a request's POST lasts no longer than the request may be waited for (``timeout_s``), and a stream the
  server ends before its answer is resumed at most once a second and in a loop, not a recursion: the
  SDK resumes at once if the server says ``retry: 0``, for ever (its attempt count restarts after each
  stream that ends normally), one level of recursion deeper each time, long after the call gave up;
- every event stream (a POST's, a resumption's, the server's own) is read by ``sse.events``, bytes a
  chunk at a time within bounds, not by httpx_sse a line at a time in Python on the event loop;
- a server that no longer knows the session (HTTP 404: it restarted, say) ends the connection, so the
  next call opens a new session as the specification asks; the SDK kept the dead one, and every later
  call failed the same way. That request was not run: it fails as one that never reached the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Protocol, cast
from urllib.parse import urljoin

import anyio
import httpx
import structlog
from httpx_sse import ServerSentEvent
from mcp.client.streamable_http import (
    DEFAULT_RECONNECTION_DELAY_MS,
    LAST_EVENT_ID,
    MAX_RECONNECTION_ATTEMPTS,
    RequestContext,
    StreamableHTTPTransport,
    StreamWriter,
)
from mcp.shared._httpx_utils import redirect_location, sse_within_origin
from mcp.shared.message import SessionMessage
from mcp.types import JSONRPCError, JSONRPCMessage, JSONRPCRequest, JSONRPCResponse, RequestId

from orchestra import guarded_http
from orchestra.confinement import Confinement
from orchestra.informational import UnreadableAnswer
from orchestra.mcp.answers import (
    OFF_LOOP_BYTES,
    FailureKind,
    describe_invalid,
    failure,
    marked,
    parse_large,
    same_id,
    too_many_items,
)
from orchestra.mcp.config import McpServerDecl
from orchestra.mcp.sse import StreamRefused, events
from orchestra.mcp.stream_budget import MAX_RECONNECT_S, WindowBudget, backoff_s, reconnect_delay_s
from orchestra.mcp.transports import MAX_MESSAGE_BYTES, Link, Notices, ReadStream, WriteStream
from orchestra.network import DestinationRefused
from orchestra.retry_after import retry_after_seconds
from orchestra.shown_url import shown_url
from orchestra.tools.http_request import NOT_PROCESSED_STATUSES

log = structlog.get_logger("orchestra.mcp")
# An unknown event's kind as the log names it: a short word whole (the masker sees all of it), anything else
# not at all. Cut at 64 characters, a server's event name carrying its header secret across the cut showed
# the secret's start, which no masker knows.
EVENT_KIND = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]{0,31}")
# The SDK's own delay when the server names none: a server may slow its client's resumptions, never hasten them.
MIN_RECONNECT_S = DEFAULT_RECONNECTION_DELAY_MS / 1000
# A notification's answer is a bare status (202) that nothing waits for, but every request queued after it
# waits for it: it gets this long (or the server's timeout_s, if shorter), and is then given up.
NOTIFICATION_WAIT_S = 5.0


class _Writer(Protocol):
    """What the SDK's transport (mcp 1.x streamable_http.py) calls on a writer of what it reads that we hand
    it in place of a memory stream: ``send``, and ``aclose`` where its writer of requests ends. Each of ours is
    handed over by ``_handed``, so that mypy holds it to this (tests/mcp/test_sdk_writers.py holds this to the
    SDK's calls): a cast alone let one go without ``aclose``, and every HTTP session ended in an AttributeError."""

    async def send(self, item: SessionMessage | Exception, /) -> None: ...

    async def aclose(self) -> None: ...


def _handed(writer: _Writer) -> StreamWriter:
    return cast(StreamWriter, writer)


@contextlib.asynccontextmanager
async def http(decl: McpServerDecl, confinement: Confinement, headers: dict[str, str]) -> AsyncIterator[Link]:
    assert decl.url is not None
    confinement.check_url(decl.url)
    # The read timeout bounds a quiet response stream; each call has its own deadline besides.
    timeout = httpx.Timeout(decl.timeout_s, read=max(decl.timeout_s, 300.0))
    async with (
        guarded_http.client(
            confinement.boundary, headers=headers, timeout=timeout, max_body_bytes=MAX_MESSAGE_BYTES
        ) as client,
        _streams(transport := _Transport(decl.url, decl.timeout_s), client, notices := Notices()) as (read, write),
    ):
        link = transport.link = Link(read, write, notices=notices)
        try:
            yield link
        finally:
            link.ended.set()


@contextlib.asynccontextmanager
async def _streams(
    transport: _Transport, client: httpx.AsyncClient, notices: Notices
) -> AsyncIterator[tuple[ReadStream, WriteStream]]:
    """The SDK's ``streamable_http_client`` (mcp 1.x), with our transport in place of its own, and what the
    server sends through ``notices``."""
    read_writer, read = anyio.create_memory_object_stream[SessionMessage | Exception](0)
    write, write_reader = anyio.create_memory_object_stream[SessionMessage](0)
    notices.writer = read_writer
    gated = _handed(notices)
    async with anyio.create_task_group() as tasks:
        try:

            def start_get_stream() -> None:
                tasks.start_soon(transport.handle_get_stream, client, gated)

            tasks.start_soon(transport.post_writer, client, write_reader, gated, write, start_get_stream, tasks)
            tasks.start_soon(notices.answering, _AnswerPoster(transport, client, gated))
            try:
                yield read, write
            finally:
                if transport.session_id:
                    await transport.terminate_session(client)
                tasks.cancel_scope.cancel()
        finally:
            await read_writer.aclose()
            await write.aclose()


class _Transport(StreamableHTTPTransport):
    link: Link | None = None

    def __init__(self, url: str, timeout_s: float) -> None:
        super().__init__(url)
        self.timeout_s = timeout_s

    async def _handle_post_request(self, ctx: RequestContext) -> None:
        request = ctx.session_message.message.root
        if not isinstance(request, JSONRPCRequest):
            # The SDK sends a notification before anything queued after it, and its answer's headers were
            # awaited for the read timeout (300 s): a server that never answered one held every call.
            limit_s = min(self.timeout_s, NOTIFICATION_WAIT_S)
            try:
                with anyio.move_on_after(limit_s) as waited:
                    await super()._handle_post_request(ctx)
            except Exception as exc:  # nothing waits for it; the SDK would end the transport over it
                log.info("an MCP notification was not delivered", reason=_problem(exc)[1])
            if waited.cancelled_caught:
                log.info("an MCP notification was not acknowledged", waited_s=limit_s)
            return
        answer = _Answer(ctx.read_stream_writer, request.id)
        try:
            # Past this, nobody waits for the answer (the connection's own deadlines are timeout_s too).
            with anyio.move_on_after(self.timeout_s) as waited:
                await super()._handle_post_request(dataclasses.replace(ctx, read_stream_writer=answer.writer()))
        except Exception as exc:
            await answer.fail(*_problem(exc))
        else:
            late = waited.cancelled_caught
            await answer.fail(
                "lost",
                f"no answer within {self.timeout_s:g} s" if late else "the server's response ended without an answer",
            )

    async def _handle_json_response(
        self, response: httpx.Response, read_stream_writer: StreamWriter, is_initialization: bool = False
    ) -> None:
        """As the SDK's, but a body over OFF_LOOP_BYTES is parsed in a thread (``_message``)."""
        try:
            message = await _message(await response.aread())
            if is_initialization:
                self._maybe_extract_protocol_version_from_message(message)
            await read_stream_writer.send(SessionMessage(message))
        except Exception as exc:  # the request's own failure (_Answer), as the SDK hands it on
            await read_stream_writer.send(exc)

    async def _handle_sse_event(
        self,
        sse: ServerSentEvent,
        read_stream_writer: StreamWriter,
        original_request_id: RequestId | None = None,
        resumption_callback: Callable[[str], Awaitable[None]] | None = None,
        is_initialization: bool = False,
    ) -> bool:
        """As the SDK's (mcp 1.x), but an event's data over OFF_LOOP_BYTES is parsed in a thread, as a JSON
        body is; the SDK also formatted every message it parsed into a debug line, logged or not."""
        if sse.event != "message":
            kind = sse.event if EVENT_KIND.fullmatch(sse.event) else f"({len(sse.event)} characters, not a word)"
            log.debug("an MCP server sent an event of an unknown kind: ignored", kind=kind)
            return False
        if sse.data:
            try:
                message = await _message(sse.data.encode())
            except Exception as exc:  # the request's own failure (_Answer), as the SDK hands it on
                await read_stream_writer.send(exc)
                return False
            if is_initialization:
                self._maybe_extract_protocol_version_from_message(message)
            is_answer = isinstance(message.root, JSONRPCResponse | JSONRPCError)
            if original_request_id is not None and is_answer:
                message.root.id = original_request_id  # type: ignore[union-attr]  # an answer's, as the SDK does
            await read_stream_writer.send(SessionMessage(message))
        else:
            is_answer = False  # a priming event: an id to resume from, no message
        if sse.id and resumption_callback:
            await resumption_callback(sse.id)
        return is_answer

    async def _handle_sse_response(
        self, response: httpx.Response, ctx: RequestContext, is_initialization: bool = False
    ) -> None:
        """As the SDK's (mcp 1.x), the stream read by ``sse.events``: one past its bounds fails the request."""
        stream = _Stream()
        try:
            if await self._read_stream(response, ctx, stream, None, is_initialization):
                return
        except StreamRefused:
            raise
        except Exception as exc:  # as the SDK: a stream that broke is resumed from its last event, if any
            log.debug("an MCP answer's event stream ended", reason=_problem(exc)[1])
        if stream.last_id:
            await self._handle_reconnection(ctx, stream.last_id, stream.retry_ms)

    async def _handle_reconnection(
        self, ctx: RequestContext, last_event_id: str, retry_interval_ms: int | None = None, attempt: int = 0
    ) -> None:
        """The SDK's resumption of a stream the server ended before its answer, in a loop, not a recursion,
        each try no sooner than MIN_RECONNECT_S after the last (the count of failed tries restarts after a
        stream that ended normally, as the SDK's does: the request's own deadline ends it)."""
        request = ctx.session_message.message.root
        request_id = request.id if isinstance(request, JSONRPCRequest) else None
        stream = _Stream(last_event_id, retry_interval_ms)
        while attempt < MAX_RECONNECTION_ATTEMPTS:
            await anyio.sleep(reconnect_delay_s(stream.retry_ms, MIN_RECONNECT_S))
            headers = self._prepare_headers()
            headers[LAST_EVENT_ID] = stream.last_id
            try:
                async with sse_within_origin(ctx.client, self.url, headers=headers) as source:
                    source.response.raise_for_status()
                    if await self._read_stream(source.response, ctx, stream, request_id):
                        return
                attempt = 0
            except StreamRefused:
                raise
            except Exception as exc:
                log.debug("an MCP answer's stream could not be resumed", reason=_problem(exc)[1])
                attempt += 1

    async def _handle_resumption_request(self, ctx: RequestContext) -> None:
        """As the SDK's, read by ``sse.events`` (a caller's resumption token leads here; none is given today)."""
        headers = self._prepare_headers()
        token = ctx.metadata.resumption_token if ctx.metadata else None
        if not token:
            raise ValueError("a resumption needs a resumption token")
        headers[LAST_EVENT_ID] = token
        request = ctx.session_message.message.root
        request_id = request.id if isinstance(request, JSONRPCRequest) else None
        async with sse_within_origin(ctx.client, self.url, headers=headers) as source:
            if redirect_location(source.response) is not None:
                raise ValueError("the server's stream redirects elsewhere")
            source.response.raise_for_status()
            await self._read_stream(source.response, ctx, _Stream(token), request_id)

    async def _read_stream(
        self,
        response: httpx.Response,
        ctx: RequestContext,
        stream: _Stream,
        request_id: RequestId | None,
        is_initialization: bool = False,
    ) -> bool:
        """Hands each event of ``response`` on, noting in ``stream`` where to resume; whether the answer came."""
        callback = ctx.metadata.on_resumption_token_update if ctx.metadata else None
        async for sse in events(response):
            stream.last_id = sse.id or stream.last_id
            if sse.retry is not None:
                stream.retry_ms = sse.retry
            if await self._handle_sse_event(sse, ctx.read_stream_writer, request_id, callback, is_initialization):
                await response.aclose()
                return True
        return False

    async def _send_session_terminated_error(self, read_stream_writer: StreamWriter, request_id: RequestId) -> None:
        if self.session_id is None:
            reason = "the server answered HTTP 404 Not Found: is the URL its MCP endpoint?"
        else:
            reason = "the server no longer knows the session (HTTP 404): the next call opens a new one"
            if self.link is not None:
                self.link.retired = True
        await read_stream_writer.send(failure(request_id, "unsent", reason))

    async def handle_get_stream(self, client: httpx.AsyncClient, read_stream_writer: StreamWriter) -> None:
        """The SDK's loop over the server's own stream, reopened no sooner than MIN_RECONNECT_S and no later
        than MAX_RECONNECT_S: the SDK reopens a stream that ended as soon as the server's retry field says,
        0 making a loop of requests for the connection's whole life. What the stream sends is held to a
        budget per window (``stream_budget``): past it, the stream is closed until the window ends."""
        writer = _Unsolicited(read_stream_writer).writer()
        last_event_id: str | None = None
        retry_ms: int | None = None
        budget = WindowBudget()
        failures = empties = 0
        told_empty = False
        while self.session_id and failures < MAX_RECONNECTION_ATTEMPTS:
            headers = self._prepare_headers()
            if last_event_id:
                headers[LAST_EVENT_ID] = last_event_id
            read = 0
            try:
                async with sse_within_origin(client, self.url, headers=headers) as source:
                    if redirect_location(source.response) is not None:
                        log.info("an MCP server's own stream redirects elsewhere: not opened")
                        return
                    source.response.raise_for_status()
                    # Its notifications stop at the transport (Notices), bounded there: a count of them here
                    # ended the stream at 100,000 and, after two, left it closed for the link's life.
                    async for sse in events(source.response, max_events=None):
                        read += 1
                        retry_ms = sse.retry if sse.retry is not None else retry_ms
                        if spent := budget.spend(len(sse.data)):
                            if len(sse.data) > budget.size:
                                # Alone over a whole window's budget, it would come again after every
                                # reopening, and no event after it: passed over, its id kept as read.
                                last_event_id = sse.id or last_event_id
                            log.info("an MCP server's own stream sent too much: closed until the window ends",
                                     reason=spent, reopened_in_s=round(budget.left_s(), 1))  # fmt: skip
                            break
                        # Only a handled event's id is sent back: the one past the budget comes again.
                        last_event_id = sse.id or last_event_id
                        await self._handle_sse_event(sse, writer)
                failures = 0
                # A stream that ends at once with nothing was reopened every second for the link's life.
                empties = 0 if read else empties + 1
                if empties == 1 and not told_empty:
                    told_empty = True
                    log.info("an MCP server's own stream ends at once with nothing: reopened less and less often",
                             up_to_every_s=MAX_RECONNECT_S)  # fmt: skip
            except Exception as exc:
                log.debug("an MCP server's own stream failed", reason=_problem(exc)[1])
                if isinstance(exc, StreamRefused):
                    budget.exhaust()  # its bounds per stream would otherwise be spent anew at each reopening
                # A stream that brought events is no failure to connect: a link of weeks meets the cap on a
                # body (MAX_MESSAGE_BYTES) now and then, and two such closed the stream for the link's life.
                failures = 0 if read else failures + 1
            await anyio.sleep(max(_own_stream_delay_s(retry_ms), budget.left_s(), backoff_s(empties, MIN_RECONNECT_S)))


def _own_stream_delay_s(retry_ms: int | None) -> float:
    delay_s = reconnect_delay_s(retry_ms, MIN_RECONNECT_S)
    if retry_ms is not None and retry_ms / 1000 > delay_s:
        log.info("an MCP server asked to wait longer than its client waits to reopen its stream",
                 asked_s=retry_ms / 1000, waited_s=delay_s)  # fmt: skip
    return delay_s


@dataclasses.dataclass
class _Stream:
    """Where a request's event stream resumes from, and how long the server asks to wait first."""

    last_id: str = ""
    retry_ms: int | None = None


class _AnswerPoster:
    """Where the answers to a server's own requests are POSTed, one at a time, by the task that makes them
    (``Notices.answering``): through the SDK's writer of requests each POST was waited for (up to
    NOTIFICATION_WAIT_S), and a server that held them kept every call queued behind them out of its time."""

    def __init__(self, transport: _Transport, client: httpx.AsyncClient, writer: StreamWriter) -> None:
        self._transport = transport
        self._client = client
        self._writer = writer

    async def send(self, reply: SessionMessage) -> None:
        context = RequestContext(
            client=self._client,
            session_id=self._transport.session_id,
            session_message=reply,
            metadata=None,
            read_stream_writer=self._writer,
        )
        await self._transport._handle_post_request(context)


class _Answer:
    """Where one request's POST puts what it reads: the answer to that request, or what stands for it."""

    def __init__(self, writer: StreamWriter, request_id: RequestId) -> None:
        self._writer = writer
        self._id = request_id
        self._done = False

    def writer(self) -> StreamWriter:
        return _handed(self)

    async def send(self, item: SessionMessage | Exception) -> None:
        if self._done:
            return  # after the answer, or the failure standing for it, nothing more is this request's
        if isinstance(item, Exception):
            await self.fail(*_problem(item))
            return
        root = item.message.root
        if isinstance(root, JSONRPCResponse | JSONRPCError):
            if not same_id(root.id, self._id):
                await self.fail("unreadable", f"the server answered request id {root.id!r} instead of {self._id!r}")
                return
            if isinstance(root, JSONRPCResponse) and (problem := too_many_items(root.result)):
                await self.fail("unreadable", problem)
                return
            self._done = True
            item = SessionMessage(marked(item.message), metadata=item.metadata)
        await self._writer.send(item)

    async def fail(self, kind: FailureKind, reason: str, retry_after_s: float | None = None) -> None:
        if not self._done:
            self._done = True
            await self._writer.send(failure(self._id, kind, reason, retry_after_s))

    async def aclose(self) -> None:
        """Nothing more comes for this request: unanswered, it fails now. The session's stream stays open."""
        await self.fail("lost", "the server's response ended without an answer")


class _Unsolicited:
    """The GET stream's writer: the server's own requests and notifications pass; answers do not."""

    def __init__(self, writer: StreamWriter) -> None:
        self._writer = writer

    def writer(self) -> StreamWriter:
        return _handed(self)

    async def send(self, item: SessionMessage | Exception) -> None:
        if isinstance(item, Exception) or isinstance(item.message.root, JSONRPCResponse | JSONRPCError):
            log.info("an MCP server sent what is no request or notification on its own stream: dropped")
            return
        await self._writer.send(item)

    async def aclose(self) -> None:
        """The server's own stream ended: the session's stream stays open (``Notices`` closes it with the link)."""


async def _message(content: bytes) -> JSONRPCMessage:
    """A JSON body or an event's data as a message; over OFF_LOOP_BYTES, parsed in a thread
    (``answers.parse_large``), as a stdio line is: pydantic's parser holds the GIL for a whole body."""
    if len(content) <= OFF_LOOP_BYTES:
        return JSONRPCMessage.model_validate_json(content)
    parsed = await asyncio.to_thread(parse_large, content)
    if parsed.message is None:
        raise parsed.problem or ValueError("not a JSON-RPC message")
    return parsed.message


def _unreadable_redirect(exc: Exception) -> bool:
    """httpx builds a redirect's next request even when it follows none: a Location it cannot read raised
    InvalidURL (``http:ann:pw@host/x``, no host: "For absolute URLs, ...", named as no JSON-RPC message) or
    a RemoteProtocolError (``http://[::1/x``: named as a connection broken, its text quoting the port).
    The server's URL was read when the server was declared: a redirect's is the only one left to fail."""
    return isinstance(exc, httpx.InvalidURL) or (
        isinstance(exc, httpx.RemoteProtocolError) and str(exc).startswith("Invalid URL in location header")
    )


def _problem(exc: Exception) -> tuple[FailureKind, str, float | None]:
    """What an exception of the transport means for the request it ended, and the server's Retry-After."""
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if isinstance(exc, DestinationRefused | httpx.ConnectError | httpx.ConnectTimeout):
        return "unsent", f"could not reach the server: {text}", None
    if isinstance(exc, httpx.HTTPStatusError):
        response = exc.response
        said = f"the server answered HTTP {response.status_code} {response.reason_phrase}".rstrip()
        if response.is_redirect:
            # Not httpx's words, which name the server's URL and the target whole, a credential in either's query.
            target = response.headers["location"]
            with contextlib.suppress(ValueError):  # a relative one, named with the host it leads to
                target = urljoin(str(exc.request.url), target)
            return "unreadable", f"{said}, redirecting to {shown_url(target)}: not followed", None
        if response.status_code in NOT_PROCESSED_STATUSES:
            return "busy", said, retry_after_seconds(response.headers.get("retry-after"))
        return "unreadable", said, None
    if _unreadable_redirect(exc):
        return "unreadable", "the server answered with a redirect to an unreadable URL: not followed", None
    if isinstance(exc, UnreadableAnswer):  # the server is there, answering what it would answer again
        return "final", str(exc), None
    if isinstance(exc, httpx.TransportError):
        return "lost", f"the connection broke before the answer ended: {text}", None
    if isinstance(exc, StreamRefused):
        return "unreadable", str(exc), None
    if isinstance(exc, ValueError) and str(exc).startswith("Unexpected content type"):
        return "unreadable", f"the answer is neither JSON nor an event stream ({str(exc).split(': ', 1)[-1]!r})", None
    return "unreadable", f"the answer is not a JSON-RPC message: {describe_invalid(exc)}", None
