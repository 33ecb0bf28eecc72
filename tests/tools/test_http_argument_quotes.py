"""An argument a step gave that breaks its tool's input model is told by where and why, never by its value:
the activity's check wrote pydantic's whole text, which quotes it (``input_value='...'``) into the step's
error, the history and the log, for every tool (an MCP tool's own words are tests/mcp/test_answer_quotes.py's)."""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client

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
