"""A step's own values in the worker's log: a plan's secret_args values are remembered for the log's masker
off the event loop, and an error quoting one is cut only after it is masked."""

from __future__ import annotations

import asyncio
import io
import logging

import pytest
from pydantic import BaseModel
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.tools import ToolActivities
from orchestra.calls import ToolCall
from orchestra.confinement import Confinement
from orchestra.errors import ToolError
from orchestra.registry import default_registry
from orchestra.telemetry import redaction
from orchestra.telemetry.logging import configure_logging
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from tests.mcp.test_costly_schemas import held_until_the_loop_runs
from tests.mcp.test_hostile import NEVER

VALUE = "Zq8v-plan-chosen-key-0123456789"


class KeyInput(BaseModel):
    key: str


async def _refused(args: KeyInput, ctx: ToolContext) -> None:
    # An error as a server writes one: its own words, then the header it was sent, past the log's cut.
    raise ToolError("refused: " + "x" * 482 + " " + args.key, code="refused")


def _activities(tmp_path) -> ToolActivities:
    registry = default_registry()
    spec = ToolSpec(name="keyed", description="Refuse a key.", input_model=KeyInput, secret_args=["key"])
    registry.register(Tool(spec=spec, run=_refused))
    return ToolActivities(registry, Confinement(workspace=tmp_path))


async def test_a_plan_value_is_remembered_off_the_event_loop(tmp_path, monkeypatch):
    """Remembering adds to the log masker's automata or rebuilds them (12-75 ms with 2,048 values): on the
    loop, every other activity of the worker, and its heartbeats, waited meanwhile."""
    redaction.forget_all()
    call = ToolCall(tool="keyed", node_id="n", args={"key": VALUE})
    with held_until_the_loop_runs(monkeypatch, redaction, "remember") as release:
        releaser = release()
        with pytest.raises(ApplicationError, match="refused"):
            await asyncio.wait_for(ActivityEnvironment().run(_activities(tmp_path).run_tool, call), NEVER)
        await releaser
    assert redaction.redact_text(f"said {VALUE}") == f"said {redaction.MASK}"


async def test_an_error_quoting_a_plan_value_where_the_log_cuts_it_shows_none_of_it(tmp_path):
    """The log's error field was the message's first 500 characters, masked after: the value the cut ran
    through was no longer whole, not found, and its first characters were logged in clear."""
    redaction.forget_all()
    stream = io.StringIO()
    configure_logging("json", stream=stream)
    call = ToolCall(tool="keyed", node_id="n", args={"key": VALUE})
    try:
        with pytest.raises(ApplicationError, match="refused"):
            await ActivityEnvironment().run(_activities(tmp_path).run_tool, call)
    finally:
        logging.getLogger().handlers = [h for h in logging.getLogger().handlers if h.get_name() != "orchestra"]
    logged = stream.getvalue()
    assert "tool failed" in logged and "x" * 400 in logged
    assert "Zq8v" not in logged
