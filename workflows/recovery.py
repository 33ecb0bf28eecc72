"""Recovery within a run (workflow code): fallback tools behind circuit breakers, and compensation
of completed side effects when the run fails (saga)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.health import HealthActivities
    from activities.tools import ToolActivities
    from activities.values import ValueActivities
    from orchestra.calls import CallSizes, ToolResult
    from orchestra.errors import ErrorKind, ExecutionError
    from orchestra.plan import Plan, PlanNode
    from orchestra.record import CompensationRecord, ExecutionRecord, StepRecord, StepState, UndoPage
    from orchestra.references import INPUT_ERRORS
    from orchestra.step_scope import StepScope
    from orchestra.storage.stored import StoredValue
    from orchestra.validation import COMPENSATION_ATTEMPTS, NodeExecution, PlanSchedule
    from workflows.activity_options import ACTIVITY_FAILURES, classify_failure
    from workflows.tool_calls import execute_tool, plan_call

CIRCUITS_TIMEOUT = timedelta(seconds=10)
COMPENSATION_TIMEOUT = timedelta(seconds=120)
FORGET_TIMEOUT = timedelta(seconds=60)
STORED_TIMEOUT = timedelta(seconds=120)
# Runs that kept copies for their undos remove them when they end; runs before this had none to remove.
FORGET_REPLACED_PATCH = "copies-kept-for-undos-removed-at-the-end"
# A chain's hand-over stores the steps a compensation may undo with its chunk rather than listing them in the
# carry (workflows/handover.py); the compensation reads them back from there.
COVERS_EARLIER_RUNS_PATCH = "compensation-covers-earlier-runs"


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
    arguments allow (a refund POSTed without a key was sent up to 5 times when its answer was slow): those the
    record lists, and those earlier runs of the chain stored with their chunks (``StepChunk.undo``). Runs of a
    chain follow one another, so the undos go through the chunks newest first, a listed step undone before the
    first one that ended before it."""
    undo = _Undo(plan, schedule, scope, sizes, secrets)
    listed = deque(
        sorted(
            (s for s in record.steps if s.state == StepState.COMPLETED and plan.node(s.node_id).compensation),
            key=lambda s: s.ended_at or record.started_at,
            reverse=True,
        )
    )

    async def listed_until(ended_at: datetime | None) -> None:
        """The listed steps that ended after ``ended_at`` (all of them for None)."""
        while listed and (ended_at is None or (listed[0].ended_at or record.started_at) >= ended_at):
            step = listed.popleft()
            await undo.run(step.node_id, show, step)

    for chunk in reversed(record.earlier):
        if chunk.stored is None:  # nothing stored outside the history: its steps are listed in the chunk
            inline = [s for s in chunk.steps if s.state == StepState.COMPLETED and plan.node(s.node_id).compensation]
            for step in sorted(inline, key=lambda s: s.ended_at or record.started_at, reverse=True):
                await listed_until(step.ended_at or record.started_at)
                await undo.run(step.node_id, show, step)
            if inline:  # a chunk of a run before the patch lists none: its replay makes no call it did not
                show()
            continue
        for page_ref in chunk.undo:
            page = await _read_page(page_ref, chunk.run_index)
            if page.items:
                await listed_until(page.items[0].ended_at)
            # What the page's compensations read of steps no step still to run read: in scope for them only.
            for node, entry in page.scope.items():
                scope.values[node] = {**entry, "output": page.stored.get(node, entry.get("output"))}
            done = {item.node: await undo.run(item.node, show) for item in page.items}
            for node in page.scope:
                scope.values.pop(node, None)
            if done and (stored := await _store_undone(done, chunk.run_index)) is not None:
                chunk.undone.append(stored)
            show()
    await listed_until(None)
    show()


class _Undo:
    def __init__(self, plan: Plan, schedule: PlanSchedule, scope: StepScope, sizes: CallSizes, secrets: bool) -> None:
        self.plan, self.schedule, self.scope, self.sizes, self.secrets = plan, schedule, scope, sizes, secrets

    async def run(self, node_id: str, show: Callable[[], None], step: StepRecord | None = None) -> CompensationRecord:
        """The undo of the step ``node_id`` (completed, with a compensation), as its record shows it: on ``step``
        from the start when the record lists it."""
        compensation = self.plan.node(node_id).compensation
        assert compensation is not None
        entry = CompensationRecord(tool=compensation.tool, state=StepState.CALLING_TOOL)
        if step is not None:
            step.compensation = entry
        show()
        attempts = self.schedule.compensation_attempts.get(node_id, COMPENSATION_ATTEMPTS)
        try:
            call = plan_call(
                compensation.tool, compensation.args, node_id, self.scope, self.sizes, secrets=self.secrets
            )
            result: ToolResult = await workflow.execute_activity_method(
                ToolActivities.run_tool,
                call.model_copy(update={"sends": attempts}),  # its tool's tries within the attempt too (ToolCall.sends)
                start_to_close_timeout=COMPENSATION_TIMEOUT,
                retry_policy=RetryPolicy(maximum_attempts=attempts, non_retryable_error_types=[ErrorKind.VALIDATION]),
                activity_id=f"{node_id}.compensate",
                summary=f"{node_id}: undo with {compensation.tool}",
            )
            entry.state = StepState.COMPLETED
            entry.output = result.output if result.output_ref is None else result.preview
        except INPUT_ERRORS as exc:
            entry.state, entry.error = StepState.ERROR, ExecutionError.of(ErrorKind.VALIDATION, str(exc))
        except ACTIVITY_FAILURES as err:
            entry.state, entry.error = StepState.ERROR, classify_failure(err, attempts)[0]
        return entry


async def _read_page(page: StoredValue, run_index: int) -> UndoPage:
    """One page of the steps an earlier run stored for undoing; none when it cannot be read (said in the log:
    their writes' copies stay, as for any write no undo put back)."""
    try:
        items = await workflow.execute_local_activity_method(
            ToolActivities.load_value, page, start_to_close_timeout=STORED_TIMEOUT,
            retry_policy=RetryPolicy(maximum_attempts=5), summary=f"read the steps run {run_index + 1} may undo",
        )  # fmt: skip
    except ACTIVITY_FAILURES as err:
        workflow.logger.warning(f"steps run {run_index + 1} finished are not undone, unreadable: {err}")
        return UndoPage(items=[])
    return UndoPage.model_validate(items)


async def _store_undone(done: dict[str, CompensationRecord], run_index: int) -> StoredValue | None:
    """A page's undos, stored where the chain's record reads them (orchestra/storage/step_chunks.py); None when
    they cannot be (said in the log: the undos ran, the files say what they did)."""
    try:
        refs: list[StoredValue] | None = await workflow.execute_local_activity_method(
            ValueActivities.store_values, [{node: e.model_dump(mode="json") for node, e in done.items()}],
            start_to_close_timeout=STORED_TIMEOUT, retry_policy=RetryPolicy(maximum_attempts=5),
            summary=f"store the undos of steps run {run_index + 1} finished",
        )  # fmt: skip
    except ACTIVITY_FAILURES as err:
        workflow.logger.warning(f"the undos of steps run {run_index + 1} finished are not recorded: {err}")
        return None
    return refs[0] if refs else None


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
