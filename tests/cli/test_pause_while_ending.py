"""A pause once the run has no step left to start (its plan's undos running after a failure) is refused,
naming why: it was answered "paused: nothing new starts until resume" while the next undo started anyway.
The pause signal then changes nothing either: the record never says PAUSED while the undos run."""

from __future__ import annotations

from typing import Any

from orchestra.record import AgentState, ExecutionRecord, StepState
from tests.cli.cli import Cli
from tests.cli.gated_runs import start
from tests.control_support import gate_server
from tests.helpers import worker_for


def undone_on_failure(url: str) -> dict[str, Any]:
    undo = {"tool": "http_request", "args": {"url": f"{url}/gate", "timeout_s": 600}}
    return {"name": "undoing", "compensate_on_failure": True, "nodes": [
        {"id": "done", "tool": "sleep", "args": {"seconds": 0}, "compensation": undo},
        {"id": "fails", "tool": "read_file", "args": {"path": "missing.txt"}, "depends_on": ["done"],
         "retry": {"max_attempts": 1}}]}  # fmt: skip


async def test_a_pause_while_the_undos_run_is_refused_and_the_signal_changes_nothing(
    client, task_queue, tmp_path, cli: Cli
):
    with gate_server(300) as gate:
        async with worker_for(client, task_queue, tmp_path / "workspace"):
            workflow_id = await start(cli, tmp_path, undone_on_failure(gate.url), here=True)
            await gate.wait_reached()  # `done`'s undo is running: the run has nothing left to start
            await client.get_workflow_handle(workflow_id).signal("pause", "too late")
            refused = await cli.here("pause", workflow_id, "--reason", "lunch")
            shown = await cli.here("status", workflow_id, "--json")
            gate.open.set()
            result = await cli.here("result", workflow_id, "--json")
    assert refused.code == 1, refused.out
    assert "has no steps left to start and is ending" in refused.err and "nothing to pause" in refused.err
    during = ExecutionRecord.model_validate(shown.json["record"])
    assert during.state == AgentState.RUNNING and not during.paused, "the signal taken after the pause was refused"
    # The signal has no answer: the record says why it changed nothing, as `status` shows.
    assert [(r.signal, "nothing to pause" in r.reason) for r in during.refused_signals] == [("pause", True)]
    assert "1 signal refused" in (await cli.here("status", workflow_id)).out
    record = ExecutionRecord.model_validate_json(result.out)
    assert record.state == AgentState.ERROR and not record.paused
    done = record.step("done").compensation
    assert done is not None and done.state == StepState.COMPLETED
