"""The tool registry: tools registered from Python or described in YAML/JSON files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import astuple
from pathlib import Path
from typing import TYPE_CHECKING

from orchestra.tool_spec import Tool

if TYPE_CHECKING:
    from orchestra.selection.index import ToolIndex

# Indexes by registry content hash: a worker builds one per registry, not one per task.
_INDEXES: dict[str, ToolIndex] = {}
MAX_CACHED_INDEXES = 8
INDEX_CODE = ("selection/index.py", "analysis/words.py")  # the code an index depends on
# A registry this small is indexed faster than its index is read back from disk.
DISK_INDEX_MIN_TOOLS = 200


class UnknownToolError(KeyError):
    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        super().__init__(f"unknown tool {name!r}; known tools: {', '.join(sorted(known))}")

    def __str__(self) -> str:
        return str(self.args[0])


class ToolRegistry:
    def __init__(self, tools: Iterable[Tool] = ()) -> None:
        self._tools: dict[str, Tool] = {}
        self._fingerprint: str | None = None
        self._file_digests: dict[str, str] = {}  # tool name -> digest of the file that described it
        for tool in tools:
            self.register(tool)

    def register(self, tool: Tool, *, replace: bool = False) -> Tool:
        if tool.name in self._tools and not replace:
            raise ValueError(f"tool {tool.name!r} is already registered")
        self._tools[tool.name] = tool
        self._file_digests.pop(tool.name, None)
        self._fingerprint = None
        return tool

    def load_file(self, path: str | Path) -> list[Tool]:
        """Register every tool described in a YAML or JSON file; returns the tools it added."""
        from orchestra.tools.tool_files import load_tool_file

        path = Path(path)
        tools = load_tool_file(path)
        for tool in tools:
            self.register(tool)
        # Hashing the file is far cheaper than hashing thousands of tool cards one by one.
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self._file_digests.update(dict.fromkeys((t.name for t in tools), digest))
        return tools

    def get(self, name: str) -> Tool:
        try:
            return self._tools[name]
        except KeyError:
            raise UnknownToolError(name, self._tools) from None

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
        if self._fingerprint is None:
            digest = hashlib.sha256()
            files: set[str] = set()
            for name in sorted(self._tools):
                file_digest = self._file_digests.get(name)
                if file_digest is None:
                    digest.update(repr(astuple(self._tools[name].card)).encode())
                elif file_digest not in files:
                    files.add(file_digest)
                    digest.update(file_digest.encode())
                digest.update(name.encode())
            self._fingerprint = digest.hexdigest()
        return self._fingerprint

    def index(self) -> ToolIndex:
        """The search index over these tools, built once per registry content."""
        from orchestra.selection import disk_cache
        from orchestra.selection.index import ToolIndex

        key = self.fingerprint()
        index = _INDEXES.get(key)
        if index is None:
            cards = {name: tool.card for name, tool in self._tools.items()}
            stored = disk_cache.load("index", f"{key}-{disk_cache.code_version(*INDEX_CODE)}")
            index = ToolIndex.from_data(stored, cards) if stored is not None else None
            if index is None:
                # Once a catalogue is loaded, the tools it describes come before the general-purpose ones.
                general = [n for n in sorted(cards) if n not in self._file_digests] if self._file_digests else []
                index = ToolIndex.build((cards[n] for n in sorted(cards)), general)
                if len(cards) >= DISK_INDEX_MIN_TOOLS:
                    disk_cache.store("index", f"{key}-{disk_cache.code_version(*INDEX_CODE)}", index.to_data())
            index.key = key
            if len(_INDEXES) >= MAX_CACHED_INDEXES:
                _INDEXES.pop(next(iter(_INDEXES)))
            _INDEXES[key] = index
        return index


def default_registry(extra_files: Iterable[str | Path] = ()) -> ToolRegistry:
    """Built-in tools plus those described in ``extra_files``."""
    from orchestra.tools.builtin import builtin_tools

    registry = ToolRegistry(builtin_tools())
    for path in extra_files:
        registry.load_file(path)
    return registry
