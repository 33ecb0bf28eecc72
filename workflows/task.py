"""TaskWorkflow: a plain-language task -> analysis -> selection -> plan -> OrchestrationWorkflow (child).

The planning result is kept for the `planning` query, so the UI and the CLI show why each tool was
picked; the plan itself runs as a child workflow, exactly like a plan file would.
"""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, Field
from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributePair, TypedSearchAttributes
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.intelligence import AnalyseRequest, BuildRequest, SelectRequest, SelectResult
    from orchestra import search_attributes as sa
    from orchestra.analysis import Backend
    from orchestra.analysis.models import TaskAnalysis
    from orchestra.calls import RunRequest
    from orchestra.errors import ErrorKind
    from orchestra.plan_chain import first_run_args
    from orchestra.planning.models import ExecutionPlan, PlanningResult
    from orchestra.record import ExecutionRecord
    from orchestra.references import Utf8Text
    from orchestra.selection.models import Preferences
    from orchestra.temporal_bounds import WORKFLOW_TASK_TIMEOUT
    from orchestra.text import one_line
    from workflows.orchestration import OrchestrationWorkflow

ANALYSIS_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=60),
    maximum_attempts=5,
    non_retryable_error_types=[ErrorKind.VALIDATION],  # an LLM error says itself whether it is retryable
)
# Selection and planning are pure computation on the worker: a failure is a bug or bad input, which
# retrying for ever (Temporal's default) would only hide.
PLANNING_RETRY = RetryPolicy(maximum_attempts=3, non_retryable_error_types=[ErrorKind.VALIDATION])


class TaskRequest(BaseModel):
    task: Utf8Text
    backend: Backend = "heuristic"
    preferences: Preferences = Field(default_factory=Preferences)
    inputs: dict[str, object] = Field(default_factory=dict)
    execute: bool = Field(True, description="false: stop after planning and return no record")
    allow_secrets: bool = Field(
        False, description="the plan may use the worker's ${secrets.*}: whoever starts the run vouches for the task"
    )


class TaskOutcome(BaseModel):
    planning: PlanningResult
    record: ExecutionRecord | None = None


@workflow.defn(name="TaskWorkflow")
class TaskWorkflow:
    def __init__(self) -> None:
        self._planning: PlanningResult | None = None

    @workflow.run
    async def run(self, request: TaskRequest) -> TaskOutcome:
        analysis: TaskAnalysis = await workflow.execute_activity(
            "analyse_task",
            AnalyseRequest(task=request.task, backend=request.backend),
            result_type=TaskAnalysis,
            start_to_close_timeout=timedelta(minutes=3),
            retry_policy=ANALYSIS_RETRY,
            summary=f"analyse task ({request.backend})",
        )
        complexity = analysis.complexity.value
        workflow.upsert_search_attributes([sa.COMPLEXITY.value_set(complexity)])
        selected: SelectResult = await workflow.execute_activity(
            "select_tools",
            SelectRequest(analysis=analysis, preferences=request.preferences),
            result_type=SelectResult,
            start_to_close_timeout=timedelta(seconds=60),
            retry_policy=PLANNING_RETRY,
            summary="select tools",
        )
        execution: ExecutionPlan = await workflow.execute_activity(
            "build_plan",
            BuildRequest(
                analysis=analysis,
                selections=selected.selections,
                preferences=request.preferences,
                history=selected.history,
            ),
            result_type=ExecutionPlan,
            start_to_close_timeout=timedelta(seconds=60),
            retry_policy=PLANNING_RETRY,
            summary="build plan",
        )
        self._planning = PlanningResult(analysis=analysis, selections=selected.selections, execution=execution)
        plan = execution.plan
        if plan is None:
            raise ApplicationError(
                "no runnable plan: " + "; ".join(execution.problems), type=ErrorKind.VALIDATION, non_retryable=True
            )
        if execution.missing:
            raise ApplicationError(
                "part of the task has no tool (creation required): " + "; ".join(execution.missing),
                type=ErrorKind.VALIDATION,
                non_retryable=True,
            )
        missing = [name for name in execution.missing_inputs if request.inputs.get(name) is None]
        if missing:
            raise ApplicationError(
                f"the plan needs inputs: {', '.join(missing)}", type=ErrorKind.VALIDATION, non_retryable=True
            )
        if not request.execute:
            return TaskOutcome(planning=self._planning)
        plan = plan.model_copy(update={"inputs": {**plan.inputs, **request.inputs}})
        record: ExecutionRecord = await workflow.execute_child_workflow(
            OrchestrationWorkflow.run,
            args=first_run_args(RunRequest(plan=plan, task=request.task, task_secrets=request.allow_secrets)),
            id=f"{workflow.info().workflow_id}-run",
            task_timeout=WORKFLOW_TASK_TIMEOUT,
            static_summary=f"plan for: {one_line(request.task, 120)}",  # one line in the UI; the input has it whole
            # Child runs do not inherit search attributes: the run is found by its task's complexity too.
            search_attributes=TypedSearchAttributes([SearchAttributePair(sa.COMPLEXITY, complexity)]),
        )
        return TaskOutcome(planning=self._planning, record=record)

    @workflow.query
    def planning(self) -> PlanningResult | None:
        return self._planning
