"""An MCP server's secret echoed half at the end of one content item and half at the start of the next reached
the step's output whole: each item is a mapping of its own, whose strings the masker never joined with the next
item's, and the output joins their texts ("...key is hostile-ser" "\\n\\n" "ver-key-4242..."). Masked now in the
output's text, its items and a tool error's message, wherever the cut falls."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from orchestra.errors import ToolError
from orchestra.registry import ToolRegistry
from tests.mcp.support import mcp_registry, tool_file
from tests.mcp.test_hostile import CONTEXT, NEVER, SECRET, settings

HERE = Path(__file__).resolve().parent


def split_server(mode: str, cut: int) -> dict[str, Any]:
    return {
        "kind": "mcp", "name": "split", "command": ["/usr/bin/python3", str(HERE / "split_secret_server.py"), mode,
        str(cut)], "read_only": [str(HERE)], "timeout_s": 10, "env": {"TOKEN": "${secrets.HOSTILE_KEY}"},
    }  # fmt: skip


async def registry_of(tmp_path: Path, mode: str, cut: int) -> ToolRegistry:
    path = tool_file(tmp_path, split_server(mode, cut))
    return await asyncio.wait_for(asyncio.to_thread(mcp_registry, settings(tmp_path), path), NEVER)


@pytest.mark.parametrize("cut", [1, 8, len(SECRET) - 3])
@pytest.mark.parametrize("mode", ["text", "resource"])
async def test_a_secret_across_two_content_items_is_masked_in_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str, cut: int
) -> None:
    monkeypatch.setenv("ORCHESTRA_SECRET_HOSTILE_KEY", SECRET)
    registry = await registry_of(tmp_path, mode, cut)
    tool = registry.get("split.key")
    try:
        output = await tool.run(tool.spec.input_model.model_validate({}), CONTEXT)
    finally:
        await registry.aclose()
    assert output.text == "the key is ***\n\n*** (in two items)", output.text
    texts = [item.get("text") for item in output.content]
    assert texts == ["the key is ***", "*** (in two items)"], output.content


async def test_a_secret_across_two_items_of_a_tool_error_is_masked_in_its_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORCHESTRA_SECRET_HOSTILE_KEY", SECRET)
    registry = await registry_of(tmp_path, "error", 9)
    tool = registry.get("split.key")
    try:
        with pytest.raises(ToolError) as failed:
            await tool.run(tool.spec.input_model.model_validate({}), CONTEXT)
    finally:
        await registry.aclose()
    said = str(failed.value)
    assert SECRET[:9] not in said and SECRET[9:] not in said and "the key is *** *** (in two items)" in said, said
