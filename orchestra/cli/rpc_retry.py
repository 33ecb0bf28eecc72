"""Read-only calls to Temporal tried again on a transient failure, for every command.

A loaded frontend cancels a call ("operation was canceled"), lets its deadline pass, or a connection
drops under it ("transport error"); the server is fine and the same call a moment later answers. The
SDK retries some of its own calls, not on CANCELLED, and not the raw service calls the CLI makes
(describe, reverse history): one such failure made `show` of a finished run exit 1 with "Temporal
refused the request". A call that only reads is tried ATTEMPTS times with a doubling pause; a call
that changes anything (start, signal, update, cancel, terminate) is never repeated here: its first try
may have taken effect. When it gives up, the error says how often and for how long it tried. The
connection is made again alike when its own first call (get_system_info) fails that way: the server
is there, and "cannot reach Temporal, run `client.py up`" would mislead.

The SDK has no hook under its high-level calls (its interceptors see start/query/…, not the raw service
calls), so the wrapper sits on the one method every call of a service client goes through."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

ATTEMPTS = 4
FIRST_PAUSE_S = 0.25  # then 0.5, 1: about 2 s of waiting in all
READ_ONLY = ("describe_", "get_", "list_", "count_", "scan_", "query_workflow", "poll_workflow_execution_update")
TRANSIENT = (RPCStatusCode.CANCELLED, RPCStatusCode.DEADLINE_EXCEEDED, RPCStatusCode.UNAVAILABLE)
# What a connection dropped under a call reports (tonic's message; the status it maps to is UNKNOWN).
DROPPED = "transport error"
# What the SDK's core reports when the call's own timeout passes (tonic's message): CANCELLED, not DEADLINE_EXCEEDED.
OWN_TIMEOUT = "Timeout expired"
MARK = "_orchestra_reads_retried"
# How the SDK reports a connection that was made but whose first call (get_system_info) then failed: the
# server is there, the call is worth making again. A refused or unresolvable address has no such status.
CONNECT_CALL_FAILED = re.compile(r"call error after connection: Status \{ code: (\w+), message: \"([^\"]*)\"")
TRANSIENT_CONNECT_CODES = {"Cancelled", "DeadlineExceeded", "Unavailable"}


class GaveUp(RPCError):
    """A read-only call that failed transiently every time it was tried."""


class GaveUpConnecting(RuntimeError):
    """A connection made every time, whose first call failed transiently every time."""


def transient(exc: RPCError, own_deadline: bool) -> bool:
    """Worth trying again: the server or the connection failed the call, not the request. A deadline the
    caller set itself (a query's: no worker answered in time) is its answer, not a failure to retry: the SDK says
    it as CANCELLED ("Timeout expired"), and a query nobody answered was sent 4 times, 20 s for its 5 s deadline."""
    if own_deadline and (
        exc.status == RPCStatusCode.DEADLINE_EXCEEDED
        or (exc.status == RPCStatusCode.CANCELLED and exc.message == OWN_TIMEOUT)
    ):
        return False
    return exc.status in TRANSIENT or (exc.status == RPCStatusCode.UNKNOWN and DROPPED in exc.message)


def transient_connect(exc: Exception) -> bool:
    """The connection was made and its first call failed as a loaded server or network fails one."""
    failed = CONNECT_CALL_FAILED.search(str(exc))
    return failed is not None and (
        failed[1] in TRANSIENT_CONNECT_CODES or (failed[1] == "Unknown" and DROPPED in failed[2])
    )


async def connect_retrying(connect: Callable[[], Awaitable[Client]], pause_s: float = FIRST_PAUSE_S) -> Client:
    """``connect()``, made again as a read is when its first call fails transiently; a refused address
    fails at once. Gives up with RuntimeError saying how often it tried."""
    started = time.monotonic()
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await connect()
        except RuntimeError as exc:
            if not transient_connect(exc):
                raise
            if attempt == ATTEMPTS:
                spent = time.monotonic() - started
                raise GaveUpConnecting(f"connecting failed {attempt} times over {spent:.1f} s, last: {exc}") from None
            await asyncio.sleep(pause_s * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


def retry_reads(client: Client, pause_s: float = FIRST_PAUSE_S) -> None:
    service = client.service_client
    if getattr(service, MARK, False):
        return
    call: Callable[..., Awaitable[Any]] = service._rpc_call

    async def retrying(
        rpc: str, req: Any, resp_type: Any, *, service: str, retry: bool,
        metadata: Mapping[str, str | bytes], timeout: timedelta | None,  # noqa: ASYNC109 - the SDK's signature
    ) -> Any:  # fmt: skip
        if not rpc.startswith(READ_ONLY):
            return await call(rpc, req, resp_type, service=service, retry=retry, metadata=metadata, timeout=timeout)
        started = time.monotonic()
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return await call(rpc, req, resp_type, service=service, retry=retry, metadata=metadata, timeout=timeout)
            except RPCError as exc:
                if not transient(exc, own_deadline=timeout is not None):
                    raise
                if attempt == ATTEMPTS:
                    spent = time.monotonic() - started
                    raise GaveUp(
                        f"{rpc} failed {attempt} times over {spent:.1f} s, last with {exc.status.name}: {exc.message}",
                        exc.status,
                        exc.raw_grpc_status,
                    ) from None
                await asyncio.sleep(pause_s * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    setattr(service, "_rpc_call", retrying)  # noqa: B010 - an instance's method, replaced for this client only
    setattr(service, MARK, True)
