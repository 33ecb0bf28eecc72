"""The MCP servers of one registry in one process: their tool lists, and one live session per server.

Tool lists: ``tools/list`` when the client or the worker starts, kept on disk by the server's
fingerprint (``selection/disk_cache.py``, shared by a stack's client and worker) and used while
younger than the entry's ``refresh_s``. A worker asks again when a list is older than that, when the
server says its tools changed, and on demand, when a plan or model names a tool of the server that
the list does not have. The tool file's own cache keeps the entry only, never a server's list.

Calls: one session per server per worker, opened on first use and opened again when the server went
away; sessions carry no state between calls (any call may land on any worker). Each call runs inside
the ``run_tool`` activity, so Temporal gives it retries, timeouts, heartbeats and cancellation.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

import structlog
from mcp.shared.exceptions import McpError
from mcp.types import INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND, CallToolResult
from pydantic import BaseModel

from orchestra.confinement import Confinement
from orchestra.errors import ToolError, ToolValidationError
from orchestra.mcp import http_transport, transports
from orchestra.mcp import tools as mcp_tools
from orchestra.mcp.config import McpServerDecl
from orchestra.mcp.connection import REQUEST_TIMEOUT, Connection, ConnectionLost, Opener, UnreadableAnswer
from orchestra.references import half_surrogate
from orchestra.secrets import Masker, longest_form, resolve_secrets, settings_masker
from orchestra.selection import disk_cache
from orchestra.telemetry import redaction
from orchestra.tool_spec import RetryHints, Tool, ToolContext, ToolSpec
from orchestra.tools.http_request import header_problem, retried_while_unprocessed

if TYPE_CHECKING:
    from orchestra.registry import ToolRegistry

CACHE_KIND = "mcp-tools"
RETRY_FAILED_S = 30.0  # a server that could not be listed is asked again after this long
ON_DEMAND_MIN_S = 5.0  # an unknown tool name or a change the server says makes a fresh tools/list at most this often
log = structlog.get_logger("orchestra.mcp")
MAX_QUOTED_ERROR = 300  # characters of a server's own error quoted: as http_request quotes an error body
T = TypeVar("T")


@dataclass(frozen=True)
class Secured:
    """A server's settings with its secrets resolved, their masker, and how far a form of one reaches."""

    resolved: dict[str, str]
    masker: Masker
    reach: int


