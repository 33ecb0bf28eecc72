"""A tool that works with no input (a command, a folder's listing) is handed an earlier result only when its clause
points at it (fix55). Requests written for these tests, with the built-ins and the media catalogue."""

from __future__ import annotations

from pathlib import Path

from orchestra.plan import PlanNode
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry

MEDIA = Path(__file__).with_name("media_tools.yaml")


async def _plan(task: str) -> tuple[list[PlanNode], list[str]]:
    result = await plan_task(task, default_registry([MEDIA]))
    assert result.execution.plan is not None, result.execution.problems
    return result.execution.plan.nodes, result.execution.warnings


async def test_a_command_that_takes_no_input_is_handed_none() -> None:
    nodes, warnings = await _plan("write 'x' to out.txt and run ls")
    (run,) = [n for n in nodes if n.tool == "shell"]
    # before: the written file's path was its standard input, and 'x' given to it (a warning said so)
    assert "stdin" not in run.args
    assert run.depends_on == ["write"]  # still after the write it may look at
    assert warnings == []


async def test_a_command_pointed_at_a_result_still_reads_it() -> None:
    nodes, _ = await _plan("read notes.txt and run wc on it")
    (run,) = [n for n in nodes if n.tool == "shell"]
    assert run.args["stdin"] == "${read.output.content}"
