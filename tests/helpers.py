"""Shared test helpers: run a plan on a real worker, read records, serve HTTP on loopback."""

from __future__ import annotations

import asyncio
import base64
import gc
import json
import os
import threading
import uuid
import warnings
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pytest
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from orchestra import worker_listed
from orchestra.calls import RunRequest
from orchestra.plan import parse_plan
from orchestra.plan_chain import first_run_args
from orchestra.record import ExecutionRecord, StepRecord, StepState
from orchestra.registry import ToolRegistry, default_registry
from orchestra.settings import Settings
from worker import OrchestraWorker, create_worker
from workflows.orchestration import OrchestrationWorkflow


@contextmanager
def nothing_left_unfinished() -> Iterator[None]:
    """Fails when the block leaves the garbage collector something unfinished: a coroutine never awaited, a
    transport (a subprocess's pipes) never closed. Python says so only when it collects them, so
    everything collectable is collected before the block ends."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        yield
        gc.collect()
    said = [str(w.message) for w in seen]
    unfinished = [text for text in said if "was never awaited" in text or "unclosed transport" in text]
    assert not unfinished, unfinished


# The tests' HTTP servers listen on 127.0.0.1, which tools reach only through an address rule. The
# worker's own services are derived from its address: the tests' workers get their client from the
# fixture, so the address here names none (tests/security checks those with the real one).
TEST_HOSTS = ["127.0.0.1"]
UNUSED_ADDRESS = "temporal.invalid:7233"


def host_rule(url: str) -> str:
    """The ORCHESTRA_ALLOWED_HOSTS entry for a loopback test server: its address and port, which a
    worker whose Temporal server is on this machine needs named (orchestra/network.py)."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}"


def settings_for(task_queue: str, workspace: Path) -> Settings:
    return Settings(
        task_queue=task_queue,
        workspace=workspace,
        data_dir=workspace.parent,
        allowed_hosts=TEST_HOSTS,
        address=UNUSED_ADDRESS,
    )


class ListedWhenEntered(OrchestraWorker):
    """A test's worker whose ``async with`` returns once the server lists it polling its task queue, as worker.py says
    "worker ready" only then (worker_listed): entered before its first poll arrived, a test's command raced the listing
    and heard of no worker. A server slow to list it holds the test up LISTED_WITHIN_S at most, as it does no worker."""

    async def __aenter__(self) -> Worker:
        entered = await super().__aenter__()
        identity, task_queue = self.config().get("identity") or "", self.config()["task_queue"]
        try:
            await worker_listed.until_listed(self.client, task_queue, identity, worker_listed.LISTED_WITHIN_S)
        except BaseException as exc:  # the worker failing cancels the wait: its own error is raised, as by the block
            await self.__aexit__(type(exc), exc, exc.__traceback__)
            raise
        return entered


def worker_for(
    client: Client, task_queue: str, workspace: Path, registry: ToolRegistry | None = None, **worker_options: Any
) -> Worker:
    worker = create_worker(
        client, settings_for(task_queue, workspace), registry or default_registry(), **worker_options
    )
    worker.__class__ = ListedWhenEntered  # create_worker's own class, waiting for its listing on ``async with`` only
    return worker


# A cancel reaches a running activity only in the answer to its heartbeat, which the worker as shipped sends at most
# every ORCHESTRA_HEARTBEAT_EVERY_S (2 s). For a test whose run waits on a step's cancel: the heartbeats go out each second.
CANCELS_HEARD_SOON: dict[str, Any] = {"max_heartbeat_throttle_interval": timedelta(seconds=1)}


async def run_plan(client: Client, task_queue: str, tmp_path: Path, plan: dict[str, Any]) -> ExecutionRecord:
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, plan)
        return ExecutionRecord.model_validate(await handle.result())


async def run_plan_with_history(
    client: Client, task_queue: str, tmp_path: Path, plan: dict[str, Any]
) -> tuple[ExecutionRecord, str]:
    """Run a plan that must succeed; return its record and the text of every payload in its history."""
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, plan)
        record = ExecutionRecord.model_validate(await handle.result())
        return record, payload_text(json.loads((await handle.fetch_history()).to_json()))


def payload_text(node: Any) -> str:
    """Everything a reader of a history (as JSON) could see in clear: payload data decoded from base64,
    and every other string (failure messages, stack traces, summaries)."""
    if isinstance(node, dict):
        own = [base64.b64decode(node["data"]).decode(errors="replace")] if isinstance(node.get("data"), str) else []
        return "\n".join(own + [payload_text(v) for k, v in node.items() if k != "data"])
    if isinstance(node, list):
        return "\n".join(payload_text(v) for v in node)
    return node if isinstance(node, str) else ""


