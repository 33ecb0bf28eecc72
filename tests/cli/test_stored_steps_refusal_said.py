"""A plan run whose steps stored outside its history are over what the CLI reads back (plan_start.refuse_unbounded):
its record rebuilt from the history said nothing of it, its plan named "?" as if the run had none. It says the refusal
now, and names the plan from the piece its history holds."""

from __future__ import annotations

import json
import uuid

from temporalio.client import Client

from orchestra.calls import RunRequest
from orchestra.plan import parse_plan
from orchestra.plan_start import WORKFLOW_TYPE
from orchestra.storage.stored import StoredValue
from orchestra.temporal_bounds import PLAN_PIECE_MOST_BYTES
from tests.cli.cli import Cli


async def test_stored_steps_refused_are_said_not_shown_as_no_plan(client: Client, task_queue: str, cli: Cli) -> None:
    plan = parse_plan({"name": "forged", "nodes": [{"id": "a", "tool": "sleep", "args": {"seconds": 0}}]})
    # A history a starter wrote (anyone who can start a run): one piece claiming more than a run ever reads.
    oversized = StoredValue(driver="folder", claim={"path": "nowhere/0"}, bytes=PLAN_PIECE_MOST_BYTES + 1)
    request = RunRequest(plan=plan, steps_stored=[oversized])
    workflow_id = f"plan-forged-{uuid.uuid4().hex[:8]}"
    await client.start_workflow(WORKFLOW_TYPE, request, id=workflow_id, task_queue=task_queue)  # no worker polls
    said = await cli.here("status", workflow_id, "--json")
    assert said.code == 0, said.err
    assert "its plan's steps stored outside its history are not read: piece 1 of 1 is" in said.err, said.err
    assert said.err.count("are not read") == 1, said.err
    record = json.loads(said.out)["record"]
    assert record["plan_name"] == "forged", record
    plain = await cli.here("status", workflow_id)
    assert "are not read: piece 1 of 1 is" in plain.err, plain.err
    history = await cli.here("history", workflow_id)
    assert history.code == 0 and "are not read: piece 1 of 1 is" in history.err, (history.out, history.err)
