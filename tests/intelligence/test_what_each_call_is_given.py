"""What each call is given: a command or a template the request quotes, the result of a step the analysis
found no tool for but the selector served, and a plan input of its own for each item left out for holding a
reference. Requests written for these tests, with the built-ins and the media catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestra.plan import Plan
from orchestra.planning.models import ExecutionPlan
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry

MEDIA = Path(__file__).with_name("media_tools.yaml")


async def _execution(task: str) -> ExecutionPlan:
    result = await plan_task(task, default_registry([MEDIA]))
    assert result.execution.plan is not None, result.execution.problems
    return result.execution


async def _plan(task: str) -> Plan:
    execution = await _execution(task)
    assert execution.plan is not None
    return execution.plan


@pytest.mark.parametrize("quoted", ['"ls -la"', "'ls -la'", "`ls -la`"])
async def test_a_quoted_command_is_run_and_its_output_saved(quoted: str) -> None:
    # before: only a backquoted command was bound, and the save asked the user for the content
    execution = await _execution(f"run {quoted} and save the output to out.txt")
    assert execution.plan is not None and execution.missing_inputs == []
    run, save = execution.plan.nodes
    assert (run.tool, run.args) == ("shell", {"cmd": "ls -la"})
    assert save.tool == "write_file"
    assert save.args == {"path": "out.txt", "content": f"${{{run.id}.output.stdout}}"}


async def test_a_quoted_template_is_the_template_rendered() -> None:
    # before: the template was "{{ input }}" whatever the request quoted
    plan = await _plan("Render the template 'Hello {{ input }}!'")
    (render,) = plan.nodes
    assert render.tool == "render_template"
    assert render.args["template"] == "Hello {{ input }}!"


async def test_each_item_left_out_for_its_reference_is_an_input_of_its_own() -> None:
    # before: both calls read ${inputs.http_request_url}: the user could give one URL for two
    execution = await _execution("Download https://a.example/${x} and https://b.example/${y}")
    assert execution.plan is not None
    first, second = execution.plan.nodes
    assert first.args["url"] != second.args["url"]
    assert len(execution.missing_inputs) == 2
    for node, name in zip((first, second), execution.missing_inputs, strict=True):
        assert node.args["url"] == f"${{inputs.{name}}}"


async def test_an_item_without_a_reference_stays_a_value_beside_one_left_out() -> None:
    execution = await _execution("Download https://a.example/${x} and https://b.example/page")
    assert execution.plan is not None
    first, second = execution.plan.nodes
    assert second.args["url"] == "https://b.example/page"
    assert execution.missing_inputs == [first.args["url"].removeprefix("${inputs.").removesuffix("}")]


async def test_an_input_the_calls_share_stays_one_beside_their_own(tmp_path: Path) -> None:
    tools = tmp_path / "keyed.yaml"
    tools.write_text(
        "version: 1\ntools:\n  - {name: fetch_page, kind: http, description: Download a web page with an API key.,"
        ' input_types: [url], output_types: [text], method: GET, url: "https://k.example.com/get",'
        ' json: {url: "{{ url }}", api_key: "{{ api_key }}"},'
        " inputs: {url: {type: string}, api_key: {type: string}}}\n"
    )
    task = "Fetch the pages https://a.example/${x} and https://b.example/${y} with fetch_page"
    execution = (await plan_task(task, default_registry([tools]))).execution
    assert execution.plan is not None
    first, second = execution.plan.nodes
    assert first.args["api_key"] == second.args["api_key"]
    assert first.args["url"] != second.args["url"]
    assert len(execution.missing_inputs) == 3
