"""Response bodies decompressed in bounded steps, for every HTTP client behind the network boundary.

httpx decompresses each network chunk whole and in one call: a few kilobytes of ``Content-Encoding:
gzip, gzip`` become gigabytes in the worker's memory before any caller can count a byte (the inner
layer of zeros compresses a thousandfold, and so does the outer one). Here every layer yields at most
:data:`CHUNK_BYTES` per step, so a caller that stops reading at its cap never holds more than that.
Only the encodings decoded here are accepted (``gzip``, ``deflate``, ``identity``); a response in
another one is refused rather than passed to a decoder without bounds.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Iterator, Sequence

import httpx

CHUNK_BYTES = 64 * 1024
MAX_LAYERS = 4
ACCEPT_ENCODING = "gzip, deflate"
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class _Layer:
    """One encoding, undone incrementally: never more than CHUNK_BYTES out of one call."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.raw_fallback = encoding == "deflate"  # "deflate" is sent zlib-wrapped or raw, as httpx accepts
        self.inflate = zlib.decompressobj(_WBITS[encoding])

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data:
            try:
                out = self.inflate.decompress(data, CHUNK_BYTES)
            except zlib.error as exc:
                if not self.raw_fallback:
                    raise httpx.DecodingError(f"{self.encoding} body cannot be decoded: {exc}") from None
                self.raw_fallback, self.inflate = False, zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self.raw_fallback = False
            data = self.inflate.unconsumed_tail
            if out:
                yield out
            if self.inflate.eof:
                return  # what follows the end of the stream is not part of it

    def finish(self) -> Iterator[bytes]:
        while not self.inflate.eof and (out := self.inflate.decompress(b"", CHUNK_BYTES)):
            yield out


def encodings(headers: httpx.Headers) -> list[str]:
    """The response's content encodings in the order they must be undone (the last applied first)."""
    found = [part.strip().lower() for value in headers.get_list("content-encoding") for part in value.split(",")]
    return [name for name in reversed(found) if name and name != "identity"]


def check_supported(names: Sequence[str]) -> None:
    unknown = [name for name in names if name not in _WBITS]
    if unknown:
        raise httpx.DecodingError(f"the response uses content encoding {', '.join(unknown)}, which is not decoded here")
    if len(names) > MAX_LAYERS:
        raise httpx.DecodingError(f"the response is encoded {len(names)} times (at most {MAX_LAYERS} are decoded)")


class DecodedStream(httpx.AsyncByteStream):
    """``stream`` with ``names`` undone, in chunks of at most CHUNK_BYTES."""

    def __init__(self, stream: httpx.AsyncByteStream, names: Sequence[str]) -> None:
        self._stream = stream
        self._layers = [_Layer(name) for name in names]

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            for out in _through(self._layers, chunk):
                yield out
        for index, layer in enumerate(self._layers):
            for out in layer.finish():
                for decoded in _through(self._layers[index + 1 :], out):
                    yield decoded

    async def aclose(self) -> None:
        await self._stream.aclose()


def _through(layers: Sequence[_Layer], chunk: bytes) -> Iterator[bytes]:
    if not layers:
        yield chunk
        return
    for out in layers[0].feed(chunk):
        yield from _through(layers[1:], out)


def decoded(response: httpx.Response) -> httpx.Response:
    """``response`` with its content encodings undone in bounded steps (and its headers saying so)."""
    names = encodings(response.headers)
    if not names:
        return response
    check_supported(names)
    headers = [
        (k, v) for k, v in response.headers.multi_items() if k.lower() not in ("content-encoding", "content-length")
    ]
    assert isinstance(response.stream, httpx.AsyncByteStream)
    return httpx.Response(
        status_code=response.status_code,
        headers=headers,
        stream=DecodedStream(response.stream, names),
        extensions=response.extensions,
    )
