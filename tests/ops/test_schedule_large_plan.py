"""`schedule create` refuses a plan too large to be sent whole: a schedule's runs get their ids from the server, so
its plan cannot be stored by reference for them (orchestra/plan_start.py), and each run decoded it whole in its first
workflow task (150,000 steps: 4.9-7.2 s, past the SDK's 2 s deadlock detector, retried for ever)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import yaml
from temporalio.client import Client

from orchestra import plan_start
from orchestra.cli.errors import EXIT_INVALID
from tests.ops.support import run_command


async def test_a_plan_too_large_to_send_whole_is_not_scheduled(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan_start, "WHOLE_REQUEST_LIMIT", 1_000)  # a small plan over it: the test stays fast
    nodes = [{"id": f"nap{i}", "tool": "sleep", "args": {"seconds": 0}} for i in range(30)]
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump({"name": "nightly", "nodes": nodes}))
    schedule_id = f"sched-{uuid.uuid4().hex[:8]}"
    ran = await run_command(
        client, "--task-queue", task_queue, "schedule", "create", schedule_id, "--plan", str(plan), "--every", "1h"
    )
    assert ran.code == EXIT_INVALID, (ran.out, ran.err)
    assert "takes at most 1,000 bytes" in ran.err and "nothing was created" in ran.err, ran.err
    assert schedule_id not in [s.id async for s in await client.list_schedules()]
