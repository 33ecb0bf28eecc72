"""The ``shell`` tool: run one allowed program (never through a shell) in the OS sandbox, in the workspace."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import math
import os
import shlex
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from orchestra import disk_space, sandbox_memory
from orchestra.commands import never_ends
from orchestra.errors import ToolError, ToolValidationError
from orchestra.sandbox import Jail, SandboxUnavailable, kill_group
from orchestra.temporal_bounds import NUMBER
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.tools._support import clamp_timeout, decode, heartbeating

if TYPE_CHECKING:
    from orchestra.confinement import Confinement

READ_CHUNK = 65536
STDERR_TAIL_CHARS = 2000
NUL_ARGUMENT = "an argument holds a NUL character, which no program can be given"
LONE_SURROGATE = "{what} holds a lone surrogate (JSON's \\ud800), a character no program can be given"


class ShellInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    command: list[str] | None = Field(
        None, min_length=1, description="program and arguments as a list; no shell interpretation"
    )
    cmd: str | None = Field(
        None, description="a command line split like a POSIX shell would (quotes), but never run by a shell"
    )
    cwd: str = Field(".", description="working directory, relative to the workspace")
    stdin: str | None = Field(None, description="text written to the program's standard input")
    timeout_s: Annotated[float, NUMBER] = Field(
        60.0, gt=0, allow_inf_nan=False, description="kill the program after this many seconds (clamped)"
    )
    check: bool = Field(True, description="fail if the program exits with a non-zero status")

    @model_validator(mode="after")
    def _exactly_one_command(self) -> Self:
        if (self.command is None) == (self.cmd is None):
            raise ValueError("give exactly one of 'command' (a list) or 'cmd' (a string)")
        if any("\0" in arg for arg in self.command or [self.cmd or ""]):
            raise ValueError(NUL_ARGUMENT)
        return self


class ShellOutput(BaseModel):
    exit_code: int = Field(description="exit status; negative if killed by a signal")
    stdout: str = Field(description="standard output, capped to the worker's output limit")
    stderr: str = Field(description="standard error, capped to the worker's output limit")
    stdout_truncated: bool = Field(description="true if stdout was longer than the cap")
    stderr_truncated: bool = Field(description="true if stderr was longer than the cap")
    duration_ms: float = Field(description="wall time of the program")


async def _drain(stream: asyncio.StreamReader | None, cap: int) -> tuple[bytes, bool]:
    """Keep the first ``cap`` bytes but read to EOF, so a chatty program never blocks on a full pipe."""
    if stream is None:
        return b"", False
    kept = bytearray()
    truncated = False
    while chunk := await stream.read(READ_CHUNK):
        room = cap - len(kept)
        if len(chunk) > room:
            truncated = True
            kept += chunk[: max(room, 0)]
        else:
            kept += chunk
    return bytes(kept), truncated


async def _feed(stream: asyncio.StreamWriter | None, text: str | None) -> None:
    if stream is None:
        return
    # A program may exit without reading its input; that is its business, not an error.
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        if text:
            stream.write(os.fsencode(text))  # \udc80-\udcff: the bytes of a name that is no UTF-8, as listed
            await stream.drain()
        stream.close()
        await stream.wait_closed()


async def run_argv(
    ctx: ToolContext,
    argv: list[str],
    *,
    cwd: str = ".",
    stdin: str | None = None,
    timeout_s: float = 60.0,
    check: bool = True,
    network: bool = False,
) -> ShellOutput:
    """Run ``argv`` under ``ctx.confinement``, in the OS sandbox; shared with tools described in files.
    ``network``: the tool is declared to need the network (never the shell tool itself)."""
    confinement = ctx.confinement
    if not argv or not argv[0]:
        raise ToolValidationError("empty command", code="empty_command")
    if any("\0" in arg for arg in argv):  # the caller's mistake, not one to retry (C strings end there)
        raise ToolValidationError(NUL_ARGUMENT, code="nul_argument")
    for what, text in [*(("an argument", arg) for arg in argv), ("stdin", stdin or "")]:
        try:
            os.fsencode(text)
        except UnicodeEncodeError:  # the caller's mistake too: it failed as the worker's own, and was retried
            raise ToolValidationError(LONE_SURROGATE.format(what=what), code="bad_text") from None
    timeout = clamp_timeout(timeout_s, confinement)
    # One hop to a thread for every check before the start: they resolve each argument that may name a path,
    # look at the disk and parse the command, on the event loop a wait on the filesystem that held every
    # activity of the worker (their heartbeats too: steps that did nothing were timed out and retried).
    jail = await asyncio.to_thread(_jail_for, confinement, argv, cwd, timeout, stdin, network)
    cap = confinement.max_output_bytes
    started = time.perf_counter()
    try:
        confinement.sandbox.require()
    except SandboxUnavailable as exc:
        raise ToolValidationError(str(exc), code="sandbox_unavailable") from None
    stdin_mode = asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL
    spawn = asyncio.ensure_future(confinement.sandbox.spawn(argv, jail, stdin=stdin_mode))
    try:
        # Shielded: cancelled mid-spawn, asyncio would kill only the direct child and then wait for
        # pipes its children still hold. Let the spawn finish, then kill the whole group.
        process = await asyncio.shield(spawn)
    except asyncio.CancelledError:
        spawned = await spawn
        kill_group(spawned)
        await spawned.wait()
        raise
    except FileNotFoundError as exc:
        raise ToolError(f"program {argv[0]!r} was not found on PATH", code="command_not_found") from exc
    except PermissionError as exc:
        raise ToolError(f"program {argv[0]!r} is not executable: {exc}", code="command_not_executable") from exc

    async def communicate() -> tuple[tuple[bytes, bool], tuple[bytes, bool]]:
        out, err, _ = await asyncio.gather(
            _drain(process.stdout, cap), _drain(process.stderr, cap), _feed(process.stdin, stdin)
        )
        await process.wait()
        return out, err

    # Beside the program for as long as it runs: RLIMIT_AS bounds each of its processes, this all of them together.
    watchdog = asyncio.ensure_future(sandbox_memory.watch(process, jail.limits.total_memory_bytes))
    try:
        async with heartbeating(ctx):
            (stdout, stdout_truncated), (stderr, stderr_truncated) = await asyncio.wait_for(communicate(), timeout)
    except BaseException as exc:
        # Timeout and cancellation alike: nothing the program started may outlive the call. The group
        # is killed even if the leader already exited, since a child may still hold the pipes open.
        kill_group(process)
        await process.wait()
        if isinstance(exc, TimeoutError):
            message = f"{argv[0]} timed out after {timeout:g}s and was killed"
            raise ToolError(message, retryable=True, code="timeout") from exc
        raise
    finally:
        watchdog.cancel()
        await asyncio.wait([watchdog])
    held = None if watchdog.cancelled() else watchdog.result()
    if held is not None:  # not retried: the same program holds as much again
        message = f"{argv[0]}: {sandbox_memory.over_message(held, jail.limits.total_memory_bytes)}"
        raise ToolError(message, code="sandbox_memory_total")
    duration_ms = (time.perf_counter() - started) * 1000
    exit_code = process.returncode
    assert exit_code is not None  # the process was awaited above
    _raise_if_not_started(argv[0], exit_code, stderr)
    result = ShellOutput(
        exit_code=exit_code,
        stdout=ctx.cut_end(decode(stdout)) if stdout_truncated else decode(stdout),
        stderr=ctx.cut_end(decode(stderr)) if stderr_truncated else decode(stderr),
        stdout_truncated=stdout_truncated,
        stderr_truncated=stderr_truncated,
        duration_ms=round(duration_ms, 3),
    )
    if check and exit_code != 0:
        tail = ctx.quote_end(result.stderr, STDERR_TAIL_CHARS).strip()
        raise ToolError(f"{argv[0]} exited with status {exit_code}: {tail}", code=f"exit_{exit_code}")
    return result


def _jail_for(
    confinement: Confinement, argv: list[str], cwd: str, timeout: float, stdin: str | None, network: bool
) -> Jail:
    """The jail ``argv`` runs in, once it passed every check of the worker's confinement (blocking calls)."""
    confinement.check_command(argv[0], argv[1:])
    files = confinement.files
    workdir = files.directory_path(files.relative(cwd))
    confinement.check_arguments(argv[1:], workdir)
    _require_room(confinement.workspace)
    _refuse_endless(argv, timeout, bool(stdin))
    limits = dataclasses.replace(confinement.sandbox_limits, cpu_s=math.ceil(timeout) + 1)
    return Jail(
        workspace=confinement.workspace, cwd=workdir, env=confinement.child_env(), network=network, limits=limits
    )


