"""The workflow of tests/workflows/test_endless_activation_bounded.py (its own module: the sandbox imports it
afresh)."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from tests.workflows.endless_activation import ENDLESS


@workflow.defn(name="EndlessActivation")
class EndlessActivation:
    def __init__(self) -> None:
        self.go = False

    @workflow.run
    async def run(self) -> str:
        await workflow.wait_condition(lambda: self.go)
        return "done"

    @workflow.signal
    def spin(self) -> None:
        ENDLESS.spin()

    @workflow.signal
    def finish(self) -> None:
        self.go = True
