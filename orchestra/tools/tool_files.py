"""Tool files read once per content: what planning needs of them comes from the planning cache after that.

A `plan` call with a 10,000-tool file would otherwise parse and check the whole file on every call.
The first read goes through ``described.read_tool_file`` (parse, check every declaration); what it
found is stored by the file's content hash (``selection/disk_cache.py``): each tool's card fields
and its declaration as marshal bytes. Tools are made from those rows, on the first read as on later
ones, so both give the same tools; a later read needs neither the file's parser nor the pydantic
models of ``described``. A tool's declaration is decoded and built into its models only when a plan
uses it (most tools of a big file never are).

An entry is trusted no further than its file: ``disk_cache`` reads only entries this user alone could
have written, an entry of any other shape than the one stored here is a miss (the file is read and
checked again, the entry replaced), and a declaration is checked again when its tool is built and must
give the card planning read; if it does not, the tool is built from the file read again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import re
import shlex
import sys
from functools import cache, partial
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
# commands.py and command_wrappers.py judge a command tool's argv at load (_refuse_endless_commands): left out, a
# file cached before a command was known to be endless loaded from its entry unjudged
CODE = ("tools/described.py", "tools/templates.py", "tools/http_request.py", "tools/tool_files.py",
        "tool_spec.py", "mcp/config.py", "secrets.py", "commands.py", "command_wrappers.py")  # fmt: skip


def load_tool_file(path: Path) -> list[Tool]:
    """The tools a YAML/JSON file describes; any problem raises ValueError naming file, tool and field."""
    return load_tool_entries(path)[0]


def load_tool_entries(path: Path) -> tuple[list[Tool], list[McpServerDecl]]:
    """The tools a file describes and the MCP servers it declares (their tools are the servers' to
    say, so only the entries are cached here, never a server's tool list: orchestra/mcp/hub.py)."""
    content = _read(path)
    key = _key(path, content)
    found = _from_cache(path, key)
    if found is None:
        found = _from_file(path, content, key)
    tools, servers = found
    # Relative paths in an entry are the file's: located each time, since equal content may sit anywhere.
    return tools, [server.located(path.parent) for server in servers]


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: cannot read tool file: {exc.strerror or exc}") from exc


def _key(path: Path, content: bytes) -> str:
    """The entry's key: the file's content and everything that made what is kept of it (the code that
    checks it, the versions of Python, pydantic and pydantic-core, and of the YAML parser for YAML)."""
    from pydantic_core import __version__ as core_version

    suffix = path.suffix.lower()
    parser = _yaml_version() if suffix in (".yaml", ".yml") else "json"
    made_by = (
        f"{disk_cache.code_version(*CODE)}:python {sys.version}:pydantic {PYDANTIC_VERSION}/{core_version}:{parser}"
    )
    return hashlib.sha256(f"{made_by}:{suffix}:".encode() + content).hexdigest()


@cache
def _yaml_version() -> str:
    """PyYAML's release (its ``__init__.py`` names it) and whether its C loader is there, without importing
    it: a cached YAML file needs no parser."""
    spec = importlib.util.find_spec("yaml")
    if spec is None or spec.origin is None:
        return "no yaml"
    init = Path(spec.origin)
    try:
        source = hashlib.sha256(init.read_bytes()).hexdigest()[:16]
    except OSError:
        return "yaml unreadable"
    return f"yaml {source} {sorted(p.name for p in init.parent.glob('_yaml*'))}"


def _from_cache(path: Path, key: str) -> tuple[list[Tool], list[McpServerDecl]] | None:
    """The file's tools and servers from its planning-cache entry; None for an entry missing, damaged or
    altered in any way a look at its shape can tell (each declaration is checked again when built)."""
    cached = disk_cache.load("tools", key)
    if type(cached) is not tuple or len(cached) != 2 or type(cached[0]) is not list or type(cached[1]) is not list:
        return None
    rows, raw_servers = cached
    try:
        with collector.paused():
            tools = _tools(rows, source=(path, key))
        servers = _servers(raw_servers)
    except (TypeError, ValueError):  # pydantic's ValidationError is a ValueError
        return None
    return tools, servers


def _from_file(path: Path, content: bytes, key: str) -> tuple[list[Tool], list[McpServerDecl]]:
    """Read and check the file, keep what it gave in its entry (replacing a damaged one)."""
    cards, raws, raw_servers, rows = _read_and_store(path, content, key)
    with collector.paused():
        tools = _tools(rows or [(*card, raw) for card, raw in zip(cards, raws, strict=True)], source=None)
    return tools, _servers(raw_servers)


def _read_and_store(path: Path, content: bytes, key: str) -> tuple[list[Any], list[Any], list[Any], list[Any] | None]:
    """``read_tool_file``'s cards, declarations and server entries, and the rows kept of them (stored
    under ``key``, in place of whatever entry was there; None: not plain data, never stored)."""
    from orchestra.tools.described import read_tool_file

    with collector.paused():
        cards, raws, raw_servers = read_tool_file(path, content)
        _refuse_endless_commands(path, raws)
        rows = _rows(cards, raws)
    if rows is not None:
        disk_cache.store("tools", key, (rows, raw_servers))
    return cards, raws, raw_servers, rows


def _refuse_endless_commands(path: Path, raws: list[Any]) -> None:
    """A command tool whose argv never ends by itself (``[tail, -f, "{{ path }}"]``, ``[yes]``, a sleep past
    its timeout) would run every call into its timeout: refused at load, with why. The shell tool's calls are
    judged when planned (``binding``); a declared argv is fixed, so it is judged once, here. A placeholder is
    filled with a plain word: what its value would make of the command is not known before a call."""
    from orchestra.commands import never_ends
    from orchestra.tools.described import CommandToolDecl

    for raw in raws:
        if raw.get("kind") != "command":
            continue
        decl = CommandToolDecl.model_validate(raw)
        argv = [decl.argv[0], *(_PLACEHOLDER.sub("x", slot) for slot in decl.argv[1:])]
        why = never_ends(shlex.join(argv), decl.timeout_s, stdin=decl.stdin is not None)
        if why is not None:
            raise ValueError(
                f"{path}: tool {decl.name!r}: field argv: {shlex.join(decl.argv)!r} never ends by"
                f" itself ({why}): every call would run until its timeout of {decl.timeout_s:g} s"
            )


_PLACEHOLDER = re.compile(r"\{\{.*?\}\}")


def _servers(raws: list[Any]) -> list[McpServerDecl]:
    if not raws:
        return []
    from orchestra.mcp.config import McpServerDecl

    return [McpServerDecl.model_validate(raw) for raw in raws]


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


def _tools(rows: list[Any], *, source: tuple[Path, str] | None) -> list[Tool]:
    """A tool per row. ``source``: the file and key of the cache entry the rows come from, whose shape is
    checked here to the last field (TypeError or ValueError: an entry to read again from the file)."""
    params: dict[tuple[Any, ...], ParamCard] = {}  # a parameter shared by many tools is one (frozen) card

    def param(fields: Any) -> ParamCard:
        card = params.get(fields)
        if card is None:
            if source is not None and not (
                type(fields) is tuple and len(fields) == 4 and list(map(type, fields)) == _PARAM_TYPES
            ):
                raise TypeError("a parameter card is (name, description, type, required)")
            card = params[fields] = ParamCard(*fields)
        return card

    tools = []
    names: set[str] = set()
    for row in rows:
        if source is not None:
            _check_row(row, names)
        name, description, capabilities, input_types, output_types, inputs, outputs, declaration = row
        card = ToolCard(name, description, capabilities, input_types, output_types,
                        tuple(map(param, inputs)), tuple(map(param, outputs)))  # fmt: skip
        fields = (name, description, capabilities, input_types, output_types, inputs, outputs)
        tools.append(Tool(card=card, build=partial(_build, declaration, fields, source)))
    return tools


_PARAM_TYPES = [str, str, str, bool]


def _check_row(row: Any, names: set[str]) -> None:
    if type(row) is not tuple or len(row) != 8:
        raise TypeError("a row is a card's seven fields and a declaration")
    name, description, capabilities, input_types, output_types, inputs, outputs, declaration = row
    if not (type(name) is str and type(description) is str and type(declaration) is bytes):
        raise TypeError("a name and a description are text, a declaration marshal bytes")
    if not (type(capabilities) is type(input_types) is type(output_types) is type(inputs) is type(outputs) is tuple):
        raise TypeError("capabilities, data types and parameters are tuples")
    for words in (capabilities, input_types, output_types):
        "".join(words)  # TypeError unless each is text (marshal makes no subclass of str)
    if name in names:
        raise ValueError(f"tool {name!r} twice")
    names.add(name)


def _build(
    declaration: bytes | dict[str, Any], card: tuple[Any, ...], source: tuple[Path, str] | None
) -> tuple[ToolSpec, Callable[[Any, ToolContext], Any]]:
    from pydantic import ValidationError

    from orchestra.tools.described import build_from_declaration

    try:
        return build_from_declaration(
            marshal.loads(declaration) if isinstance(declaration, bytes) else declaration, card
        )
    except (ValueError, TypeError, EOFError, MemoryError, ValidationError):
        if source is None:  # the file's own declaration, checked on reading: cannot fail here
            raise
    # A damaged or altered cache entry: the file is the truth, read again; its entry is replaced.
    return _build_from_file(*source, card)


def _build_from_file(path: Path, key: str, card: tuple[Any, ...]) -> tuple[ToolSpec, Callable[[Any, ToolContext], Any]]:
    from orchestra.tools.described import build_from_declaration

    name = card[0]
    content = _read(path)
    if _key(path, content) != key:
        raise ValueError(
            f"tool {name!r}: its entry in the planning cache was damaged, and {path} has changed since it was"
            " read: load the registry again"
        )
    cards, raws, _, _ = _read_and_store(path, content, key)
    for fields, raw in zip(cards, raws, strict=True):
        if fields[0] == name:
            if fields != card:
                break
            return build_from_declaration(raw, card)
    raise ValueError(
        f"tool {name!r}: the planning cache described it otherwise than {path} does (its entry was altered);"
        " the entry is now made again from the file: plan again"
    )
