"""An argument a step gave that breaks its tool's input model is told by where and why, never by its value:
the activity's check wrote pydantic's whole text, which quotes it (``input_value='...'``) into the step's
error, the history and the log, for every tool (an MCP tool's own words are tests/mcp/test_answer_quotes.py's)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from temporalio.client import Client

from orchestra.errors import ToolValidationError
from orchestra.registry import default_registry
from orchestra.temporal_bounds import problems_of
from orchestra.tool_spec import ToolContext
from orchestra.tools.described import load_tool_file
from tests.helpers import run_plan_to_failure

PLAN_VALUE = "a-value-the-plan-chose-7731"


async def test_an_argument_from_a_step_that_breaks_the_model_is_not_quoted(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    # Known only at run time: the plan's check cannot see it, the activity's check refuses it.
    pick = {"id": "pick", "tool": "json_query", "args": {"data": {"v": PLAN_VALUE}, "expression": "v"}}
    call = {"method": "GET", "url": "http://127.0.0.1:9/x", "timeout_s": "${pick.output.result}"}
    plan = {"name": "q", "nodes": [pick, {"id": "get", "tool": "http_request", "args": call, "depends_on": ["pick"]}]}
    record = await run_plan_to_failure(client, task_queue, tmp_path, plan)
    step = record.step("get")
    assert step.error is not None
    error = step.error.message
    assert PLAN_VALUE not in error and "7731" not in error, error
    assert "timeout_s" in error and "number" in error, error


DECLARED = """tools:
  - name: item
    kind: http
    description: one item
    method: GET
    url: "http://127.0.0.1:9/api/{{ id }}?token={{ token }}"
    inputs: {id: {type: string}, token: {type: string}}
  - name: count
    kind: command
    description: count lines
    argv: [wc, -l, "{{ name }}.txt"]
    inputs: {name: {type: string}}
"""


@pytest.mark.parametrize(
    ("tool", "args", "code"),
    [
        ("item", {"id": "..", "token": PLAN_VALUE}, "dot_segment"),
        ("count", {"name": f"-{PLAN_VALUE}"}, "option_value"),
        ("count", {"name": f"../{PLAN_VALUE}/.."}, None),
    ],
)
async def test_a_declared_tools_refused_value_is_not_quoted(
    tmp_path: Path, ctx: ToolContext, tool: str, args: dict[str, str], code: str | None
) -> None:
    """A declared tool's placeholder filled so as to make an option or a dot segment is told by the slot and
    the rule: the URL or argument it made was quoted whole (the value and its neighbours: a token a step
    gave the query), into the step's error, the history and the log."""
    (tmp_path / "tools.yaml").write_text(DECLARED)
    tools = {t.spec.name: t for t in load_tool_file(tmp_path / "tools.yaml")}
    with pytest.raises(ToolValidationError) as refused:
        await tools[tool].run(tools[tool].spec.input_model.model_validate(args), ctx)
    assert PLAN_VALUE not in str(refused.value) and "7731" not in str(refused.value), refused.value
    assert code is None or refused.value.code == code


@pytest.mark.parametrize(
    "url",
    [
        "http://ann:hunter2/x@example.com/",  # a password with '/', '?' or '#' not percent-encoded: urlsplit
        "http://ann:hunter2?x@example.com/",  # reads 'ann:hunter2' as host and port
        "http://ann:hunter2#x@example.com/",
        "http://ann:[hunter2]@example.com/",
        "http://ann@[hunter2]/",
        "http://ann:pw@example.com:hunter2/",
        "http://[::1]hunter2/",
    ],
)
def test_an_unreadable_url_is_not_quoted(url: str) -> None:
    """A URL that cannot be read is named without the part that could not be: urllib's and httpx's words quote
    it ("Port could not be cast to integer value as 'hunter2'"), and it may be a password whose '/' cut the
    user info short; the plan's check and the worker's read the same messages."""
    spec = default_registry().get("http_request").spec
    with pytest.raises(ValidationError) as refused:
        spec.input_model.model_validate({"method": "GET", "url": url})
    told = problems_of(refused.value)
    assert "hunter2" not in told and "cannot be read" in told, told


@pytest.mark.parametrize(
    ("tool", "args"),
    [
        ("read_file", {"path": "a.txt", "encoding": PLAN_VALUE}),
        ("write_file", {"path": "a.txt", "content": "a", "encoding": PLAN_VALUE}),
    ],
)
def test_a_built_in_tools_refused_argument_is_not_quoted(tool: str, args: dict[str, str]) -> None:
    """The plan's check and the worker's name the argument and the rule, for the file tools' encoding too."""
    with pytest.raises(ValidationError) as refused:
        default_registry().get(tool).spec.input_model.model_validate(args)
    told = problems_of(refused.value)
    assert "7731" not in told and "encoding" in told, told