class McpHub:
    def __init__(self, servers: Iterable[McpServerDecl], confinement: Confinement) -> None:
        self.servers = {decl.name: decl for decl in servers}
        self.confinement = confinement
        self._connections: dict[str, Connection] = {}
        self._listed_at: dict[str, float] = {}
        self._tried_at: dict[str, float] = {}
        self._changed: set[str] = set()
        self._fetching: dict[str, asyncio.Future[list[dict[str, Any]] | str]] = {}
        for decl in self.servers.values():
            if warning := memory_over_total(decl, confinement.sandbox_limits.total_memory_bytes):
                log.warning("MCP server memory_mb above the sandbox's total", server=decl.name, warning=warning)

    # --- tool lists -------------------------------------------------------------------------------

    def load(self, registry: ToolRegistry, *, refresh: bool = False) -> None:
        """Every server's tools into ``registry``: from the disk cache while fresh, else a live tools/list
        (all servers at once, in a thread of its own: callers may be sync code inside an event loop)."""
        now = time.time()
        due: list[McpServerDecl] = []
        for decl in self.servers.values():
            cached = None if refresh else _cached(decl, now)
            if cached is None:
                due.append(decl)
            else:
                self._apply(registry, decl, cached[1], cached[0])
        if due:
            results = _run_blocking(lambda: asyncio.gather(*(self._list(d, pooled=False) for d in due)))
            for decl, result in zip(due, results, strict=True):
                self._apply(registry, decl, result, now)

    async def refresh(self, registry: ToolRegistry, wanted: Iterable[str] = ()) -> None:
        """Ask again the servers whose list is due, and those owning a wanted name the registry lacks."""
        now = time.time()
        due = {name for name, decl in self.servers.items() if self._due(decl, now)}
        for tool in wanted:
            server = tool.split(".", 1)[0]
            if (
                server in self.servers
                and tool not in registry
                and now - self._tried_at.get(server, 0) >= ON_DEMAND_MIN_S
            ):
                due.add(server)
        if due:
            await asyncio.gather(*(self._refresh_one(registry, self.servers[name]) for name in sorted(due)))

    def _due(self, decl: McpServerDecl, now: float) -> bool:
        # As often as the server says its tools changed, they are listed again at most once per ON_DEMAND_MIN_S:
        # a server that says so at every list (or in a storm) would keep the worker listing it.
        if decl.name in self._changed and now - self._tried_at.get(decl.name, 0) >= ON_DEMAND_MIN_S:
            return True
        listed = self._listed_at.get(decl.name)
        if listed is None:
            return now - self._tried_at.get(decl.name, 0) >= RETRY_FAILED_S
        return now - listed >= decl.refresh_s

    async def _refresh_one(self, registry: ToolRegistry, decl: McpServerDecl) -> None:
        running = self._fetching.get(decl.name)
        if running is not None:
            await asyncio.shield(running)
            return
        self._changed.discard(decl.name)
        future = asyncio.ensure_future(self._list(decl, pooled=True))
        self._fetching[decl.name] = future
        try:
            result = await asyncio.shield(future)
        finally:
            self._fetching.pop(decl.name, None)
        # Off the event loop: a worker refreshes while it runs other activities (see _usable).
        usable = await asyncio.to_thread(self._usable_compiled, decl, result)
        self._install(registry, decl, usable, time.time())

    async def _list(self, decl: McpServerDecl, *, pooled: bool) -> list[dict[str, Any]] | str:
        """The server's tools as JSON, or why they could not be had."""
        self._tried_at[decl.name] = time.time()
        # What the server says goes into the registry, prompts, records and logs: its own secrets masked.
        masker = Masker(())
        try:
            connection = await self._connection(decl) if pooled else self._open(decl, await self._secured(decl))
            masker = connection.masker
            try:
                listed = await connection.list_tools(decl.timeout_s)
            finally:
                if not pooled:
                    await connection.close()
        except (ToolError, ConnectionLost) as exc:
            return masker.text(str(exc))
        except UnreadableAnswer as exc:
            return masker.text(f"tools/list failed: {exc}")
        except McpError as exc:
            return f"tools/list failed: {server_said(exc.error.code, exc.error.message, masker)}"
        except Exception as exc:
            return masker.text(f"tools/list failed: {type(exc).__name__}: {exc}")
        tools: list[dict[str, Any]] = masker.value(
            [tool.model_dump(mode="json", by_alias=True, exclude_none=True) for tool in listed]
        )
        disk_cache.store(CACHE_KIND, decl.fingerprint(), (time.time(), tools))
        return tools

    def _apply(
        self, registry: ToolRegistry, decl: McpServerDecl, result: list[dict[str, Any]] | str, at: float
    ) -> None:
        self._install(registry, decl, self._usable(decl, result), at)

    def _usable_compiled(
        self, decl: McpServerDecl, result: list[dict[str, Any]] | str
    ) -> tuple[list[Tool], list[str]] | str:
        """``_usable``, in a thread, with the settings' masker compiled whole: ``_install`` masks with it on the event
        loop (a listing the registry refuses), where a setting's pattern compiled at its first find held every
        activity's heartbeat (about half a second of CPU a key)."""
        settings_masker().compile_all()
        return self._usable(decl, result)

    def _usable(self, decl: McpServerDecl, result: list[dict[str, Any]] | str) -> tuple[list[Tool], list[str]] | str:
        """The listed tools that can be registry tools, and why the others cannot; or why the server has none
        (its failure to start, to initialize, or to list, quoting what it said). Each schema is read
        against its meta-schema: up to 1.5 s for one of 64 KiB, and a listing has up to MAX_TOOLS.
        Masked with this process's secret settings here, where a listing fresh or from the disk cache becomes tools:
        a server echoing the worker's codec key or another plan's ORCHESTRA_SECRET_* (a value it was handed) into a
        description or a schema put it into the agent's history (agent_tools) and every request to the model; or
        into its failure, which tool lookups quote into histories and requests, and the worker's log."""
        if isinstance(result, str):
            return settings_masker().text(result)
        listed: list[dict[str, Any]] = settings_masker().value(result)
        tools: list[Tool] = []
        problems: list[str] = []
        names = Counter(raw.get("name") for raw in listed)
        for raw in listed:
            problem = mcp_tools.check_listing(decl, raw)
            if problem is None and names[raw["name"]] > 1:
                problem = (
                    f"tool {raw['name']!r} is listed {names[raw['name']]} times: which one a call reaches is unknown"
                )
            if problem is None:
                tools.append(self._tool(decl, raw))
            elif problem not in problems:
                problems.append(problem)
        return tools, problems

    def _install(
        self, registry: ToolRegistry, decl: McpServerDecl, usable: tuple[list[Tool], list[str]] | str, at: float
    ) -> None:
        if isinstance(usable, str):
            registry.server_unavailable(decl.name, usable)
            log.warning("MCP server unavailable", server=decl.name, reason=usable)
            return
        try:
            registry.set_server_tools(decl.name, *usable)
        except ValueError as exc:
            registry.server_unavailable(decl.name, settings_masker().text(str(exc)))
            return
        self._listed_at[decl.name] = at

    def _tool(self, decl: McpServerDecl, raw: dict[str, Any]) -> Tool:
        def build() -> tuple[ToolSpec, Callable[[Any, ToolContext], Awaitable[Any]]]:
            spec = mcp_tools.spec(decl, raw)

            async def run(args: BaseModel, ctx: ToolContext) -> mcp_tools.McpToolOutput:
                arguments = args.model_dump(mode="json", by_alias=True, exclude_unset=True)
                send = partial(self.call, decl, raw["name"], arguments, idempotent=spec.idempotent)
                if spec.idempotent:
                    return await send()
                # Its one Temporal attempt: what it may retry (a server unreachable, or answering 429 or 503)
                # surely was not processed, so it is retried here, as http_request's POST is.
                # (A context is the activity's; a caller outside one, as the tests, may give none.)
                return await retried_while_unprocessed(send, RetryHints(), ctx.sends if ctx is not None else None)

            return spec, run

        return Tool(card=mcp_tools.card(decl, raw), build=build)

    # --- calls ------------------------------------------------------------------------------------

    async def _secured(self, decl: McpServerDecl) -> Secured:
        """The server's settings with its secrets resolved, and their masker: in a thread, as the masker of a
        secret no masker had yet compiles the pattern of its every form (0.64 s of CPU for 168 characters:
        on the event loop, every activity of the worker missed its heartbeats meanwhile)."""
        return await asyncio.to_thread(self._secure, decl)

    def _secure(self, decl: McpServerDecl) -> Secured:
        # Secrets are resolved here, on the process that connects, and masked in all it reports.
        values = decl.env if decl.command is not None else decl.headers
        resolved, secrets = resolve_secrets(values)
        if problem := _unusable(decl, resolved):
            raise ToolValidationError(f"MCP server {decl.name!r}: {problem}", code="bad_secret")
        redaction.remember(*secrets)
        # A value not UTF-8 is masked as written.
        reach = max([longest_form(secrets), *map(len, secrets)]) if decl.command is not None else 0
        return Secured(resolved, Masker(secrets, compiled=True), reach)  # used on the event loop

    def _open(self, decl: McpServerDecl, secured: Secured) -> Connection:
        resolved, masker = secured.resolved, secured.masker
        opener: Opener
        if decl.command is not None:
            opener = lambda: transports.stdio(decl, self.confinement, resolved, masker.text, secured.reach)  # noqa: E731
        else:
            opener = lambda: http_transport.http(decl, self.confinement, resolved)  # noqa: E731
        return Connection(decl.name, opener, masker, lambda: self._changed.add(decl.name))

    async def _connection(self, decl: McpServerDecl) -> Connection:
        connection = self._connections.get(decl.name)
        if connection is not None and connection.alive:
            return connection
        secured = await self._secured(decl)
        # Another call may have replaced it meanwhile; replaced here before awaiting anything else: a concurrent
        # call finds the new one, never opens a second.
        connection = self._connections.get(decl.name)
        if connection is None or not connection.alive:
            gone, connection = connection, self._open(decl, secured)
            self._connections[decl.name] = connection
            if gone is not None:
                await gone.close()
        return connection

    async def call(
        self, decl: McpServerDecl, tool: str, arguments: dict[str, Any], *, idempotent: bool
    ) -> mcp_tools.McpToolOutput:
        where = f"{decl.name}.{tool}"
        connection = await self._connection(decl)
        try:
            result = await connection.call_tool(tool, arguments, decl.timeout_s)
        except ConnectionLost as exc:
            if idempotent:
                raise ToolError(
                    f"{where}: the MCP server went away: {exc}", retryable=True, code="mcp_connection_lost"
                ) from None
            raise ToolError(
                f"{where}: the MCP server went away during the call, which is not idempotent: it may or may not have"
                f" taken effect, so it is not repeated ({exc})",
                code="mcp_outcome_unknown",
            ) from None
        except UnreadableAnswer as exc:
            # It reached the server, which may have acted on it: repeated only if the tool is idempotent, and
            # never when the same answer would come again (one rule with http_request's).
            raise ToolError(
                connection.masker.text(f"{where}: the MCP server's answer could not be read: {exc}"),
                retryable=idempotent and not exc.final,
                code="mcp_unreadable_answer",
            ) from None
        except McpError as exc:
            message = f"{where}: {server_said(exc.error.code, exc.error.message, connection.masker)}"
            if exc.error.code in (INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND):
                raise ToolValidationError(message, code="mcp_invalid_call") from None
            if exc.error.code == REQUEST_TIMEOUT:
                raise ToolError(message, retryable=idempotent, code="timeout") from None
            raise ToolError(message, retryable=idempotent, code=f"mcp_error_{exc.error.code}") from None
        except RuntimeError as exc:  # the SDK found structured content that breaks the tool's output schema
            raise ToolError(connection.masker.text(f"{where}: {exc}"), code="mcp_bad_result") from None
        # In a thread: a large answer's walks (dumped, masked, mapped) held the event loop for a minute.
        return await asyncio.to_thread(
            _read_result, where, result, connection.masker, self.confinement.max_output_bytes
        )

    async def aclose(self) -> None:
        connections, self._connections = list(self._connections.values()), {}
        await asyncio.gather(*(c.close() for c in connections))


