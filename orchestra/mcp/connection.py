"""One live MCP session with one server, owned by one task for its whole life.

The SDK's transports and ClientSession are anyio context managers: they must be entered and left in
the same task. So a connection is a task that opens the transport and the session, says it is ready,
and waits until it is closed or the server goes away; calls from any activity use the session in
between (JSON-RPC requests are matched by id, so calls may overlap).

A request ends with its answer, or at once with what stands for it: the server went away
(``ConnectionLost``), its answer could not be read (``UnreadableAnswer``), the request never reached it
(``ServerUnavailable``). The transports make the last two (``answers.Failure``); a lost connection is
the SDK's own error for a closed stream, never a server's error that happens to use the same code.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any, TypeVar

import anyio
import structlog
from jsonschema.exceptions import SchemaError
from mcp import ClientSession
from mcp.shared.exceptions import McpError
from mcp.types import (
    CallToolResult,
    CancelledNotification,
    CancelledNotificationParams,
    ClientNotification,
    ErrorData,
    PaginatedRequestParams,
    Tool,
)
from pydantic import ValidationError

from orchestra.errors import ToolError
from orchestra.mcp import schemas
from orchestra.mcp.answers import Failure, closed_stream, describe_result, whole_or_length
from orchestra.mcp.transports import EXIT_WAIT_S, Link, ServerUnavailable
from orchestra.secrets import Masker, settings_masker
from orchestra.tools.http_request import longest_retry_wait_s

Opener = Callable[[], contextlib.AbstractAsyncContextManager[Link]]
MAX_LIST_PAGES = 100
# Every tool goes into the registry, the planner's index and the agent's prompts: far past what any
# server offers (the largest have a few hundred), and a bound on what a hostile one can make the worker hold.
MAX_TOOLS = 2000
CLOSED = "the connection closed"
REQUEST_TIMEOUT = 408  # the SDK's code for a request that waited longer than its read timeout
T = TypeVar("T")
log = structlog.get_logger("orchestra.mcp")


class ConnectionLost(Exception):
    """The server went away (exited, crashed, the connection broke) while a request was in flight."""


class UnreadableAnswer(Exception):
    """The server answered a request with what cannot be read as an answer: it may have acted on it.
    ``final``: what it answered is no HTTP answer, and would be the same again (answers.FailureKind "final")."""

    def __init__(self, reason: str, *, final: bool = False) -> None:
        super().__init__(reason)
        self.final = final


class Connection:
    def __init__(self, server: str, opener: Opener, masker: Masker, on_tools_changed: Callable[[], None]) -> None:
        self.server = server
        self.masker = masker
        self._opener = opener
        self._on_tools_changed = on_tools_changed
        self._ready: asyncio.Future[ClientSession] = asyncio.get_running_loop().create_future()
        self._ready.add_done_callback(_consume)  # a start that failed while nobody waited is no warning
        self._stop = asyncio.Event()
        self._gone = asyncio.Event()
        self._link: Link | None = None
        self.failure = ""
        self._owner = asyncio.create_task(self._run(), name=f"mcp server {server}")

    @property
    def alive(self) -> bool:
        # Not once the server's stdout has ended: the session is closing its streams then, and a call given it
        # would fail on them; the next call opens a connection of its own instead.
        link = self._link
        return not self._gone.is_set() and not (link is not None and (link.retired or link.ended.is_set()))

    def why_gone(self) -> str:
        return self._with_tail(self.failure or CLOSED)

    def _with_tail(self, reason: str) -> str:
        tail = self._link.stderr_tail() if self._link is not None else ""
        return self.masker.text(f"{reason}{f'; its stderr ends: {tail}' if tail else ''}")

    async def _run(self) -> None:
        try:
            async with self._opener() as link:
                self._link = link
                link.notices.tools_changed = self._on_tools_changed
                async with _Session(link.read, link.write) as session:
                    await session.initialize()
                    self._ready.set_result(session)
                    ended = asyncio.ensure_future(link.ended.wait())
                    stop = asyncio.ensure_future(self._stop.wait())
                    try:
                        await asyncio.wait({ended, stop}, return_when=asyncio.FIRST_COMPLETED)
                    finally:
                        ended.cancel()
                        stop.cancel()
                    if link.ended.is_set():
                        self.failure = link.exit_said()
        except ServerUnavailable as exc:  # refused before starting: that message says it all
            self.failure = str(exc)
            if not self._ready.done():
                self._ready.set_exception(exc)
        except Exception as exc:  # an error of the transport or the handshake: the server is gone
            exited = self._link is not None and self._link.ended.is_set()
            described = _describe(exc)
            if exited and described == CLOSED and self._link is not None:
                described = self._link.exit_said()
            self.failure = self.failure or described
            if self._stop.is_set():  # closed as asked: nobody asks why_gone any more, the log alone tells of it
                # The worker's secret settings too, as every other word of a server's (McpHub._usable): a transport's
                # error may quote one it was handed (a header's key). In a thread: the settings' masker may be built here.
                reason = await asyncio.to_thread(lambda: settings_masker().text(self.masker.text(described)))
                log.warning("mcp session closing failed", server=self.server, reason=reason)
        finally:
            self._gone.set()
            if not self._ready.done():
                self._ready.set_exception(
                    self._stopped() or ServerUnavailable(f"MCP server {self.server!r} did not start: {self.why_gone()}")
                )

    async def session(self, timeout_s: float) -> ClientSession:
        try:
            return await asyncio.wait_for(asyncio.shield(self._ready), timeout_s)
        except TimeoutError:
            await self.close()
            raise ServerUnavailable(
                f"MCP server {self.server!r} did not answer the handshake within {timeout_s:g} s: {self.why_gone()}",
                code="mcp_start_timeout",
            ) from None

    async def list_tools(self, timeout_s: float) -> list[Tool]:
        """Every page of the server's tools within ``timeout_s`` in all (a server that never answers,
        or answers what cannot be read, must not hold a worker's start or a plan's preparation)."""
        session = await self.session(timeout_s)
        tools: list[Tool] = []
        cursor: str | None = None
        try:
            async with asyncio.timeout(timeout_s):
                for _ in range(MAX_LIST_PAGES):
                    params = PaginatedRequestParams(cursor=cursor) if cursor else None
                    page = await self._while_alive(session, session.list_tools(params=params))
                    tools += page.tools
                    cursor = page.nextCursor
                    if not cursor or len(tools) > MAX_TOOLS:
                        break
        except TimeoutError:
            raise ServerUnavailable(
                f"MCP server {self.server!r} did not list its tools within {timeout_s:g} s"
                + (f": {self.why_gone()}" if not self.alive else ""),
                code="mcp_list_timeout",
            ) from None
        if len(tools) > MAX_TOOLS:
            raise ServerUnavailable(
                f"MCP server {self.server!r} lists more than {MAX_TOOLS:,} tools; split it into servers of fewer",
                code="mcp_too_many_tools",
            )
        return tools

    async def call_tool(self, name: str, arguments: dict[str, Any], timeout_s: float) -> CallToolResult:
        session = await self.session(timeout_s)
        request = session.call_tool(name, arguments, read_timeout_seconds=timedelta(seconds=timeout_s))
        try:
            # The SDK bounds the wait for the answer only, not the sending: a server that stops reading its
            # stdin (or a transport busy with what the server sent) would hold the call, and every later one.
            async with asyncio.timeout(timeout_s):
                return await self._while_alive(session, request)
        except TimeoutError:
            message = f"no answer within {timeout_s:g} s (the request may not even have reached the server)"
            raise McpError(ErrorData(code=REQUEST_TIMEOUT, message=message)) from None

    async def _while_alive(self, session: ClientSession, request: Coroutine[Any, Any, T]) -> T:
        """The request's result, or ConnectionLost the moment the server goes away. A request given up on
        (cancelled, or timed out in the SDK) is cancelled for the server too, as the specification asks:
        else the server works on for nobody, and the transport keeps the request as in flight for ever."""
        ids: list[int] = []

        async def started() -> T:
            _TAKEN.set(ids)  # this task's context only: the ids its requests take (_Session.send_request)
            return await request

        try:
            return await self._answer(started())
        except asyncio.CancelledError:
            await self._give_up(session, ids, "no longer awaited (cancelled, or out of time)")
            raise
        except McpError as exc:
            if exc.error.code == REQUEST_TIMEOUT:
                await self._give_up(session, ids, "timed out")
            raise

    async def _give_up(self, session: ClientSession, ids: list[int], reason: str) -> None:
        # Every request the call made (the SDK's call_tool may list the tools too), answered or not: a
        # server ignores the cancel of one it answered. Best effort, shielded and bounded.
        with contextlib.suppress(Exception), anyio.CancelScope(shield=True), anyio.move_on_after(1):
            for request_id in ids:
                params = CancelledNotificationParams(requestId=request_id, reason=reason)
                await session.send_notification(ClientNotification(CancelledNotification(params=params)))

    async def _answer(self, request: Coroutine[Any, Any, T]) -> T:
        pending = asyncio.ensure_future(request)
        gone = asyncio.ensure_future(self._gone.wait())
        try:
            await asyncio.wait({pending, gone}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            gone.cancel()
            if not pending.done():
                pending.cancel()
                pending.add_done_callback(_consume)
        if not pending.done() or pending.cancelled():
            raise await self._lost()
        try:
            return pending.result()
        except (anyio.ClosedResourceError, anyio.BrokenResourceError):
            # The session's streams closed under the request before it was written: the server had left (on its
            # own, before the connection noticed). Nothing reached it, so it is safe to try again on a fresh one.
            raise await self._exited() from None
        except McpError as exc:
            raise (await self._lost() if closed_stream(exc.error) else self._meaning(exc)) from None
        except ValidationError as exc:  # an answer to the request, but not the result it asks for
            raise UnreadableAnswer(f"the result is not what was asked for: {describe_result(exc)}") from None

    def _meaning(self, exc: McpError) -> Exception:
        """What an error answer stands for: the transport's failure or the server's error (a closed stream is
        :meth:`_lost`'s)."""
        data = exc.error.data
        if isinstance(data, Failure):
            # The transport's words may quote what the server sent back, and so what it was sent (headers).
            reason = self.masker.text(data.reason)
            if data.kind == "unsent":
                return ServerUnavailable(f"MCP server {self.server!r} is unavailable: {reason}")
            if data.kind == "busy":
                return busy(f"MCP server {self.server!r} turned the request away for now: {reason}", data.retry_after_s)
            if data.kind == "lost":
                return ConnectionLost(reason)
            return UnreadableAnswer(reason, final=data.kind == "final")
        return exc

    async def _exited(self) -> ToolError:
        said = await self._why_left()
        if stopped := self._stopped():
            return stopped
        return ServerUnavailable(f"MCP server {self.server!r} is gone before the call reached it: {said}")

    async def _lost(self) -> Exception:
        """What a request ends with when the server has gone: why the transport stopped it, if it did."""
        said = await self._why_left()
        return self._stopped() or ConnectionLost(said)

    async def _why_left(self) -> str:
        """Why the server went, once its exit is known: a call cut off as the server exits learns of it on the closed
        stream first, and said "the connection closed" while the status was still being read (attack371 F7)."""
        link = self._link
        if link is not None and not self._stop.is_set():  # closed as asked, it may never be said to end
            with anyio.move_on_after(EXIT_WAIT_S * 2):  # its exit status and last stderr lines are being read
                await link.ended.wait()
        return self._with_tail(
            self.failure or (link.exit_said() if link is not None and link.ended.is_set() else CLOSED)
        )

    def _stopped(self) -> ToolError | None:
        return self._link.stop_error() if self._link is not None else None

    async def close(self) -> None:
        self._stop.set()
        if not self._owner.done():
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(asyncio.shield(self._owner), 5)
        if not self._owner.done():
            self._owner.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._owner


def busy(message: str, wait_s: float | None) -> ToolError:
    """A request the server did not process (429, 503): retried, no sooner than its Retry-After says, unless
    that is longer than the step waits between attempts (trying sooner is refused again)."""
    if wait_s is not None and wait_s > (longest := longest_retry_wait_s()):
        return ToolError(
            f"{message} (it asks to wait {wait_s:g}s, longer than the step's retry.max_interval_s {longest:g}s:"
            " not retried)",
            code="mcp_rate_limited",
        )
    return ServerUnavailable(message, code="mcp_rate_limited", retry_after_s=wait_s)


_TAKEN: contextvars.ContextVar[list[int]] = contextvars.ContextVar("mcp_request_ids")


class _Session(ClientSession):
    """The SDK's session, telling each task the ids its requests take (read in the step that takes them:
    read before, another task's request could take it first)."""

    async def send_request(self, *args: Any, **kwargs: Any) -> Any:
        taken = _TAKEN.get(None)
        if taken is not None:
            taken.append(self._request_id)
        return await super().send_request(*args, **kwargs)

    async def _validate_tool_result(self, name: str, result: CallToolResult) -> None:
        # The SDK's own check (this method's, mcp 1.x) runs jsonschema as it comes on the server's output
        # schema, with Python's re for its patterns: 2**64 steps for ^(a|a)*$ on 64 characters, holding the
        # GIL (every run the worker serves stalls). The same check, by the validator the input schemas have:
        # RE2, and a schema that refers to itself without end an error of the call, never a RecursionError.
        if name not in self._tool_output_schemas:
            await self.list_tools()  # as the SDK does: a tool listed since
        schema = self._tool_output_schemas.get(name)
        if schema is None:
            return
        if result.structuredContent is None:
            raise RuntimeError(f"tool {name!r} has an output schema but its answer has no structured content")
        # In a thread: building the validator reads the schema against its meta-schema (0.2 s to 1.5 s
        # for 64 KiB of it), and the check takes time with the answer's size; the event loop serves every
        # other activity of the worker meanwhile.
        if problem := await asyncio.to_thread(_output_problem, schema, result.structuredContent):
            raise RuntimeError(f"tool {name!r}{problem}")


def _output_problem(schema: dict[str, Any], structured: dict[str, Any]) -> str | None:
    # What the input schemas are refused for: unevaluatedProperties reads patternProperties with
    # Python's re inside jsonschema, past the RE2 keywords (the same 2**64 steps for ^(a|a)*$).
    # What this says is masked after (the hub, the activity): it names where and which rule, never quotes
    # the answer, and is never cut (schemas.breach).
    checker = schemas.output_checker(schema)
    if isinstance(checker, str):
        return f": {checker}"
    try:
        found = schemas.errors(checker, structured)
    except SchemaError as exc:
        return f": its output schema is not valid: {schemas.breach(exc)}"
    return f" answered outside its output schema: {schemas.breach(found[0])}" if found else None


def _consume(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, BaseExceptionGroup):
        return "; ".join(_describe(e) for e in exc.exceptions)
    if isinstance(exc, ServerUnavailable):
        return str(exc)
    if isinstance(exc, McpError):
        if isinstance(exc.error.data, Failure):
            return exc.error.data.reason
        if closed_stream(exc.error):
            return CLOSED
        return f"the server answered with an error{whole_or_length(exc.error.message)}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
