"""The offline planner's passes are CPU work: they run beside the worker's event loop, not on it, so a long
task being planned holds no other activity of the worker (their heartbeats, their tools' I/O)."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Awaitable

from temporalio.testing import ActivityEnvironment

from activities import intelligence
from activities.intelligence import AnalyseRequest, BuildRequest, IntelligenceActivities, SelectRequest
from activities.tools import ToolActivities
from orchestra.analysis import TaskAnalysis, analyse_heuristic
from orchestra.calls import ToolCall
from orchestra.confinement import Confinement
from orchestra.registry import ToolRegistry, default_registry
from tests.mcp.test_hostile import NEVER

# Many sentences of work: the analysis alone is about a second of CPU.
LONG_TASK = ". ".join(
    f"Fetch https://example.com/{i} and save its title to t{i}.txt then count the words of it" for i in range(150)
)


async def loop_turns_during(work: Awaitable[object]) -> int:
    """How many times the event loop ran another task while ``work`` was awaited."""
    turns = 0
    done = asyncio.Event()

    async def turn() -> None:
        nonlocal turns
        while not done.is_set():
            turns += 1
            await asyncio.sleep(0)

    other = asyncio.create_task(turn())
    try:
        await work
    finally:
        done.set()
        await other
    return turns


async def test_planning_a_long_task_leaves_the_event_loop_to_the_others():
    planner = IntelligenceActivities(default_registry())
    analysis = await planner.analyse_task(AnalyseRequest(task=LONG_TASK))  # caches warmed: what remains is the work
    selected = await planner.select_tools(SelectRequest(analysis=analysis))
    passes = {
        "analyse_task": planner.analyse_task(AnalyseRequest(task=LONG_TASK)),
        "select_tools": planner.select_tools(SelectRequest(analysis=analysis)),
        "build_plan": planner.build_plan(BuildRequest(analysis=analysis, selections=selected.selections)),
    }
    # On the loop, a pass lets the others run only where it awaits (never, or once): a few turns at most.
    turns = {name: await loop_turns_during(work) for name, work in passes.items()}
    assert all(count > 10 for count in turns.values()), turns


async def test_passes_waiting_their_turn_leave_the_workers_threads_to_the_other_activities(tmp_path, monkeypatch):
    """Passes run one at a time; each waited for its turn in one of the default executor's threads (6 on 2
    cores), the threads every run_tool's walks and every prepare_plan take: as many tasks being planned at once
    held all of them, and every step of every run waited for the planner's queue."""
    release, started = threading.Event(), threading.Event()

    def held_analysis(task: str, registry: ToolRegistry) -> TaskAnalysis:
        started.set()
        assert release.wait(NEVER)
        return analyse_heuristic(task, registry)

    monkeypatch.setattr(intelligence, "analyse_heuristic", held_analysis)
    planner = IntelligenceActivities(default_registry())
    queued = [
        asyncio.create_task(planner.analyse_task(AnalyseRequest(task=f"count the words of t{i}.txt")))
        for i in range(min(32, (os.cpu_count() or 1) + 4) + 1)
    ]
    await asyncio.to_thread(started.wait, NEVER)
    (tmp_path / "a.txt").write_text("some words")
    activities = ToolActivities(default_registry(), Confinement(workspace=tmp_path))
    call = ToolCall(tool="read_file", node_id="a", args={"path": "a.txt"})
    try:
        # Bounded only so that the test ends: without the fix this waits for the planner's queue, forever here.
        result = await asyncio.wait_for(ActivityEnvironment().run(activities.run_tool, call), 60)
    finally:
        release.set()
        analyses = await asyncio.gather(*queued)
    assert result.output is not None and result.output["content"] == "some words"
    assert len(analyses) == len(queued)
