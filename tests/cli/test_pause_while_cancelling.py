"""A pause signal (the Web UI's) once the run is being cancelled: the pause update is refused then ("the
run is being cancelled"), but the signal set the run PAUSED, and status showed a paused run while its
steps were being cancelled. Now the signal changes nothing and the record says why."""

from __future__ import annotations

import json
import os
from pathlib import Path

from orchestra.record import AgentState, ExecutionRecord
from tests.cli.cli import Cli, Result, until
from tests.cli.gated_runs import gated_run

RECORD_TO = os.environ.get("RECORD_HISTORY")  # where to write the history, for the replay test


def took_the_signal(shown: Result) -> bool:
    record = shown.json["record"]
    return bool(record["paused"] or record["refused_signals"])


async def test_a_pause_signal_while_cancelling_changes_nothing_and_says_why(client, task_queue, tmp_path, cli: Cli):
    # `first` holds at the gate and heeds the cancellation only at its next heartbeat (0.8 x 600 s): the run
    # stays cancelling while the test signals.
    async with gated_run(client, task_queue, tmp_path, cli, heartbeat_timeout_s=600) as (gate, workflow_id):
        assert (await cli.here("cancel", workflow_id)).code == 0
        await until(cli, ("status", workflow_id, "--json"), lambda r: r.json["cancel_requested"], here=True)
        await client.get_workflow_handle(workflow_id).signal("pause", "too late")
        refused = await cli.here("pause", workflow_id, "--reason", "lunch")
        shown = await until(cli, ("status", workflow_id, "--json"), took_the_signal, here=True)
        gate.open.set()
        result = await cli.here("result", workflow_id, "--json")
        if RECORD_TO:
            history = await client.get_workflow_handle(workflow_id).fetch_history()
            Path(RECORD_TO).write_text(json.dumps(history.to_json_dict(), indent=1))
    assert refused.code == 1 and "the run is being cancelled" in refused.err, refused.err
    during = ExecutionRecord.model_validate(shown.json["record"])
    assert during.state == AgentState.RUNNING and not during.paused, during.state
    assert [(r.signal, r.reason) for r in during.refused_signals] == [("pause", "the run is being cancelled")]
    assert ExecutionRecord.model_validate_json(result.out).state == AgentState.CANCELLED
