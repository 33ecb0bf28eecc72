"""The children that do in-process tools' CPU work: time limit, input cap, one run's fair share."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from orchestra.errors import ToolError, ToolValidationError
from orchestra.tools.offload import LocalLimits, LocalPool

SLOW = {"text": "<a " * 30_000, "mode": "html_title"}  # seconds of html.parser
QUICK = {"text": "id=7", "pattern": "id=(\\d)"}


async def test_a_call_over_its_time_limit_is_stopped_and_the_pool_goes_on() -> None:
    pool = LocalPool(LocalLimits(workers=2, time_limit_s=1))
    try:
        with pytest.raises(ToolError) as info:
            await pool.run("extract_text", SLOW)
        assert info.value.code == "time_limit"
        assert (await pool.run("extract_text", QUICK))["first"] == "7"
    finally:
        await pool.close()


async def test_a_call_limit_counts_the_work_not_the_start_of_a_new_child() -> None:
    # A cold child takes about 150 ms to start on a quiet machine (seconds on a loaded one); the work
    # of this call takes microseconds.
    pool = LocalPool(LocalLimits(workers=1, time_limit_s=0.1))
    try:
        assert (await pool.run("extract_text", QUICK))["first"] == "7"
    finally:
        await pool.close()


async def test_inputs_over_the_cap_are_refused_before_any_work() -> None:
    pool = LocalPool(LocalLimits(workers=1, input_bytes=1000))
    with pytest.raises(ToolValidationError) as info:
        await pool.run("extract_text", {"text": "x" * 2000, "pattern": "x"})
    assert info.value.code == "input_too_large"


async def test_one_run_cannot_take_every_child() -> None:
    pool = LocalPool(LocalLimits(workers=2, time_limit_s=2))
    try:
        hog = asyncio.create_task(pool.run("extract_text", SLOW, owner="greedy"))
        second = asyncio.create_task(pool.run("extract_text", SLOW, owner="greedy"))
        other = await pool.run("extract_text", QUICK, owner="other")
        assert other["first"] == "7"
        assert not hog.done(), "the other run waited until the greedy one's call was stopped"
        for task in (hog, second):
            with pytest.raises(ToolError):
                await task
    finally:
        await pool.close()


# Warms pools under ever larger file-descriptor limits until one warm starts some children and fails to
# start the others (a real EMFILE); prints what the pool kept and which children of this process live.
_CHILDREN = """
def children():
    alive = set()
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(os.getpid()) and fields[0] != "Z":
            alive.add(int(entry))
    return alive

async def kept_and_alive(pool):
    kept = {child.process.pid for child in pool._idle}
    alive = children()
    await pool.close()
    for pid in children():  # what the pool lost: a test that fails still ends
        os.kill(pid, 9)
    return kept, alive
"""
_PARTIAL_WARM = (
    """
import asyncio, json, os, resource
from orchestra.tools.offload import LocalLimits, LocalPool
"""
    + _CHILDREN
    + """

async def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    for slack in range(4, 40):
        pool = LocalPool(LocalLimits(workers=6))
        resource.setrlimit(resource.RLIMIT_NOFILE, (len(os.listdir("/proc/self/fd")) + slack, hard))
        try:
            await pool.warm()
            error = None
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
        finally:
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        await asyncio.sleep(0)
        kept, alive = await kept_and_alive(pool)
        if error is not None and alive:
            print(json.dumps({"error": error, "kept": sorted(kept), "alive": sorted(alive)}), flush=True)
            return
    print(json.dumps({"error": None}), flush=True)

asyncio.new_event_loop().run_until_complete(main())
os._exit(0)  # not through the loop's shutdown: a start task the pool lost may never end
"""
)


def _last_line_of(script: str) -> dict[str, Any]:
    """Runs ``script`` in a Python process of its own (its children are its alone); its last line, as JSON."""
    import json
    import subprocess
    import sys

    from orchestra.tools.offload import PACKAGE_ROOT

    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": PACKAGE_ROOT},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    seen: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return seen


def test_a_warm_that_starts_some_children_keeps_every_one_it_started() -> None:
    seen = _last_line_of(_PARTIAL_WARM)
    assert seen["error"], "no limit made a warm fail half-way"
    assert seen["alive"] == seen["kept"], f"children started but not kept: {seen}"
    assert seen["error"].startswith("ToolError:") and "did not start" in seen["error"], seen["error"]


# A warm of two children: the second is stopped (SIGSTOP) before it is ready, so its start stays pending
# while the first's completes; then the warm is cancelled twice (a worker shutting down while it warms):
# the second cancellation arrives while the warm waits for the stopped start to end. Prints what the
# pool kept and which children of this process live once every task has ended.
_TWICE_CANCELLED_WARM = (
    """
import asyncio, json, os, signal
from orchestra.tools.offload import LocalLimits, LocalPool
"""
    + _CHILDREN
    + """
def starting():
    return [t for t in asyncio.all_tasks() if getattr(t.get_coro(), "__qualname__", "") == "_Child.start"]

async def stopped_half_way():
    # A pool whose warm has one child started and one stopped before it was ready.
    while True:
        pool = LocalPool(LocalLimits(workers=2))
        warm = asyncio.get_running_loop().create_task(pool.warm())
        while len(children()) < 2:
            await asyncio.sleep(0.005)
        stopped = max(children())
        os.kill(stopped, signal.SIGSTOP)
        while len(starting()) > 1:  # the other child is ready
            await asyncio.sleep(0.005)
        if starting():
            return pool, warm, stopped
        await asyncio.wait([warm])  # both were ready before the stop (a loaded machine): again
        await pool.close()

async def main():
    pool, warm, stopped = await stopped_half_way()
    warm.cancel()
    await asyncio.sleep(0)  # the warm is now waiting for the stopped start to end
    warm.cancel()
    await asyncio.wait([warm])
    while len(asyncio.all_tasks()) > 1:  # every start, and whatever the warm left running, has ended
        await asyncio.sleep(0.005)
    kept, alive = await kept_and_alive(pool)
    print(json.dumps({"kept": sorted(kept), "alive": sorted(alive), "stopped": stopped}), flush=True)

asyncio.new_event_loop().run_until_complete(main())
os._exit(0)
"""
)


def test_a_warm_cancelled_twice_keeps_or_stops_every_child_it_started() -> None:
    seen = _last_line_of(_TWICE_CANCELLED_WARM)
    assert seen["stopped"] not in seen["alive"], seen
    assert seen["alive"] == seen["kept"] and len(seen["kept"]) == 1, f"children started but not kept: {seen}"
