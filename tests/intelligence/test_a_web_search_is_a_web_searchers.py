"""plan182 (issue 8): "Search the web for /r/python" read /r/python as a place outside the workspace, asked for it
and planned a read of it; with the built-ins alone "Search the web for python tutorials" listed the workspace
(list_files says "search"). What a web search looks for is words, and only a tool saying it searches the web does it."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.planning.pipeline import plan_task
from tests.intelligence.reading import as_the_cli_plans

THIRD_PARTY = Path(__file__).parents[2] / "examples" / "tools" / "third_party.yaml"


@pytest.mark.parametrize("task", ["Search the web for /r/python", "Search online for /r/rust"])
async def test_a_path_looked_for_on_the_web_is_the_query(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans(THIRD_PARTY))
    assert result.execution.plan is not None and not result.execution.missing
    (search,) = result.execution.plan.nodes
    assert (search.tool, search.args["query"]) == ("web_search", task.rsplit(" ", 1)[1])
    assert result.execution.missing_inputs == ["web_search_api_key"]


@pytest.mark.parametrize("task", ["Search the web for python tutorials", "Search the web for /r/python"])
async def test_no_file_tool_searches_the_web(task: str) -> None:
    result = await plan_task(task, as_the_cli_plans())
    assert result.execution.plan is None and result.execution.missing, result.execution
    assert "search of the web" in result.execution.missing[0]


async def test_a_search_of_the_workspace_still_lists() -> None:
    result = await plan_task("Search for notes.txt", as_the_cli_plans())
    assert result.execution.plan is not None and [n.tool for n in result.execution.plan.nodes] == ["list_files"]
