"""Whether the server still serves the worker's namespace, watched while worker.py runs.

A worker whose namespace was deleted while it ran retried its polls for ever: sdk-core logs "Task polling has
encountered errors continuously; the worker will continue retrying" (NotFound) each minute and gives up on no poll
error, and the Python SDK reports none to its caller (measured: temporalio 1.35, a dev server's namespace deleted under
`python worker.py`). The worker asks the server itself, every CHECK_EVERY: a namespace it says is not found (or
deleted), or one it described before and now denies this worker, at every check for GIVE_UP_AFTER, stops the worker
in one line. Anything else (the server unreachable, busy, any other error) is not a refusal: a namespace refused, then
not, starts its count again, so a server restarting or failing over never stops a worker.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from temporalio.api.enums.v1 import NamespaceState
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

CHECK_EVERY = timedelta(seconds=60)
GIVE_UP_AFTER = timedelta(minutes=3)
ASK_WITHIN = timedelta(seconds=10)


async def namespace_refused(client: Client) -> str:
    """Runs until the server has refused the client's namespace at every check (every CHECK_EVERY) for GIVE_UP_AFTER
    (two checks at least), then returns why, in words, with for how long."""
    described = False  # a denial counts only once this worker was let describe its namespace
    refused_since: float | None = None
    refusals = 0
    while True:
        served, why = await _asked(client, described)
        described = described or served
        if why is None:
            refused_since, refusals = None, 0
        else:
            refused_since = time.monotonic() if refused_since is None else refused_since
            refusals += 1
            refused_for = time.monotonic() - refused_since
            if refusals >= 2 and refused_for >= GIVE_UP_AFTER.total_seconds():
                return f"{why}, at every check for {round(refused_for)} s"
        await asyncio.sleep(CHECK_EVERY.total_seconds())  # read here: a test shortens it


async def _asked(client: Client, described: bool) -> tuple[bool, str | None]:
    """Whether the server described the namespace, and why it refused it, if it did (None: served, or not known)."""
    namespace = client.namespace
    try:
        answer = await client.workflow_service.describe_namespace(
            DescribeNamespaceRequest(namespace=namespace), timeout=ASK_WITHIN
        )
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return False, f"the server says namespace {namespace!r} is not found ({exc.message})"
        if exc.status == RPCStatusCode.PERMISSION_DENIED and described:
            return False, f"the server denies this worker namespace {namespace!r} ({exc.message})"
        return False, None
    if answer.namespace_info.state == NamespaceState.NAMESPACE_STATE_DELETED:
        return True, f"the server says namespace {namespace!r} is deleted"
    return True, None
