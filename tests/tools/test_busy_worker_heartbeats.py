"""A step that does nothing must not be timed out because the worker is busy (issue 9).

The server's heartbeat clock runs from when it hands an activity task out; on a loaded worker the SDK took
seconds to start the task, and the step's set-up seconds more before its first beat: `sleep 0` steps failed
all their attempts on 5 s heartbeat timeouts (bench/busy_worker.py)."""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client
from temporalio.testing import ActivityEnvironment

from activities import tools as tool_activities
from activities.tools import ToolActivities
from orchestra.calls import ToolCall
from orchestra.confinement import Confinement
from orchestra.record import StepState
from orchestra.registry import default_registry
from orchestra.settings import Settings
from tests.helpers import run_plan, settings_for, worker_for
from tests.mcp.test_hostile import NEVER
from worker import create_worker


def sleep_zero(heartbeat_timeout_s: float) -> dict[str, Any]:
    return {
        "name": "busy-worker",
        "nodes": [{"id": "nothing", "tool": "shell", "args": {"command": ["sleep", "0"]},
                   "heartbeat_timeout_s": heartbeat_timeout_s, "retry": {"max_attempts": 1}}],
    }  # fmt: skip


async def test_a_command_whose_checks_wait_on_the_filesystem_still_heartbeats(
    client: Client, task_queue: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checks before a command starts resolve its arguments as paths: on the event loop, a slow filesystem
    (held here past the step's heartbeat timeout) held every heartbeat of the worker, and the step timed out."""
    checked = Confinement.check_arguments
    held: list[str] = []

    def slow_filesystem(self: Confinement, args: list[str], cwd: Path) -> None:
        held.append(threading.current_thread().name)
        time.sleep(6)
        checked(self, args, cwd)

    monkeypatch.setattr(Confinement, "check_arguments", slow_filesystem)
    record = await run_plan(client, task_queue, tmp_path, sleep_zero(4))
    step = record.step("nothing")
    assert (step.state, step.attempts, step.error) == (StepState.COMPLETED, 1, None)
    assert held and held[0] != threading.main_thread().name


async def test_a_step_beats_before_its_set_up_and_as_often_as_its_own_timeout_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first beat waited a whole beat period (1 s), and the period ignored the step's heartbeat timeout: a
    step asking for 0.8 s could never be heard in time, and one whose SDK start came late had no beat to spare.
    Here the worker's period is an hour: the step's 4 s timeout alone must set how often it beats, from the
    start. The tool's set-up (arguments checked, in a thread) waits until three beats are heard."""
    monkeypatch.setattr(tool_activities, "HEARTBEAT_EVERY_S", 3600.0)
    beats = threading.Semaphore(0)
    heard: list[bool] = []
    arguments = ToolActivities._arguments

    def set_up_after_three_beats(self: ToolActivities, call: ToolCall, tool: Any, *more: Any) -> Any:
        heard.append(all(beats.acquire(timeout=NEVER / 10) for _ in range(3)))
        return arguments(self, call, tool, *more)

    monkeypatch.setattr(ToolActivities, "_arguments", set_up_after_three_beats)
    environment = ActivityEnvironment()
    environment.info = dataclasses.replace(environment.info, heartbeat_timeout=timedelta(seconds=4))
    environment.on_heartbeat = lambda *_details: beats.release()
    (tmp_path / "a.txt").write_text("a")
    activities = ToolActivities(default_registry(), Confinement(workspace=tmp_path))
    call = ToolCall(tool="read_file", node_id="read", args={"path": "a.txt"})
    result = await environment.run(activities.run_tool, call)
    assert heard == [True] and result.output is not None


async def test_the_worker_takes_on_no_more_tool_calls_at_once_than_its_cores_can_start_in_time(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """Every task the server hands out has its heartbeat clock running while Python starts it on one loop: 256
    at once on 2 loaded cores, a burst of 100 `sleep 0` steps waited up to 19 s to start, and 119 of 300 failed
    all their attempts (bench/busy_worker.py). The worker as shipped takes 32 per core it may run on."""
    shipped = worker_for(client, task_queue, tmp_path).config()
    assert shipped.get("max_concurrent_activities") == min(256, 32 * len(os.sched_getaffinity(0)))


async def test_orchestra_max_activities_sets_how_many_tool_calls_the_worker_takes_on_at_once(
    client: Client, task_queue: str, tmp_path: Path
) -> None:
    """An operator who knows the machine (quiet cores, calls that only wait) sets its own count, up to 256."""
    assert Settings.from_env({"ORCHESTRA_MAX_ACTIVITIES": " 5 "}).max_activities == 5
    settings = settings_for(task_queue, tmp_path).model_copy(update={"max_activities": 5})
    assert create_worker(client, settings, default_registry()).config().get("max_concurrent_activities") == 5
