"""A server's own words about a call (its rejection of the arguments, its tool's error) are of its choosing,
and may echo what it was given: quoted bounded, said as the server's, and never a value cut in two."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from orchestra.errors import ToolError
from orchestra.telemetry import redaction
from tests.mcp.test_hostile import CONTEXT, hostile, listed, problems
from tests.mcp.test_unreadable import registry_for

PLAN_VALUE = "a-value-the-plan-chose-5581"  # remembered by the log masker, as a plan's secret is


async def failure(tmp_path: Path, mode: str, size: int) -> str:
    registry = await asyncio.to_thread(registry_for, tmp_path, hostile(mode, size))
    tool = registry.get("h.plain")
    redaction.remember(PLAN_VALUE)
    try:
        with pytest.raises(ToolError) as failed:
            await tool.run(tool.spec.input_model.model_validate({"x": PLAN_VALUE}), CONTEXT)
    finally:
        await registry.aclose()
    # As the activity masks a step's error before it reaches the history and the log.
    return redaction.redact_text(str(failed.value))


async def test_a_servers_rejection_of_the_arguments_is_quoted_bounded_and_as_its_own(tmp_path: Path) -> None:
    said = await failure(tmp_path, "call-rejects", 1_000_000)
    assert len(said) < 1_000, f"{len(said):,} characters before"
    assert "the MCP server answered error -32602" in said and "1,000,217 characters" in said, said
    assert "a-value" not in said, said


async def test_a_tools_error_cut_never_shows_a_remembered_values_start(tmp_path: Path) -> None:
    said = await failure(tmp_path, "call-error-result", 10)
    assert "a-value" not in said, f"its first characters were shown before: {said[-40:]}"


async def test_a_servers_refusal_to_start_is_quoted_whole_or_by_its_length(tmp_path: Path) -> None:
    registry = await listed(tmp_path, hostile("init-refused", 1_000_000))
    await registry.aclose()
    said = problems(registry)
    assert "1,000,003 characters" in said and len(said) < 1_000, f"{len(said):,} characters before"
