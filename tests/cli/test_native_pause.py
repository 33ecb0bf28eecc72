"""A natively paused run (the Web UI's Pause, `pause --native`) through `status`, `history`, `list`, `resume`
and `cancel`: apart from tests/cli/test_control.py so that xdist's loadscope can run them on another worker.
`pause --native` and `status` on a paused run are `client.py` processes (their wiring); the rest runs in this
process (the same parsing, code and output, without a process's start-up each time)."""

from __future__ import annotations

import re

from tests.cli.cli import until
from tests.cli.gated_runs import FIRST_CALLING, FIRST_DONE, SECOND_PENDING, event_ids, gated_run


async def test_native_pause_is_read_through_describe_and_history(client, task_queue, tmp_path, cli):
    async with gated_run(client, task_queue, tmp_path, cli) as (gate, workflow_id):
        paused = await cli("pause", workflow_id, "--native", "--reason", "maintenance")
        assert paused.code == 0, paused.err
        status = await cli("status", workflow_id)
        assert status.code == 0, status.err
        assert "Temporal status PAUSED" in status.out and "state PAUSED (native Temporal pause)" in status.out
        assert FIRST_CALLING.search(status.out) and SECOND_PENDING.search(status.out), status.out
        assert re.search(r"last\s+json_query\s+· pending", status.out), "rebuilt from history and the plan"
        history = await cli.here("history", workflow_id)
        assert history.code == 0, history.err
        assert "Temporal status PAUSED" in history.out
        assert "prepare_plan" in history.out and re.search(r"first\s+http_request\s+started", history.out)
        # `list` reads the visibility store, which catches up with the pause eventually.
        await until(cli, ("list", "--query", f"WorkflowId='{workflow_id}'"), lambda r: "PAUSED" in r.out, here=True)

        gate.open.set()  # `first` finishes while the run is paused
        status = await until(cli, ("status", workflow_id), lambda r: FIRST_DONE.search(r.out), here=True)
        assert "state PAUSED (native Temporal pause)" in status.out
        assert SECOND_PENDING.search(status.out), "no new step starts while paused"

        resumed = await cli.here("resume", workflow_id, "--native")
        assert resumed.code == 0, resumed.err
        watched = await cli.here("watch", workflow_id)
    assert watched.code == 0, watched.err
    assert "✔ run COMPLETED" in watched.out and "  ✔ last" in watched.out
    events = await event_ids(client, workflow_id)
    assert events["paused"] < events["completed first"] < events["unpaused"] < events["scheduled second"]


async def test_resume_unpauses_a_natively_paused_run(client, task_queue, tmp_path, cli):
    """Paused from the Web UI (or `pause --native`), a run is resumed by a plain `resume`."""
    async with gated_run(client, task_queue, tmp_path, cli) as (gate, workflow_id):
        assert (await cli.here("pause", workflow_id, "--native")).code == 0
        again = await cli.here("pause", workflow_id)
        assert again.code == 1 and "already paused (natively" in again.err
        resumed = await cli.here("resume", workflow_id)
        assert resumed.code == 0 and "unpaused it (native Temporal pause)" in resumed.out, resumed.err
        status = await cli.here("status", workflow_id)
        assert "Temporal status RUNNING" in status.out and "natively paused" not in status.out
        not_paused = await cli.here("resume", workflow_id)
        assert not_paused.code == 1 and "is not paused" in not_paused.err
        gate.open.set()
        result = await cli.here("result", workflow_id)
    assert result.code == 0 and "state COMPLETED" in result.out


async def test_cancel_on_a_natively_paused_run_explains_or_unpauses_when_asked(client, task_queue, tmp_path, cli):
    async with gated_run(client, task_queue, tmp_path, cli, heartbeat_timeout_s=2) as (_, workflow_id):
        assert (await cli.here("pause", workflow_id, "--native")).code == 0
        refused = await cli.here("cancel", workflow_id)
        assert refused.code == 1 and "natively paused" in refused.err and "--unpause" in refused.err
        assert (await cli.here("status", workflow_id, "--json")).json["cancel_requested"] is False
        cancelled = await cli.here("cancel", workflow_id, "--unpause")
        assert cancelled.code == 0, cancelled.err
        result = await cli.here("result", workflow_id)
    assert result.code == 1 and "state CANCELLED" in result.out


async def test_status_says_a_cancel_is_pending_while_natively_paused(client, task_queue, tmp_path, cli):
    async with gated_run(client, task_queue, tmp_path, cli, heartbeat_timeout_s=2) as (_, workflow_id):
        assert (await cli.here("pause", workflow_id, "--native")).code == 0
        await client.get_workflow_handle(workflow_id).cancel()  # e.g. the Web UI's Request Cancellation
        status = await cli.here("status", workflow_id)
        assert "cancellation requested" in status.out and "once the run is unpaused" in status.out
        assert (await cli.here("status", workflow_id, "--json")).json["cancel_requested"] is True
        again = await cli.here("cancel", workflow_id)
        assert again.code == 1 and "already requested" in again.err and "resume" in again.err
        assert (await cli.here("resume", workflow_id)).code == 0
        result = await cli.here("result", workflow_id)
    assert result.code == 1 and "state CANCELLED" in result.out
