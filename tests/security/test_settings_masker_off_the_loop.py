"""The worker's secret settings' masker is made in the call's thread, never on the event loop: first asked for by the
call's context (what a tool masks what it cuts short with), it compiled each setting's pattern of every form there,
about half a second of CPU each (more on a loaded machine), and every activity of the worker missed its heartbeats
(a step 'timed out (heartbeat)' while its output was being masked)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from pydantic import BaseModel
from temporalio.testing import ActivityEnvironment

from activities.tools import ToolActivities
from orchestra import secrets
from orchestra.calls import ToolCall
from orchestra.confinement import Confinement
from orchestra.registry import default_registry
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from tests.compiled_where import compiled_where


class _NoInput(BaseModel):
    pass


async def _echo_setting(args: _NoInput, ctx: ToolContext) -> dict[str, str]:
    return {"said": "configured with " + ctx.mask("nothing secret")}


async def test_the_settings_masker_is_made_off_the_event_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = uuid.uuid4().hex
    monkeypatch.setenv("ORCHESTRA_SECRET_SETTING_KEY", key)
    secrets._masker_of.cache_clear()
    secrets._compiled.cache_clear()
    where = compiled_where(monkeypatch, key)
    registry = default_registry()
    registry.register(Tool(spec=ToolSpec(name="echoing", description="Echo.", input_model=_NoInput), run=_echo_setting))
    activities = ToolActivities(registry, Confinement(workspace=tmp_path))
    await ActivityEnvironment().run(activities.run_tool, ToolCall(tool="echoing", node_id="n", args={}))
    assert where and not any(where), where