def memory_over_total(decl: McpServerDecl, total_bytes: int) -> str | None:
    """Why ``memory_mb`` over the total is likely a mistake, or None. Not refused: it is an address-space limit, and
    Node's V8 reserves more address space than it ever holds, so a Node server may need one past a small total."""
    mib = 1024 * 1024
    if decl.memory_mb is None or decl.memory_mb * mib <= total_bytes:
        return None
    return (
        f"MCP server {decl.name!r}: memory_mb {decl.memory_mb} is above the sandbox's total of {total_bytes // mib} MiB"
        " (ORCHESTRA_SANDBOX_MEMORY_TOTAL_MB), which all its processes together may hold: past it the worker stops the"
        " server, whatever memory_mb allows; raise the total or lower memory_mb"
    )


def _read_result(where: str, result: CallToolResult, masker: Masker, cap: int) -> mcp_tools.McpToolOutput:
    """The call's output, its server's secrets masked. Structured content over the output cap is left
    out (``truncated``) before anything walks it: 50 MB of small objects took 6 s to dump and 48 s to
    mask, and would have been the step's output whole, past the cap every other output keeps."""
    structured = result.structuredContent
    dropped = structured is not None and mcp_tools.json_over(structured, cap)
    left_out = {"structuredContent"} if dropped else None
    data = _masked(result.model_dump(mode="json", by_alias=True, exclude_none=True, exclude=left_out), masker)
    if result.isError:
        raise ToolError(f"{where} failed: {mcp_tools.error_text(data)}", code="mcp_tool_error")
    return mcp_tools.output(data, cap, json_dropped=dropped)


