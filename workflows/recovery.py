"""Recovery within a run (workflow code): fallback tools behind circuit breakers, and compensation
of completed side effects when the run fails (saga)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.health import HealthActivities
    from activities.tools import ToolActivities
    from orchestra.calls import CallSizes, ToolResult
    from orchestra.errors import ErrorKind, ExecutionError
    from orchestra.plan import Plan, PlanNode
    from orchestra.record import CompensationRecord, ExecutionRecord, StepRecord, StepState
    from orchestra.references import INPUT_ERRORS
    from orchestra.step_scope import StepScope
    from orchestra.validation import COMPENSATION_ATTEMPTS, NodeExecution, PlanSchedule
    from workflows.activity_options import ACTIVITY_FAILURES, classify_failure
    from workflows.tool_calls import execute_tool, plan_call

CIRCUITS_TIMEOUT = timedelta(seconds=10)
COMPENSATION_TIMEOUT = timedelta(seconds=120)
FORGET_TIMEOUT = timedelta(seconds=60)
# Runs that kept copies for their undos remove them when they end; runs before this had none to remove.
FORGET_REPLACED_PATCH = "copies-kept-for-undos-removed-at-the-end"


class Fallbacks:
    """Tries a node's tool, then each alternative, skipping tools whose circuit is open: open in the
    shared tool history when the run started, or opened in this run by repeated failures."""

    def __init__(
        self,
        plan: Plan,
        open_at_start: set[str],
        stopping: Callable[[], bool],
        failures: dict[str, int] | None = None,
        *,
        secrets: bool,
    ) -> None:
        self.plan = plan
        self.secrets = secrets  # whether the run may resolve ${secrets.*} (RunRequest.secrets_allowed)
        self.open_at_start = open_at_start
        self.stopping = stopping  # once the run is cancelled or past its deadline, no alternative starts
        self.failures: dict[str, int] = failures or {}  # a continued run goes on with its chain's counts

    async def execute(
        self, node: PlanNode, schedule: PlanSchedule, ex: NodeExecution, step: StepRecord, scope: StepScope,
        sizes: CallSizes,
    ) -> ToolResult:  # fmt: skip
        """Moves on when a tool fails; the last choice is always tried, each with its own attempts."""
        choices = [(node.tool, node.args), *((a.tool, a.args) for a in node.alternatives)]
        for index, (tool, args) in enumerate(choices):
            last = index == len(choices) - 1
            why_not = self.circuit_open(tool)
            if why_not and not last:
                step.fallback_from.append(f"{tool}: {why_not}")
                continue
            step.tool = tool
            call = plan_call(tool, args, node.id, scope, sizes, secrets=self.secrets, undo_reads=node.undo_reads())
            tool_ex = self.options_tried(node, schedule, ex, step)
            try:
                activity_id = node.id if index == 0 else f"{node.id}.{tool}"
                return await execute_tool(call, tool_ex, activity_id=activity_id, read_back=False)
            except ACTIVITY_FAILURES as err:
                error, _ = classify_failure(err, tool_ex.retry.max_attempts)
                if last or error.type == ErrorKind.USER_CANCELLED or self.stopping():
                    raise
                self.failures[tool] = self.failures.get(tool, 0) + 1
                step.fallback_from.append(f"{tool}: {error.type.value}: {error.message[:200]}")
        raise AssertionError("unreachable: the last choice returns or raises")

    @staticmethod
    def options_tried(node: PlanNode, schedule: PlanSchedule, ex: NodeExecution, step: StepRecord) -> NodeExecution:
        """The options of the choice the step is at (or ended with): each choice moved past is one entry
        of its ``fallback_from``. Its failure counts its own attempts, not the node's."""
        index = len(step.fallback_from)
        return ex if index == 0 else schedule.fallback_options(ex, node.id, index - 1, step.tool)

    def circuit_open(self, tool: str) -> str | None:
        if tool in self.open_at_start:
            return "circuit open (shared tool history)"
        limit = self.plan.circuit_breaker.failures_to_open if self.plan.circuit_breaker else None
        failures = self.failures.get(tool, 0)
        if limit is not None and failures >= limit:
            return f"circuit open in this run ({failures} failures)"
        return None