async def run_plan_to_failure_with_history(
    client: Client, task_queue: str, tmp_path: Path, plan: dict[str, Any]
) -> tuple[ExecutionRecord, str]:
    """Run a plan that must fail; return the record its failure carries and the history's clear text."""
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, plan)
        record = await failed_record(handle)
        history = payload_text(json.loads((await handle.fetch_history()).to_json()))
        return record, history


async def run_plan_to_failure(client: Client, task_queue: str, tmp_path: Path, plan: dict[str, Any]) -> ExecutionRecord:
    """Run a plan that must fail; return the record the failure carries."""
    async with worker_for(client, task_queue, tmp_path):
        return await failed_record(await start_plan(client, task_queue, plan))


async def failed_record(handle: WorkflowHandle[Any, Any], failure_type: str = "PlanFailed") -> ExecutionRecord:
    """The record a plan run that must fail carries in its failure, of ``failure_type``: PlanFailed when its steps
    failed, another (ErrorKind.SYSTEM: its schedule could not be read) when the run could not go on."""
    with pytest.raises(WorkflowFailureError) as failure:
        await handle.result()
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError), str(cause)
    assert cause.type == failure_type and cause.details, f"{cause.type}: {cause}"
    return ExecutionRecord.model_validate(cause.details[0])


async def start_plan(
    client: Client,
    task_queue: str,
    plan: dict[str, Any],
    workflow_id: str | None = None,
    task_timeout: timedelta | None = None,
) -> WorkflowHandle[Any, Any]:
    """``task_timeout``: the first run's (the server's default, 10 s, if None; the runs it continues as get the
    product's)."""
    return await client.start_workflow(
        OrchestrationWorkflow.run,
        args=first_run_args(RunRequest(plan=parse_plan(plan))),
        id=workflow_id or f"test-{uuid.uuid4()}",
        task_queue=task_queue,
        task_timeout=task_timeout,
    )


async def record_of(handle: WorkflowHandle[Any, Any]) -> ExecutionRecord:
    record = await handle.query("record", result_type=ExecutionRecord)
    assert isinstance(record, ExecutionRecord)
    return record


def span(step: StepRecord) -> tuple[datetime, datetime]:
    """When a finished step ran: (started_at, ended_at), both present once it completed."""
    assert step.started_at is not None and step.ended_at is not None, f"{step.node_id} has not run"
    return step.started_at, step.ended_at


async def wait_for_step(
    handle: WorkflowHandle[Any, Any], node_id: str, states: set[StepState], within: float = 30
) -> ExecutionRecord:
    return await until(
        lambda: record_of(handle),
        lambda record: any(s.node_id == node_id and s.state in states for s in record.steps),
        within=within,
    )


WITHIN_S = 60
T = TypeVar("T")


async def until(
    probe: Callable[[], Awaitable[T]],
    check: Callable[[T], object] = bool,
    within: float = WITHIN_S,
    every: float = 0.1,
) -> T:
    """Poll ``await probe()`` until ``check`` accepts its value, and return that value;
    TimeoutError after ``within`` seconds (a ceiling for a hung test, not a margin it leans on)."""

    async def poll() -> T:
        while True:
            value = await probe()
            if check(value):
                return value
            await asyncio.sleep(every)

    return await asyncio.wait_for(poll(), within)


Handler = Callable[[BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]]


@contextmanager
def http_server(handler: Handler) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 with a free port; yields its base URL."""

    class _Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, headers, body = handler(self)
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

        def log_message(self, *args: Any) -> None:
            pass

    with serving(_Handler) as url:
        yield url


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler], *, daemon_threads: bool = False) -> Iterator[str]:
    """``handler`` served on a free loopback port, a thread per request; yields the base URL. Closing
    waits for the requests' threads unless ``daemon_threads`` (a handler that may never end)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = daemon_threads
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def json_body(value: Any) -> tuple[int, dict[str, str], bytes]:
    return 200, {"Content-Type": "application/json"}, json.dumps(value).encode()


def processes_in(workspace: Path) -> set[int]:
    """Live processes working inside the workspace: the sandboxed program and its children, whatever
    pid namespace they are in (their pids inside it mean nothing out here)."""
    root = str(workspace.resolve())
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cwd = os.readlink(f"/proc/{entry}/cwd")
            with open(f"/proc/{entry}/stat") as handle:
                state = handle.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if (cwd == root or cwd.startswith(root + "/")) and state not in ("Z", "X"):
            found.add(int(entry))
    return found
