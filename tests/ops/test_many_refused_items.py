"""A call whose argument list has thousands of refused items: the run's check names the first few and counts
the rest. Every item's refusal was written into the tool's failure (4 MB for 50,000 items), then masked and
cut to what the history keeps."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.tools import ToolActivities
from orchestra.calls import ToolCall
from orchestra.confinement import Confinement
from orchestra.errors import PlanValidationError
from orchestra.plan import parse_plan
from orchestra.registry import ToolRegistry
from orchestra.temporal_bounds import MESSAGE_CHARS, SHOWN_PROBLEMS
from orchestra.tool_spec import Tool, ToolContext, ToolSpec
from orchestra.validation import prepare_plan


class Counts(BaseModel):
    counts: list[int]


async def _total(args: Counts, ctx: ToolContext) -> int:
    return sum(args.counts)


async def test_a_list_of_refused_items_is_told_by_its_first_few_and_their_count(tmp_path: Path) -> None:
    registry = ToolRegistry([Tool(ToolSpec(name="total", description="Add counts.", input_model=Counts), _total)])
    call = ToolCall(tool="total", node_id="n", args={"counts": [1, *["x"] * 50_000]})
    with pytest.raises(ApplicationError) as raised:
        await ActivityEnvironment().run(ToolActivities(registry, Confinement(workspace=tmp_path)).run_tool, call)
    message = raised.value.message
    assert "counts.1: Input should be a valid integer" in message, message[:300]
    assert message.endswith(f"; and {50_000 - SHOWN_PROBLEMS:,} more problems"), message[-300:]
    assert len(message) < (SHOWN_PROBLEMS + 1) * MESSAGE_CHARS


def test_validate_tells_the_first_few_refused_items_of_a_step_and_their_count() -> None:
    """Each refused item was a problem of its own: 50,000 problems, 6 MB, for one step's argument."""
    registry = ToolRegistry([Tool(ToolSpec(name="total", description="Add counts.", input_model=Counts), _total)])
    plan = {"nodes": [{"id": "a", "tool": "total", "args": {"counts": [1, *["x"] * 50_000]}}]}
    with pytest.raises(PlanValidationError) as invalid:
        prepare_plan(parse_plan(plan), registry)
    problems = invalid.value.problems
    assert len(problems) == SHOWN_PROBLEMS + 1, len(problems)
    assert problems[0].startswith("node 'a': argument counts.1 for tool 'total': Input should be a valid integer"), (
        problems[0]
    )
    assert (
        problems[-1] == f"node 'a': and {50_000 - SHOWN_PROBLEMS:,} more problems with the arguments for tool 'total'"
    )
