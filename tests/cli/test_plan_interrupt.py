"""Ctrl-C while `plan "TASK"` plans a long task stops the command at once, with nothing printed."""

from __future__ import annotations

import asyncio
import io

import pytest

import orchestra.planning.pipeline  # noqa: F401 - loaded here, so the command starts planning at once
from orchestra.cli.app import invoke

# Long enough that planning outlasts the 0.3 s the test waits: 40 clauses were planned and printed in
# about that time on this branch (0.58 s on main, all of it included), and the command ended before the Ctrl-C.
LONG_TASK = "Summarize notes.txt and translate it to French, then " * 200 + "write the result to out.txt"


async def test_ctrl_c_during_a_slow_plan_stops_the_command_before_it_prints() -> None:
    out, err = io.StringIO(), io.StringIO()
    command = asyncio.create_task(invoke(["plan", LONG_TASK], out=out, err=err))
    # While the planner worked on this loop, this sleep ended only once the plan was made and printed.
    await asyncio.sleep(0.3)
    command.cancel()  # what Ctrl-C does to a command: asyncio.run cancels its task (app.main then exits 130)
    with pytest.raises(asyncio.CancelledError):
        await command
    assert out.getvalue() == "", "the plan was made and printed after Ctrl-C"
