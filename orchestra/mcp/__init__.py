"""MCP servers as tool sources: every tool of a ``kind: mcp`` entry joins the registry as ``<server>.<tool>``.

- ``config``: the entry of a tool file;
- ``transports``: stdio servers started in the OS sandbox, streamable-HTTP servers through the network boundary;
- ``connection``: one live session with one server, owned by one task;
- ``tools``: a listed tool as a registry tool (schema check, annotations, output);
- ``hub``: the servers of a registry: tool lists (cached, refreshed) and one session per server.

Nothing here imports the SDK until a registry has MCP servers: reading a tool file stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orchestra.mcp.hub import McpHub
    from orchestra.registry import ToolRegistry
    from orchestra.settings import Settings


def attach(registry: ToolRegistry, settings: Settings, *, refresh: bool = False) -> McpHub:
    """List the tools of the servers ``registry``'s files declare and add them; the hub also serves
    their calls (on a worker) and later refreshes (``registry.refresh``)."""
    from orchestra.mcp.hub import McpHub

    hub = McpHub(registry.mcp_servers.values(), settings.confinement())
    hub.load(registry, refresh=refresh)
    registry.mcp = hub
    return hub


__all__ = ["attach"]
