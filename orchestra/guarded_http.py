"""HTTP through the network boundary (orchestra/network.py): an ``httpx`` transport whose every TCP
connection goes to an address the boundary checked, and the rule for headers on a redirect.

For any HTTP client of the worker — the ``http_request`` tool, described HTTP tools, the MCP
streamable-HTTP client: ``client(boundary, timeout=...)`` or ``transport(boundary)`` for an
``httpx.AsyncClient`` of your own (keep ``trust_env=False``: a proxy would be the checked address).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from typing import Any

import httpcore
import httpx
from httpcore._backends.auto import AutoBackend

from orchestra import charsets, http_decoding, informational
from orchestra.network import DEFAULT_PORTS, Boundary, DestinationRefused, Unresolved

# Headers that may follow a redirect to another origin; everything else (credentials, custom keys) stays.
SAFE_REDIRECT_HEADERS = frozenset(
    {"accept", "accept-encoding", "accept-language", "user-agent", "content-type", "content-language", "cache-control"}
)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, but every TCP connection goes through the boundary: resolve, check
    every address, connect to a checked address. TLS and the Host header still use the URL's name."""

    def __init__(self, boundary: Boundary) -> None:
        self.boundary = boundary
        self._backend = AutoBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await asyncio.wait_for(self.boundary.resolve(host, port), timeout)
        except Unresolved as exc:
            raise httpcore.ConnectError(str(exc)) from None
        last: Exception | None = None
        for address in addresses:
            try:
                stream = await self._backend.connect_tcp(
                    address.compressed,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
                return informational.CountingStream(stream)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> Any:  # noqa: ASYNC109
        raise DestinationRefused("unix sockets are not reachable from a tool", "address_not_allowed")

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """An httpx transport that connects only where the boundary allows; never through a proxy
    (a proxy would make the checked address the proxy's). Response bodies come decompressed in bounded
    steps (orchestra/http_decoding.py): httpx would inflate a nested gzip in one call, gigabytes from a
    few kilobytes."""

    def __init__(self, boundary: Boundary, *, max_body_bytes: int | None = None, **options: Any) -> None:
        super().__init__(trust_env=False, **options)
        self._max_body_bytes = max_body_bytes
        pool = self._pool
        assert isinstance(pool, httpcore.AsyncConnectionPool)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=pool._ssl_context,
            max_connections=pool._max_connections,
            max_keepalive_connections=pool._max_keepalive_connections,
            keepalive_expiry=pool._keepalive_expiry,
            http1=pool._http1,
            http2=pool._http2,
            retries=pool._retries,
            network_backend=GuardedBackend(boundary),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        try:
            response = http_decoding.decoded(response)
        except httpx.DecodingError:
            await response.aclose()
            raise
        if self._max_body_bytes is not None:
            assert isinstance(response.stream, httpx.AsyncByteStream)
            response.stream = CappedStream(response.stream, self._max_body_bytes)
        await charsets.pin_response_encoding(response)  # the MCP SDK reads event streams as text
        return response


class CappedStream(httpx.AsyncByteStream):
    """A body that fails once it passes ``limit`` bytes, for clients (the MCP SDK's) that read whole
    bodies and event streams without a bound of their own."""

    def __init__(self, stream: httpx.AsyncByteStream, limit: int) -> None:
        self._stream = stream
        self._limit = limit

    async def __aiter__(self) -> AsyncIterator[bytes]:
        seen = 0
        async for chunk in self._stream:
            seen += len(chunk)
            if seen > self._limit:
                raise httpx.ReadError(f"the response body is over {self._limit} bytes")
            yield chunk

    async def aclose(self) -> None:
        await self._stream.aclose()


def transport(boundary: Boundary, **options: Any) -> httpx.AsyncBaseTransport:
    return GuardedTransport(boundary, **options)


def client(boundary: Boundary, *, max_body_bytes: int | None = None, **options: Any) -> httpx.AsyncClient:
    """An AsyncClient whose every connection is checked; redirects are the caller's to follow (each
    hop through :func:`redirect_request`), so the default here is not to. ``max_body_bytes`` bounds
    each response body, for callers that do not count what they read."""
    options.setdefault("follow_redirects", False)
    # Only what the transport decodes (httpx would also offer br and zstd where their libraries are installed).
    options["headers"] = {"Accept-Encoding": http_decoding.ACCEPT_ENCODING, **dict(options.get("headers") or {})}
    guarded = transport(boundary, max_body_bytes=max_body_bytes)
    return httpx.AsyncClient(transport=guarded, trust_env=False, **options)


def same_origin(a: httpx.URL, b: httpx.URL) -> bool:
    return (a.scheme, a.host, a.port or DEFAULT_PORTS.get(a.scheme)) == (
        b.scheme,
        b.host,
        b.port or DEFAULT_PORTS.get(b.scheme),
    )


def redirect_request(previous: httpx.Request, following: httpx.Request) -> httpx.Request:
    """The next hop of a redirect: across origins only the safe headers go along."""
    if same_origin(previous.url, following.url):
        return following
    framing = {"host", "content-length", "transfer-encoding"}  # set by httpx for the new hop
    kept = {k: v for k, v in following.headers.items() if k.lower() in SAFE_REDIRECT_HEADERS | framing}
    return httpx.Request(
        following.method, following.url, headers=kept, stream=following.stream, extensions=following.extensions
    )
