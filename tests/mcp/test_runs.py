"""Runs that call real MCP servers (mcp-server-time from PyPI, server-filesystem from npm, both in the
sandbox) on a real dev server: a plan mixing them with built-ins, a server killed mid-call, a worker
killed mid-run, and an agent whose scripted model calls an MCP tool.

A call that must still be running is a filesystem server reading a named pipe in the workspace: it
blocks until the test opens the writing end, so no test leans on a call being slow enough.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from orchestra.agent.models import AgentExecution
from orchestra.record import AgentState, ExecutionRecord, StepState
from tests.agent.support import agent_worker, start_agent
from tests.control_support import WITHIN_S, scheduled_activity_ids
from tests.helpers import processes_in, settings_for, start_plan
from tests.llm_server import call, completion, done, scripted
from tests.mcp.support import FILES, TIME, mcp_registry, tool_file
from tests.security.support import unstick
from worker import create_worker

ROOT = Path(__file__).resolve().parents[2]


async def reader_waiting(pipe: Path) -> int:
    """A writing end of ``pipe``, opened once a server holds the reading end (until then there is none)."""
    for _ in range(WITHIN_S * 20):
        try:
            return os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            await asyncio.sleep(0.05)
    raise AssertionError(f"no server opened {pipe} within {WITHIN_S} s")


async def gone(pids: set[int]) -> None:
    for _ in range(WITHIN_S * 20):
        if not any(Path(f"/proc/{pid}").exists() for pid in pids):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"processes {pids} still there after {WITHIN_S} s")


def workspace_of(tmp_path: Path) -> Path:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    return workspace


async def test_a_plan_mixing_mcp_tools_and_built_ins_completes(client, task_queue, tmp_path):
    workspace = workspace_of(tmp_path)
    settings = settings_for(task_queue, workspace)
    registry = mcp_registry(settings, tool_file(tmp_path, TIME, FILES))
    plan = {
        "name": "mixed",
        "nodes": [
            {"id": "now", "tool": "time.get_current_time", "args": {"timezone": "Asia/Tokyo"}},
            {"id": "save", "tool": "write_file", "args": {"path": "now.json", "json": "${now.output.json}"}},
            {"id": "back", "tool": "files.read_text_file", "args": {"path": "now.json"}, "depends_on": ["save"]},
            {"id": "zone", "tool": "extract_text", "args": {"text": "${back.output.text}", "mode": "regex",
                                                             "pattern": '"timezone": "([^"]+)"'}},
        ],
    }  # fmt: skip
    try:
        async with create_worker(client, settings, registry):
            record = ExecutionRecord.model_validate(await (await start_plan(client, task_queue, plan)).result())
    finally:
        await registry.aclose()
    assert record.state == AgentState.COMPLETED, record
    now = record.step("now").output
    assert now["json"]["timezone"] == "Asia/Tokyo" and "T" in now["json"]["datetime"]
    assert json.loads(record.step("back").output["text"]) == now["json"], "the MCP server read what write_file wrote"
    assert record.step("zone").output["first"] == "Asia/Tokyo"


async def test_a_server_killed_mid_call_is_retried_and_the_run_completes(client, task_queue, tmp_path):
    workspace = workspace_of(tmp_path)
    settings = settings_for(task_queue, workspace)
    registry = mcp_registry(settings, tool_file(tmp_path, FILES))
    pipe = workspace / "pipe"
    os.mkfifo(pipe)
    plan = {"name": "crash", "nodes": [{"id": "read", "tool": "files.read_text_file", "args": {"path": "pipe"},
                                        "retry": {"max_attempts": 3, "initial_interval_s": 0.1}}]}  # fmt: skip
    try:
        async with create_worker(client, settings, registry):
            handle = await start_plan(client, task_queue, plan)
            os.close(await reader_waiting(pipe))  # the call is in flight: the server blocks on the pipe
            servers = processes_in(workspace)
            assert servers, "the sandboxed server runs in the workspace"
            for pid in servers:
                # The sandbox's own processes are among them: one may have taken another with it already.
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            await gone(servers)  # until then, the dying server still holds the reading end
            writer = await reader_waiting(pipe)  # a new server, started for the retry
            os.write(writer, b"after the crash")
            os.close(writer)
            record = ExecutionRecord.model_validate(await asyncio.wait_for(handle.result(), WITHIN_S))
    finally:
        await registry.aclose()
    step = record.step("read")
    assert record.state == AgentState.COMPLETED and step.state == StepState.COMPLETED, record
    assert step.attempts == 2, "the call cut off by the crash was tried again, once"
    assert step.output["text"] == "after the crash"


def worker_process(client, task_queue: str, workspace: Path, registry_file: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "TEMPORAL_ADDRESS": client.service_client.config.target_host,
        "ORCHESTRA_TASK_QUEUE": task_queue,
        "ORCHESTRA_WORKSPACE": str(workspace),
        "ORCHESTRA_DATA_DIR": str(workspace.parent / "data"),
        "ORCHESTRA_REGISTRY": str(registry_file),
    }
    return subprocess.Popen(
        [sys.executable, str(ROOT / "worker.py")], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )


async def ready(process: subprocess.Popen[str]) -> subprocess.Popen[str]:
    assert process.stdout is not None
    line = ""
    while "worker ready" not in line:  # said once the server lists it polling, after its start-up notes
        line = await asyncio.wait_for(asyncio.to_thread(process.stdout.readline), WITHIN_S)
        assert line, "the worker ended before it was ready"
    return process


def stop(process: subprocess.Popen[str], sig: int = signal.SIGTERM) -> None:
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(sig)
    process.wait()
    if process.stdout is not None:
        process.stdout.close()


async def test_a_worker_killed_mid_run_finishes_on_a_new_worker_without_repeating_a_call(client, task_queue, tmp_path):
    workspace = workspace_of(tmp_path)
    registry_file = tool_file(tmp_path, TIME, FILES)
    pipe = workspace / "pipe"
    os.mkfifo(pipe)
    plan = {
        "name": "survive",
        "nodes": [
            {"id": "first", "tool": "time.get_current_time", "args": {"timezone": "UTC"}},
            {"id": "wait", "tool": "files.read_text_file", "args": {"path": "pipe"}, "depends_on": ["first"],
             "heartbeat_timeout_s": 2, "retry": {"max_attempts": 10, "initial_interval_s": 0.1}},
            {"id": "last", "tool": "write_file", "args": {"path": "out.txt", "content": "${wait.output.text}"}},
        ],
    }  # fmt: skip
    first = await ready(worker_process(client, task_queue, workspace, registry_file))
    try:
        handle = await start_plan(client, task_queue, plan)
        os.close(await reader_waiting(pipe))  # "first" is done, "wait" is in flight on this worker
    finally:
        stop(first, signal.SIGKILL)  # its sandboxed servers die with it (--die-with-parent)
    await unstick(client, handle.id)
    await gone(processes_in(workspace))  # a dying server would still hold the pipe's reading end
    second = await ready(worker_process(client, task_queue, workspace, registry_file))
    try:
        writer = await reader_waiting(pipe)
        os.write(writer, b"finished elsewhere")
        os.close(writer)
        record = ExecutionRecord.model_validate(await asyncio.wait_for(handle.result(), 120))
        history = await handle.fetch_history()
    finally:
        stop(second)
    assert record.state == AgentState.COMPLETED, record
    assert scheduled_activity_ids(history).count("first") == 1, "the completed MCP call was not repeated"
    assert record.step("first").attempts == 1
    assert record.step("wait").attempts >= 2, "the interrupted call was retried on the new worker"
    assert (workspace / "out.txt").read_text() == "finished elsewhere"


async def test_an_agent_calls_an_mcp_tool(client, task_queue, tmp_path):
    workspace = workspace_of(tmp_path)
    registry = mcp_registry(settings_for(task_queue, workspace), tool_file(tmp_path, TIME))
    answers = [
        completion("I look the time up.", [call("c1", "time_get_current_time", timezone="America/New_York")]),
        done("it is daytime somewhere"),
    ]
    try:
        with scripted(answers) as (base, seen):
            async with agent_worker(client, task_queue, workspace, base, registry=registry):
                handle = await start_agent(client, task_queue, task="what time is it in New York?")
                record = AgentExecution.model_validate(await handle.result())
    finally:
        await registry.aclose()
    assert record.state == AgentState.COMPLETED and record.success, record
    (tool_call,) = record.steps[0].tool_calls
    assert tool_call.tool == "time.get_current_time" and tool_call.state == StepState.COMPLETED
    assert "America/New_York" in (tool_call.result or "")
    offered = {t["function"]["name"]: t["function"] for t in seen[0]["body"]["tools"]}
    assert offered["time_get_current_time"]["parameters"]["required"] == ["timezone"], "the server's own schema"
    assert "MCP server time" in offered["time_get_current_time"]["description"]
