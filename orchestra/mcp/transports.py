"""An open transport to an MCP server (``Link``: the message streams the SDK's ClientSession takes), and
the stdio servers' transport (streamable HTTP: ``http_transport``).

stdio: the SDK's ``stdio_client`` would start the program itself, outside any sandbox. Here the
program is started by ``Sandbox.spawn`` (read-only system, the workspace the only writable place, no
network unless declared, rlimits, dies with the worker) and its pipes are turned into the same
streams ``stdio_client`` makes: one JSON-RPC message per line, each answer held to the request it
names (``answers``).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import re
import shutil
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import anyio
import anyio.lowlevel
import structlog
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from mcp.shared.message import SessionMessage
from mcp.types import (
    METHOD_NOT_FOUND,
    ErrorData,
    JSONRPCError,
    JSONRPCMessage,
    JSONRPCNotification,
    JSONRPCRequest,
    JSONRPCResponse,
)

from orchestra import sandbox_memory
from orchestra.confinement import Confinement
from orchestra.errors import ToolError
from orchestra.mcp.answers import OFF_LOOP_BYTES, TURN_EVERY, InFlight, parse_large, read_line
from orchestra.mcp.config import McpServerDecl
from orchestra.sandbox import SANDBOX_PATH, Jail, SandboxUnavailable, kill_group, read_only_problem
from orchestra.telemetry.redaction import quote_kept, quote_read

# One message may carry a large result (an image, a file); beyond this the server is misbehaving.
MAX_MESSAGE_BYTES = 64 * 1024 * 1024
STDERR_LINES = 20
STDERR_LINE_CHARS = 400
READ_CHUNK = 64 * 1024
# What is kept of one stderr line to be masked, then cut to STDERR_LINE_CHARS: far past the cut, so a secret
# across it is still whole when masked; the rest of a longer line (a progress bar) is not held.
STDERR_LINE_BYTES = 64 * 1024
# A carriage return ends a line too: a progress bar redraws itself with them and may never write a newline.
STDERR_LINE_END = re.compile(rb"[\r\n]")
log = structlog.get_logger("orchestra.mcp")

ReadStream = MemoryObjectReceiveStream[SessionMessage | Exception]
ReadWriter = MemoryObjectSendStream[SessionMessage | Exception]
WriteStream = MemoryObjectSendStream[SessionMessage]


class Replies(Protocol):
    """Where ``Notices.answering`` writes its answers: a send stream, or the HTTP transport's poster."""

    async def send(self, reply: SessionMessage, /) -> None: ...


EXIT_WAIT_S = 1.0
EXIT_POLL_S = 0.01


class ServerUnavailable(ToolError):
    """The server could not be started or reached: nothing was sent to it, so trying again is safe."""

    def __init__(self, message: str, *, code: str = "mcp_unavailable", retry_after_s: float | None = None) -> None:
        super().__init__(message, retryable=True, code=code, retry_after_s=retry_after_s)


def _unheard() -> None:
    pass


# The server's own requests answered and waiting to be written: past this (a server asking faster than it
# reads what it is answered), more are not answered, where the transport's reading of the server waited.
ANSWERS_PENDING = 16


