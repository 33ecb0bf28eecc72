"""The offline planner's passes are CPU work: they run beside the worker's event loop, not on it, so a long
task being planned holds no other activity of the worker (their heartbeats, their tools' I/O)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from activities.intelligence import AnalyseRequest, BuildRequest, IntelligenceActivities, SelectRequest
from orchestra.registry import default_registry

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
