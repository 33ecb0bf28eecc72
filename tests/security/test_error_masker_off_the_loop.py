"""A step's failure is masked by the masker its call already made: a new one, made on the worker's event loop
for the error's type, compiled the secret's patterns again once the worker's cache of them had let them go
(0.64 s of CPU for a key of 168 characters, every activity's heartbeats held)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from pydantic import BaseModel
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.tools import ToolActivities
from orchestra import secrets
from orchestra.calls import ToolCall
from orchestra.confinement import Confinement
from orchestra.registry import default_registry
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from tests.compiled_where import compiled_where


class KeyInput(BaseModel):
    key: str


async def _failing_after_the_cache_let_go(args: KeyInput, ctx: ToolContext) -> None:
    # What a busy worker's cache does: other secrets' patterns (4,096 of them) push this call's out.
    secrets._compiled.cache_clear()
    secrets._short_compiled.cache_clear()
    raise type("Refused", (Exception,), {})("refused " + args.key)


async def test_a_failed_steps_error_is_masked_without_compiling_on_the_event_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = uuid.uuid4().hex
    monkeypatch.setenv("ORCHESTRA_SECRET_ERROR_KEY", key)
    where = compiled_where(monkeypatch, key)
    registry = default_registry()
    spec = ToolSpec(name="failing", description="Fail with a key.", input_model=KeyInput, secret_args=["key"])
    registry.register(Tool(spec=spec, run=_failing_after_the_cache_let_go))
    call = ToolCall(tool="failing", node_id="n", args={"key": "${secrets.ERROR_KEY}"}, allow_secrets=True)
    activities = ToolActivities(registry, Confinement(workspace=tmp_path))
    with pytest.raises(ApplicationError) as failed:
        await ActivityEnvironment().run(activities.run_tool, call)
    assert key not in str(failed.value) and "refused ***" in str(failed.value)
    assert where and not any(where), where
