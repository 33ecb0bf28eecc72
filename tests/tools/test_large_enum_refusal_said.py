"""A value refused by a tools file's enum is said in a bounded message, naming the set's size: pydantic's own
lists every value (an enum of 200,000 made 2 MB a refused step, in validate's problems and in the run's
history alike)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError

from orchestra.errors import PlanValidationError
from orchestra.plan import parse_plan
from orchestra.registry import ToolRegistry, default_registry
from orchestra.tools.tool_files import load_tool_file
from orchestra.validation import prepare_plan
from tests.helpers import settings_for, start_plan
from worker import create_worker

SIZE = 20_000
BOUND = 1_000  # characters of a problem: what it says, whatever the set's size


@pytest.fixture
def registry(tmp_path: Path) -> ToolRegistry:
    colors = {"type": "string", "enum": [f"color-{i}" for i in range(SIZE)]}
    tool: dict[str, Any] = {
        "name": "pick",
        "kind": "command",
        "description": "picks a color",
        "argv": ["true", "{{ color }}"],
    }
    tool["inputs"] = {"color": colors, "shade": {**colors, "required": False}}
    path = tmp_path / "tools.json"
    path.write_text(json.dumps({"version": 1, "tools": [tool]}))
    return ToolRegistry([*default_registry(), *load_tool_file(path)])


def test_validate_says_a_refused_enum_value_in_few_words(registry: ToolRegistry) -> None:
    plan = {"nodes": [{"id": "p", "tool": "pick", "args": {"color": "nope", "shade": "nope"}}]}
    with pytest.raises(PlanValidationError) as refused:
        prepare_plan(parse_plan(plan), registry)
    assert len(refused.value.problems) == 2, refused.value.problems
    for problem in refused.value.problems:
        assert len(problem) < BOUND, problem[:BOUND]
        assert f"{SIZE:,} values" in problem and "'color-0'" in problem, problem


async def test_a_run_refusing_an_enum_value_says_it_in_few_words(
    client: Client, task_queue: str, tmp_path: Path, registry: ToolRegistry
) -> None:
    """Text a step made, which validate leaves to the run (any text may be a member), refused there."""
    plan: dict[str, Any] = {
        "nodes": [
            {"id": "made", "tool": "write_file", "args": {"path": "c.txt", "content": "nope"}},
            {"id": "read", "tool": "read_file", "args": {"path": "c.txt"}, "depends_on": ["made"]},
            {"id": "p", "tool": "pick", "args": {"color": "${read.output.content}"}},
        ]
    }
    async with create_worker(client, settings_for(task_queue, tmp_path), registry):
        handle = await start_plan(client, task_queue, plan)
        with pytest.raises(WorkflowFailureError):
            await handle.result()
    history = (await handle.fetch_history()).to_json()
    assert "color-19999" not in history, "the whole set went into the history"
    assert f"{SIZE:,} values" in history