def _masked(dumped: dict[str, Any], masker: Masker) -> dict[str, Any]:
    """``dumped`` masked, its texts as the output joins them (``mcp_tools.joined_texts``) masked as one list: each
    item is a mapping of its own, whose strings the masker never joins with the next's, and a secret echoed half at
    the end of one item and half at the start of the next reached the step's output (its text, its items) whole."""
    slots = mcp_tools.joined_texts(dumped)
    texts = [holder[key] for holder, key in slots]
    for holder, key in slots:
        holder[key] = ""  # masked once, in the list: the texts may be megabytes
    masked: dict[str, Any] = masker.value({"result": dumped, "texts": texts})
    places = mcp_tools.joined_texts(masked["result"])
    if len(places) != len(slots):  # a secret named as a key or a kind ("text") changed the result's shape
        for (holder, key), text in zip(slots, texts, strict=True):
            holder[key] = text
        return masker.value(dumped)  # type: ignore[no-any-return]
    for (holder, key), text in zip(places, masked["texts"], strict=True):
        holder[key] = text
    return masked["result"]  # type: ignore[no-any-return]


def server_said(code: int, said: str, masker: Masker) -> str:
    """A server's own error, said as its: what it chose to write (its rejection of our arguments may echo
    them, or hold anything) reaches the step's error, the history and the log, so at most MAX_QUOTED_ERROR
    characters of it, masked (its secrets, and what the masker remembers) as masking it whole would give
    them (a 1 MB rejection was quoted whole)."""
    mask = lambda text: redaction.redact_text(masker.text(text))  # noqa: E731
    quote = redaction.quoted_start(said, MAX_QUOTED_ERROR, mask)
    cut = f" (the first {MAX_QUOTED_ERROR} of its {len(said):,} characters)" if len(said) > MAX_QUOTED_ERROR else ""
    return f"the MCP server answered error {code}: {quote!r}{cut}"


