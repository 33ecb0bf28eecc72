"""`result ID --output STEP` of a step that failed says it failed, and its error, wherever the step is: listed by the
record, noted past its listing (steps_noted), or past those too (only the run's history has it). It said "it is
error", or, past the listing, "the history ... holds no result", leaving the reader to guess the step had failed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from temporalio.client import Client

from orchestra.record import NOTED_STEPS, QUERY_STEPS, ExecutionRecord
from tests.control_support import gate
from tests.helpers import settings_for, start_plan, until
from tests.ops.support import run_command
from tests.workflows.test_write_undo import FAILING
from worker import create_worker

LATE = NOTED_STEPS + 3  # failed steps past the listing: the record notes the latest NOTED_STEPS of them


def failures_everywhere(url: str) -> dict[str, Any]:
    """A failing step listed first, QUERY_STEPS steps held back, then LATE failing steps past the listing."""
    nodes: list[dict[str, Any]] = [
        {"id": "hold", "tool": "http_request", "args": {"url": url}},
        {"id": "early_bad", **FAILING},
        {"id": "quick", "tool": "sleep", "args": {"seconds": 0}},
        {"id": "after_bad", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["early_bad"]},
    ]
    nodes += [
        {"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, "depends_on": ["hold"]} for i in range(QUERY_STEPS)
    ]
    nodes += [{"id": f"late_bad{i}", **FAILING, "depends_on": ["quick"]} for i in range(LATE)]
    return {"name": "failures-everywhere", "nodes": nodes, "fail_fast": False}


async def test_a_failed_steps_output_says_it_failed_and_why(client: Client, task_queue: str, tmp_path: Path) -> None:
    with gate() as (url, release):
        async with create_worker(client, settings_for(task_queue, tmp_path)):
            handle = await start_plan(client, task_queue, failures_everywhere(url))
            record = await until(
                lambda: handle.query("record", result_type=ExecutionRecord),
                lambda r: r.metrics.failed == LATE + 1,
            )
            noted = {step.node_id for step in record.steps_noted}
            listed = {step.node_id for step in record.steps}
            unseen = [f"late_bad{i}" for i in range(LATE) if f"late_bad{i}" not in noted | listed]
            said = {
                step: await run_command(client, "--task-queue", task_queue, "result", handle.id, "--output", step)
                for step in ["early_bad", next(iter(noted)), *unseen[:1]]
            }
            skipped = await run_command(
                client, "--task-queue", task_queue, "result", handle.id, "--output", "after_bad"
            )
            await handle.cancel()
            release.set()
    assert "early_bad" in listed and noted and unseen, (sorted(noted), unseen)
    for step, answer in said.items():
        flat = " ".join(answer.err.split())
        assert answer.code != 0 and f"{step}' has no output: it failed" in flat, (step, flat)
        assert "missing.txt" in flat and "holds no result" not in flat, (step, flat)
    flat = " ".join(skipped.err.split())
    assert skipped.code != 0 and "'after_bad' has no output: it is skipped: " in flat and "early_bad" in flat, flat
