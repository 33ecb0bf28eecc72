"""CPU work of the in-process tools, off the worker's event loop, in processes that can be killed.

``extract_text``, ``render_template`` and ``json_query`` parse and build values from hostile input: a
malformed HTML page, an unclosed ``{{``, a JMESPath expression that builds a huge string. In the
worker's event loop (or a thread: these hold the GIL) one such input would stall every other run the
worker serves. Here each call goes to one of a few warm child processes (``python -m
orchestra.tools.offload``), each with an address-space limit, a hard time limit per call (over it, the
child is killed and replaced) and a cap on the size of what it sends back. The children die with the
worker (PR_SET_PDEATHSIG) and get a clean environment.

ORCHESTRA_LOCAL_WORKERS (default: the number of CPUs, 2 to 8), ORCHESTRA_LOCAL_TIME_LIMIT_S (10),
ORCHESTRA_LOCAL_MEMORY_MB (1024).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import os
import signal
import struct
import sys
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orchestra import environment
from orchestra.errors import ToolError, ToolValidationError

# What a child may be asked to run: a name, never a path the caller chooses.
JOBS = {
    "extract_text": "orchestra.tools.text:extract",
    "render_template": "orchestra.tools.text:render_job",
    "json_query": "orchestra.tools.json_query:query",
}
HEADER = struct.Struct(">I")
READY = b"+"
# A child's start (an interpreter and the jobs' imports) is not the call's work: a loaded machine may
# take seconds for it, and a per-call limit that counted it would refuse quick calls.
START_LIMIT_S = 60.0
PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
MAX_REQUEST_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class LocalLimits:
    workers: int = field(default_factory=lambda: min(max(os.cpu_count() or 2, 2), 8))
    time_limit_s: float = 10.0
    memory_bytes: int = 1024 * 1024 * 1024
    output_bytes: int = 4_000_000
    input_bytes: int = 16_000_000

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, output_bytes: int = 4_000_000) -> LocalLimits:
        env = os.environ if env is None else env
        defaults = cls()
        return cls(
            workers=int(environment.value("ORCHESTRA_LOCAL_WORKERS", env) or defaults.workers),
            time_limit_s=float(environment.value("ORCHESTRA_LOCAL_TIME_LIMIT_S", env) or defaults.time_limit_s),
            memory_bytes=int(environment.value("ORCHESTRA_LOCAL_MEMORY_MB", env) or 1024) * 1024 * 1024,
            output_bytes=output_bytes,
            input_bytes=4 * output_bytes,
        )


class _Child:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, limits: LocalLimits) -> _Child:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": PACKAGE_ROOT}
        for name in ("PYTHONHOME", "VIRTUAL_ENV", "LANG", "LC_ALL"):
            if name in os.environ:
                env[name] = os.environ[name]
        try:
            # Cancelled or failed half-way, asyncio kills what it started: no process escapes from here.
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "orchestra.tools.offload", str(os.getpid()), str(limits.memory_bytes),
                str(limits.output_bytes), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.DEVNULL, env=env, start_new_session=True,
            )  # fmt: skip
        except OSError as exc:  # out of processes, file descriptors or memory
            raise ToolError(f"the process for local work could not be started: {exc}", code="worker_died") from None
        child = cls(process)
        assert process.stdout is not None
        try:
            ready = await asyncio.wait_for(process.stdout.readexactly(len(READY)), START_LIMIT_S)
        except (TimeoutError, asyncio.IncompleteReadError):
            ready = b""
        except BaseException:
            await child.kill()
            raise
        if ready != READY:
            await child.kill()
            raise ToolError("the process for local work did not start", code="worker_died")
        return child

    async def call(self, body: bytes) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(HEADER.pack(len(body)) + body)
        await self.process.stdin.drain()
        size = HEADER.unpack(await self.process.stdout.readexactly(HEADER.size))[0]
        answer: dict[str, Any] = json.loads(await self.process.stdout.readexactly(size))
        return answer

    async def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        await self.process.wait()


class LocalPool:
    """A few warm children; a call waits for a free one, runs under the time limit, or kills it.

    One owner (a workflow run) holds at most all children but one, so a plan with many hostile steps
    at once cannot make every other run wait for the time limit."""

    def __init__(self, limits: LocalLimits) -> None:
        self.limits = limits
        self._idle: list[_Child] = []
        self._slots = asyncio.Semaphore(limits.workers)
        self._closed = False  # every child started from now on, or coming back from a call, is killed
        # Alive while a call of that owner holds it: no bookkeeping to clean up.
        self._shares: weakref.WeakValueDictionary[str, asyncio.Semaphore] = weakref.WeakValueDictionary()

    async def run(self, job: str, args: Any, owner: str | None = None) -> Any:
        if job not in JOBS:
            raise ValueError(f"unknown local job {job!r}")
        body = json.dumps({"job": job, "args": args}).encode()
        if len(body) > self.limits.input_bytes:
            raise ToolValidationError(
                f"{job}: the input is {len(body)} bytes; at most {self.limits.input_bytes} are allowed",
                code="input_too_large",
            )
        share = self._share(owner)
        async with share, self._slots:
            answer = await self._call(job, body)
        if "ok" in answer:
            return answer["ok"]
        error = ToolValidationError if answer.get("validation") else ToolError
        raise error(str(answer.get("error")), code=answer.get("code"))

    def _share(self, owner: str | None) -> asyncio.Semaphore:
        limit = max(1, self.limits.workers - 1)
        if owner is None:
            return asyncio.Semaphore(limit)
        share = self._shares.get(owner)
        if share is None:
            share = self._shares[owner] = asyncio.Semaphore(limit)
        return share

    async def _call(self, job: str, body: bytes) -> dict[str, Any]:
        child = self._idle.pop() if self._idle else await _Child.start(self.limits)
        try:
            async with asyncio.timeout(self.limits.time_limit_s):
                answer = await child.call(body)
        except TimeoutError:
            await child.kill()
            message = f"{job} took longer than its limit of {self.limits.time_limit_s:g}s and was stopped"
            raise ToolError(message, code="time_limit") from None
        except (asyncio.IncompleteReadError, ConnectionError, BrokenPipeError):
            await child.kill()
            raise ToolError(f"{job}: the process doing the work died (memory limit?)", code="worker_died") from None
        except BaseException:  # cancelled: the work cannot be interrupted, only its process
            await child.kill()
            raise
        await self._keep([child])
        return answer

    async def warm(self) -> None:
        """Start the children now (their imports take a few hundred ms), not on the first calls.

        Every child that started is kept, whatever happened to the others (or to this call: cancelled,
        it keeps those that had started and stops the rest); a start that failed raises ToolError after."""
        missing = self.limits.workers - len(self._idle)
        if missing <= 0:
            return
        starts = [asyncio.create_task(_Child.start(self.limits)) for _ in range(missing)]
        try:
            await asyncio.wait(starts)
        finally:
            for task in starts:
                task.cancel()  # a no-op for those done; each one still starting kills its own process
            # Shielded: cancelled again while the others stop, this call would lose those that started.
            await asyncio.shield(self._settle(starts))
        failed = [t.exception() for t in starts if not t.cancelled() and t.exception() is not None]
        if failed:
            raise ToolError(
                f"{len(failed)} of {missing} processes for local work did not start ({failed[0]}); the"
                f" {missing - len(failed)} that did are kept, and calls start the others when they need them",
                code="worker_died",
            )

    async def _settle(self, starts: list[asyncio.Task[_Child]]) -> None:
        await asyncio.wait(starts)
        await self._keep([t.result() for t in starts if not t.cancelled() and t.exception() is None])

    async def _keep(self, children: list[_Child]) -> None:
        if not self._closed:
            self._idle += children
            return
        for child in children:
            await child.kill()

    async def close(self) -> None:
        """Kill every idle child, and each one still in a call when that call ends."""
        self._closed = True
        idle, self._idle = self._idle, []
        for child in idle:  # signalled first, all of them: a cancelled close leaves none running
            with contextlib.suppress(ProcessLookupError):
                child.process.kill()
        for child in idle:
            await child.process.wait()


_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[LocalLimits, LocalPool]] = weakref.WeakKeyDictionary()


def pool(limits: LocalLimits) -> LocalPool:
    """The pool of the running event loop for these limits (asyncio processes belong to one loop)."""
    per_loop = _pools.setdefault(asyncio.get_running_loop(), {})
    if limits not in per_loop:
        per_loop[limits] = LocalPool(limits)
    return per_loop[limits]


async def run(job: str, args: Any, limits: LocalLimits) -> Any:
    """Run ``job`` in the running loop's pool, as a share of the current workflow run's (if any)."""
    return await pool(limits).run(job, args, owner=_current_run())


def _current_run() -> str | None:
    from temporalio import activity

    try:
        return activity.info().workflow_run_id
    except RuntimeError:  # not in an activity (a direct call, a test)
        return None


def warm_in_background(limits: LocalLimits) -> asyncio.Task[None] | None:
    """Warm the running loop's pool without waiting (a worker being built); None outside a loop. A start
    that fails is logged: the worker goes on, and calls start children when they need them."""
    try:
        task = asyncio.get_running_loop().create_task(pool(limits).warm())
    except RuntimeError:
        return None
    task.add_done_callback(_log_warm_failure)
    return task


def _log_warm_failure(task: asyncio.Task[None]) -> None:
    if task.cancelled() or task.exception() is None:
        return
    import structlog

    structlog.get_logger("orchestra.tools").warning("local work processes not warmed", error=str(task.exception()))


# --- the child ------------------------------------------------------------------------------------


def _child_setup(parent: int, memory_bytes: int) -> None:
    import ctypes
    import resource

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the worker died before the line above: do not linger
        os._exit(1)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # Batch work: on a busy machine the worker's event loop (and other runs) go first.
    with contextlib.suppress(OSError):
        os.nice(10)


def _answer(job: Callable[[Any], Any], args: Any, output_bytes: int) -> bytes:
    try:
        result = {"ok": job(args)}
    except ToolError as exc:
        result = {"error": str(exc), "code": exc.code, "validation": isinstance(exc, ToolValidationError)}
    except MemoryError:
        result = {"error": "the work needed more memory than its limit", "code": "memory_limit"}
    except RecursionError:
        result = {"error": "the input is nested too deeply", "code": "too_deep", "validation": True}
    except Exception as exc:
        result = {"error": f"{type(exc).__name__}: {exc}", "code": "local_job_failed"}
    try:
        body = json.dumps(result).encode()
    except (MemoryError, ValueError, TypeError, RecursionError) as exc:
        body = json.dumps(
            {"error": f"cannot send the result back: {type(exc).__name__}", "code": "bad_output"}
        ).encode()
    if len(body) > output_bytes:
        message = f"the result is {len(body)} bytes; at most {output_bytes} are allowed"
        body = json.dumps({"error": message, "code": "output_too_large", "validation": True}).encode()
    return HEADER.pack(len(body)) + body


def _serve(parent: int, memory_bytes: int, output_bytes: int) -> None:
    _child_setup(parent, memory_bytes)
    jobs: dict[str, Callable[[Any], Any]] = {}
    for name, target in JOBS.items():
        module, _, function = target.partition(":")
        jobs[name] = getattr(importlib.import_module(module), function)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    stdout.write(READY)
    stdout.flush()
    while header := stdin.read(HEADER.size):
        size = HEADER.unpack(header)[0]
        if size > MAX_REQUEST_BYTES:
            return
        request = json.loads(stdin.read(size))
        stdout.write(_answer(jobs[request["job"]], request["args"], output_bytes))
        stdout.flush()


if __name__ == "__main__":
    _serve(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
