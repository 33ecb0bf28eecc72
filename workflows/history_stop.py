"""Where a run stops before the server's history limit, the rule plan and agent runs share (workflow code). It asks
no patch: each workflow asks its own where it applies the rule (workflows/run_size.py, workflows/agent.py), so that
a run recorded before it replays as it ran."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from orchestra import plan_chain
    from workflows.results_land import results_land

T = TypeVar("T")


class HistoryOverfull(Exception):
    """The run's history reached plan_chain.HISTORY_STOP_BYTES while it could not hand over: it ends recorded."""


def history_past_stop() -> int | None:
    """The history's size when it has reached plan_chain.HISTORY_STOP_BYTES (read here: a test sets it lower)."""
    size = workflow.info().get_current_history_size()
    return size if size >= plan_chain.HISTORY_STOP_BYTES else None


def stop_said(size: int, ended: str, why: str = "") -> str:
    """What a run that stopped at the bound says: its size, the bound, ``why`` it could not go on otherwise, and
    what ``ended`` with it."""
    return (
        f"the run's history reached {size:,} bytes (the run stops at {plan_chain.HISTORY_STOP_BYTES:,}; Temporal's"
        f" server terminates a run at 50 MB by default, its record lost){why}: large signals or updates sent to the"
        f" run fill its history. The run ended here, {ended}, so that its record is kept"
    )


async def stopped_when_past(
    body: Coroutine[Any, Any, T], said: Callable[[int], str], halt: Callable[[], None] | None = None
) -> T:
    """``body``'s result; but once the history reaches the bound first, ``body`` cancelled (what it ran stopped, as a
    cancel of the run stops it) and HistoryOverfull raised saying ``said(size)``: a run waiting on a model, a tool, an
    approval or a pause while signals fill its history was terminated by the server, its record lost. ``halt`` is
    called with the cancel, for the body's own checkpoints to see: the SDK applies an activation's signals (which
    fill the history) and checks wait conditions before it resolves the activities in it, so a call whose result
    comes in that activation returns it despite the cancel (its cancellation waited for), and the body goes on."""
    task = asyncio.create_task(body)
    try:
        await workflow.wait_condition(lambda: task.done() or history_past_stop() is not None)
        if not task.done():
            await results_land()
    except asyncio.CancelledError:
        await results_land()
        task.cancel()
        await workflow.wait_condition(task.done)
        raise
    if task.done():
        return task.result()
    size = history_past_stop() or workflow.info().get_current_history_size()
    if halt is not None:
        halt()
    task.cancel()
    await workflow.wait_condition(task.done)
    if not task.cancelled():
        task.exception()  # the run ends stopped, whatever the body raised on its way out
    raise HistoryOverfull(said(size))
