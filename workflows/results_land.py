"""Letting results an activation delivered reach their waiters before the workflow stops anything (workflow code)."""

from __future__ import annotations

from temporalio import workflow


async def results_land() -> None:
    """Returns once every task made ready by this activation has run. temporalio applies an activation's signals and
    checks wait conditions before it resolves the activities in it, so code woken by a signal, a timer or a cancel
    would otherwise stop steps whose results are already in the history and record them cancelled. Asks nothing of
    the server (no command), so it changes no history and replays alike."""
    await workflow.wait_condition(lambda: True)
