"""Ctrl-C while `plan "TASK"` plans stops the command at once, with nothing printed."""

from __future__ import annotations

import asyncio
import io
import threading
from typing import Any

import pytest

from orchestra.cli import planning
from orchestra.cli.app import invoke
from orchestra.planning.models import PlanningResult
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry


async def test_ctrl_c_during_a_slow_plan_stops_the_command_before_it_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    made = await plan_task("Summarize notes.txt", default_registry())
    started, released = threading.Event(), threading.Event()
    held_the_loop = threading.Event()

    async def slow_planner(*_: Any, **__: Any) -> PlanningResult:
        # Stands for the planner's CPU work: it blocks whatever loop it runs on until the test lets it go.
        # The test can let it go only while its own loop is free, i.e. when the planner runs elsewhere.
        started.set()
        if not released.wait(timeout=30):
            held_the_loop.set()
        return made

    monkeypatch.setattr(planning, "plan_task", slow_planner)
    out, err = io.StringIO(), io.StringIO()
    command = asyncio.create_task(invoke(["plan", "Summarize notes.txt"], out=out, err=err))
    await asyncio.to_thread(started.wait, 30)
    command.cancel()  # what Ctrl-C does to a command: asyncio.run cancels its task (app.main then exits 130)
    released.set()
    with pytest.raises(asyncio.CancelledError):
        await command
    assert not held_the_loop.is_set(), "the planner ran on the command's loop: Ctrl-C waited for the plan"
    assert out.getvalue() == "", "the plan was made and printed after Ctrl-C"
