"""A call that fails transiently (a dropped connection, a cancelled or timed-out call on a loaded server)
does not fail a command that only reads: it is tried again, and said plainly when it keeps failing."""

from __future__ import annotations

from pathlib import Path

from orchestra.record import ExecutionRecord
from tests.cli.cli import run_client
from tests.dropping_proxy import DroppingProxy
from tests.helpers import start_plan, worker_for

PLAN = {"name": "read-back", "nodes": [{"id": "a", "tool": "sleep", "args": {"seconds": 0}}]}


async def _finished_run(client, task_queue, tmp_path: Path) -> str:
    async with worker_for(client, task_queue, tmp_path):
        handle = await start_plan(client, task_queue, PLAN)
        await handle.result()
    return handle.id


async def test_reading_a_run_survives_dropped_calls(client, task_queue, tmp_path, cli_env):
    run_id = await _finished_run(client, task_queue, tmp_path)
    # Call 1 is the connection's own; 2 and 4 are the command's reads (describe, then its history or result).
    proxy = DroppingProxy(cli_env["TEMPORAL_ADDRESS"], lambda n: n in (2, 4))
    with proxy.running():
        shown = await run_client("result", run_id, "--json", env={**cli_env, "TEMPORAL_ADDRESS": proxy.address})
    assert proxy.dropped == 2, proxy.calls
    assert shown.code == 0, shown.err
    assert [s.node_id for s in ExecutionRecord.model_validate_json(shown.out).steps] == ["a"]


async def test_a_read_that_keeps_failing_says_how_often_it_was_tried(client, task_queue, tmp_path, cli_env):
    run_id = await _finished_run(client, task_queue, tmp_path)
    proxy = DroppingProxy(cli_env["TEMPORAL_ADDRESS"], lambda n: n > 1)
    with proxy.running():
        shown = await run_client("status", run_id, env={**cli_env, "TEMPORAL_ADDRESS": proxy.address})
    assert shown.code == 3, shown.err
    assert "did not answer: describe_workflow_execution failed 4 times over" in shown.err, shown.err
    assert proxy.dropped == 4


async def test_a_connection_whose_first_call_is_dropped_is_made_again(client, task_queue, tmp_path, cli_env):
    """The server is there, a loaded network dropped the connection's own first call: before, the command
    exited 3 saying "cannot reach Temporal ... run `python client.py up`"."""
    run_id = await _finished_run(client, task_queue, tmp_path)
    proxy = DroppingProxy(cli_env["TEMPORAL_ADDRESS"], lambda n: n == 1)
    with proxy.running():
        shown = await run_client("status", run_id, env={**cli_env, "TEMPORAL_ADDRESS": proxy.address})
    assert proxy.dropped == 1, proxy.calls
    assert shown.code == 0, shown.err
    proxy = DroppingProxy(cli_env["TEMPORAL_ADDRESS"], lambda n: True)
    with proxy.running():
        shown = await run_client("status", run_id, env={**cli_env, "TEMPORAL_ADDRESS": proxy.address})
    assert shown.code == 3 and proxy.dropped == 4, (proxy.calls, shown.err)
    assert f"Temporal at {proxy.address} did not answer: connecting failed 4 times over" in shown.err, shown.err