@dataclass
class Notices:
    """Where what a server says of its own accord stops, before the session's streams: its notifications,
    and its requests, answered here. Through the session each cost its stream hand-offs and its check of
    the message: 0.3 ms of the event loop a notification (200,000 list_changed before an answer made the
    call take 60 s, every other activity of the worker waiting with it), 1 ms a request; and the session
    waited to write each answer, so a server asking 20,000 times before reading its stdin was never read
    again (both sides waiting: its call timed out). Nothing the session does with them is needed here: a
    change of tools is noted at once, however often said (``tools_changed``: the hub lists again at most
    so often); a ping is answered, any other request (roots, sampling, elicitation: this client declares
    none of them) refused; a cancellation could name no request of the server's the session holds."""

    writer: ReadWriter | None = None  # the session's read stream
    tools_changed: Callable[[], None] = _unheard
    stopped: int = 0
    unanswered: int = 0  # requests of the server's own it asked faster than it read their answers
    _answers: MemoryObjectSendStream[SessionMessage] = field(init=False)
    _pending: MemoryObjectReceiveStream[SessionMessage] = field(init=False)

    def __post_init__(self) -> None:
        self._answers, self._pending = anyio.create_memory_object_stream[SessionMessage](ANSWERS_PENDING)

    async def send(self, item: SessionMessage | Exception) -> None:
        assert self.writer is not None
        root = item.message.root if isinstance(item, SessionMessage) else None
        if isinstance(root, JSONRPCRequest):
            self._answer(root)
            return
        if isinstance(root, JSONRPCNotification):
            self.stopped += 1
            if root.method == "notifications/tools/list_changed":
                self.tools_changed()
            return
        # Once the session has ended (its reading end closed) or the link has (this writer closed), nobody
        # waits for an answer: a request's POST that ended after the session did raised here, out of the
        # transport's closing, taken for the server's going away.
        with contextlib.suppress(anyio.BrokenResourceError, anyio.ClosedResourceError):
            await self.writer.send(item)

    async def aclose(self) -> None:
        """The transport ended: the session's read stream ends with it (its calls in flight fail at once as
        the connection closed). The SDK's writer of requests closes what it was given to read into when it
        ends; without this, each HTTP session ended with an AttributeError, quoted as the server's failure."""
        if self.writer is not None:
            await self.writer.aclose()

    def _answer(self, request: JSONRPCRequest) -> None:
        if self._answers.statistics().current_buffer_used >= ANSWERS_PENDING:
            self.unanswered += 1  # not even made: a server asking in a storm would cost its answers' making
            return
        if request.method == "ping":
            reply = JSONRPCMessage(JSONRPCResponse(jsonrpc="2.0", id=request.id, result={}))
        else:
            refusal = ErrorData(code=METHOD_NOT_FOUND, message=f"this client takes no {request.method[:64]!r} requests")
            reply = JSONRPCMessage(JSONRPCError(jsonrpc="2.0", id=request.id, error=refusal))
        try:
            self._answers.send_nowait(SessionMessage(reply))
        except anyio.WouldBlock:
            self.unanswered += 1

    async def answering(self, write: Replies) -> None:
        """Write the answers to the server's requests through the transport's own writer (``write``, the
        session's), for as long as the link is open."""
        with contextlib.suppress(anyio.ClosedResourceError, anyio.BrokenResourceError):
            async for reply in self._pending:
                await write.send(reply)


@dataclass
class Link:
    """An open transport: the session's streams, and what tells that the server went away."""

    read: ReadStream
    write: WriteStream
    ended: anyio.Event = field(default_factory=anyio.Event)
    # Set when the server takes no more requests on this link (an HTTP session it forgot): the calls in
    # flight end as they will, the next one opens another link.
    retired: bool = False
    # The last lines of the server's stderr as they came (each up to STDERR_LINE_BYTES), masked when read:
    # masking every line as it came cost a chatty server's every line (30 µs with 4 secrets), for 20 kept.
    stderr: deque[str] = field(default_factory=lambda: deque(maxlen=STDERR_LINES))
    flight: InFlight = field(default_factory=InFlight)
    mask: Callable[[str], str] = str
    # The most characters a form ``mask`` finds may take (None: unknown, the lines are masked whole).
    reach: int | None = None
    notices: Notices = field(default_factory=Notices)
    # Why the transport itself stopped the server (its processes over the sandbox's memory total): what every
    # request on the link then fails with, rather than a lost connection retried into the same end.
    stopped: str = ""
    # How the server's process ended, once it has (asyncio's returncode: negative for a signal).
    exit_status: int | None = None

    def exit_said(self) -> str:
        """That the server exited, with its status when known."""
        status = self.exit_status
        if status is None:
            return "the server exited"
        return (
            f"the server exited with status {status}" if status >= 0 else f"the server was killed by signal {-status}"
        )

    def stop_error(self) -> ToolError | None:
        """A fresh one each time: one error raised in several requests' tasks would share its traceback."""
        return ToolError(self.stopped, code="sandbox_memory_total") if self.stopped else None

    def stderr_tail(self) -> str:
        """The kept lines, each masked before it is cut: a secret the cut split would be masked no more."""
        # Masked together, one line a line: a form wrapped across lines (base64 at 76 columns, hex in a
        # dump) is whole only across them, and each line's part alone was shown, decodable.
        if self.reach is None:
            return " | ".join(line[:STDERR_LINE_CHARS] for line in self.mask("\n".join(self.stderr)).split("\n"))
        # Of a long line, only what its quote's values and a form wrapped into the next line can reach:
        # masked whole, 20 lines of 64 KiB held the event loop 0.8 s (4 secrets). A NUL parts the two.
        head = quote_read(STDERR_LINE_CHARS, self.reach)
        pieces = [
            f"{line[:head]}\0{line[len(line) - self.reach :]}" if len(line) > head + self.reach + 1 else line
            for line in self.stderr
        ]
        return " | ".join(map(self._quoted_line, self.mask("\n".join(pieces)).split("\n")))

    def _quoted_line(self, masked: str) -> str:
        """A masked line's quote; of a line cut short, never what the cut's reach became."""
        assert self.reach is not None
        if "\0" not in masked:
            return masked[:STDERR_LINE_CHARS]
        start = masked[: masked.index("\0")]
        return start[: quote_kept(STDERR_LINE_CHARS, len(start), self.reach)]


