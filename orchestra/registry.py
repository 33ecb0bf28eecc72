"""The tool registry: tools registered from Python or described in YAML/JSON files."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from orchestra.tool_spec import Tool


class UnknownToolError(KeyError):
    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        super().__init__(f"unknown tool {name!r}; known tools: {', '.join(sorted(known))}")

    def __str__(self) -> str:
        return str(self.args[0])


class ToolRegistry:
    def __init__(self, tools: Iterable[Tool] = ()) -> None:
        self._tools: dict[str, Tool] = {}
        for tool in tools:
            self.register(tool)

    def register(self, tool: Tool, *, replace: bool = False) -> Tool:
        if tool.name in self._tools and not replace:
            raise ValueError(f"tool {tool.name!r} is already registered")
        self._tools[tool.name] = tool
        return tool

    def load_file(self, path: str | Path) -> list[Tool]:
        """Register every tool described in a YAML or JSON file; returns the tools it added."""
        from orchestra.tools.described import load_tool_file

        tools = load_tool_file(Path(path))
        for tool in tools:
            self.register(tool)
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
        return [t for t in self if capability in t.spec.capabilities]


def default_registry(extra_files: Iterable[str | Path] = ()) -> ToolRegistry:
    """Built-in tools plus those described in ``extra_files``."""
    from orchestra.tools.builtin import builtin_tools

    registry = ToolRegistry(builtin_tools())
    for path in extra_files:
        registry.load_file(path)
    return registry