def _refuse_endless(argv: list[str], timeout: float, stdin: bool) -> None:
    """The argv as filled for this call, judged: planning judges a command it reads, and a tools file's argv is
    judged at load with its placeholders as plain words, but a value filled at the call ("{{ seconds }}" as 1000,
    a command taken from a step's output) was run until its timeout, and the timeout retried. The error names
    the program and why, never the arguments (a secret may fill one). ``stdin``: the call gives it text."""
    why = never_ends(shlex.join(argv), timeout, stdin)
    if why is not None:
        raise ToolValidationError(
            f"{argv[0]!r} as called never ends by itself ({why}): it would run until its timeout of {timeout:g} s;"
            " not started",
            code="never_ends",
        )


def _raise_if_not_started(program: str, exit_code: int, stderr: bytes) -> None:
    """In the sandbox the program is started by prlimit, which reports a failed exec as 126/127."""
    if exit_code in (126, 127) and stderr.startswith(b"prlimit: failed to execute"):
        if exit_code == 127:
            raise ToolError(f"program {program!r} was not found on PATH", code="command_not_found")
        raise ToolError(f"program {program!r} is not executable", code="command_not_executable")


async def run_shell(args: ShellInput, ctx: ToolContext) -> ShellOutput:
    if args.command is not None:
        argv = list(args.command)
    else:
        try:
            argv = shlex.split(args.cmd or "")
        except ValueError as exc:
            raise ToolValidationError(f"cannot split cmd {args.cmd!r}: {exc}", code="bad_command") from exc
    return await run_argv(ctx, argv, cwd=args.cwd, stdin=args.stdin, timeout_s=args.timeout_s, check=args.check)


def shell_tool() -> Tool:
    spec = ToolSpec(
        name="shell",
        description=(
            "Run one allowed program with arguments in the workspace (no shell: pipes, globs and "
            "variables are not interpreted) and return its exit code and captured output. "
            "It runs in an OS sandbox: no network, only the workspace writable, a minimal environment; "
            "on timeout everything it started is killed."
        ),
        capabilities=["shell", "command", "process"],
        input_model=ShellInput,
        output_model=ShellOutput,
        input_types=["command", "path", "text"],
        output_types=["text"],
        side_effects=True,
        idempotent=False,
        timeout_s=3660.0,
    )
    return Tool(spec=spec, run=run_shell)


def _require_room(workspace: Path) -> None:
    """A program's writes are bounded per file, not in total: a run's steps, each within its bound, filled
    the disk one after the other. None starts while the disk keeps less than the worker's reserve free, so
    a run fills at most that plus one step's writes (docs/security.md)."""
    try:
        disk_space.require_room(workspace, 0)
    except disk_space.DiskFull as exc:
        raise ToolError(f"no program is started: {exc.strerror}", code="disk_full", retryable=True) from None