def check_stdio(decl: McpServerDecl, workspace: Path) -> list[Path]:
    """The directories to bind read-only; a ServerUnavailable that says what to change if the program
    cannot be seen inside the sandbox (only /usr, these directories and the workspace are there)."""
    assert decl.command is not None
    read_only = [decl.path(p) for p in decl.read_only]
    for directory in read_only:
        if not directory.exists():
            raise ServerUnavailable(f"MCP server {decl.name!r}: read_only path {str(directory)!r} does not exist")
        problem = read_only_problem(directory, workspace)
        if problem is not None:
            raise ServerUnavailable(f"MCP server {decl.name!r}: read_only path {str(directory)!r} refused: {problem}")
    program = decl.program()
    if "/" not in program:
        if shutil.which(program, path=SANDBOX_PATH) is None:
            raise ServerUnavailable(
                f"MCP server {decl.name!r}: program {program!r} is not on the sandbox's PATH ({SANDBOX_PATH});"
                " give it by path and add its installation to read_only"
            )
    elif not Path(program).is_file():
        raise ServerUnavailable(f"MCP server {decl.name!r}: program {program!r} does not exist")
    elif not any(Path(program).is_relative_to(d) for d in [Path("/usr"), *read_only]):
        raise ServerUnavailable(
            f"MCP server {decl.name!r}: program {program!r} is not visible in the sandbox (only /usr, the workspace"
            " and read_only are): add its installation directory to read_only"
        )
    return read_only


