"""What came back for a request: the server's answer, or why no answer to it can be read.

The SDK's session matches answers to requests by id and hands whatever its transport could not read to
a message handler, not to the request that waits for it: that request would wait out its whole
timeout. So the transports here find the request an unreadable answer was meant for and answer it
themselves with an error of their own making, whose ``data`` is a ``Failure`` (an object no server
message can produce: messages are parsed from JSON), and the connection raises what it says.

- streamable HTTP: each request has a POST of its own, so whatever goes wrong with that POST's answer
  (``http_transport``) belongs to that request;
- stdio: one stream for every request. A message whose id names a request in flight belongs to it; a
  broken message that names none (JSON cut or garbled, no id, an id never asked) fails every request in
  flight, as the answer of one of them is lost and which one cannot be known. Lines that are not meant
  as messages (start-up banners, log lines) are ignored, as the SDK's own stdio client ignores them.

A server's own error with the SDK's code for a closed connection (-32000) is marked ``FromServer`` as it
passes, so only the SDK's own (made when the stream ended) reads as a lost connection.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

import structlog
from mcp.shared.message import SessionMessage
from mcp.types import (
    CONNECTION_CLOSED,
    ErrorData,
    JSONRPCError,
    JSONRPCMessage,
    JSONRPCNotification,
    JSONRPCRequest,
    JSONRPCResponse,
    RequestId,
)
from pydantic import ValidationError

from orchestra.documents import parse_json

# What a failure means for a call: "unsent" nothing reached the server (safe to repeat); "busy" the server
# turned it away for now (HTTP 429 or 503: not processed, repeated no sooner than it says); "lost" the
# answer was cut off (it may have taken effect); "unreadable" an answer came that cannot be read; "final" an
# answer no HTTP client reads, which the server would give the same request again (an unasked 101, 1xx without
# end, a head without end: informational.UnreadableAnswer): never repeated, as http_request never repeats it.
FailureKind = Literal["unsent", "busy", "lost", "unreadable", "final"]
UNREADABLE_CODE = -32001  # shown only if an error of ours reached code that does not know Failure
# A line longer than this is parsed in a thread, by ``parse_large``: pydantic's JSON parser holds the GIL
# for a whole line (a 50 MB answer of 2 million small objects stopped the event loop, every other
# activity of the worker with it, for 13-21 s).
OFF_LOOP_BYTES = 1024 * 1024
# A read may hold thousands of small messages (a line, an event each): the loop gets a turn after each this many.
TURN_EVERY = 64
# The SDK checks every content item of an answer on the event loop, with every way an item is not each
# of its kinds collected as an error (3 million items of an unknown type: 26 million errors, minutes).
MAX_CONTENT_ITEMS = 10_000
MAX_QUOTED = 200  # characters of a server's error quoted whole; a longer one is not quoted
log = structlog.get_logger("orchestra.mcp")


@dataclass(frozen=True)
class Failure:
    """The ``data`` of an error this process made for a request whose answer cannot be had."""

    kind: FailureKind
    reason: str
    retry_after_s: float | None = None  # the server's Retry-After, when busy


@dataclass(frozen=True)
class FromServer:
    """The ``data`` of an error the server itself sent with code -32000 (its original data inside)."""

    data: Any


def failure(
    request_id: RequestId, kind: FailureKind, reason: str, retry_after_s: float | None = None
) -> SessionMessage:
    error = ErrorData(code=UNREADABLE_CODE, message=reason, data=Failure(kind, reason, retry_after_s))
    return SessionMessage(JSONRPCMessage(JSONRPCError(jsonrpc="2.0", id=request_id, error=error)))


def marked(message: JSONRPCMessage) -> JSONRPCMessage:
    root = message.root
    if isinstance(root, JSONRPCError) and root.error.code == CONNECTION_CLOSED:
        error = root.error.model_copy(update={"data": FromServer(root.error.data)})
        return JSONRPCMessage(root.model_copy(update={"error": error}))
    return message


def closed_stream(error: ErrorData) -> bool:
    """Whether an error is the SDK's own for a stream that ended (never a server's with the same code)."""
    return error.code == CONNECTION_CLOSED and not isinstance(error.data, FromServer | Failure)


def same_id(a: RequestId, b: RequestId) -> bool:
    """As the SDK matches them: a string id that reads as an integer is that integer."""
    return _normal(a) == _normal(b)


def _normal(value: RequestId) -> RequestId:
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return value
    return value


def describe_invalid(exc: Exception) -> str:
    """What is wrong with a message that is no JSON-RPC message, in one line (pydantic tries every kind of
    message; the kinds an answer can be are the ones worth naming)."""
    if not isinstance(exc, ValidationError):
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    errors = exc.errors(include_url=False)
    if errors and errors[0]["type"] == "json_invalid":
        return f"it is not JSON ({errors[0]['msg']})"
    answers = [e for e in errors if e["loc"] and e["loc"][0] in ("JSONRPCResponse", "JSONRPCError")]
    specific = [e for e in answers if not (e["type"] == "missing" and e["loc"][1:] in (("result",), ("error",)))]
    if not specific:
        return "it has neither 'result' nor 'error'"
    first = specific[0]
    return f"{'.'.join(str(part) for part in first['loc'][1:])}: {first['msg']}"


def describe_result(exc: ValidationError) -> str:
    """The first thing wrong with a result, where it is."""
    first = exc.errors(include_url=False)[0]
    return f"{'.'.join(str(part) for part in first['loc']) or 'the result'}: {first['msg']}"


@dataclass
class InFlight:
    """The requests a stdio server was sent and has not answered, by normalised id."""

    pending: set[RequestId] = field(default_factory=set)
    highest: int = -1

    def sent(self, message: JSONRPCMessage) -> None:
        root = message.root
        if isinstance(root, JSONRPCRequest):
            self.pending.add(_normal(root.id))
            if isinstance(root.id, int):
                self.highest = max(self.highest, root.id)
        elif isinstance(root, JSONRPCNotification) and root.method == "notifications/cancelled":
            # Given up on: an answer that still comes is late, not lost (the spec lets it come).
            cancelled = (root.params or {}).get("requestId")
            if isinstance(cancelled, int | str):
                self.pending.discard(_normal(cancelled))

    def asked(self, request_id: RequestId) -> bool:
        normal = _normal(request_id)
        return normal in self.pending or (isinstance(normal, int) and 0 <= normal <= self.highest)

    def take(self, request_id: RequestId) -> bool:
        """Whether ``request_id`` was waiting for this answer (it waits no more)."""
        normal = _normal(request_id)
        waiting = normal in self.pending
        self.pending.discard(normal)
        return waiting

    def fail_all(self, reason: str) -> list[SessionMessage]:
        waiting, self.pending = sorted(self.pending, key=str), set()
        return [failure(request_id, "unreadable", reason) for request_id in waiting]


@dataclass(frozen=True)
class Parsed:
    """One line read: the message it is, or why it is none (and the line as plain JSON, if it is JSON)."""

    message: JSONRPCMessage | None
    problem: ValueError | None = None
    data: Any = None
    is_json: bool = False


def parse(line: bytes) -> Parsed:
    try:
        return Parsed(JSONRPCMessage.model_validate_json(line))
    except ValueError as exc:
        return _as_json(line, exc)


def parse_large(line: bytes) -> Parsed:
    """``parse`` for a thread: json's parser with a hook in Python for each object, so the thread gives
    the GIL back to the event loop as it goes (json's C loop alone held it for seconds), then the
    message made of the parsed value, whose parts typed ``Any`` pydantic takes as they are."""
    try:
        data = parse_json(line, object_pairs_hook=_each_object)
    except ValueError as exc:
        return Parsed(None, exc)
    try:
        return Parsed(JSONRPCMessage.model_validate(data))
    except ValueError as exc:
        return Parsed(None, exc, data, True)


def _each_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    return dict(pairs)


def _as_json(line: bytes, exc: ValueError) -> Parsed:
    try:
        return Parsed(None, exc, json.loads(line), True)
    except (ValueError, RecursionError):  # nested deeper than the parser goes: read no further than its head
        return Parsed(None, exc)


def read_line(line: bytes, flight: InFlight, server: str, parsed: Parsed | None = None) -> list[SessionMessage]:
    """The messages one line from a stdio server gives the session (``parsed``: the line, read already)."""
    parsed = parse(line) if parsed is None else parsed
    message = parsed.message
    if message is None:
        assert parsed.problem is not None
        return _unreadable_line(line, parsed, flight, server)
    root = message.root
    if isinstance(root, JSONRPCResponse | JSONRPCError) and not flight.take(root.id):
        if flight.asked(root.id):
            return []  # the late answer of a request given up on
        return flight.fail_all(f"the server answered request id {root.id!r}, which was never asked")
    if isinstance(root, JSONRPCResponse) and (problem := too_many_items(root.result)):
        return [failure(root.id, "unreadable", problem)]
    return [SessionMessage(marked(message))]


def too_many_items(result: dict[str, Any]) -> str | None:
    content = result.get("content")
    if isinstance(content, list) and len(content) > MAX_CONTENT_ITEMS:
        return f"the answer holds {len(content):,} content items, more than {MAX_CONTENT_ITEMS:,}"
    return None


def _unreadable_line(line: bytes, parsed: Parsed, flight: InFlight, server: str) -> list[SessionMessage]:
    # Only what is meant as a JSON-RPC message counts: servers print banners and logs on stdout (JSON
    # logs with an "error" field, pretty-printed objects over several lines), which the MCP SDK's own
    # stdio client ignores too.
    exc = parsed.problem
    assert exc is not None
    if not parsed.is_json:
        head = line.lstrip()[:256]
        if head.startswith((b"{", b"[")) and (b'"jsonrpc"' in head or b'"id"' in head):
            return flight.fail_all(f"the server sent a broken message: {describe_invalid(exc)}")
        log.debug("not a JSON-RPC message from an MCP server", server=server, bytes=len(line))
        return []
    data = parsed.data
    if isinstance(data, list) and any(_meant_as_message(item) for item in data):
        return flight.fail_all("the server sent a batch of messages, which this protocol version does not have")
    if not _meant_as_message(data) or "method" in data:
        log.debug("a JSON line that is no answer from an MCP server", server=server, bytes=len(line))
        return []
    request_id = data.get("id")
    error = data.get("error")
    if request_id is None and isinstance(error, dict):  # JSON-RPC's answer to what could not be parsed
        return flight.fail_all(
            f"the server answered with an error for no request{whole_or_length(error.get('message'))}"
        )
    reason = f"the answer is not a JSON-RPC message: {describe_invalid(exc)}"
    if isinstance(request_id, int | str) and not isinstance(request_id, bool):
        if flight.take(request_id):
            return [failure(request_id, "unreadable", reason)]
        if flight.asked(request_id):
            return []
    return flight.fail_all(f"{reason}, for no request in flight (id {request_id!r})")


def whole_or_length(said: object) -> str:
    """A server's error quoted where it is masked after: whole or not at all (a secret it echoes and a cut
    ran through would show its start), ``: <words>`` or `` (<n> characters)``."""
    text = str(said)
    return f": {text}" if len(text) <= MAX_QUOTED else f" ({len(text):,} characters)"


def _meant_as_message(data: Any) -> bool:
    return isinstance(data, dict) and ("jsonrpc" in data or ("id" in data and bool({"result", "error"} & data.keys())))
