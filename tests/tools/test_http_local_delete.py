"""A DELETE run as a local activity (a plan's ``local: true``): local activities have no heartbeats, so what
an attempt that did nothing says is kept by the worker that runs them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from temporalio.client import Client

from orchestra.record import StepState
from tests.helpers import run_plan as run
from tests.helpers import run_plan_to_failure as run_failing
from tests.helpers import serving
from tests.tools.test_http_delete_retry import Missing, Store


def local_plan(url: str) -> dict[str, Any]:
    call = {"method": "DELETE", "url": url, "timeout_s": 0.3}
    retry = {"max_attempts": 3, "initial_interval_s": 0.1}
    node = {"id": "tidy", "tool": "http_request", "args": call, "retry": retry, "local": True, "timeout_s": 30}
    return {"name": "tidy", "nodes": [node]}


async def test_a_local_delete_turned_away_then_told_404_fails(client: Client, task_queue: str, tmp_path: Path) -> None:
    Missing.busy, Missing.answered = True, []
    with serving(Missing) as url:
        record = await run_failing(client, task_queue, tmp_path, local_plan(f"{url}/items/2"))
    step = record.step("tidy")
    assert Missing.answered == [503, 404] and step.error is not None, "completed, 'taken as deleted', before"
    assert step.error.code == "http_404"


async def test_a_local_delete_whose_answer_was_lost_is_taken_as_deleted(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    store = Store(delay_s=1.5)
    with serving(store.handler()) as url:
        record = await run(client, task_queue, tmp_path, local_plan(f"{url}/items/1"))
    step = record.step("tidy")
    assert store.received == [204, 404] and step.state == StepState.COMPLETED
    assert "taken as deleted" in step.output["note"]
