"""The workflow of tests/workflows/test_slow_activation_shutdown.py (its own module: the sandbox imports it afresh)."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
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
