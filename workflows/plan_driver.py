"""One run's share of a plan (workflow code): steps start as they become ready, bounded by the plan's
concurrency limits, until every step is finished or the run should hand over to the next run of its
chain. What it does per wake-up depends on what changed, not on the plan's size: the steps that
finished are settled, the counters follow each change (orchestra/plan_steps.py), and the Web UI lists
a bounded set of rows."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from orchestra import conditions
    from orchestra.calls import CallSizes
    from orchestra.control import ControlState
    from orchestra.errors import ErrorKind, ExecutionError
    from orchestra.plan import Plan
    from orchestra.plan_chain import Failures, PlanCarry
    from orchestra.plan_steps import DoneBefore, PlanSteps
    from orchestra.record import ExecutionRecord, StepRecord, StepState, preview
    from orchestra.references import INPUT_ERRORS
    from orchestra.schedule_pieces import ReadBack
    from orchestra.scheduling import HeldSteps, Readiness, SkipsOnError
    from orchestra.step_scope import StepScope
    from orchestra.validation import PlanSchedule
    from workflows.activity_options import ACTIVITY_FAILURES, classify_failure
    from workflows.control import RunControl
    from workflows.patches_at_start import patched
    from workflows.recovery import Fallbacks
    from workflows.results_land import results_land
    from workflows.run_size import HistoryOverfull, history_full, history_overfull, overfull_message
    from workflows.tool_calls import execute_tool, read_stored, sendable_call
    from workflows.tool_slots import ToolSlots
    from workflows.value_sizes import ask_before_reading

_NO_OUTPUT: Any = object()
# The most steps one workflow task starts (or settles by their conditions): each costs the task its call's arguments
# resolved and measured and its command encoded, and a task past its timeout (10 s unless the starter says more) is
# redone whole. A plan 1,000 wide started them all in its first task, which on a loaded worker ran past its timeout
# every time: a run that never got going. More ready steps start in the next task, a moment later.
STARTS_PER_TASK = 32
NEXT_STARTS = timedelta(milliseconds=1)
# Runs before started every ready step their room allowed in one task: they replay as they ran.
BOUNDED_STARTS_PATCH = "steps-started-a-bounded-number-a-task"
# A step settled by its condition (skipped, or failed by it) starts nothing: it counted against STARTS_PER_TASK as a
# started one, so a plan of 100,000 steps skipped by a false condition took 3,125 tasks and as many timers. It costs
# its condition (0.2 ms, parsed and evaluated on a loaded core) and its settling: the steps a task decides, started or
# settled, are bounded by DECIDED_PER_TASK, the started ones still by STARTS_PER_TASK. Runs before counted every step
# decided as started, and replay as they ran.
DECIDED_PER_TASK = 1024
SETTLED_APART_PATCH = "steps-settled-by-their-conditions-counted-apart-from-starts"
# BOUNDED_STARTS_PATCH and SETTLED_APART_PATCH were asked when the bound first limited: after a local step's result,
# which a replay may see in an earlier workflow task than the run did (value_sizes.ask_before_reading). A query of a
# finished run of 40 local steps on 2 local slots replayed it, saw the patch's marker before the code asked it, and
# failed on a nondeterminism error; a worker restarted under such a running run failed its task for ever. Both are
# asked when a run starts (start_bounds), before any local activity; runs before ask them as they did.
START_BOUNDS_PATCH = "start-bounds-asked-before-any-local-result"
# A fail_fast plan stops at a step whose condition fails, as at a step whose call fails: runs before let the running
# steps finish and started the others (a wide plan's next batches too), and replay as they ran.
CONDITION_FAILS_FAST_PATCH = "fail-fast-on-a-failing-condition"
# A step whose condition is over what its workflow task has left of the conditions' budget (conditions.Budget) waits
# for the next task, where it can be decided: runs before failed it, for the steps that became ready with it.
OVER_BUDGET_WAITS_PATCH = "conditions-over-a-tasks-budget-wait-for-the-next"
# DECIDED_PER_TASK was too many, and counted only the steps taken: 1,024 conditions parsed, evaluated and settled in one
# task cost it 0.45-0.87 s of CPU (bench/activation_cost.py), past the SDK's 2 s deadlock detector on a loaded worker,
# and a task failed so is redone whole, maybe for ever. A task now does WORK_PER_TASK at most: DECISIONS_PER_TASK steps
# decided, fewer when the dependents a settled step settles with it (skipped with it) are counted too. Runs before
# decided DECIDED_PER_TASK taken, and replay as they ran.
DECISIONS_PER_TASK = 128
# A dependent settled with a step costs its record's update alone, 47 us, an eighth of a step decided (its condition
# parsed and evaluated, or its call started; 0.45-0.87 ms): a task's work is counted in those units.
STEP_UNITS = 8
WORK_PER_TASK = DECISIONS_PER_TASK * STEP_UNITS
DECISIONS_PATCH = "steps-decided-a-task-counting-the-dependents-settled-with-them"
# A step taken from its tool's queue (tool_concurrency) and put back, its condition over the task's budget: it went
# behind every step held after it. Runs before put it back so, and replay as they ran.
HELD_PUT_BACK_PATCH = "held-steps-put-back-first"
# A step settled (skipped by its condition, or failed) settled every dependent unable to run with it in one task: a
# chain of 20,000 after one false condition cost that task 0.94 s of CPU and tripped the deadlock detector. Past what
# is left of the task's WORK_PER_TASK, they are settled in the next tasks. Runs before replay as they ran.
SETTLED_WITH_LATER_PATCH = "dependents-settled-with-a-step-a-bounded-number-a-task"
# A run waiting with nothing running (paused) woke on a full history only to stop, never to hand over, so it did
# neither: a flood of large signals had the server terminate it, its record lost. It now wakes to hand over too
# (asked at the start, ORCHESTRATION_LATER); runs before replay as they ran.
WAKES_TO_HAND_OVER_PATCH = "a-waiting-run-wakes-to-hand-over-when-its-history-is-full"
# The history stop decided before the results of its workflow task landed: temporalio (1.35, without its
# PROCESS_WORKFLOW_ACTIVATION_JOBS_AS_SINGLE_BATCH flag) applies an activation's signals and checks the run's wait
# conditions before it resolves the activities in it, and a drive woken by a timer runs before a result resolved with
# it reaches its step. A step whose activity had completed was stopped: recorded CANCELLED (its result dropped, when
# the cancel met a result already resolved: a fail_fast stop too), or kept with its result while the run still ended
# saying it running, a run that could have handed over. Now the results land before the stop, and a run whose stopped
# steps all ended with their results hands over (asked at the start, ORCHESTRATION_LATER); runs before replay as
# they ran.
RESULTS_LAND_PATCH = "history-stop-after-the-tasks-results-land"
# A step's output over the storage limit: running the tool again makes it again.
SMALLER_OUTPUT = (
    "have the step return less (a file's path, not its content), or raise ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES,"
    " or use a store that takes larger values"
)


def start_bounds() -> tuple[bool | None, bool | None]:
    """BOUNDED_STARTS_PATCH and SETTLED_APART_PATCH, asked before any local activity of the run (both None for runs
    before START_BOUNDS_PATCH: PlanDriver._room asks them when the bound first limits, as those runs did)."""
    if not ask_before_reading(START_BOUNDS_PATCH):
        return None, None
    return ask_before_reading(BOUNDED_STARTS_PATCH), ask_before_reading(SETTLED_APART_PATCH)


class PlanDriver:
    def __init__(
        self,
        record: ExecutionRecord,
        control: RunControl,
        plan: Plan,
        schedule: PlanSchedule,
        carry: PlanCarry | None,
        sizes: CallSizes,
        *,
        secrets: bool,
        bounds: tuple[bool | None, bool | None] = (None, None),
        read_back: ReadBack | None = None,
        before: DoneBefore | None = None,
    ) -> None:
        self.record, self.control, self.plan, self.schedule = record, control, plan, schedule
        self.secrets = secrets  # whether steps may resolve ${secrets.*} (RunRequest.secrets_allowed)
        self.schedule_ref = carry.schedule_ref if carry else None
        # Or stored in pieces, with the schedule without them (orchestra/schedule_pieces.py), once for the chain.
        self.schedule_pieces = carry.schedule_pieces if carry else None
        self.schedule_head = carry.schedule_head if carry else None
        self.sizes = sizes
        # What the schedule read in pieces built a piece at a time (ReadBack), else built when first asked: walks of
        # every step in the activation that made the driver were most of its CPU time (150,000 steps: the plan's id map
        # some 110 ms, the phase order 60; the places and the readiness before them some 230).
        read_back = read_back or ReadBack(schedule)
        kept = carry.record.steps if carry else []
        self.steps = PlanSteps(record, plan, schedule, kept, read_back.ranked, before)
        self.scope = StepScope(
            plan.inputs, schedule, self.steps.done, plan.compensate_on_failure,
            carry.scope if carry else {}, carry.stored if carry else {},
        )  # fmt: skip
        self.failures = carry.failures if carry else Failures()
        self.places = read_back.places  # each step's place in the plan, as its options are looked up by
        if self.places is not None:
            plan.nodes_placed(self.places)
        self.skip_on_error: Mapping[str, bool] = SkipsOnError(plan)  # asked of the plan's node when a step ends
        self.readiness = read_back.readiness  # a first run's, else made by drive()
        self.running: dict[str, asyncio.Task[None]] = {}
        self.held = HeldSteps(plan.tool_concurrency, lambda node_id: plan.node(node_id).tool)  # for a tool's slot
        self.changed = self.wake_on_resume = False
        self.over_budget = False  # a condition was over what the workflow task had left of its budget
        self._bounded: bool | None = None  # whether this run starts STARTS_PER_TASK steps a task at most (asked once)
        self._settled_apart: bool | None = None  # whether steps settled by their conditions count apart (asked once)
        self._decisions: bool | None = None  # whether DECISIONS_PER_TASK bounds a task's decisions (asked once)
        self.decided = 0  # this task's work (STEP_UNITS a step started or settled, 1 a dependent settled with it)
        self.unsettled: deque[tuple[str, StepState, str]] = deque()  # dependents decided, to settle in a next task
        self._pending: dict[str, StepState] = {}  # their states, by node id
        self._later: bool | None = None  # whether this run settles dependents in later tasks (asked once)
        self.slots = ToolSlots(plan, self.running)  # by the tool each running step calls
        self.fallbacks = Fallbacks(plan, set(carry.open_circuits) if carry else set(), lambda: control.stopping,
                                   dict(carry.fallback_failures) if carry else None, secrets=secrets,
                                   slots=self.slots if plan.tool_concurrency else None)  # fmt: skip
        self._bounded, self._settled_apart = bounds  # asked at the run's start (start_bounds), or by _room before
        self._wakes_to_hand_over = patched(WAKES_TO_HAND_OVER_PATCH)
        self._results_land = patched(RESULTS_LAND_PATCH)

    async def drive(self) -> bool:
        """Run steps until every one is finished (True), or until the run should continue as new (False):
        then nothing new starts and the running steps finish first, so the next run neither loses nor
        repeats one. Cancelled (by the control, on cancellation or at the deadline), stop the running
        steps, keeping what they finished."""
        plan, steps, control = self.plan, self.steps, self.control
        readiness = self.readiness or Readiness(self.schedule.deps, self.skip_on_error, steps.done)
        readiness.skip_on_error = self.skip_on_error
        handing_over = False
        try:
            while steps.unfinished:
                handing_over = handing_over or self._hand_over_due()
                budget = conditions.Budget()  # shared by the conditions of this wake-up (one workflow task)
                taken, started, more, stopping = 0, 0, False, None
                self.over_budget = False
                self._settle_unsettled()
                while not handing_over and control.may_start() and len(self.running) < plan.max_parallel:
                    room = self._room(taken, started)
                    if not room:
                        more = readiness.has_ready() or bool(self.held)
                        break
                    batch = self._next_batch(readiness, room)
                    if not batch:
                        break
                    taken, running = taken + len(batch), len(self.running)
                    stopping = self._start(batch, readiness, budget)
                    started += len(self.running) - running
                    if stopping is not None:
                        break
                    if self.over_budget:
                        more = True
                        break
                more = more or bool(self.unsettled)
                if stopping is not None:
                    await self._fail_fast(stopping)
                control.show()  # after marking the new steps running: the UI and the record agree
                if not steps.unfinished:
                    break  # the last steps were settled here, by their conditions: no step will wake the drive
                if handing_over and not self.running and not self.unsettled:
                    return False
                if more:  # the next ready steps, in a task of their own (what finished meanwhile is settled below)
                    await workflow.sleep(NEXT_STARTS, summary="start the next ready steps")
                    if self._results_land:  # results resolved with the timer reach their steps before any stop
                        await results_land()
                else:
                    self.changed, self.wake_on_resume, self.slots.moved = False, control.paused, False
                    await workflow.wait_condition(self._woken)
                self.decided = 0  # a new workflow task
                await self._settle_ended(readiness, [n for n, task in self.running.items() if task.done()])
                await self._stop_when_overfull(readiness)
        except asyncio.CancelledError:
            await self.stop_steps()
            raise
        return True

    async def _settle_ended(self, readiness: Readiness, ended: list[str]) -> None:
        """The steps ``ended`` (their tasks done) are settled, and a fail_fast plan stops at the first that failed."""
        for node_id in ended:
            self.running.pop(node_id, None)
            self.slots.ended(node_id)
            self._settle(readiness, node_id)
        # Decided after all finished steps are settled: stopping empties running, and several
        # steps can finish in one activation.
        steps = self.steps
        failed = [n for n in ended if steps.state(n) == StepState.ERROR and not self.skip_on_error[n]]
        if self.plan.fail_fast and failed:
            await self._fail_fast(failed[0])

    def _hand_over_due(self) -> bool:
        """The server suggests continuing as new (or the plan's own event limit, or the engine's limits, are
        reached), and this run has finished a step: a run that did nothing never hands over, so a chain
        always moves on."""
        return bool(self.steps.finished_here) and history_full(self.plan)

    def _woken(self) -> bool:
        """A step finished, or a resume came while the drive waited paused, or the history is too full to wait on,
        or full enough to hand over and nothing holds the hand-over back."""
        return (
            self.changed
            or self.slots.moved
            or (self.wake_on_resume and not self.control.paused)
            or self._cannot_hand_over() is not None
            or self._may_hand_over_now()
        )

    def _may_hand_over_now(self) -> bool:
        """The drive, woken, hands over at once: its hand-over is due and no step runs or waits to be settled (a
        paused run's), so waking it for that never spins."""
        return self._wakes_to_hand_over and not self.running and not self.unsettled and self._hand_over_due()

    def _cannot_hand_over(self) -> int | None:
        """The history's size, when it is past plan_chain.HISTORY_STOP_BYTES and the run cannot hand over now: steps
        still run (the hand-over waits for them), or none finished here (a run that did nothing never hands over)."""
        if not (self.running or not self.steps.finished_here):
            return None
        return history_overfull()

    async def _stop_when_overfull(self, readiness: Readiness) -> None:
        """Raises HistoryOverfull, the running steps stopped, when the history is past its bound and the run cannot
        hand over: waited for, a flood of large signals had the server terminate the run, its record lost. Its
        workflow task's results land first (RESULTS_LAND_PATCH): a step whose activity completed keeps its result,
        and when none was cut short the run hands over instead (the drive's loop does, nothing running)."""
        size = self._cannot_hand_over()
        if size is None:
            return
        if not self._results_land:
            running = len(self.running)
            await self.stop_steps()
            raise HistoryOverfull(overfull_message(size, running))
        await results_land()
        stopped = list(self.running)
        # A result still to be resolved in this activation (after its signals) lands all the same: the steps' calls
        # wait for their cancellation to complete, and an activity that completed first returns its result.
        await self.stop_steps()
        cut = sum(1 for node_id in stopped if self.steps.state(node_id) == StepState.CANCELLED)
        if cut or not stopped:
            raise HistoryOverfull(overfull_message(size, cut))
        await self._settle_ended(readiness, stopped)  # each ended with its result: the run hands over

    def _room(self, taken: int, started: int) -> int:
        """How many more steps this workflow task may take, having taken ``taken`` and started ``started`` of them
        (the others settled by their conditions): the free slots, at most STARTS_PER_TASK started and DECIDED_PER_TASK
        taken a task (each asked of the history at the run's start, or, in runs before START_BOUNDS_PATCH, only when that
        bound is what limits them)."""
        room = self.plan.max_parallel - len(self.running)
        left = STARTS_PER_TASK - taken
        # Only this near WORK_PER_TASK can the other bounds (STARTS_PER_TASK and less) let more work in.
        affords = (WORK_PER_TASK - self.decided) // STEP_UNITS
        over = affords < STARTS_PER_TASK and min(room, DECIDED_PER_TASK - taken) > affords
        if over and self._decisions_bounded():
            return max(0, min(room, STARTS_PER_TASK - started, affords))
        if room <= left:
            return room
        if self._bounded is None:
            self._bounded = patched(BOUNDED_STARTS_PATCH)
        if not self._bounded:
            return room
        if taken > started:  # some settled, starting nothing
            if self._settled_apart is None:
                self._settled_apart = patched(SETTLED_APART_PATCH)
            if self._settled_apart:
                return min(room, STARTS_PER_TASK - started, DECIDED_PER_TASK - taken)
        return left

    def _next_batch(self, readiness: Readiness, room: int) -> list[str]:
        """Ready steps to start now: up to ``room``, and within each tool's concurrency limit."""
        plan = self.plan
        if not plan.tool_concurrency:
            return readiness.take_ready(room) if readiness.has_ready() else []
        self.held.hold(readiness.take_ready(len(plan.nodes)))
        return self.held.take(room, self.slots.busy())

    def _start(self, batch: list[str], readiness: Readiness, budget: conditions.Budget) -> str | None:
        """Start the steps of ``batch`` whose condition allows them, settle the others; the step whose condition
        failed, when that stops a fail_fast plan (the batch's later steps are left unstarted). A condition over what
        is left of the task's ``budget``: it and the batch's later steps go back, to start in the next task."""
        for at, node_id in enumerate(batch):
            # A settled step's dependents may have filled the task's decisions (each step asks before it is decided).
            allowed = None if self.decided >= WORK_PER_TASK and self._decisions_bounded() else True
            if allowed:
                allowed = self._condition_allows(node_id, budget)
            if allowed is None:
                self._put_back(batch[at:], readiness)
                self.over_budget = True
                return None
            self.decided += STEP_UNITS
            if allowed:
                self._start_step(node_id)
                continue
            self.decided += self._settle(readiness, node_id)
            failed = self.steps.state(node_id) == StepState.ERROR and not self.skip_on_error[node_id]
            if failed and self.plan.fail_fast and patched(CONDITION_FAILS_FAST_PATCH):
                return node_id
        return None

    def _decisions_bounded(self) -> bool:
        if self._decisions is None:
            self._decisions = patched(DECISIONS_PATCH)
        return self._decisions

    def _put_back(self, nodes: list[str], readiness: Readiness) -> None:
        """``nodes``, taken and left undecided, are the first taken in the next task."""
        if self.plan.tool_concurrency and patched(HELD_PUT_BACK_PATCH):
            self.held.put_back(nodes)
        else:
            readiness.put_back(nodes)

    async def _fail_fast(self, failed: str) -> None:
        """``failed`` stops a fail_fast plan: the running steps are cancelled, the others said unfinished. A step
        started in this same workflow task never made its call (its task never ran): it counts no attempt."""
        started = list(self.running)
        await self.stop_steps()
        for node_id in started:
            step = self.steps.step(node_id)
            if step.state == StepState.CALLING_TOOL:
                with self.steps.changing(step):
                    step.attempts, step.scheduled_at = 0, None
        self.mark_unfinished(StepState.CANCELLED, f"fail_fast: step {failed!r} failed")

    def _condition_allows(self, node_id: str, budget: conditions.Budget) -> bool | None:
        """Whether the step starts (False: it was settled by its condition); None when its condition is over what
        the task has left of its budget, to be decided in the next task (one with its budget whole decides it)."""
        condition = self.plan.node(node_id).condition
        if not condition or self._reads_stored(condition):
            return True  # a condition over a stored output is decided once the step has read it
        step = self.steps.step(node_id)
        fresh = budget.left == conditions.MAX_WORK_PER_TASK  # a task's first condition is never over its budget
        try:
            if conditions.evaluate(condition, self.scope.values, budget):
                return True
            change: dict[str, Any] = {"state": StepState.SKIPPED, "skip_reason": f"condition is false: {condition}"}
        except conditions.ConditionError as exc:
            if isinstance(exc, conditions.TaskBudgetSpent) and not fresh and patched(OVER_BUDGET_WAITS_PATCH):
                return None
            change = {"state": StepState.ERROR, "error": ExecutionError.of(ErrorKind.VALIDATION, str(exc))}
        self._finish(step, change)
        return False

    def _reads_stored(self, condition: str) -> bool:
        try:
            return bool(self.scope.stored_for(root for root, _ in conditions.references(condition)))
        except conditions.ConditionError:
            return False  # evaluate() says what is wrong with it

    def _start_step(self, node_id: str) -> None:
        """Marked running (its first attempt counted) before anything is shown, then run in a task."""
        step = self.steps.step(node_id)
        with self.steps.changing(step):
            step.state, step.scheduled_at, step.attempts = StepState.CALLING_TOOL, workflow.now(), 1
        self.running[node_id] = asyncio.create_task(self._run_step(node_id, step))

    async def _run_step(self, node_id: str, step: StepRecord) -> None:
        change, output = await self._call(node_id, step)
        # Not in a `finally`: when the worker evicts this run from its cache the coroutine is closed
        # (GeneratorExit), which is no outcome, and workflow calls are not allowed then.
        if change.get("ended_at") is None or change["state"] != StepState.COMPLETED:
            change["ended_at"] = workflow.now()
        began = change.get("started_at") or step.scheduled_at or change["ended_at"]
        change["duration_ms"] = (change["ended_at"] - began).total_seconds() * 1000
        self._finish(step, change, output)
        self.changed = True
        workflow.logger.info(
            "step finished",
            extra={"node": node_id, "tool": step.tool, "attempt": step.attempts, "state": step.state.value},
        )

    async def _call(self, node_id: str, step: StepRecord) -> tuple[dict[str, Any], Any]:
        """The step's outcome as the changes to make to its record, and its output for later references."""
        node = self.plan.node(node_id)
        if self.places is None:
            self.places = {n.id: i for i, n in enumerate(self.plan.nodes)}
        ex = self.schedule.options(self.places[node_id], node_id, node.tool)
        try:
            if node.condition and self._reads_stored(node.condition):
                values = await read_stored(self.scope, {r for r, _ in conditions.references(node.condition)}, node_id)
                if not conditions.evaluate(node.condition, values):
                    skipped = f"condition is false: {node.condition}"
                    return {"state": StepState.SKIPPED, "skip_reason": skipped, "attempts": 0}, _NO_OUTPUT
            if node.alternatives:
                result = await self.fallbacks.execute(node, self.schedule, ex, step, self.scope, self.sizes)
            else:
                call = await sendable_call(node.tool, node.args, node_id, self.scope, self.sizes, secrets=self.secrets,
                                           undo_reads=node.undo_reads())  # fmt: skip
                result = await execute_tool(call, ex, read_back=False)
        except (*INPUT_ERRORS, conditions.ConditionError) as exc:
            # Arguments that cannot be resolved or sent: the step fails (its tool never called), not the task.
            error = ExecutionError.of(ErrorKind.VALIDATION, f"{node_id}: {exc}")
            return {"state": StepState.ERROR, "error": error, "attempts": 0}, _NO_OUTPUT
        except ACTIVITY_FAILURES as err:
            tried = self.fallbacks.options_tried(node, self.schedule, ex, step) if node.alternatives else ex
            error, attempts = classify_failure(err, tried.retry.max_attempts, f"{node_id}'s output", SMALLER_OUTPUT)
            state = StepState.CANCELLED if error.type == ErrorKind.USER_CANCELLED else StepState.ERROR
            return {"state": state, "error": error, "attempts": attempts}, _NO_OUTPUT
        except asyncio.CancelledError:
            error = ExecutionError.of(ErrorKind.USER_CANCELLED, "cancelled")
            return {"state": StepState.CANCELLED, "error": error}, _NO_OUTPUT
        change = {"state": StepState.COMPLETED, "attempts": result.attempt, "tokens": result.tokens,
                  "started_at": result.started_at, "ended_at": result.ended_at, "output_ref": result.output_ref}  # fmt: skip
        if result.output_ref is None:
            change["output"], change["output_bytes"], change["output_truncated"] = preview(
                result.output, self.sizes.preview_bytes
            )
            return change, result.output
        change.update(output=result.preview, output_bytes=result.output_bytes, output_truncated=True)
        return change, result.output_ref

    def _finish(self, step: StepRecord, change: dict[str, Any], output: Any = _NO_OUTPUT) -> None:
        """``step`` reaches a final state: its record, what later steps may read of it, the failures."""
        with self.steps.changing(step):
            for name, value in change.items():
                setattr(step, name, value)
        self.scope.remember(step, output)
        self.scope.release(step.node_id)
        if step.state == StepState.ERROR and step.error and not self.skip_on_error[step.node_id]:
            self._count_failure(step)

    def _count_failure(self, step: StepRecord) -> None:
        failures, position = self.failures, self.steps.position[step.node_id]
        failures.count += 1
        if failures.first is None or position < failures.first_position:
            failures.first, failures.first_position = step, position

    def _settle(self, readiness: Readiness, node_id: str) -> int:
        """``node_id`` is finished: the dependents it leaves unable to run are settled, those past what is left of the
        task's decisions in the next tasks; how many now."""
        never = readiness.finished(node_id, self._state)
        now = max(WORK_PER_TASK - self.decided, 0)
        if len(never) > now and self._settles_later():
            for child, state, _ in never[now:]:
                self._pending[child] = state
            self.unsettled.extend(never[now:])
            never = never[:now]
        for child, state, reason in never:
            self._finish(self.steps.step(child), {"state": state, "skip_reason": reason})
        return len(never)

    def _settle_unsettled(self, every: bool = False) -> None:
        """Settle the dependents left to this task (``every``: all of them, as the run ends)."""
        while self.unsettled and (every or self.decided < WORK_PER_TASK):
            child, state, reason = self.unsettled.popleft()
            del self._pending[child]
            self._finish(self.steps.step(child), {"state": state, "skip_reason": reason})
            self.decided += 1

    def _state(self, node_id: str) -> StepState:
        return self._pending.get(node_id) or self.steps.state(node_id)

    def _settles_later(self) -> bool:
        if self._later is None:
            self._later = patched(SETTLED_WITH_LATER_PATCH)
        return self._later

    async def stop_steps(self) -> None:
        """Cancel the running steps and wait for them: each ends CANCELLED, or keeps its result if its
        activity finished anyway (the control has already let results delivered with the stop land)."""
        for task in self.running.values():
            task.cancel()
        await asyncio.gather(*self.running.values(), return_exceptions=True)
        self.running.clear()

    def mark_unfinished(self, state: StepState, reason: str) -> None:
        self._settle_unsettled(every=True)  # decided already: skipped, not said unfinished
        for node_id in list(self.steps.remaining()):
            step = self.steps.step(node_id)
            with self.steps.changing(step):
                step.state, step.skip_reason = state, reason

    def carry(self, control: ControlState) -> PlanCarry:
        """What the next run needs besides the chunk of steps this run finished (workflows/handover.py)."""
        scope, stored = self.scope.carried()
        return PlanCarry(
            record=self.record, control=control, scope=scope, stored=stored,
            # The schedule travels in the carry until it is stored (workflows/handover.py), then by reference.
            schedule=None if self.schedule_ref or self.schedule_pieces else self.schedule, schedule_ref=self.schedule_ref,
            schedule_pieces=self.schedule_pieces, schedule_head=self.schedule_head,
            open_circuits=sorted(self.fallbacks.open_at_start), fallback_failures=self.fallbacks.failures,
            failures=self.failures,
        )  # fmt: skip