@contextlib.asynccontextmanager
async def stdio(
    decl: McpServerDecl,
    confinement: Confinement,
    env: dict[str, str],
    mask: Callable[[str], str] = str,
    reach: int | None = None,
) -> AsyncIterator[Link]:
    """Start the server in the sandbox; its stdin/stdout become the session's streams. Each line of its
    stderr is ``mask``ed before it is cut (``Link.stderr_tail``), as far as ``reach`` (the longest form
    ``mask`` finds) past the cut when given."""
    assert decl.command is not None
    read_only = check_stdio(decl, confinement.workspace)
    try:
        confinement.sandbox.require()
    except SandboxUnavailable as exc:
        raise ServerUnavailable(str(exc), code="sandbox_unavailable") from None
    files = confinement.files
    try:
        cwd = await asyncio.to_thread(files.directory_path, files.relative(decl.cwd))
    except ToolError as exc:
        raise ServerUnavailable(f"MCP server {decl.name!r}: cwd: {exc}", code="mcp_bad_cwd") from None
    limits = confinement.sandbox_limits
    if decl.memory_mb is not None:
        limits = dataclasses.replace(limits, memory_bytes=decl.memory_mb * 1024 * 1024)
    jail = Jail(
        workspace=confinement.workspace, cwd=cwd, env=env, network=decl.network, limits=limits,
        read_only=tuple(read_only),
    )  # fmt: skip
    argv = [decl.program(), *decl.command[1:]]
    spawn = asyncio.ensure_future(
        confinement.sandbox.spawn(argv, jail, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    )
    try:
        # Shielded as in run_argv: a cancelled spawn must still be killed, group and all.
        process = await asyncio.shield(spawn)
    except asyncio.CancelledError:
        kill_group(await spawn)
        raise
    except (OSError, ValueError) as exc:
        raise ServerUnavailable(f"MCP server {decl.name!r} could not be started: {exc}") from None
    read_writer, read = anyio.create_memory_object_stream[SessionMessage | Exception](0)
    write, write_reader = anyio.create_memory_object_stream[SessionMessage](0)
    link = Link(read, write, mask=mask, reach=reach, notices=Notices(read_writer))

    async def from_server() -> None:
        assert process.stdout is not None
        # Each chunk is looked at once: joining and splitting the whole pending line again for every
        # chunk took 40 s of the event loop for one 64 MB line.
        pending: list[bytes] = []
        pending_bytes = 0
        read = 0
        async with read_writer:
            while chunk := await process.stdout.read(READ_CHUNK):
                *ends, rest = chunk.split(b"\n")
                lines = [b"".join([*pending, ends[0]]), *ends[1:]] if ends else []
                if ends:
                    pending, pending_bytes = [], 0
                pending.append(rest)
                pending_bytes += len(rest)
                if pending_bytes > MAX_MESSAGE_BYTES:
                    link.stderr.append(f"(the server sent a message over {MAX_MESSAGE_BYTES} bytes: closed)")
                    break
                # A read of short lines is thousands of parses (about 20 µs each; a notification stops at
                # Notices without a turn): the loop gets one after every TURN_EVERY lines, as for an event
                # stream's events, where 100,000 lines of a server's had it in slices of a read (64 KiB).
                # Counted over reads: a read of buffered bytes gives no turn either.
                for line in filter(bytes.strip, lines):
                    parsed = await asyncio.to_thread(parse_large, line) if len(line) > OFF_LOOP_BYTES else None
                    for message in read_line(line, link.flight, decl.name, parsed):
                        await link.notices.send(message)
                    read += 1
                    if read % TURN_EVERY == 0:
                        await anyio.lowlevel.checkpoint()
        # Its stdout ended: a server that exited on its own is reaped before it is killed below (its own status
        # tells why it left); one that closed stdout and lives on is waited for no longer than this. Not by wait():
        # it returns only once every pipe is closed, and its stdin is ours, open until the link closes.
        with anyio.move_on_after(EXIT_WAIT_S):
            while process.returncode is None:  # noqa: ASYNC110 (no event tells of the exit alone)
                await anyio.sleep(EXIT_POLL_S)
        link.exit_status = process.returncode
        link.ended.set()

    async def to_server() -> None:
        assert process.stdin is not None
        async with write_reader:
            async for message in write_reader:
                link.flight.sent(message.message)
                data = message.message.model_dump_json(by_alias=True, exclude_none=True)
                process.stdin.write(data.encode() + b"\n")
                try:
                    await process.stdin.drain()
                except (BrokenPipeError, ConnectionResetError):
                    link.ended.set()
                    return

    def note(line: bytes) -> None:
        if text := line.decode(errors="replace").rstrip():
            link.stderr.append(text)

    async def errors() -> None:
        # In chunks, not readline(): a line longer than asyncio's buffer raised there, and took the whole
        # connection down with it.
        assert process.stderr is not None
        pending = b""
        while chunk := await process.stderr.read(READ_CHUNK):
            *ends, rest = STDERR_LINE_END.split(chunk)
            for end in ends:
                note(pending + end)
                pending = b""
            pending = (pending + rest)[:STDERR_LINE_BYTES]
        note(pending)

    async def memory_watchdog() -> None:
        # RLIMIT_AS bounds each of the server's processes; this, all of them together, for as long as it runs.
        total = limits.total_memory_bytes
        held = await sandbox_memory.watch(process, total)
        if held is not None:
            # Not retried (ToolError's default): started again, it would hold as much again.
            link.stopped = f"MCP server {decl.name!r}: {sandbox_memory.over_message(held, total)}"
            # At once: the session learns of it only once the server's stdout has ended, and a call meanwhile was
            # given this link, to fail on its closed streams.
            link.retired = True
            log.warning("MCP server stopped", server=decl.name, reason=mask(link.stopped))

    try:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(memory_watchdog, name=f"memory watchdog of MCP server {decl.name}")
            tasks.start_soon(from_server)
            tasks.start_soon(to_server)
            tasks.start_soon(errors)
            tasks.start_soon(link.notices.answering, write)
            try:
                yield link
            finally:
                tasks.cancel_scope.cancel()
    finally:
        # The whole group (with bwrap: the pid namespace) goes, whatever the server started.
        kill_group(process)
        with anyio.CancelScope(shield=True):
            # Drained first: asyncio's wait() returns only once every pipe is closed, and a pipe the server
            # filled (an answer cut at the message limit) is not read to its end by anyone else.
            await _release(process)
            await process.wait()
        link.ended.set()


async def _release(process: asyncio.subprocess.Process) -> None:
    """Close the pipes now (stdin) or once read to their end (the others: the server is dead, so that is
    at most what it left in them), not when the transport happens to be collected: collected after its
    event loop has closed (a worker's, or the loop that lists tools at start), it fails to close then."""
    if process.stdin is not None:
        process.stdin.close()
    for stream in (process.stdout, process.stderr):
        with contextlib.suppress(Exception):
            while stream is not None and await stream.read(READ_CHUNK):
                pass
