"""The workflows of tests/workflows/test_slow_activation_shutdown.py and test_endless_activation_bounded.py (their own
module: the sandbox imports it afresh)."""

from __future__ import annotations

import asyncio

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from tests.workflows.endless_activation import ENDLESS
    from tests.workflows.slow_activation import SLOW


@workflow.defn(name="SlowActivationOnce")
class SlowActivationOnce:
    def __init__(self) -> None:
        self.go = False

    @workflow.run
    async def run(self) -> str:
        await workflow.wait_condition(lambda: self.go)
        return "done"

    @workflow.signal
    def slow(self) -> None:
        SLOW.busy()
        self.go = True

    @workflow.signal
    def spin(self) -> None:
        """Never ends until ENDLESS is released (``slow``, unarmed, then ends the run)."""
        ENDLESS.spin()


@workflow.defn(name="RefusesEviction")
class RefusesEviction:
    """Its coroutine does not end when the run is evicted (it waits on, caught the eviction's exception): as an
    instance a slow activation's interruption left broken, its eviction raises each time it is tried."""

    def __init__(self) -> None:
        self.go = False

    @workflow.run
    async def run(self) -> str:
        try:
            await workflow.wait_condition(lambda: self.go)
        except BaseException:
            while True:  # each try of its eviction throws in here again
                try:
                    await asyncio.get_running_loop().create_future()  # never done; no workflow command, so allowed
                except BaseException:
                    continue
        return "done"

    @workflow.signal
    def finish(self) -> None:
        self.go = True
