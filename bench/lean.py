"""OrchestrationWorkflow without its UI details, to measure what rendering them costs per workflow task.

Only for bench/worker_options.py: the engine itself is never run this way.
"""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from orchestra.calls import RunRequest
    from orchestra.plan_chain import PlanCarry
    from orchestra.record import ExecutionRecord
    from workflows.orchestration import OrchestrationWorkflow


@workflow.defn(name="BenchLeanOrchestration")
class LeanOrchestrationWorkflow(OrchestrationWorkflow):
    @workflow.run
    async def run(self, request: RunRequest | None, carry: PlanCarry | None = None) -> ExecutionRecord:
        return await super().run(request, carry)

    def current_details(self) -> str:
        return ""
