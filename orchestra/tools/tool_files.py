"""Tool files read once per content: cards and declarations come from the planning cache after that.

A `plan` call with a 10,000-tool file would otherwise parse and check the whole file on every call.
The first read goes through ``described.read_tool_file`` (parse, check every declaration); what it
found is stored by the file's content hash (``selection/disk_cache.py``). A later read of the same
content makes each tool from its stored card and declaration without importing the pydantic
machinery of ``described``; a tool's models are built, from its declaration, when a plan uses it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orchestra.selection import disk_cache
from orchestra.tool_spec import ParamCard, Tool, ToolCard, ToolContext, ToolSpec

if TYPE_CHECKING:
    from orchestra.mcp.config import McpServerDecl


def load_tool_file(path: Path) -> list[Tool]:
    """The tools a YAML/JSON file describes; any problem raises ValueError naming file, tool and field."""
    return load_tool_entries(path)[0]


def load_tool_entries(path: Path) -> tuple[list[Tool], list[McpServerDecl]]:
    """The tools a file describes and the MCP servers it declares (their tools are the servers' to
    say, so only the entries are cached here, never a server's tool list: orchestra/mcp/hub.py)."""
    from orchestra.mcp.config import McpServerDecl

    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: cannot read tool file: {exc.strerror or exc}") from exc
    code = disk_cache.code_version("tools/described.py", "tools/tool_files.py", "tool_spec.py", "mcp/config.py")
    key = hashlib.sha256(f"{code}:{path.suffix.lower()}:".encode() + content).hexdigest()
    cached = disk_cache.load("tools", key)
    tools: list[Tool] | None = None
    if isinstance(cached, tuple) and len(cached) == 2:
        try:
            tools, servers = [_cached_tool(entry) for entry in cached[0]], list(cached[1])
        except (TypeError, ValueError):
            tools = None  # an entry of another shape: read the file again
    if tools is None:
        from orchestra.tools.described import read_tool_file

        tools, raws, servers = read_tool_file(path, content)
        entries = [(_card_data(t.card), raw) for t, raw in zip(tools, raws, strict=True)]
        disk_cache.store("tools", key, (entries, servers))
    # Relative paths in an entry are the file's: located each time, since equal content may sit anywhere.
    return tools, [McpServerDecl.model_validate(raw).located(path.parent) for raw in servers]


def _card_data(card: ToolCard) -> tuple[Any, ...]:
    params = [
        tuple((p.name, p.description, p.type, p.required) for p in group) for group in (card.inputs, card.outputs)
    ]
    return (card.name, card.description, card.capabilities, card.input_types, card.output_types, *params)


def _cached_tool(entry: tuple[Any, ...]) -> Tool:
    (name, description, capabilities, input_types, output_types, inputs, outputs), raw = entry

    def build() -> tuple[ToolSpec, Callable[[Any, ToolContext], Any]]:
        from orchestra.tools.described import build_from_declaration

        return build_from_declaration(raw)

    card = ToolCard(
        name, description, capabilities, input_types, output_types,
        tuple(ParamCard(*p) for p in inputs), tuple(ParamCard(*p) for p in outputs),
    )  # fmt: skip
    return Tool(card=card, build=build)
