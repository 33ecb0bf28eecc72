"""What an MCP server answered is never quoted into a step's error cut before it is masked: the error names
where the answer breaks its output schema and which rule, in the schema's words, never the answer's values."""

from __future__ import annotations

import json

import pytest
from temporalio.client import WorkflowFailureError
from temporalio.exceptions import ApplicationError

from orchestra.mcp import answers
from orchestra.record import ExecutionRecord, StepState
from tests.helpers import payload_text, settings_for, start_plan, worker_for
from tests.mcp.support import mcp_registry, tool_file
from tests.mcp.test_hostile import SECRET, hostile

PLAN_VALUE = "a-value-the-plan-chose-7731"


async def test_an_answer_echoing_a_secret_outside_its_output_schema_is_not_quoted(
    client, task_queue, tmp_path, monkeypatch
):
    """jsonschema's message quoted the answer ("'ppp...hostile-server-key-4242 ...' is not of type 'integer'"),
    cut at 500 characters before the server's secrets were masked: the secret, past character 490 here, had
    its first characters in the step's error and the history, in clear; the plan's value was quoted whole."""
    monkeypatch.setenv("ORCHESTRA_SECRET_HOSTILE_KEY", SECRET)
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    entry = hostile("output-echo", 490, env={"TOKEN": "${secrets.HOSTILE_KEY}"})
    registry = mcp_registry(settings_for(task_queue, workspace), tool_file(tmp_path, entry))
    plan = {"name": "echo", "nodes": [{"id": "echo", "tool": "h.plain", "args": {"x": PLAN_VALUE}}]}
    try:
        async with worker_for(client, task_queue, workspace, registry):
            handle = await start_plan(client, task_queue, plan)
            with pytest.raises(WorkflowFailureError) as failed:
                await handle.result()
            history = payload_text(json.loads((await handle.fetch_history()).to_json()))
    finally:
        await registry.aclose()
    cause = failed.value.cause
    assert isinstance(cause, ApplicationError)
    record = ExecutionRecord.model_validate(cause.details[0])
    step = record.step("echo")
    assert step.state == StepState.ERROR and step.error is not None
    error = step.error.message
    for shown in (error, history):
        assert SECRET[:6] not in shown and "ppppp" not in shown
    assert PLAN_VALUE not in error
    assert "outside its output schema" in error and "$.n" in error and '"type": "integer"' in error, error


def test_a_servers_error_for_no_request_is_quoted_whole_or_not_at_all():
    """Cut at 200 characters before anything masked it: a secret it echoed past character 190 showed its start."""
    flight = answers.InFlight()
    flight.pending.add(1)
    said = "x" * 190 + SECRET
    line = json.dumps({"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": said}}).encode()
    [failed] = answers.read_line(line, flight, "h")
    reason = failed.message.root.error.message  # type: ignore[union-attr]
    assert SECRET[:6] not in reason and f"({len(said)} characters)" in reason, reason


async def test_an_argument_outside_its_input_schema_is_not_quoted(client, task_queue, tmp_path):
    """The arguments' check said jsonschema's words, which quote the value ("'a-value-the-plan-chose-7731 ...'
    does not match '^\\\\p{L}+$'"): a step's output given as an argument was in the step's error, the
    history and the log (masked, but quoted). It names where and which rule, as an answer's breach does."""
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    registry = mcp_registry(settings_for(task_queue, workspace), tool_file(tmp_path, hostile("letters")))
    # A value known only at run time: the plan's check cannot see it, the activity's check refuses it.
    pick = {"id": "pick", "tool": "json_query", "args": {"data": {"v": PLAN_VALUE}, "expression": "v"}}
    call = {"id": "call", "tool": "h.plain", "args": {"x": "${pick.output.result}"}, "depends_on": ["pick"]}
    try:
        async with worker_for(client, task_queue, workspace, registry):
            handle = await start_plan(client, task_queue, {"name": "letters", "nodes": [pick, call]})
            with pytest.raises(WorkflowFailureError) as failed:
                await handle.result()
    finally:
        await registry.aclose()
    cause = failed.value.cause
    assert isinstance(cause, ApplicationError)
    step = ExecutionRecord.model_validate(cause.details[0]).step("call")
    assert step.state == StepState.ERROR and step.error is not None
    error = step.error.message
    assert PLAN_VALUE not in error and "7731" not in error, error
    assert "$.x" in error and '"pattern": "^\\\\p{L}+$"' in error, error
