"""OrchestrationWorkflow without its UI details, to measure what rendering them costs per workflow task.

Only for bench/worker_options.py: the engine itself is never run this way.
"""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from orchestra.calls import RunRequest
    from orchestra.record import ExecutionRecord
    from workflows.orchestration import OrchestrationWorkflow


@workflow.defn(name="BenchLeanOrchestration")
class LeanOrchestrationWorkflow(OrchestrationWorkflow):
    @workflow.run
    async def run(self, request: RunRequest) -> ExecutionRecord:
        return await super().run(request)

    def _show(self) -> None:
        pass
