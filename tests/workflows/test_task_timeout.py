"""Every run of a plan's chain gives its workflow tasks Temporal's longest timeout: a new worker replays
the whole history in one task, and a big history's replay outgrew the default 10 s on a loaded machine (the
task timed out, was retried alike, and the run never moved again: issue 9)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from temporalio.client import Client, WorkflowHandle

from orchestra.cli import launch
from orchestra.cli.context import Context, settings_from
from orchestra.plan import parse_plan
from orchestra.record import AgentState
from orchestra.registry import default_registry
from orchestra.temporal_bounds import WORKFLOW_TASK_TIMEOUT
from orchestra.validation import prepare_plan
from tests.cli.cli import clean_env
from tests.helpers import record_of, start_plan, worker_for

STEPS = 6


async def task_timeout_s(handle: WorkflowHandle[Any, Any]) -> float:
    config = (await handle.describe()).raw_description.execution_config
    return config.default_workflow_task_timeout.ToTimedelta().total_seconds()


def handing_over() -> dict[str, Any]:
    """A chain of steps whose run hands over every few steps."""
    nodes = [{"id": f"s{i}", "tool": "sleep", "args": {"seconds": 0}, **({"depends_on": [f"s{i - 1}"]} if i else {})}
             for i in range(STEPS)]  # fmt: skip
    return {"name": "handing-over", "history_events_per_run": 12, "nodes": nodes}


async def test_a_started_run_and_the_runs_it_continues_as_have_the_longest_task_timeout(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    plan = parse_plan(handing_over())
    env = clean_env(
        TEMPORAL_ADDRESS=client.service_client.config.target_host,
        ORCHESTRA_TASK_QUEUE=task_queue,
        ORCHESTRA_DATA_DIR=str(tmp_path / "data"),
    )
    ctx = Context(settings_from({}, env))
    workflow_id = await launch.start_plan(ctx, prepare_plan(plan, default_registry()), None)
    first = client.get_workflow_handle(workflow_id)
    first_run = (await first.describe()).run_id
    expected = WORKFLOW_TASK_TIMEOUT.total_seconds()
    assert await task_timeout_s(first) == expected, "as started"

    async with worker_for(client, task_queue, tmp_path):
        await first.result()
        last = client.get_workflow_handle(workflow_id)
        record = await record_of(last)
    assert record.state == AgentState.COMPLETED
    assert len(record.runs) > 1 and (await last.describe()).run_id != first_run, "the run continued as new"
    assert await task_timeout_s(last) == expected, "after continue-as-new"


async def test_a_run_started_with_the_default_task_timeout_gets_the_longest_once_it_continues_as_new(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """A client of its own (the Web UI, `temporal workflow start`, a run started before this) leaves Temporal's
    10 s: the server would pass it on to every run of the chain, the chain's later runs being the big ones."""
    async with worker_for(client, task_queue, tmp_path):
        first = await start_plan(client, task_queue, handing_over())
        assert await task_timeout_s(first) == 10
        await first.result()
        last = client.get_workflow_handle(first.id)
        assert len((await record_of(last)).runs) > 1
    assert await task_timeout_s(last) == WORKFLOW_TASK_TIMEOUT.total_seconds()