def _cached(decl: McpServerDecl, now: float) -> tuple[float, list[dict[str, Any]]] | None:
    stored = disk_cache.load(CACHE_KIND, decl.fingerprint())
    if not isinstance(stored, tuple) or len(stored) != 2 or not isinstance(stored[1], list):
        return None
    fetched_at, tools = stored
    if not isinstance(fetched_at, float) or now - fetched_at >= decl.refresh_s or fetched_at > now:
        return None
    return fetched_at, tools


def _run_blocking(make: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine to its end from sync code, even code called inside a running event loop."""
    box: dict[str, Any] = {}

    def target() -> None:
        async def main() -> T:
            return await make()

        try:
            box["result"] = asyncio.run(main())
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=target, name="mcp tools/list")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["result"]  # type: ignore[no-any-return]


def _unusable(decl: McpServerDecl, resolved: dict[str, str]) -> str | None:
    """What makes a value, its secrets filled in, one the server cannot be given, without the value (a
    secret's): bytes that are no UTF-8 in the worker's environment (read as lone surrogates, which no
    masker or request can encode), or a header HTTP cannot carry. Both failed as a raw UnicodeEncodeError."""
    for key, value in resolved.items():
        if half_surrogate(value):
            return f"the value of {key!r} holds bytes that are not UTF-8 (a secret's, from the worker's environment)"
        if decl.command is None and (problem := header_problem(key, value)):
            return problem
    return None
