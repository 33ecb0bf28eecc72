"""An MCP server's secrets are masked in all it reports by patterns of their every form, compiled when its
connection opens: 0.64 s of CPU for a key of 168 characters. Compiled on an event loop, the worker's own when a
step's call opened the connection, that held every activity's heartbeats. They are compiled in a thread."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import cast

import pytest

from orchestra import secrets
from orchestra.tool_spec import ToolContext
from tests.compiled_where import compiled_where
from tests.mcp.test_hostile import hostile, listed

CONTEXT = cast(ToolContext, None)


async def test_an_mcp_servers_secret_patterns_are_compiled_off_the_event_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When its tools are listed, and again when a call opens its connection (a key no masker has had yet:
    the patterns are cached once compiled, forgotten here between the two)."""
    key = uuid.uuid4().hex  # 32 characters: a longer one is the same work, longer
    monkeypatch.setenv("ORCHESTRA_SECRET_LOOP_KEY", key)
    where = compiled_where(monkeypatch, key)
    registry = await listed(tmp_path, hostile("plain", env={"TOKEN": "${secrets.LOOP_KEY}"}))
    assert where and not any(where), where
    where.clear()
    secrets._compiled.cache_clear()
    tool = registry.get("h.plain")
    try:
        output = await tool.run(tool.spec.input_model.model_validate({"x": "go"}), CONTEXT)
    finally:
        await registry.aclose()
    assert output.text == "done"
    assert where and not any(where), where
