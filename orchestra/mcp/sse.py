"""A server's event stream read as bytes, a chunk at a time, each step's cost bounded.

httpx_sse (the SDK's reader) decodes the stream as text and handles it a line at a time in Python on the
event loop: 20 MB of ':' comment lines before an answer took 21.7 s with the loop lagging 155 ms p50 /
353 ms max, and an event of 10 million 'data:' lines 45 s before it failed; a huge 'id:' was kept and
sent back as Last-Event-ID. Here what is no field the client reads (comments, unknown fields) is cut
from each chunk by one regular expression (C), events are split on blank lines by ``bytes`` methods, and
only an event's own lines are looked at in Python, at most MAX_EVENT_LINES of them. Past a bound, the
stream ends with ``StreamRefused``, whose words say which bound.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator

import anyio.lowlevel
import httpx
from httpx_sse import ServerSentEvent

from orchestra.mcp.answers import TURN_EVERY

# Comments and keep-alives are a few bytes a while: a stream whose noise passes this is no MCP server's.
MAX_NOISE_BYTES = 1024 * 1024
# An MCP message is one line of JSON; a server may split one over lines, but not past this.
MAX_EVENT_LINES = 10_000
# Notifications and requests of the server's, then the answer: a stream of more is flooding the client.
MAX_EVENTS = 100_000
# An id is sent back as Last-Event-ID on a resumption: it is a token, not a payload.
MAX_ID_BYTES = 1024
# A line that is a field read here; other lines (a comment, a field of another name) are noise.
_FIELD = re.compile(rb"(?:data|event|id|retry)(?::|\n)")
# Each line of noise, after its line end: a literal first, which the engine looks for before anything else.
_NOISE = re.compile(rb"\n(?!(?:data|event|id|retry)(?::|\n))[^\n]+(?=\n)")
_BLANKS = re.compile(rb"\n{3,}")
_LEADING_BLANKS = re.compile(rb"\n+")
_BOM = b"\xef\xbb\xbf"
_TOO_MANY_LINES = f"an event of the server's stream has over {MAX_EVENT_LINES} lines"


class StreamRefused(ValueError):
    """The server's event stream passed one of this module's bounds."""


async def events(response: httpx.Response, max_events: int | None = MAX_EVENTS) -> AsyncIterator[ServerSentEvent]:
    """The events of ``response``'s body, as httpx_sse's ``aiter_sse`` yields them (the last id carried
    on), each event's fields read as UTF-8. ``max_events`` None: a stream that is no request's (the
    server's own, which lives as long as the link) has no count of events, only each event's bounds."""
    reader = _Reader(max_events)
    start: bytes | None = b""  # the stream's first bytes, held until they show whether they are the mark
    async for chunk in response.aiter_bytes():
        if start is not None:
            start += chunk
            if len(start) < len(_BOM) and _BOM.startswith(start):
                continue  # a chunk may end inside the mark (a first read of two bytes)
            chunk, start = start.removeprefix(_BOM), None
        for count, sse in enumerate(reader.feed(chunk), 1):
            yield sse
            if count % TURN_EVERY == 0:
                await anyio.lowlevel.checkpoint()
        # A stream read faster than it is handled gives no turn to others without this.
        await anyio.lowlevel.checkpoint()


class _Reader:
    def __init__(self, max_events: int | None = MAX_EVENTS) -> None:
        self._max_events = max_events
        self._held_cr = b""  # a chunk's last byte, a CR that may start a CRLF
        self._line = bytearray()  # the line not yet ended
        self._fields = bytearray()  # the ended lines of the event not yet ended: fields, blank lines
        self._event_lines = 0
        self._noise = 0
        self._events = 0
        self._last_id = ""

    def feed(self, chunk: bytes) -> Iterator[ServerSentEvent]:
        chunk = self._held_cr + chunk
        self._held_cr = b""
        if chunk.endswith(b"\r"):
            chunk, self._held_cr = chunk[:-1], b"\r"
        if b"\r" in chunk:
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        end = chunk.rfind(b"\n")
        if end < 0:
            self._line += chunk
            return iter(())
        # A line may have been gathered over many chunks (a large answer): from here it is copied as
        # little as can be, and never scanned byte by byte in Python's regular expressions.
        lines, gathered = self._line, len(self._line)
        lines += chunk[: end + 1]
        self._line = bytearray(chunk[end + 1 :])
        ended = len(lines)
        first = _drop_noise(lines, gathered, at_event_start=not self._fields)
        self._noise += ended - len(lines)
        if self._noise > MAX_NOISE_BYTES:
            raise StreamRefused(f"the server's event stream holds over {MAX_NOISE_BYTES} bytes of comments")
        scanned = len(self._fields)
        if scanned:
            self._fields += lines
        else:
            self._fields = lines
        # The first line holds one line end, its last byte: no blank line starts before it, but one may
        # start at the end of the lines before (``first`` 1: itself a blank line).
        since = max(0, scanned + first - 2)
        cut = self._fields.rfind(b"\n\n", since)
        if cut < 0:
            self._count_lines(lines.count(b"\n", max(0, first - 1)))
            return iter(())
        head = self._fields
        # What follows the last blank line is within this chunk: that copy is small.
        self._fields = bytearray(head[cut + 2 :].lstrip(b"\n"))
        del head[cut:]
        self._event_lines = 0
        self._count_lines(self._fields.count(b"\n"))
        # Before this chunk the event had no blank line: a first event gathered over chunks is not split.
        single = head.find(b"\n\n", since) < 0
        blocks = [head] if single else head.split(b"\n\n")
        return (sse for block in blocks if (sse := self._event(block)) is not None)

    def _count_lines(self, lines: int) -> None:
        self._event_lines += lines
        if self._event_lines > MAX_EVENT_LINES:
            raise StreamRefused(_TOO_MANY_LINES)

    def _event(self, block: bytearray) -> ServerSentEvent | None:
        if block[:1] == b"\n" or block[-1:] == b"\n":
            block = block.strip(b"\n")
        if not block:
            return None
        self._events += 1
        if self._max_events is not None and self._events > self._max_events:
            raise StreamRefused(f"the server's event stream holds over {self._max_events} events")
        breaks = block.count(b"\n")
        # This block is the whole event, its own lines alone: the running count is the event not yet ended's.
        if breaks + 1 > MAX_EVENT_LINES:
            raise StreamRefused(_TOO_MANY_LINES)
        data: list[memoryview] = []
        kind = b""
        retry: int | None = None
        for line in block.split(b"\n") if breaks else [block]:
            colon = line.find(b":")
            if colon < 0:
                name, value = bytes(line), memoryview(b"")
            else:
                name, start = bytes(line[:colon]), colon + 1
                value = memoryview(line)[start + 1 :] if line[start : start + 1] == b" " else memoryview(line)[start:]
            if name == b"data":
                data.append(value)
            elif name == b"event":
                kind = bytes(value)
            elif name == b"id" and len(value) > MAX_ID_BYTES:
                raise StreamRefused(f"the server's event stream gave an id of over {MAX_ID_BYTES} bytes")
            elif name == b"id" and b"\0" not in bytes(value):
                self._last_id = str(value, "utf-8", "replace")
            elif name == b"retry" and (digits := bytes(value)).isdigit() and len(digits) <= 9:
                retry = int(digits)
        text = str(data[0] if len(data) == 1 else b"\n".join(data), "utf-8", "replace")
        return ServerSentEvent(event=kind.decode("utf-8", "replace"), data=text, id=self._last_id, retry=retry)


def _drop_noise(lines: bytearray, gathered: int, *, at_event_start: bool) -> int:
    """Cuts from ``lines`` (each ended) what is no field: comments, fields of other names, blank lines
    past the one that ends an event, and, at an event's start, every blank line. The first line may be
    long, gathered over many chunks: it is looked at by its start alone; the rest, at most a chunk, is
    scanned by regular expressions. ``gathered``: how much of the first line came before this chunk (it
    holds no line end). The length of the first line kept, or 0."""
    first_end = lines.index(b"\n", gathered) + 1
    if first_end > 1 and not _FIELD.match(lines):
        del lines[:first_end]
        first_end = 0
    if len(lines) > first_end:
        rest = _BLANKS.sub(b"\n\n", _NOISE.sub(b"", b"\n" + lines[first_end:]))[1:]
        del lines[first_end:]
        lines += rest
    if at_event_start and (blank := _LEADING_BLANKS.match(lines)) is not None:
        del lines[: blank.end()]
        return 0 if blank.end() >= first_end else first_end - blank.end()
    return first_end
