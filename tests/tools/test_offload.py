"""The children that do in-process tools' CPU work: time limit, input cap, one run's fair share."""

from __future__ import annotations

import asyncio

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
