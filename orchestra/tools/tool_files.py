"""Tool files read once per content: what planning needs of them comes from the planning cache after that.

A `plan` call with a 10,000-tool file would otherwise parse and check the whole file on every call.
The first read goes through ``described.read_tool_file`` (parse, check every declaration); what it
found is stored by the file's content hash (``selection/disk_cache.py``): each tool's card fields
and its declaration as marshal bytes. Tools are made from those rows, on the first read as on later
ones, so both give the same tools; a later read needs neither the file's parser nor the pydantic
models of ``described``. A tool's declaration is decoded and built into its models only when a plan
uses it (most tools of a big file never are).
"""

from __future__ import annotations

import hashlib
import marshal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic.version import VERSION as PYDANTIC_VERSION

from orchestra import collector
from orchestra.selection import disk_cache
from orchestra.tool_spec import ParamCard, Tool, ToolCard, ToolContext, ToolSpec

if TYPE_CHECKING:
    from collections.abc import Callable

    from orchestra.mcp.config import McpServerDecl

# The code whose result an entry is: how a file is parsed and checked, and what a card holds.
CODE = ("tools/described.py", "tools/templates.py", "tools/http_request.py", "tools/tool_files.py",
        "tool_spec.py", "mcp/config.py")  # fmt: skip


def load_tool_file(path: Path) -> list[Tool]:
    """The tools a YAML/JSON file describes; any problem raises ValueError naming file, tool and field."""
    return load_tool_entries(path)[0]


def load_tool_entries(path: Path) -> tuple[list[Tool], list[McpServerDecl]]:
    """The tools a file describes and the MCP servers it declares (their tools are the servers' to
    say, so only the entries are cached here, never a server's tool list: orchestra/mcp/hub.py)."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: cannot read tool file: {exc.strerror or exc}") from exc
    code = f"{disk_cache.code_version(*CODE)}:pydantic {PYDANTIC_VERSION}"  # what checked the declarations
    key = hashlib.sha256(f"{code}:{path.suffix.lower()}:".encode() + content).hexdigest()
    cached = disk_cache.load("tools", key)
    tools: list[Tool] | None = None
    servers: list[Any] = []
    if isinstance(cached, tuple) and len(cached) == 2:
        try:
            with collector.paused():
                tools, servers = _tools(cached[0], stored=True), list(cached[1])
        except (TypeError, ValueError):
            tools = None  # an entry of another shape: read the file again
    if tools is None:
        from orchestra.tools.described import read_tool_file

        with collector.paused():
            cards, raws, servers = read_tool_file(path, content)
            rows = _rows(cards, raws)
            tools = _tools(rows or [(*card, raw) for card, raw in zip(cards, raws, strict=True)], stored=False)
        if rows is not None:
            disk_cache.store("tools", key, (rows, servers))
    if not servers:
        return tools, []
    from orchestra.mcp.config import McpServerDecl

    # Relative paths in an entry are the file's: located each time, since equal content may sit anywhere.
    return tools, [McpServerDecl.model_validate(raw).located(path.parent) for raw in servers]


def _rows(cards: list[tuple[Any, ...]], raws: list[Any]) -> list[tuple[Any, ...]] | None:
    """Each tool's card fields and its declaration as marshal bytes; None when a declaration is not
    plain data (a YAML date, say): such a file is read again every time."""
    params: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # equal parameters stored once (marshal shares them)
    rows = []
    for (name, description, capabilities, input_types, output_types, inputs, outputs), raw in zip(
        cards, raws, strict=True
    ):
        try:
            declaration = marshal.dumps(raw)
        except ValueError:
            return None
        inputs, outputs = (tuple(params.setdefault(p, p) for p in group) for group in (inputs, outputs))
        rows.append((name, description, capabilities, input_types, output_types, inputs, outputs, declaration))
    return rows


def _tools(rows: list[tuple[Any, ...]], *, stored: bool) -> list[Tool]:
    """A tool per row; ``stored``: rows read back from the cache, each declaration marshal bytes."""
    params: dict[tuple[Any, ...], ParamCard] = {}  # a parameter shared by many tools is one (frozen) card

    def param(fields: tuple[Any, ...]) -> ParamCard:
        card = params.get(fields)
        if card is None:
            card = params[fields] = ParamCard(*fields)
        return card

    tools = []
    for name, description, capabilities, input_types, output_types, inputs, outputs, declaration in rows:
        if stored and type(declaration) is not bytes:
            raise TypeError("a stored declaration is marshal bytes")
        card = ToolCard(name, description, capabilities, input_types, output_types,
                        tuple(map(param, inputs)), tuple(map(param, outputs)))  # fmt: skip
        fields = (name, description, capabilities, input_types, output_types, inputs, outputs)
        tools.append(Tool(card=card, build=partial(_build, declaration, fields)))
    return tools


def _build(
    declaration: bytes | dict[str, Any], card: tuple[Any, ...]
) -> tuple[ToolSpec, Callable[[Any, ToolContext], Any]]:
    from pydantic import ValidationError

    from orchestra.tools.described import build_from_declaration

    try:
        return build_from_declaration(
            marshal.loads(declaration) if isinstance(declaration, bytes) else declaration, card
        )
    except (ValueError, TypeError, EOFError, ValidationError) as exc:
        # Only a damaged or altered cache entry gets here: the file's own declarations were checked on reading.
        raise ValueError(
            f"tool {card[0]!r}: its entry in the planning cache is damaged ({exc}); remove"
            f" {disk_cache.folder()} and the file is read again"
        ) from None
