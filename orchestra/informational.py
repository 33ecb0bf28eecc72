"""A bound on the informational (1xx) answers a server may give a request before its final one.

httpcore reads 1xx answers and waits on for the final one without a bound: a server answering
``102 Processing`` without end held a call until its whole timeout ran out, and the timeout, retryable,
had a GET sent again for as long, three times over. The HTTP/1.1 connection's stream counts them: the
answers to a request are read after it is written, and each 1xx is a head without a body (RFC 9110 15.2),
so the heads before the final one are the blocks up to a blank line."""

from __future__ import annotations

import re
import ssl
from typing import Any

import httpcore
import httpx

MAX_INFORMATIONAL = 100  # 1xx answers to one request: a few 103 Early Hints, a 102 every few seconds
# Past this with no blank line, what is read is no head h11 reads (HeadTooLong). Its own bound, not a lower
# one: at 64 KiB the count gave up on a 102 of 80 KiB, which h11 read and waited on past, without end.
MAX_HEAD_BYTES = httpcore.AsyncHTTP11Connection.MAX_INCOMPLETE_EVENT_SIZE
_BLANK_LINE = re.compile(b"\n\r?\n")  # as h11 ends a head
_BLANK_LINE_SPAN = 3  # its longest match: one split across two reads starts at most 2 bytes back
_INFORMATIONAL_HEAD = re.compile(rb"\s*HTTP/\d\.\d 1(?!01)\d\d\b")  # a 101 ends HTTP/1.1 itself: final
_SWITCHING_HEAD = re.compile(rb"\s*HTTP/\d\.\d 101\b")
_UPGRADE_HEADER = re.compile(rb"\r\nupgrade[ \t]*:", re.IGNORECASE)


class UnreadableAnswer(httpx.RemoteProtocolError):
    """An answer the server would give the same request again and that is no HTTP answer to read: not to be
    sent again. An httpx error httpcore does not map, so a caller can tell it from a connection that failed."""

    code = "unreadable_answer"


class NoFinalAnswer(UnreadableAnswer):
    """A server that gave a request MAX_INFORMATIONAL informational answers and no final one."""

    code = "no_final_answer"


class SwitchedProtocols(UnreadableAnswer):
    """A server that switched protocols (101) for a request that asked for no upgrade: h11 failed it as a
    protocol error, which was taken as a lost connection and the request sent again."""

    code = "switching_protocols"


class HeadTooLong(UnreadableAnswer):
    """A server whose answer's head runs past what h11 reads of one (MAX_HEAD_BYTES)."""

    code = "head_too_long"


class CountingStream(httpcore.AsyncNetworkStream):
    """A connection's stream that fails a read once the answers to the request last written hold more
    than MAX_INFORMATIONAL 1xx heads before a final one."""

    def __init__(self, stream: httpcore.AsyncNetworkStream) -> None:
        self._stream = stream
        self._counting = False  # from a request's first write until its final answer's head is read
        self._head = bytearray()
        self._informational = 0
        self._upgrade_asked = False

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:  # noqa: ASYNC109 (httpcore's)
        if not self._counting:  # a request begins (its body's writes go on with it)
            self._counting, self._head, self._informational = True, bytearray(), 0
            self._upgrade_asked = bool(_UPGRADE_HEADER.search(buffer))  # a request's head is its first write
        await self._stream.write(buffer, timeout)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:  # noqa: ASYNC109 (httpcore's)
        data = await self._stream.read(max_bytes, timeout)
        if self._counting:
            self._count(data)
        return data

    def _count(self, data: bytes) -> None:
        # Only the new bytes (and the end of the old that may begin a blank line) are searched: a server
        # dripping a head a byte at a time cost a search of the whole head on every read, quadratic.
        searched = max(0, len(self._head) - (_BLANK_LINE_SPAN - 1))
        self._head += data
        while self._counting and (end := _BLANK_LINE.search(self._head, searched)):
            head = bytes(self._head[: end.start()])
            del self._head[: end.end()]
            searched = 0  # what follows a head's end was not searched yet
            if _SWITCHING_HEAD.match(head) and not self._upgrade_asked:
                raise SwitchedProtocols("the server switched protocols (101), which the request had not asked")
            if not _INFORMATIONAL_HEAD.match(head):
                self._counting, self._head = False, bytearray()
                break
            self._informational += 1
            if self._informational > MAX_INFORMATIONAL:
                raise NoFinalAnswer(
                    f"{self._informational} informational answers (1xx) and no final one: the server did not answer"
                )
        if len(self._head) > MAX_HEAD_BYTES:  # h11 fails it as a broken connection, retried (a GET sent 3 times)
            raise HeadTooLong(f"the answer's head is longer than {MAX_HEAD_BYTES // 1024} KiB, with no end")

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
    ) -> httpcore.AsyncNetworkStream:
        return CountingStream(await self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)
