"""The commands that act rather than read answer `--json` too, with what a script needs next: `start` the run's
id (it printed the id alone, and refused `--json` as a usage error), `prune-payloads` its figures (for a
scheduled job), the schedule commands what they did. Each prints exactly one JSON document on stdout."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from tests.cli.cli import Cli, write_plan
from tests.cli.gated_runs import LONG


async def test_start_says_its_run_in_json(cli: Cli, tmp_path: Path) -> None:
    started = await cli.here("start", "--plan", write_plan(tmp_path, LONG), "--json")  # no worker: it only starts
    assert started.code == 0, started.err
    said = json.loads(started.out)
    assert said["workflow_id"].startswith("plan-long-") and said["plan"] == "long"
    assert said["task_queue"] == cli.env["ORCHESTRA_TASK_QUEUE"] and said["workflow_id"] in said["web_ui"]
    # The id said is the run started: its history (no worker needed; `status` would wait out the record query's timeout).
    history = await cli.here("history", said["workflow_id"], "--json")
    assert history.code == 0, history.err
    again = await cli.here("start", "--plan", write_plan(tmp_path, LONG), "--id", said["workflow_id"], "--json")
    assert again.code == 2 and json.loads(again.out)["exit_code"] == 2  # already running: refused, in JSON


async def test_prune_payloads_says_its_figures_in_json(cli: Cli) -> None:
    pruned = await cli.here("prune-payloads", "--dry-run", "--json")
    assert pruned.code == 0, pruned.err
    said = json.loads(pruned.out)
    assert said["dry_run"] is True and said["deleted_count"] == len(said["deleted"])
    assert isinstance(said["freed_bytes"], int) and isinstance(said["kept"], int) and said["folder"]
    bad = await cli.here("prune-payloads", "--grace", "soon", "--json")
    assert bad.code == 2 and json.loads(bad.out)["exit_code"] == 2


async def test_schedule_commands_say_what_they_did_in_json(cli: Cli) -> None:
    schedule_id = f"json-{uuid.uuid4().hex[:8]}"
    created = await cli.here(
        "schedule", "create", schedule_id, "--plan", "examples/slow_note.yaml", "--every", "1h", "--paused", "--json"
    )
    assert created.code == 0, created.err
    said = json.loads(created.out)
    assert said["schedule_id"] == schedule_id and said["spec"] == ["every 1h"] and said["paused"] is True
    try:
        for action, done in (("unpause", "unpaused"), ("pause", "paused")):
            result = await cli.here("schedule", action, schedule_id, "--json")
            assert result.code == 0 and json.loads(result.out) == {"schedule_id": schedule_id, "done": done}
    finally:
        deleted = await cli.here("schedule", "delete", schedule_id, "--json")
    assert deleted.code == 0 and json.loads(deleted.out) == {"schedule_id": schedule_id, "done": "deleted"}
    missing = await cli.here("schedule", "trigger", schedule_id, "--json")
    assert missing.code == 4 and json.loads(missing.out)["exit_code"] == 4


async def test_a_bad_grace_is_a_usage_error_with_no_server(cli: Cli, closed_address: str) -> None:
    """`--grace` was read after connecting: with the server down, a typo in it said "cannot reach" (exit 3)."""
    down = Cli({**cli.env, "TEMPORAL_ADDRESS": closed_address}, cli.client)
    bad = await down("prune-payloads", "--grace", "soon", "--json")
    assert bad.code == 2 and "bad duration" in json.loads(bad.out)["error"], bad.err
