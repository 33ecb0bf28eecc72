"""The tool registry: tools registered from Python or described in YAML/JSON files."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Iterator
from dataclasses import astuple
from pathlib import Path
from typing import TYPE_CHECKING

from orchestra import collector
from orchestra.bounded_sets import bounded_tool
from orchestra.text import did_you_mean
from orchestra.tool_spec import Tool

if TYPE_CHECKING:
    from orchestra.mcp.config import McpServerDecl
    from orchestra.mcp.hub import McpHub
    from orchestra.selection.index import ToolIndex
    from orchestra.settings import Settings

# Indexes by registry content hash: a worker builds one per registry, not one per task.
_INDEXES: dict[str, ToolIndex] = {}
# The planner's passes run in threads (activities/intelligence.py): one builds an index while the others
# wait for it, rather than each building its own and evicting from the cache at once (a KeyError).
_INDEX_LOCK = threading.Lock()
MAX_CACHED_INDEXES = 8
INDEX_CODE = ("selection/index.py", "analysis/words.py")  # the code an index depends on
# A registry this small is indexed faster than its index is read back from disk.
DISK_INDEX_MIN_TOOLS = 200


class UnknownToolError(KeyError):
    def __init__(self, name: str, known: Iterable[str], reason: str | None = None) -> None:
        self.name = name
        known = sorted(known)
        said = reason or "known tools: " + ", ".join(known)
        super().__init__(f"unknown tool {name!r}{did_you_mean(name, known)}; {said}")

    def __str__(self) -> str:
        return str(self.args[0])


class ToolRegistry:
    def __init__(self, tools: Iterable[Tool] = ()) -> None:
        self._tools: dict[str, Tool] = {}
        # The fingerprint and the tools it is of: an MCP refresh swaps _tools whole on the event loop while
        # the planner's passes read the registry in a thread; a digest of the tools before the swap is theirs.
        self._fingerprint: tuple[dict[str, Tool], str] | None = None
        self._file_digests: dict[str, str] = {}  # tool name -> digest of the file that described it
        # MCP servers the files declare; their tools come from the servers (orchestra/mcp), by server.
        self.mcp_servers: dict[str, McpServerDecl] = {}
        self.mcp: McpHub | None = None
        self._server_of: dict[str, str] = {}  # tool name -> its MCP server
        self.server_problems: dict[str, list[str]] = {}  # server -> why it (or one of its tools) is missing
        self._declared_in: dict[str, Path] = {}
        for tool in tools:
            self.register(tool)

    def register(self, tool: Tool, *, replace: bool = False) -> Tool:
        """Add ``tool``; returns it as registered: its argument model's large closed sets refusing in a
        bounded message (``bounded_sets``)."""
        tool = bounded_tool(tool)
        if tool.name in self._tools and not replace:
            owner = self._server_of.get(tool.name)
            raise ValueError(
                f"tool {tool.name!r} is already registered{f' (by MCP server {owner!r})' if owner else ''}"
            )
        self._tools[tool.name] = tool
        self._file_digests.pop(tool.name, None)
        self._server_of.pop(tool.name, None)
        self._fingerprint = None
        return tool

    def load_file(self, path: str | Path) -> list[Tool]:
        """Register every tool described in a YAML or JSON file; returns the tools it added."""
        from orchestra.tools.tool_files import load_tool_entries

        path = Path(path)
        tools, servers = load_tool_entries(path)
        for server in servers:
            if server.name in self.mcp_servers:
                raise ValueError(
                    f"{path}: MCP server {server.name!r} is also declared in {self._declared_in[server.name]}"
                )
            self.mcp_servers[server.name] = server
            self._declared_in[server.name] = path
        self._register_new(tools)
        # Hashing the file is far cheaper than hashing thousands of tool cards one by one.
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self._file_digests.update(dict.fromkeys((t.name for t in tools), digest))
        return tools

    def _register_new(self, tools: list[Tool]) -> None:
        """``register`` each of ``tools``, in one step when none of their names is taken (a 10,000-tool file)."""
        names = [tool.name for tool in tools]
        if len(set(names)) < len(names) or not self._tools.keys().isdisjoint(names):
            for tool in tools:  # the first name taken raises, as registering one by one does
                self.register(tool)
            return
        self._tools.update(zip(names, tools, strict=True))  # new names: nothing of theirs to forget in the other maps
        self._fingerprint = None

    def get(self, name: str) -> Tool:
        try:
            return self._tools[name]
        except KeyError:
            raise UnknownToolError(name, self._tools, self.missing_reason(name)) from None

    # --- MCP servers' tools (orchestra/mcp/hub.py keeps them current) --------------------------------

    def set_server_tools(self, server: str, tools: Iterable[Tool], problems: Iterable[str] = ()) -> None:
        """Make ``tools`` the whole of what MCP server ``server`` offers; a name another source holds
        raises ValueError and changes nothing."""
        tools = list(tools)
        clashes = [t.name for t in tools if t.name in self._tools and self._server_of.get(t.name) != server]
        if clashes:
            raise ValueError(
                f"MCP server {server!r}: its tool {clashes[0]!r} has the name of a tool already registered"
                " (rename the server in its entry)"
            )
        # New dicts, swapped in whole: a plan is validated in a thread while the event loop refreshes a
        # server's list, and a dict changed while another thread iterates it raises there.
        gone = {n for n, s in self._server_of.items() if s == server}
        kept_tools = {n: t for n, t in self._tools.items() if n not in gone}
        kept_servers = {n: s for n, s in self._server_of.items() if n not in gone}
        self._tools = kept_tools | {tool.name: tool for tool in tools}
        self._server_of = kept_servers | {tool.name: server for tool in tools}
        self.server_problems = self.server_problems | {server: list(problems)}
        self._fingerprint = None

    def server_unavailable(self, server: str, reason: str) -> None:
        """The server's tools could not be listed: lookups of its tools say why (tools already known stay)."""
        own = f"MCP server {server!r}"
        reason = reason[len(own) :].lstrip(": ") if reason.startswith(own) else reason
        self.server_problems = self.server_problems | {server: [f"{own} is unavailable: {reason}"]}

    def server_of(self, name: str) -> str | None:
        return self._server_of.get(name)

    def source_of(self, name: str) -> str:
        """Where a tool comes from, for listings: ``mcp: <server>``, ``file`` or ``built-in``."""
        server = self._server_of.get(name)
        return f"mcp: {server}" if server else "file" if name in self._file_digests else "built-in"

    def missing_reason(self, name: str) -> str | None:
        """Why ``name`` is not here when it names a declared MCP server's tool."""
        server, dot, tool = name.partition(".")
        if not dot or server not in self.mcp_servers:
            return None
        problems = self.server_problems.get(server) or []
        unavailable = [p for p in problems if "is unavailable" in p]
        if unavailable:
            return unavailable[0]
        if self.mcp is None:
            return f"MCP server {server!r} is declared but its tools were not listed here"
        offered = sorted(n.partition(".")[2] for n, s in self._server_of.items() if s == server)
        refused = [p for p in problems if repr(tool) in p]
        if refused:
            return f"MCP server {server!r} lists it, but {refused[0]}"
        return f"MCP server {server!r} has no tool {tool!r}; it has: {', '.join(offered) or 'none'}"

    async def refresh(self, names: Iterable[str] = ()) -> None:
        """Bring MCP servers' tool lists up to date (due by age, or naming a tool this registry lacks)."""
        if self.mcp is not None:
            await self.mcp.refresh(self, names)

    async def aclose(self) -> None:
        """Close what the registry's tool sources hold open (MCP sessions)."""
        if self.mcp is not None:
            await self.mcp.aclose()

    def __contains__(self, name: object) -> bool:
        return name in self._tools

    def __iter__(self) -> Iterator[Tool]:
        return iter(sorted(self._tools.values(), key=lambda t: t.name))

    def __len__(self) -> int:
        return len(self._tools)

    def find_by_capability(self, capability: str) -> list[Tool]:
        return [t for t in self if capability in t.card.capabilities]

    def fingerprint(self) -> str:
        """A hash of everything planning reads about the tools: equal registries share one index."""
        return self._fingerprint_of(self._tools)

    def _fingerprint_of(self, tools: dict[str, Tool]) -> str:
        known = self._fingerprint
        if known is not None and known[0] is tools:
            return known[1]
        digest = hashlib.sha256()
        files: set[str] = set()
        for name in sorted(tools):
            file_digest = self._file_digests.get(name)
            if file_digest is None:
                digest.update(repr(astuple(tools[name].card)).encode())
            elif file_digest not in files:
                files.add(file_digest)
                digest.update(file_digest.encode())
            digest.update(name.encode())
        self._fingerprint = (tools, digest.hexdigest())
        return digest.hexdigest()

    def index(self) -> ToolIndex:
        """The search index over these tools, built once per registry content."""
        tools = self._tools  # one set of tools for the key and the index built under it
        key = self._fingerprint_of(tools)
        with _INDEX_LOCK:
            return self._index(key, tools)

    def _index(self, key: str, tools: dict[str, Tool]) -> ToolIndex:
        from orchestra.selection import disk_cache
        from orchestra.selection.index import ToolIndex

        index = _INDEXES.get(key)
        if index is None:
            cards = {name: tool.card for name, tool in tools.items()}
            stored = disk_cache.load("index", f"{key}-{disk_cache.code_version(*INDEX_CODE)}")
            with collector.paused():
                index = ToolIndex.from_data(stored, cards) if stored is not None else None
            if index is None:
                # Once a catalogue is loaded, the tools it describes come before the general-purpose ones.
                general = [n for n in sorted(cards) if n not in self._file_digests] if self._file_digests else []
                with collector.paused():
                    index = ToolIndex.build((cards[n] for n in sorted(cards)), general)
                if len(cards) >= DISK_INDEX_MIN_TOOLS:
                    disk_cache.store("index", f"{key}-{disk_cache.code_version(*INDEX_CODE)}", index.to_data())
            index.key = key
            if len(_INDEXES) >= MAX_CACHED_INDEXES:
                _INDEXES.pop(next(iter(_INDEXES)))
            _INDEXES[key] = index
        return index


def default_registry(
    extra_files: Iterable[str | Path] = (),
    *,
    settings: Settings | None = None,
    refresh_mcp: bool = False,
    list_mcp: bool = True,
) -> ToolRegistry:
    """Built-in tools plus those described in ``extra_files``, with the tools of the MCP servers they
    declare (listed through ``settings``' confinement; ``refresh_mcp``: not from the cache; ``list_mcp`` False:
    not yet, ``orchestra.mcp.attach`` lists them later, in a thread: listing starts every server)."""
    from orchestra.tools.builtin import builtin_tools

    registry = ToolRegistry(builtin_tools())
    for path in extra_files:
        registry.load_file(path)
    if registry.mcp_servers and list_mcp:
        from orchestra.mcp import attach
        from orchestra.settings import Settings

        attach(registry, settings or Settings.from_env(), refresh=refresh_mcp)
    return registry
