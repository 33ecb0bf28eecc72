"""The gap that says how a compensation ended (a cancel stopped it) is noted last, and the record keeps it last: the
Web UI's details listed a record's first MAX_GAP_LINES gaps only, so past them that gap was said by `status` and
`--json` and hidden in the Web UI (counted among "more gaps"), with the steps left not undone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from temporalio.client import Client, WorkflowFailureError

from orchestra.record import ExecutionRecord
from orchestra.registry import ToolRegistry, default_registry
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from tests.control_support import attempts_started, current_details, gate, until
from tests.helpers import start_plan, worker_for
from tests.ops.support import run_command
from tests.workflows.test_compensation_gaps import held_undo
from tests.workflows.test_write_undo import FAILING
from workflows.progress import MAX_GAP_LINES

UNDO = {"tool": "sleep", "args": {"seconds": 0}}
FALLBACK = [{"tool": "sleep", "args": {"seconds": 0}}]
ONCE = {"max_attempts": 1}
CANCELLED = "cancelled during its compensation"


class Nothing(BaseModel):
    pass


async def _boom(args: Nothing, ctx: ToolContext) -> dict[str, str]:
    raise RuntimeError("the tool's own failure")


def _registry() -> ToolRegistry:
    registry = default_registry()
    registry.register(Tool(spec=ToolSpec(name="boom", description="Fail.", input_model=Nothing), run=_boom))
    return registry


def many_ways(undo_url: str) -> dict[str, Any]:
    """Steps with an undo that end in five ways that each make a gap (failed as a validation, a timeout or the tool's
    own error; completed by a fallback after a timeout or a tool's error), and three that complete, the last of them
    ``last``, whose undo is held at ``undo_url``."""
    slow: dict[str, Any] = {"tool": "sleep", "args": {"seconds": 5}, "timeout_s": 1}
    ways: dict[str, dict[str, Any]] = {
        "f_refused": {k: v for k, v in FAILING.items() if k != "retry"},
        "f_slow": slow,
        "f_boom": {"tool": "boom", "args": {}},
        "fb_slow": {**slow, "alternatives": FALLBACK},
        "fb_boom": {"tool": "boom", "args": {}, "alternatives": FALLBACK},
    }
    nodes: list[dict[str, Any]] = [
        {"id": node, **way, "retry": ONCE, "compensation": UNDO} for node, way in ways.items()
    ]
    nodes.append({"id": "done", "tool": "sleep", "args": {"seconds": 0}, "compensation": UNDO})
    nodes.append({"id": "last", "tool": "sleep", "args": {"seconds": 0}, "compensation": held_undo(undo_url),
                  "depends_on": ["done", "fb_slow", "fb_boom"]})  # fmt: skip
    return {"name": "saga-many-ways", "compensate_on_failure": True, "nodes": nodes}


async def test_the_gap_of_a_cancelled_compensation_is_shown_by_the_web_ui_past_its_first_gaps(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    with gate() as (undo_url, undo):
        async with worker_for(client, task_queue, tmp_path, _registry()):
            handle = await start_plan(client, task_queue, many_ways(undo_url))
            await until(handle.describe, attempts_started("last.compensate"), within=120)
            await handle.cancel()
            undo.set()
            with pytest.raises(WorkflowFailureError):
                await handle.result()
            details = await current_details(handle)
            shown = await run_command(client, "--task-queue", task_queue, "result", handle.id, "--json")
            status = await run_command(client, "--task-queue", task_queue, "status", handle.id)
    record = ExecutionRecord.model_validate(json.loads(shown.out))
    assert len(record.undo_gaps) > MAX_GAP_LINES, [gap.reason for gap in record.undo_gaps]
    assert CANCELLED in record.undo_gaps[-1].reason and CANCELLED in status.out, status.out[-1500:]
    assert CANCELLED in details, details[-1500:]
    more = len(record.undo_gaps) - MAX_GAP_LINES + record.undo_gaps_dropped
    assert f"and {more} more gap" in details, details[-1500:]
