"""OrchestrationWorkflow: runs a plan's DAG by readiness, one activity per tool call.

A plan too long for one run's history runs as a chain: when the server suggests it (or the plan's
``history_events_per_run`` is reached), the run lets its running steps finish, stores the steps it
finished and continues as new with the same request and a carry (orchestra/plan_chain.py). The chain
has one workflow id and one record: the query, the result, the current details and the search
attributes count every step of every run.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from typing import Any, NoReturn

from pydantic import BaseModel, ValidationError
from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.tools import ToolActivities
    from orchestra.calls import CallSizes, RunRequest
    from orchestra.control import ControlState
    from orchestra.converter import unreadable
    from orchestra.errors import ErrorKind, ExecutionError
    from orchestra.plan import Plan, PlanNode, settings_over_a_ceiling
    from orchestra.plan_chain import PlanCarry, StoredPlan, UndoCursor
    from orchestra.plan_steps import DoneBefore
    from orchestra.record import (
        FINISHED_RUN_STATES,
        PREVIEW_BUDGET_BYTES,
        QUERY_BYTES,
        QUERY_STEPS,
        AgentState,
        ExecutionRecord,
        RunMetrics,
        StepState,
        preview_limit,
    )
    from orchestra.schedule_pieces import PiecedSchedule, ReadBack
    from orchestra.storage.errors import StoredPayloadInvalid
    from orchestra.storage.stored import StoredValue
    from orchestra.temporal_bounds import WORKFLOW_TASK_TIMEOUT, problems_of
    from orchestra.text import one_line
    from orchestra.validation import PlanSchedule
    from workflows.activity_options import ACTIVITY_FAILURES, classify_failure
    from workflows.control import ControlledWorkflow, RunControl
    from workflows.handover import SCHEDULE_HANDED_IN_PIECES_PATCH, hand_over, plan_piece_size
    from workflows.patches_at_start import ORCHESTRATION_LATER, ask_at_start, patched
    from workflows.plan_driver import PlanDriver, start_bounds
    from workflows.plan_pieces import (
        PIECES_BOUNDED_PATCH,
        PIECES_BY_BYTES_PATCH,
        PLAN_BY_REFERENCE_PATCH,
        SCHEDULE_IN_PIECES_PATCH,
        PlanNotHandedOver,
        StartedByReference,
        by_reference,
        read_back,
        schedule_read_back,
    )
    from workflows.progress import MAX_ROWS, render_details
    from workflows.record_pieces import RECORD_IN_PIECES_PATCH, over_the_limit, store_the_steps
    from workflows.recovery import compensate, forget_replaced, left_from, note_unfinished, open_circuits_at_start
    from workflows.run_size import UNDOS_OVERFULL_PATCH, HistoryOverfull
    from workflows.search_index import IndexValues
    from workflows.step_errors_cut import ERRORS_CUT_PATCH, RUN_MESSAGE_CHARS, cut_message
    from workflows.tool_calls import LOAD_TIMEOUT
    from workflows.validation_input import plan_within_room
    from workflows.value_sizes import (
        LIMIT_FALLBACK_PATCH,
        SENT_VALUES_PATCH,
        WORKER_LIMIT_PATCH,
        ask_before_reading,
        sending_sizes,
        sent_size,
        storing_limit,
    )

PREPARE_TIMEOUT = timedelta(seconds=60)
# A checked schedule grows with the steps and their ids: what a run over the storage limit can change.
FEWER_STEPS = (
    "split the plan, or use fewer steps or shorter step ids; or raise ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES,"
    " or use a store that takes larger values"
)
# A hand-over stores the steps the run finished in one chunk: fewer events a run, fewer steps in it.
SMALLER_CHUNKS = (
    "set a lower history_events_per_run in the plan (fewer steps a run), or raise"
    " ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES, or use a store that takes larger values"
)
DEADLINE_SUMMARY = "plan deadline"
FIRST_RUN_DEADLINE_PATCH = "chain-deadline-from-the-recorded-start"
# A plan that undoes on failure undoes what finished when its deadline stops it too (timeout_s): it undid nothing,
# and the files its steps wrote stayed. Runs before gave no undo commands at their deadline.
DEADLINE_UNDO_PATCH = "compensation-at-the-plans-deadline"
# A chain's first run checks its plan's settings as written now: read back, a count over a ceiling passes
# (a run written before the ceiling may hold one), and a client that skips our validation (raw JSON, our
# starters' two arguments) had max_parallel 10**12 run as given. Runs started before replay without it.
CEILINGS_CHECKED_PATCH = "plan-settings-checked-at-start"
# A compensation that hands over with its run's own steps stored in several pieces goes on, in the next run, from the
# last piece (which holds their undo pages): from the first, it found no page and undid none of them, unsaid.
UNDO_FROM_THE_LAST_PIECE_PATCH = "undos-handed-over-from-the-last-piece"
# A run of a failed chain whose plan came by reference (workflows/plan_pieces.py) and could not be read back left its
# undos unsaid; a run cancelled while it read its plan or schedule (a local activity the cancel cut short) failed,
# "could not read the plan's steps: cancelled", instead of ending cancelled. Asked before any local activity.
READS_END_SAID_PATCH = "plan-reads-end-said"


def first_control(request: RunRequest | None) -> ControlState:
    """The control state of a chain's first run: its deadline counted from the start the server recorded
    (``workflow_start_time``), which a reset of the run keeps. Counted from the run's own clock, a reset
    of the first run to its first workflow task ran again with a whole new deadline, and a run no worker
    picked up for a while got the wait for free; started past its deadline, it now starts nothing
    (RunControl's late start)."""
    timeout = request.plan.timeout_s if request is not None else None
    if not timeout or not patched(FIRST_RUN_DEADLINE_PATCH):
        return ControlState()
    return ControlState(deadline_at=workflow.info().workflow_start_time + timedelta(seconds=timeout))


# A payload that cannot be read as what it must be (a start input made by hand, a result that does not
# fit its model) would fail every retry of the workflow task the same way: it fails the run instead.
@workflow.defn(name="OrchestrationWorkflow", failure_exception_types=[ValidationError])
class OrchestrationWorkflow(ControlledWorkflow):
    """Pause, resume and cancel come from ControlledWorkflow (workflows/control.py)."""

    @workflow.init
    def __init__(self, request: RunRequest | None, carry: PlanCarry | None = None) -> None:
        ask_at_start(ORCHESTRATION_LATER)  # before anything: see workflows/patches_at_start.py
        info = workflow.info()
        # A refusal is raised by run(), not here: by the time __init__ runs, the SDK has made the coroutine
        # that runs run(), and a failing __init__ leaves it never awaited. The run fails alike either way.
        self._refusal: ApplicationError | None = None
        try:
            read, carry = typed(request, carry)
            if carry is not None and info.continued_run_id is None:
                raise carry_refused()
            if carry is None and info.continued_run_id is None and patched(CEILINGS_CHECKED_PATCH):
                assert read is not None  # typed() gives none only with a carry
                refuse_over_a_ceiling(read)
        except ApplicationError as exc:
            self._refusal, read, carry = exc, None, None
        self._request, self._carry = read, carry
        if carry is None:
            self._record = ExecutionRecord(
                id=info.workflow_id,
                run_id=info.run_id,
                plan_name=read.plan.name if read is not None else "",
                task=read.task if read is not None else None,
                started_at=workflow.now(),
                runs=[info.run_id],
            )
        else:
            runs = [*carry.record.runs, info.run_id]
            self._record = carry.record.model_copy(update={"run_id": info.run_id, "runs": runs})
        control = carry.control if carry else first_control(read)
        self._control = RunControl(self._record, control, self, unit="step")
        self._driver: PlanDriver | None = None
        self._sizes = CallSizes()
        # A failed chain's undos this run goes on with, until its compensation starts (which says from then on
        # what it leaves): a run ending before that leaves them all, and says so.
        self._undos_left = carry.undoing if carry else None
        self._reads_said = False  # READS_END_SAID_PATCH, asked by run()
        self._pieces_bounded = False  # PIECES_BOUNDED_PATCH, asked by run()
        self._pieces_by_bytes = False  # PIECES_BY_BYTES_PATCH, asked by _plan_to_store()
        self._schedule_in_pieces = False  # SCHEDULE_IN_PIECES_PATCH, asked by run() of a plan started by reference
        # The schedule as read in pieces, with the driver's parts built a piece at a time (none: read whole).
        self._read_back_in_pieces: ReadBack | None = None
        # The plan its starter stored by reference (orchestra/plan_start.py): its first piece in the request.
        self._given = StartedByReference.of(read) if read is not None else None
        # The steps earlier runs of the chain finished, gathered as the plan is read back in pieces (no walk here).
        self._done_before = DoneBefore(carry.record, carry.record.steps) if carry is not None else None

    @workflow.run
    async def run(self, request: RunRequest | None, carry: PlanCarry | None = None) -> ExecutionRecord:
        if self._refusal is not None:
            raise self._refusal
        carry, record, control = self._carry, self._record, self._control
        compensating = carry is not None and carry.undoing is not None  # the steps left unfinished are said then
        control.show()
        # Asked before any local activity (value_sizes.ask_before_reading): a continued run's first ones may be the
        # read of its plan, then of its schedule.
        if carry is not None and ask_before_reading(WORKER_LIMIT_PATCH):  # before the schedule's read: see there
            ask_before_reading(LIMIT_FALLBACK_PATCH)
        read_the_senders = patched(SENT_VALUES_PATCH)  # before any local activity: see there
        self._reads_said = ask_before_reading(READS_END_SAID_PATCH)
        self._pieces_bounded = ask_before_reading(PIECES_BOUNDED_PATCH)
        self._schedule_in_pieces = self._given is not None and ask_before_reading(SCHEDULE_IN_PIECES_PATCH)
        bounds = start_bounds()  # the driver's, asked here: the plan's check and reads are local activities
        if self._request is None:  # handed over by reference: read back in pieces (workflows/plan_pieces.py)
            assert carry is not None and carry.plan_pieces is not None and carry.request_header is not None
            self._request = await self._read_back(carry.request_header, carry.plan_pieces, "the chain's first run")
        elif self._given is not None:  # its starter stored it by reference: its first piece came in the request
            given = self._request
            header = given.model_dump(mode="json", exclude={"plan": {"nodes"}, "steps_stored": True})
            self._request = await self._read_back(header, self._given.pieces, "its starter", given.plan.nodes)
        request = self._request  # read once, in __init__ or above: a plan can be large
        plan = request.plan
        try:
            # Validated, or read back from storage, in an activation of its own: each activation of a large
            # plan's run stays well within the 2 s Temporal's deadlock detector gives it. (A carry holds the
            # schedule itself only when nothing is stored outside the history, which keeps plans small.)
            schedule = await self._schedule(request, carry)
            if carry is not None:  # this worker's limit, not that of the one that validated the plan
                schedule = await storing_limit(schedule)
            if carry is None:
                record.metrics = RunMetrics(total_steps=len(plan.nodes), pending=len(plan.nodes))
            self._sizes = sizes = replace(call_sizes(schedule, len(plan.nodes)), read_the_senders=read_the_senders)
            driver = self._driver = PlanDriver(
                record, control, plan, schedule, carry, sizes, secrets=request.secrets_allowed, bounds=bounds,
                read_back=self._read_back_in_pieces, before=self._done_before,
            )  # fmt: skip
            if carry is None:
                driver.fallbacks.open_at_start = await open_circuits_at_start(plan)
            control.begin()
            # One timer for the whole chain, started by its first run: the drive itself waits without a timeout.
            # A run going on with a failed chain's undos has no step to run, nor a deadline (undos are not bounded
            # by the plan's, as in the run that failed).
            undoing = carry.undoing if carry else None
            timed_out = False  # the plan's deadline stopped its steps (here, or in the run that handed its undos over)
            timeout = plan.timeout_s if undoing is None else None
            try:
                handed = await control.supervise(self._work(driver), timeout, DEADLINE_SUMMARY if timeout else None)
            except TimeoutError:
                if not (plan.compensate_on_failure and patched(DEADLINE_UNDO_PATCH)):
                    raise
                handed, timed_out = None, True
                self._mark_unfinished(StepState.CANCELLED, "run deadline reached")
            if handed is not None:
                self._continue_as_new(request, handed)
            timed_out = timed_out or bool(carry and carry.timed_out)
            undone = bool(plan.compensate_on_failure and (driver.failures.count or timed_out))
            if undone:
                record.steps = driver.steps.listed()
                self._undos_left = None
                compensating = True
                left = await compensate(
                    plan, schedule, record, driver.scope, sizes, control, secrets=request.secrets_allowed,
                    cursor=undoing,
                )  # fmt: skip
                if left is not None:
                    handing = await self._undo_carry(driver, left)
                    self._continue_as_new(request, handing.model_copy(update={"timed_out": timed_out}))
            await forget_replaced(plan, undone=undone)
            if timed_out:
                raise TimeoutError  # the run ends as at its deadline, its undos done
            await self._sizes_of_the_worker_sending(record)
        except asyncio.CancelledError:
            self._note_undos_left("the run was cancelled")
            self._mark_unfinished(StepState.CANCELLED, "run cancelled")
            self._finish(AgentState.CANCELLED, ExecutionError.of(ErrorKind.USER_CANCELLED, "run cancelled"))
            if plan.compensate_on_failure and not compensating:
                # No undo runs on a cancel (finished results are kept), but a step with an undo cut short by it may
                # have done part of its work: said as the compensation of a failure says it (it was shown only as a
                # cancelled step).
                note_unfinished(plan, record)
            raise
        except HistoryOverfull as over:  # before the server's history limit: the run ends recorded
            message = str(over)
            self._note_undos_left(message)
            self._mark_unfinished(StepState.CANCELLED, message)
            said = patched(UNDOS_OVERFULL_PATCH)
            if said and plan.compensate_on_failure and not compensating:
                message = self._undos_owed_when_overfull(plan, record, message)
            error = ExecutionError.of(
                ErrorKind.SYSTEM, message, code="history_too_large", retryable=False if said else None
            )
            self._finish(AgentState.ERROR, error)
            await self._steps_stored_when_over(record)
            self._check_size("the run's record", record)
            details = record.model_dump(mode="json")
            raise ApplicationError(message, details, type=ErrorKind.SYSTEM, non_retryable=True) from None
        except TimeoutError:
            self._mark_unfinished(StepState.CANCELLED, "run deadline reached")
            message = f"plan deadline of {plan.timeout_s}s reached"
            self._finish(AgentState.ERROR, ExecutionError.of(ErrorKind.TIMEOUT, message))
            raise ApplicationError(message, type=ErrorKind.TIMEOUT, non_retryable=True) from None
        return await self._conclude()

    @workflow.query
    def record(self) -> ExecutionRecord | None:
        """The record: the first steps of this run's share listed (those not reached yet as pending), at most
        QUERY_STEPS of them, the others counted (``steps_not_listed``); the steps earlier runs of the chain
        finished by reference (``earlier``)."""
        record, driver = self._record, self._driver
        if driver is None:
            return record
        # Bounded, and within the largest value the run can send (its answer is stored like any); an ended run's
        # too (a record too large to send whole failed the query of a cancelled run, say). Only the steps listed
        # are made and measured: the query runs in the workflow's activation, within its deadlock limit.
        steps = driver.steps
        listing, count = (
            (record.steps, len(record.steps)) if record.state in FINISHED_RUN_STATES else (steps.listing(), steps.share)
        )
        return record.listed_within(
            listing, count, self._sizes.value_limit * 9 // 10, most=QUERY_STEPS, sizes=steps.sizes,
            noted=steps.noted(driver.running), listing_bytes=QUERY_BYTES,
        )  # fmt: skip

    def ended_record(self) -> ExecutionRecord | None:
        """Not a query: an ended run's record listing every step of its share, for the CLI, which replays a closed run's
        history in its own process (orchestra/cli/replayed.py) with no deadlock limit to keep within; the record query
        of a running run otherwise."""
        if self._driver is None or self._record.state not in FINISHED_RUN_STATES:
            return self.record()
        return self._record

    # What the shared control shows (workflows/control.py's RunView).
    def current_details(self) -> str:
        record, driver = self._record, self._driver
        if driver is None:
            return render_details(record, [])
        if record.metrics.total_steps <= MAX_ROWS and not record.earlier:
            return render_details(record.model_copy(update={"steps": driver.steps.listed()}))
        return render_details(record, driver.steps.rows(driver.running))

    def search_values(self) -> IndexValues:
        m, r = self._record.metrics, self._record
        return IndexValues(state=r.state.value, plan=r.plan_name, tool_calls=m.tool_call_count, tokens=m.tokens)

    def in_flight(self) -> int:
        return len(self._driver.running) if self._driver else 0

    async def _schedule(self, request: RunRequest, carry: PlanCarry | None) -> PlanSchedule:
        """The plan's schedule: validated by the chain's first run, carried or stored for the others."""
        if carry is not None and carry.schedule is not None:
            return carry.schedule
        plan_stored = stored_plan(request, self._given) if carry is None and self._given is not None else None
        in_pieces = self._schedule_in_pieces
        if carry is None:  # measured before it is sent: an input the worker's store refuses fails its task for ever
            within = await plan_within_room(plan_stored or request.plan, request.plan)
            if isinstance(within, str):
                self._finish(AgentState.ERROR, ExecutionError.of(ErrorKind.SYSTEM, within))
                details = [self._record.model_dump(mode="json")]
                raise ApplicationError(within, *details, type=ErrorKind.SYSTEM, non_retryable=True)
            if within is not None:  # stored by this run in pieces that fit, its schedule returned in such pieces
                plan_stored, in_pieces = within, True
        try:
            if carry is None:
                options: dict[str, Any] = {
                    # Across attempts: the check is deterministic, and past its timeout another attempt took as
                    # long again, beside the first one's thread (which nothing stops); a start-to-close timeout is
                    # retried, this one not. A quick failure (a server's listing) is retried within it.
                    "schedule_to_close_timeout": PREPARE_TIMEOUT,
                    "retry_policy": RetryPolicy(maximum_attempts=3, non_retryable_error_types=[ErrorKind.VALIDATION]),
                    "summary": f"validate plan {one_line(request.plan.name)}",  # shown in the Web UI
                }
                if plan_stored is None:
                    schedule: PlanSchedule = await workflow.execute_local_activity_method(
                        ToolActivities.prepare_plan, request.plan, **options
                    )
                elif in_pieces:  # and its schedule returned in pieces (orchestra/schedule_pieces.py)
                    pieced = await workflow.execute_local_activity_method(
                        ToolActivities.prepare_stored_plan_in_pieces, plan_stored, **options
                    )
                    self._read_back_in_pieces = await schedule_read_back(pieced)
                    schedule = self._read_back_in_pieces.schedule
                else:  # read again by the activity, not sent to it whole: see StoredPlan
                    schedule = await workflow.execute_local_activity_method(
                        ToolActivities.prepare_stored_plan, plan_stored, **options
                    )
                return schedule.with_reads(request.plan)
            if (
                carry.schedule_pieces is not None
            ):  # stored in pieces by the chain's first hand-over, read one an activation
                assert carry.schedule_head is not None  # PlanCarry holds both or neither
                pieced = PiecedSchedule(head=carry.schedule_head, pieces=carry.schedule_pieces)
                assert self._done_before is not None  # made with the carry
                self._read_back_in_pieces = await schedule_read_back(pieced, self._done_before.done)
                return self._read_back_in_pieces.schedule
            assert carry.schedule_ref is not None  # PlanCarry holds the schedule, its reference or its pieces
            stored = await workflow.execute_local_activity_method(
                ToolActivities.load_value, carry.schedule_ref, start_to_close_timeout=LOAD_TIMEOUT,
                retry_policy=RetryPolicy(maximum_attempts=5), summary="read the plan's schedule",
            )  # fmt: skip
            return PlanSchedule.model_validate(stored)
        except ValidationError as exc:  # stored by the worker: torn or another's, and failing the run unrecorded
            message = f"the plan's checked schedule read back from storage is not a schedule: {problems_of(exc)}"
            self._note_undos_left(message)
            self._finish(AgentState.ERROR, ExecutionError.of(ErrorKind.SYSTEM, message))
            details = [self._record.model_dump(mode="json")] if self._undos_left is not None else []
            raise ApplicationError(message, *details, type=ErrorKind.SYSTEM, non_retryable=True) from None
        except ACTIVITY_FAILURES as err:
            if self._reads_said and workflow.cancellation_reason() is not None:
                raise asyncio.CancelledError from None  # a read the cancel cut short: the run ends cancelled (run())
            stored = f"the plan's checked schedule ({len(request.plan.nodes):,} steps)"
            error, _ = classify_failure(err, 3 if carry is None else 5, stored, FEWER_STEPS)
            if carry is not None:
                message = f"could not read the plan's schedule, stored by the chain's first run: {error.message}"
                error = error.model_copy(update={"message": message})
            self._note_undos_left(error.message)
            self._finish(AgentState.ERROR, error)
            details = [self._record.model_dump(mode="json")] if self._undos_left is not None else []
            raise ApplicationError(error.message, *details, type=error.type, non_retryable=True) from None

    async def _read_back(
        self, header: dict[str, Any], pieces: list[StoredValue], by: str, first: list[PlanNode] | None = None
    ) -> RunRequest:
        """The request of a run its plan was given to by reference (``first``: the steps its request held, when its
        starter stored the others); a failure to read it ends the run, said."""
        said = self._reads_said
        try:
            gather = self._done_before.gather if self._done_before is not None else None
            return await read_back(
                header, pieces, first, written=first is None, bounded=self._pieces_bounded, each=gather
            )
        except asyncio.CancelledError:
            pass
        except ValidationError as exc:  # a starter's pieces are its input: they failed the workflow task, unsaid
            message = f"the plan's steps stored by {by} are not a plan's steps: {problems_of(exc)}"
            self._finish(AgentState.ERROR, ExecutionError.of(ErrorKind.VALIDATION, message))
            details = [self._record.model_dump(mode="json")]
            raise ApplicationError(message, *details, type=ErrorKind.VALIDATION, non_retryable=True) from None
        except ACTIVITY_FAILURES as err:
            # A read a cancel cut short fails as a cancelled local activity: the run is cancelled, not failed.
            if not said or workflow.cancellation_reason() is None:
                error, _ = classify_failure(err, 5, "the plan's steps", FEWER_STEPS)
                if first is not None and self._pieces_bounded and _cause_type(err) == StoredPayloadInvalid.__name__:
                    error = error.model_copy(update={"type": ErrorKind.VALIDATION})  # its starter's references: input
                message = f"could not read the plan's steps, stored by {by}: {error.message}"
                if said:
                    self._note_undos_left(message)
                self._finish(AgentState.ERROR, error.model_copy(update={"message": message}))
                refused = error.type == ErrorKind.VALIDATION  # with its record, as a piece that is not steps
                details = (
                    [self._record.model_dump(mode="json")] if refused or (said and self._undos_left is not None) else []
                )
                raise ApplicationError(message, *details, type=error.type, non_retryable=True) from None
        if said:
            self._note_undos_left("the run was cancelled")
        self._finish(AgentState.CANCELLED, ExecutionError.of(ErrorKind.USER_CANCELLED, "run cancelled"))
        raise asyncio.CancelledError

    def _plan_to_store(self) -> bool:
        """Whether the chain's first hand-over stores the plan for the runs after it (workflows/plan_pieces.py):
        asked before its local activities, whose results a replay may see in another workflow task."""
        if self._carry is not None or not ask_before_reading(PLAN_BY_REFERENCE_PATCH):
            return False
        self._pieces_by_bytes = ask_before_reading(PIECES_BY_BYTES_PATCH)
        return True

    def _schedule_to_cut(self, driver: PlanDriver) -> bool:
        """Whether the hand-over stores the schedule the run holds whole in pieces (SCHEDULE_HANDED_IN_PIECES_PATCH):
        asked before its local activities, as ``_plan_to_store``; a chain stores its schedule once."""
        whole = driver.schedule_ref is None and driver.schedule_pieces is None
        return whole and ask_before_reading(SCHEDULE_HANDED_IN_PIECES_PATCH)

    async def _work(self, driver: PlanDriver) -> PlanCarry | None:
        """The run's steps, and, when it hands over, what the next run of the chain gets."""
        if await driver.drive():
            return None
        await workflow.wait_condition(workflow.all_handlers_finished)
        plan_stored = self._plan_to_store()
        schedule_in_pieces = self._schedule_to_cut(driver)
        try:
            carry = await hand_over(driver, self._control, schedule_in_pieces)
            self._sizes = driver.sizes  # as the hand-over read them
        except ACTIVITY_FAILURES as err:
            error, _ = classify_failure(err, 5, "the chunk of its finished steps (or their undo pages)", SMALLER_CHUNKS)
            message = (
                f"could not hand over to the next run of the chain: storing its finished steps failed: {error.message}"
            )
            self._mark_unfinished(StepState.CANCELLED, message)
            self._finish(AgentState.ERROR, error.model_copy(update={"message": message}))
            kind = error.code if error.code == "value_too_large" else ErrorKind.SYSTEM  # as every size failure
            raise ApplicationError(message, type=kind, non_retryable=True) from None
        return await self._plan_by_reference(driver, carry, plan_stored)

    async def _plan_by_reference(
        self, driver: PlanDriver, carry: PlanCarry, store: bool, left: UndoCursor | None = None
    ) -> PlanCarry:
        """``carry`` with the plan by reference (workflows/plan_pieces.py), in pieces of the size the hand-over cut
        the schedule in. A plan that could not be stored, and is over the limit sent whole, ends the run recorded
        (the undos from ``left`` said left, when it went on with a failed chain's)."""
        assert self._request is not None
        try:
            return await by_reference(
                self._request, carry, self._carry, store=store, piece=plan_piece_size(driver),
                by_bytes=self._pieces_by_bytes, given=self._given, sizes=driver.sizes,
            )  # fmt: skip
        except PlanNotHandedOver as exc:
            message = str(exc)
        if left is not None:
            self._record.note_undo_gap(left_from(driver.plan, self._record, left, message))
        self._mark_unfinished(StepState.CANCELLED, message)
        self._finish(AgentState.ERROR, ExecutionError.of(ErrorKind.SYSTEM, message, code="value_too_large"))
        await self._steps_stored_when_over(self._record)
        self._check_size("the run's record", self._record)
        details = self._record.model_dump(mode="json")
        raise ApplicationError(message, details, type=ErrorKind.SYSTEM, non_retryable=True)

    async def _sizes_of_the_worker_sending(self, record: ExecutionRecord) -> None:
        """The record goes to the store of the worker ending the run, which may have been restarted with a smaller
        one since the run read its limit: a record over it was refused there and the workflow task retried for
        ever. Measured against that worker's (read when the record could be over it), it ends the run saying so."""
        listed = record.model_copy(update={"steps": self._driver.steps.listed()}) if self._driver else record
        self._sizes = await sending_sizes(self._sizes, listed)

    def _undos_owed_when_overfull(self, plan: Plan, record: ExecutionRecord, message: str) -> str:
        """A plan with compensate_on_failure stopped by its history before its undos: the steps cut short with an undo,
        and the completed ones whose undo never ran, said as gaps (none runs: each would fill the history more)."""
        assert self._driver is not None
        record.steps = self._driver.steps.listed()
        note_unfinished(plan, record)
        message = message.replace("(no undo runs)", "(no undo runs: the record's undo gaps say which were owed)")
        reason = "the run's history stopped it before its compensation"
        record.note_undo_gap(left_from(plan, record, UndoCursor(chunk=len(record.earlier) - 1), reason))
        return message

    def _note_undos_left(self, reason: str) -> None:
        """The undos a run that goes on with them leaves, when it ends before its compensation starts (before its plan
        is read back, too: workflows/recovery.left_from)."""
        if self._undos_left is not None:
            plan = self._request.plan if self._request is not None else None
            self._record.note_undo_gap(left_from(plan, self._record, self._undos_left, reason))

    async def _undo_carry(self, driver: PlanDriver, left: UndoCursor) -> PlanCarry:
        """What the next run gets to go on with the undos of a failed chain from ``left``: the run's own steps go
        with a chunk as at any hand-over (those not undone yet in its undo pages), so nothing is listed."""
        plan_stored = self._plan_to_store()
        schedule_in_pieces = self._schedule_to_cut(driver)
        try:
            carry = await hand_over(driver, self._control, schedule_in_pieces)
            self._sizes = driver.sizes  # as the hand-over read them
        except ACTIVITY_FAILURES as err:
            error, _ = classify_failure(err, 5, "the chunk of its steps (or their undo pages)", SMALLER_CHUNKS)
            message = f"could not hand the undos over to the next run of the chain: {error.message}"
            self._record.note_undo_gap(left_from(driver.plan, self._record, left, message))
            self._finish(AgentState.ERROR, error.model_copy(update={"message": message}))
            self._check_size("the run's record", self._record)
            details = self._record.model_dump(mode="json")
            raise ApplicationError(message, details, type=ErrorKind.SYSTEM, non_retryable=True) from None
        if workflow.cancellation_reason() is not None:  # came while the steps were stored: the undos stop here
            self._record.note_undo_gap(left_from(driver.plan, self._record, left, "the run was cancelled"))
            raise asyncio.CancelledError
        before, after = len(self._record.earlier), len(carry.record.earlier)
        if left.chunk >= before and after - before > 1 and patched(UNDO_FROM_THE_LAST_PIECE_PATCH):
            # The run's own steps went in several pieces, its undo pages with the last: the next run starts there.
            left = left.model_copy(update={"chunk": after - 1})
        control = carry.control.model_copy(update={"deadline_at": None})
        carry = carry.model_copy(update={"undoing": left, "control": control})
        return await self._plan_by_reference(driver, carry, plan_stored, left)

    def _continue_as_new(self, request: RunRequest, carry: PlanCarry) -> NoReturn:
        if workflow.cancellation_reason() is not None:
            raise asyncio.CancelledError  # a run asked to cancel ends cancelled: a cancel is never carried
        record = self._record
        self._check_size("what the next run of the chain gets", carry)
        workflow.logger.info(
            "continuing as new",
            extra={"run": len(record.runs), "finished": record.metrics.total_steps - self._unfinished()},
        )
        # A carry with the plan by reference goes without the request (workflows/plan_pieces.py).
        args = [None if carry.plan_pieces is not None else request, carry]
        workflow.continue_as_new(args=args, task_timeout=WORKFLOW_TASK_TIMEOUT)

    def _check_size(self, what: str, value: BaseModel) -> None:
        """A value the run cannot send (Temporal would refuse it, and the worker retry the workflow task for
        ever) ends the run instead, the limit named, and how the run had ended said with it; its record lists as
        many of this run's steps as fit (ExecutionRecord.listed_within), the others counted."""
        sizes = self._sizes
        size = sent_size(value, sizes.value_limit) if sizes.value_limit else 0
        if size <= sizes.value_limit:
            return
        message = f"{what} is {size:,} bytes; {sizes.limit_name} is {sizes.value_limit:,} bytes"
        record = self._record
        if record.state not in FINISHED_RUN_STATES:
            self._mark_unfinished(StepState.CANCELLED, message)
            self._finish(AgentState.ERROR, ExecutionError.of(ErrorKind.SYSTEM, message, code="value_too_large"))
        else:
            # The run's own outcome first: a failed step's error was replaced by the size alone, and a run whose
            # every step completed said nothing of it.
            ended = record.error.message if record.error else "every step completed"
            message = f"{ended}; but {message}"
            record.error = ExecutionError.of(ErrorKind.SYSTEM, message, code="value_too_large")
            record.state, record.success = AgentState.ERROR, False
        # Room for the failure's envelope, as the record query leaves.
        driver = self._driver
        measured, noted = (driver.steps.sizes, driver.steps.noted(driver.running)) if driver else (None, [])
        listed = record.listed_within(
            record.steps, len(record.steps), sizes.value_limit * 9 // 10, sizes=measured, noted=noted
        )
        raise ApplicationError(message, listed.model_dump(mode="json"), type="value_too_large", non_retryable=True)

    async def _steps_stored_when_over(self, record: ExecutionRecord) -> None:
        """An ended record over the limit of the worker sending it, its steps stored in pieces that fit and referenced
        (workflows/record_pieces.py): a run whose every step completed ended ERROR for its record's size alone. A store
        that fails leaves them listed, and the record's size is said (``_check_size``)."""
        if self._driver is None or not over_the_limit(record, self._sizes) or not patched(RECORD_IN_PIECES_PATCH):
            return
        try:
            await store_the_steps(record, self._driver.steps, self._sizes)
        except ACTIVITY_FAILURES:
            return

    def _unfinished(self) -> int:
        return self._driver.steps.unfinished if self._driver else self._record.metrics.total_steps

    def _mark_unfinished(self, state: StepState, reason: str) -> None:
        if self._driver is not None:
            self._driver.mark_unfinished(state, reason)

    async def _conclude(self) -> ExecutionRecord:
        record = self._record
        failures = self._driver.failures if self._driver else None
        if failures is None or not failures.count or failures.first is None or failures.first.error is None:
            self._finish(AgentState.COMPLETED, None)
            await self._steps_stored_when_over(record)
            self._check_size("the run's record", record)
            return record
        first, error = failures.first, failures.first.error
        said = cut_message(error.message, RUN_MESSAGE_CHARS) if patched(ERRORS_CUT_PATCH) else error.message
        message = f"{failures.count} step(s) failed; first: {first.node_id} ({first.tool}): {said}"
        self._finish(AgentState.ERROR, error.model_copy(update={"message": message}))
        await self._steps_stored_when_over(record)
        self._check_size("the run's record", record)
        raise ApplicationError(message, record.model_dump(mode="json"), type="PlanFailed", non_retryable=True)

    def _finish(self, state: AgentState, error: ExecutionError | None) -> None:
        record = self._record
        if self._driver is not None:
            record.steps = self._driver.steps.listed()  # every step of this run's share, listed again
        self._control.finish(state, error)
        # Replay-safe: the SDK records workflow metrics and logs only when not replaying.
        runs = workflow.metric_meter().create_counter("orchestra_runs", "runs by final state", "{run}")
        runs.add(1, {"state": state.value})
        workflow.logger.info(
            "run finished",
            extra={"state": state.value, "tool_calls": record.metrics.tool_call_count, "tokens": record.metrics.tokens},
        )


def _cause_type(err: BaseException) -> str | None:
    cause = err.cause if isinstance(err, ActivityError) else err
    return cause.type if isinstance(cause, ApplicationError) else None


def typed(request: Any, carry: Any) -> tuple[RunRequest | None, PlanCarry | None]:
    """The arguments as models. The SDK decodes them by the method's type hints only when as many come as
    it declares: our starters send two (orchestra.plan_chain.first_run_args); a request sent alone (the Web
    UI, `temporal workflow start`) comes as plain JSON and is read here. No request: the carry has the plan
    by reference (workflows/plan_pieces.py), read back by run()."""
    try:
        if carry is not None and not isinstance(carry, PlanCarry):
            carry = PlanCarry.model_validate(carry)
        if request is None and carry is not None and carry.plan_pieces is not None:
            return None, carry
        if not isinstance(request, RunRequest):
            request = RunRequest.model_validate(request)
    except ValidationError as exc:  # as the converter says of a value it could not read itself
        raise unreadable(exc) from None
    return request, carry


def stored_plan(request: RunRequest, given: StartedByReference) -> StoredPlan:
    """What the activity validating a plan its starter stored by reference reads it from."""
    first = [node.model_dump(mode="json", exclude_defaults=True) for node in request.plan.nodes[: given.first_steps]]
    plan = request.plan.model_dump(mode="json", exclude={"nodes"})
    return StoredPlan(plan=plan, first=first, pieces=given.pieces)


def refuse_over_a_ceiling(request: RunRequest) -> None:
    """Raises the refusal of a plan whose own settings a client could not write now, with the reason."""
    problems = settings_over_a_ceiling(request.plan)
    if problems is not None:
        message = f"the plan is not one a run may start with: {problems}"
        raise ApplicationError(message, type=ErrorKind.VALIDATION, non_retryable=True)


def carry_refused() -> ApplicationError:
    """A carry says which steps are done, with their outputs, and holds the checked schedule: only this
    workflow's own hand-over may make one. Given by a starter, it would run a plan never validated and
    report steps that never ran."""
    return ApplicationError(
        "a carry is accepted only by a run continued as new from the run before it; start a plan with its"
        " request alone",
        type="CarryRefused",
        non_retryable=True,
    )


def call_sizes(schedule: PlanSchedule, steps: int) -> CallSizes:
    """The previews a plan of ``steps`` steps keeps (a quarter of the largest value at most, when its
    record travels whole) and the largest value its calls may carry, as the worker told validation."""
    budget = min(PREVIEW_BUDGET_BYTES, schedule.value_limit // 4) if schedule.value_limit else PREVIEW_BUDGET_BYTES
    return CallSizes(preview_limit(steps, budget), schedule.value_limit, schedule.value_limit_name)