async def open_circuits_at_start(plan: Plan) -> set[str]:
    """Tools the shared history has open circuits for; asked only when the plan can use the answer."""
    breaker = plan.circuit_breaker
    if breaker is None or not breaker.skip_open_circuits or not any(n.alternatives for n in plan.nodes):
        return set()
    tools = sorted(
        {n.tool for n in plan.nodes if n.alternatives} | {a.tool for n in plan.nodes for a in n.alternatives}
    )
    try:
        opened: list[str] = await workflow.execute_local_activity_method(
            HealthActivities.open_circuits,
            tools,
            start_to_close_timeout=CIRCUITS_TIMEOUT,
            retry_policy=RetryPolicy(maximum_attempts=2),
            summary="read circuit breakers",
        )
    except ACTIVITY_FAILURES:
        return set()  # the shared history is advice: a run goes on without it
    return set(opened)


async def compensate(
    plan: Plan, schedule: PlanSchedule, record: ExecutionRecord, scope: StepScope, sizes: CallSizes,
    show: Callable[[], None], *, secrets: bool,
) -> None:  # fmt: skip
    """Undo completed steps that declare a compensation, newest first, each no more often than its tool and
    arguments allow (a refund POSTed without a key was sent up to 5 times when its answer was slow)."""
    done = [s for s in record.steps if s.state == StepState.COMPLETED and plan.node(s.node_id).compensation]
    done.sort(key=lambda s: s.ended_at or record.started_at, reverse=True)
    for step in done:
        compensation = plan.node(step.node_id).compensation
        assert compensation is not None
        step.compensation = entry = CompensationRecord(tool=compensation.tool, state=StepState.CALLING_TOOL)
        show()
        attempts = schedule.compensation_attempts.get(step.node_id, COMPENSATION_ATTEMPTS)
        try:
            call = plan_call(compensation.tool, compensation.args, step.node_id, scope, sizes, secrets=secrets)
            result: ToolResult = await workflow.execute_activity_method(
                ToolActivities.run_tool,
                call.model_copy(update={"sends": attempts}),  # its tool's tries within the attempt too (ToolCall.sends)
                start_to_close_timeout=COMPENSATION_TIMEOUT,
                retry_policy=RetryPolicy(maximum_attempts=attempts, non_retryable_error_types=[ErrorKind.VALIDATION]),
                activity_id=f"{step.node_id}.compensate",
                summary=f"{step.node_id}: undo with {compensation.tool}",
            )
            entry.state = StepState.COMPLETED
            entry.output = result.output if result.output_ref is None else result.preview
        except INPUT_ERRORS as exc:
            entry.state, entry.error = StepState.ERROR, ExecutionError.of(ErrorKind.VALIDATION, str(exc))
        except ACTIVITY_FAILURES as err:
            entry.state, entry.error = StepState.ERROR, classify_failure(err, attempts)[0]
    show()


async def forget_replaced(plan: Plan, *, undone: bool) -> None:
    """The copies the run's writes kept for their undos (orchestra/tools/replaced.py) go once the run has ended and
    its undos have run, but, in a failed run (``undone``), those still there: no undo put them back (said by each
    such undo), or their write failed after keeping one (no undo runs for it). They are the user's only way back,
    left to the sweep of old copies. So does a worker that cannot remove them. (Only the activity's argument is new:
    histories recorded before replay as they were.)"""
    if not any("previous" in node.undo_reads() for node in plan.nodes) or not workflow.patched(FORGET_REPLACED_PATCH):
        return
    try:
        await workflow.execute_activity_method(
            ToolActivities.forget_replaced,
            undone,
            start_to_close_timeout=FORGET_TIMEOUT,
            retry_policy=RetryPolicy(maximum_attempts=3),
            summary="remove the copies kept for undos",
        )
    except ACTIVITY_FAILURES:
        workflow.logger.warning("the copies kept for undos were not removed: the sweep of old copies will")
