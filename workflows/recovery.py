"""Recovery within a run (workflow code): fallback tools behind circuit breakers, and compensation
of completed side effects when the run fails (saga)."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, CancelledError, TimeoutError

with workflow.unsafe.imports_passed_through():
    from activities.health import HealthActivities
    from activities.tools import ToolActivities
    from activities.values import ValueActivities
    from orchestra.calls import CallSizes, ToolResult
    from orchestra.errors import ErrorKind, ExecutionError
    from orchestra.plan import Plan, PlanNode
    from orchestra.plan_chain import UndoCursor
    from orchestra.record import (
        MAX_GAP_NODES,
        MIN_PREVIEW_BYTES,
        CompensationRecord,
        ExecutionRecord,
        StepChunk,
        StepRecord,
        StepState,
        UndoGap,
        UndoPage,
        preview,
        preview_limit,
    )
    from orchestra.references import INPUT_ERRORS
    from orchestra.slot_waits import waits_in
    from orchestra.step_scope import StepScope
    from orchestra.storage.stored import StoredValue
    from orchestra.validation import COMPENSATION_ATTEMPTS, NodeExecution, PlanSchedule
    from workflows.activity_options import ACTIVITY_FAILURES, classify_failure
    from workflows.control import RunControl
    from workflows.handover_pieces import Fit
    from workflows.patches_at_start import patched
    from workflows.results_land import results_land
    from workflows.run_size import (
        UNDOS_OVERFULL_PATCH,
        HistoryOverfull,
        history_full,
        history_overfull,
        overfull_message,
    )
    from workflows.tool_calls import execute_tool, sendable_call
    from workflows.tool_slots import ToolSlots
    from workflows.unfinished_steps import folded, unfinished_gaps
    from workflows.value_sizes import ask_before_reading, worker_limit_or

CIRCUITS_TIMEOUT = timedelta(seconds=10)
COMPENSATION_TIMEOUT = timedelta(seconds=120)
FORGET_TIMEOUT = timedelta(seconds=60)
STORED_TIMEOUT = timedelta(seconds=120)
# Runs that kept copies for their undos remove them when they end; runs before this had none to remove.
FORGET_REPLACED_PATCH = "copies-kept-for-undos-removed-at-the-end"
# A chain's hand-over stores the steps a compensation may undo with its chunk rather than listing them in the
# carry (workflows/handover.py); the compensation reads them back from there.
COVERS_EARLIER_RUNS_PATCH = "compensation-covers-earlier-runs"
# A compensation that fills its run's history hands over to the next run of the chain, where it stands; it undoes
# the run's own steps before those of earlier runs; a pause holds it, a cancel stops it, and what it leaves is said.
HANDS_OVER_PATCH = "compensation-hands-over"
# A plan with a deadline gives its undos a budget as long (workflows/recovery.py's _Budget): they ran on without one.
BUDGET_PATCH = "compensation-budget-of-the-plans-timeout"
BUDGET_SUMMARY = "undos' budget"
# An undo waits at the server for a free activity slot of a worker, and the budget ran on meanwhile: with a busy
# worker the undos' budget was spent on waiting, and the undos after were said "budget ran out", never tried. The time
# an undo waited before it started is added to the budget. Runs before replay with the budget as they counted it.
BUDGET_FROM_START_PATCH = "undos-budget-counts-from-each-undos-start"
# ... and so is the wait of an undo that failed: only a completed undo's was counted, so an undo that waited out the
# budget for a busy worker and then failed left the undos after it said "budget ran out", never tried. Its wait is read
# from when its failing attempt started (the tool's failure says it). Runs before replay with the budget they counted.
FAILED_WAIT_PATCH = "undos-budget-gives-back-a-failed-undos-wait"
# ... and the waits still owed when the compensation hands over go on being owed in the next run: owed until the
# budget's timer fired, they were lost at the hand-over, and that run's timer fired as if the undos never waited.
HANDED_OVER_WAIT_PATCH = "undos-budget-hands-over-the-waits-owed"
# ... and a run of the chain that first ran after the budget's end (its waits owed counted) starts no undo: its timer,
# started before its first undo however little was left, fired only after that undo had started, one undo past the end.
SPENT_BEFORE_THE_RUN_PATCH = "undos-budget-spent-before-a-continued-run-starts-none"
# ... and every attempt's wait for a slot is given back, as the worker measured it (orchestra/slot_waits.py): only the
# first attempt's was, so a retried undo's waits and a timed-out one's were spent from the budget.
EVERY_WAIT_PATCH = "undos-budget-gives-back-every-attempts-wait"
# An undo that ended past the budget's end (its waits added) spends it, whether or not the budget's timer was seen to
# fire first: the timer is started when the workflow task that set the end completes, so it fires that much after the
# end, and an undo ending between the two (or in the same activation, resolved first) let the next undo start.
# Runs before went by the timer alone (ORCHESTRATION_LATER: asked as a run starts).
ENDED_PAST_THE_BUDGET_PATCH = "undos-budget-spent-by-an-undo-ending-past-it"
# How an earlier run's undos ended is stored in pieces that each fit the storage limit when they do not fit as one
# (asked only then): one page's undos went as one local activity argument, whose encoding failed over the limit,
# and the compensating run's workflow task was retried for ever.
UNDONE_PIECES_PATCH = "undone-stored-in-pieces-that-fit"
# ... and measured against the limit of the worker storing them, read before each page's store: it was the one
# the compensating run read when it started, so a run started on a worker of 50 MiB and undoing on one restarted
# with 16 KB stored 37 KB of undos as one value its store refuses (a local activity's argument: the task retried
# for ever). Asked only where a page's undos are stored, so histories before replay without the read.
UNDONE_WORKER_LIMIT_PATCH = "undone-measured-against-the-worker-storing"
# The history stop decided before the undo's result of its workflow task landed (as the drive's did:
# plan_driver.RESULTS_LAND_PATCH says why): an undo whose activity completed in the task that filled the history was
# cancelled and recorded CANCELLED, "may have done part of its work". Now its result lands first, a cancelled undo's
# outcome is waited for, and only one its cancel cut short stops the run (asked at the start, ORCHESTRATION_LATER).
UNDO_LANDS_PATCH = "history-stop-after-the-undos-result-lands"


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
        slots: ToolSlots | None = None,
    ) -> None:
        self.plan = plan
        self.slots = slots  # the plan's tool_concurrency, which an alternative's calls are held by too
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
            if index and self.slots is not None:
                await self.slots.move(node.id, tool)
            call = await sendable_call(
                tool, args, node.id, scope, sizes, secrets=self.secrets, undo_reads=node.undo_reads()
            )
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
    control: RunControl, *, secrets: bool, cursor: UndoCursor | None = None,
) -> UndoCursor | None:  # fmt: skip
    """Undo completed steps that declare a compensation, newest first, each no more often than its tool and
    arguments allow (a refund POSTed without a key was sent up to 5 times when its answer was slow): those the
    record lists, and those earlier runs of the chain stored with their chunks (``StepChunk.undo``). Runs of a
    chain follow one another: the steps the record lists (the last run's) first, then the chunks newest first.

    Once the run's history is full, it returns where it stands (``cursor``, given back to the next run of the chain
    to go on from): 50,000 undos were 300,000 events in one run, which the server ends unrecorded at 51,200. A run
    paused before its failure holds its undos until resume (a pause that arrives once they run is refused: control.py);
    a cancel stops the undos. Whatever it leaves not undone, or undone without a
    record of how, the record says (``ExecutionRecord.undo_gaps``)."""
    resumable = cursor is not None or patched(HANDS_OVER_PATCH)
    undo = _Undo(plan, schedule, scope, sizes, secrets, resumable=resumable)
    budget = _Budget(plan.timeout_s, cursor.budget_ends_at if cursor else None, cursor.budget_owed_s if cursor else 0)
    show = control.show
    listed = deque(
        sorted(
            (
                s
                for s in record.steps
                if s.state == StepState.COMPLETED and plan.node(s.node_id).compensation and s.compensation is None
            ),
            key=lambda s: s.ended_at or record.started_at,
            reverse=True,
        )
    )
    at = _Position(plan, record, len(record.earlier) - 1)
    if resumable and cursor is None:
        note_unfinished(plan, record)

    async def due() -> bool:
        """Before an undo: whether to hand over first (after an undo of this run's, so the chain moves on)."""
        if not resumable:
            return False
        if control.paused or workflow.cancellation_reason() is not None:
            if control.paused:  # said in the record and the details while it lasts (only undos started were listed)
                record.undos_waiting = at.left("the run was paused before its failure", "these undos wait for resume")
                control.show_details()
            await workflow.wait_condition(lambda: not control.paused or workflow.cancellation_reason() is not None)
            record.undos_waiting = None
            if workflow.cancellation_reason() is not None:
                raise asyncio.CancelledError  # an undo the cancel interrupted ended; the ones left do not start
        budget.start()  # after a pause's wait: the budget counts the undos' time, not the operator's
        budget.not_counting(*undo.take_waited())  # nor a busy worker's: the last undo's wait for a slot
        if budget.spent:
            raise _BudgetSpent
        return undo.ran > 0 and history_full(plan)

    async def listed_until(ended_at: datetime | None) -> bool:
        """The listed steps that ended after ``ended_at`` (all of them for None); True to hand over."""
        while listed and (ended_at is None or (listed[0].ended_at or record.started_at) >= ended_at):
            if await due():
                return True
            step = listed[0]
            await undo.run(step.node_id, show, step)
            listed.popleft()
        return False

    try:
        if resumable and await listed_until(None):  # the run's own steps go into a chunk at the hand-over
            return budget.cursor(chunk=len(record.earlier))
        first = cursor or UndoCursor(chunk=len(record.earlier) - 1)
        for index in range(first.chunk, -1, -1):
            at.chunk, chunk = index, record.earlier[index]
            if chunk.stored is None:  # nothing stored outside the history: its steps are listed in the chunk
                inline = [
                    s
                    for s in chunk.steps
                    if s.state == StepState.COMPLETED and plan.node(s.node_id).compensation and s.compensation is None
                ]
                for step in sorted(inline, key=lambda s: s.ended_at or record.started_at, reverse=True):
                    if await listed_until(step.ended_at or record.started_at) or await due():
                        return budget.cursor(chunk=index)
                    await undo.run(step.node_id, show, step)
                if inline:  # a chunk of a run before the patch lists none: its replay makes no call it did not
                    show()
                continue
            for page_index in range(first.page if index == first.chunk else 0, len(chunk.undo)):
                at.page, at.page_read = page_index, False
                page = await _read_page(chunk.undo[page_index], page_index, chunk.run_index, record)
                skip = first.item if (index, page_index) == (first.chunk, first.page) else 0
                if page.items and await listed_until(page.items[0].ended_at):
                    return budget.cursor(chunk=index, page=page_index, item=skip)
                handed = await _undo_page(page, skip, chunk, scope, undo, due, at, show, record)
                show()
                if handed is not None:
                    return budget.cursor(chunk=index, page=page_index, item=handed)
            at.page, at.page_read = len(chunk.undo), False
        at.chunk = -1
        await listed_until(None)
        show()
        return None
    except _BudgetSpent:
        record.note_undo_gap(at.left(budget.why()))
        show()
        return None
    except asyncio.CancelledError:
        if resumable:
            record.note_undo_gap(at.left("the run was cancelled during its compensation"))
        raise
    except HistoryOverfull:
        record.note_undo_gap(at.left("the run's history grew too large during its compensation"))
        show()
        raise
    finally:
        await budget.close()


async def _undo_page(
    page: UndoPage, skip: int, chunk: StepChunk, scope: StepScope, undo: _Undo, due: Callable[[], Awaitable[bool]],
    at: _Position, show: Callable[[], None], record: ExecutionRecord,
) -> int | None:  # fmt: skip
    """The page's undos from item ``skip``, stored with the chunk; the item to go on from when the run is to hand
    over first. What the page's compensations read of steps no step still to run read is in scope for them only."""
    for node, entry in page.scope.items():
        scope.values[node] = {**entry, "output": page.stored.get(node, entry.get("output"))}
    done: dict[str, CompensationRecord] = {}
    handed: int | None = None
    at.items, at.page_read = [item.node for item in page.items[skip:]], True
    try:
        for offset, item in enumerate(page.items[skip:]):
            if await due():
                handed = skip + offset
                break
            done[item.node] = await undo.run(item.node, show)
            at.items.pop(0)
    except (asyncio.CancelledError, _BudgetSpent):
        await _keep_undone(done, chunk, record, undo.sizes)
        raise
    for node in page.scope:
        scope.values.pop(node, None)
    await _keep_undone(done, chunk, record, undo.sizes)
    return handed


async def _keep_undone(
    done: dict[str, CompensationRecord], chunk: StepChunk, record: ExecutionRecord, sizes: CallSizes
) -> None:
    if not done:
        return
    in_pieces: bool | None = None  # asked when they do not fit, as before the read
    if patched(UNDONE_WORKER_LIMIT_PATCH):
        in_pieces = ask_before_reading(UNDONE_PIECES_PATCH)
        sizes = await _storing(sizes)
    entries = {node: e.model_dump(mode="json") for node, e in done.items()}
    fit = Fit(sizes.value_limit, sizes.limit_name)
    if fit.fits([entries]) or not (patched(UNDONE_PIECES_PATCH) if in_pieces is None else in_pieces):
        calls = [[entries]]
    else:
        fitting = {node: entry for node, entry in entries.items() if fit.fits_alone([node, entry])}
        if unfit := [node for node in entries if node not in fitting]:
            # No run or page named: gaps of one reason fold into one (ExecutionRecord.note_undo_gap), the runs named.
            why = "the undos of steps an earlier run finished ran, but how they ended is over the storage"
            why += f" limit of {fit.limit:,} bytes each (ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES): it was not stored"
            record.note_undo_gap(_unrecorded(why, chunk.run_index, {n: entries[n] for n in unfit}, sizes.value_limit))
        # Measured as [node, entry] pairs, 2 bytes more than the entry in its mapping: the pieces fit.
        pieces = [dict(piece) for piece in fit.cut(list(fitting.items()), lambda pair: pair[0])]
        calls = fit.calls(pieces)
    for values in calls:
        chunk.undone.extend(await _store_undone(values, chunk.run_index, record, sizes.value_limit))


async def _storing(sizes: CallSizes) -> CallSizes:
    """``sizes`` with the limit of the worker about to store; as they were when it cannot be read (the limit the
    run started with: the store says if it refuses)."""
    limit, name = await worker_limit_or(sizes.value_limit, sizes.limit_name)
    return replace(sizes, value_limit=limit, limit_name=name)


def _unrecorded(reason: str, run_index: int, entries: dict[str, Any], limit: int) -> UndoGap:
    """Undos that ran without a record of how they ended stored: the first listed keep a preview of it (as a step's
    output too large to keep does), so the user sees what was not recorded; a gap's previews together within a 64th
    of the value limit (``limit``), so the record that lists them stays within it: as many as fit at 128 bytes each
    (MIN_PREVIEW_BYTES; ten took 82 KB of limit, a smaller one's 64th was passed), none under 8 KB."""
    nodes = list(entries)
    shown = min(MAX_GAP_NODES, limit // 64 // MIN_PREVIEW_BYTES) if limit else MAX_GAP_NODES
    each = preview_limit(shown, limit // 64) if limit else preview_limit(shown)
    previews = {node: preview(entries[node], each)[0] for node in nodes[:shown]}
    return UndoGap(
        reason=reason[:500], unrecorded=True, run_index=run_index, nodes=nodes, count=len(nodes), previews=previews
    )


class _BudgetSpent(Exception):
    """No undo starts once the budget is spent (the one running when it ran out finished)."""


class _Budget:
    """The undos of a plan with a deadline (``timeout_s``) get as long again, from the first undo on, over the run's
    deadline: they are what puts the user's data back, so the deadline does not stop them, but a chain of 50,000 slow
    undos does not run for days unsaid either. The undo running when the budget ends finishes; none starts after
    it, and the record says which are left (``undo_gaps``). A chain's next run keeps the same end. (Behind
    BUDGET_PATCH: a run of the code before ran every undo, its timer would be a command it never gave.)"""

    def __init__(self, timeout_s: float | None, ends_at: datetime | None, owed: float = 0.0) -> None:
        self.seconds, self.ends_at = timeout_s, ends_at
        self.spent = False
        self.owed = owed  # seconds undos waited for a worker to start them, not yet added to the budget
        self._timer: asyncio.Task[None] | None = None
        self._asked = False

    def start(self) -> None:
        if self._asked or not self.seconds:
            return
        self._asked = True
        if not patched(BUDGET_PATCH):
            return
        if self._over_before_this_run():
            return
        now = workflow.now()
        self.ends_at = self.ends_at or now + timedelta(seconds=self.seconds)
        # Always a timer, however little is left: whether one is started may not hang on the clock (a replay's
        # clock after a local activity can differ from the run's).
        remaining = max((self.ends_at - now).total_seconds(), 0.001)
        self._timer = asyncio.create_task(self._run_out(remaining))

    def _over_before_this_run(self) -> bool:
        """Whether the chain's budget, the waits it owes added, ended before this run first ran (its first task's
        start, as recorded: a replay decides alike); then it is spent, and no timer started."""
        if self.ends_at is None:
            return False
        end = self.ends_at + timedelta(seconds=self.owed)
        if end > workflow.info().start_time or not patched(SPENT_BEFORE_THE_RUN_PATCH):
            return False
        self.ends_at, self.owed, self.spent = end, 0.0, True
        return True

    def not_counting(self, waited: float, ended_at: datetime | None) -> None:
        """An undo waited ``waited`` seconds for a worker to start it, and ended at ``ended_at``: the budget ends as
        much later. Owed until the budget's timer fires, then, if the budget so extended is not over when that undo
        ended, started again for what is left: one timer more at most where the waits made the difference, not one for
        every undo that waited a little. Both times are the undo's result's, as recorded: a replay decides alike."""
        self.owed += max(waited, 0.0)
        if self.ends_at is None or ended_at is None:
            return
        end = self.ends_at + timedelta(seconds=self.owed)
        if not self.spent and ended_at >= end and patched(ENDED_PAST_THE_BUDGET_PATCH):
            self.ends_at, self.owed, self.spent = end, 0.0, True  # the undo running as it ended has finished
            return
        if not self.spent or self.owed <= 0:
            return
        left = (self.ends_at + timedelta(seconds=self.owed) - ended_at).total_seconds()
        if left <= 0 or not patched(BUDGET_FROM_START_PATCH):
            return
        self.ends_at += timedelta(seconds=self.owed)
        self.spent, self.owed = False, 0.0
        self._timer = asyncio.create_task(self._run_out(left))

    async def _run_out(self, seconds: float) -> None:
        await workflow.sleep(seconds, summary=BUDGET_SUMMARY)
        self.spent = True

    def cursor(self, chunk: int, page: int = 0, item: int = 0) -> UndoCursor:
        """Where the next run goes on from, the budget's end, and the waits still owed (added as in this run: when the
        timer fires, if they make the difference)."""
        owed = self.owed if self.ends_at is not None and self.owed > 0 and patched(HANDED_OVER_WAIT_PATCH) else 0
        return UndoCursor(chunk=chunk, page=page, item=item, budget_ends_at=self.ends_at, budget_owed_s=owed)

    def why(self) -> str:
        ended = f"{self.ends_at:%Y-%m-%d %H:%M:%S} UTC" if self.ends_at else "its end"
        return (
            f"the undos' budget ran out at {ended} (the plan's timeout_s, {self.seconds:g} s, from the first undo, "
            "and the time undos waited for a worker to start them; an undo running then finished, none started after)"
        )

    async def close(self) -> None:
        """The timer cancelled before the run ends or hands over (a timer firing as the run closes fails its task)."""
        if self._timer is not None and not self._timer.done():
            self._timer.cancel()
            await workflow.wait([self._timer])


class _Position:
    """Where a compensation is, to say what it left when it stops: the listed steps and those of inline chunks it
    has not undone (an undo marks its step from the start), the rest of the page it is at, and every page after."""

    def __init__(self, plan: Plan | None, record: ExecutionRecord, chunk: int, page: int = 0) -> None:
        self.plan, self.record = plan, record
        self.chunk, self.page, self.page_read = chunk, page, False
        self.items: list[str] = []

    def left(self, reason: str, what: str = "these steps were not undone") -> UndoGap:
        record = self.record
        chunks = record.earlier[: self.chunk + 1]
        inline = [s for chunk in reversed(chunks) if chunk.stored is None for s in chunk.steps]
        nodes = [s.node_id for s in (*record.steps, *inline) if self._undoable(s)] + self.items
        count, nodes = len(nodes), nodes[:MAX_GAP_NODES]
        pages = sum(len(chunk.undo) for chunk in chunks if chunk.stored is not None)
        if chunks and chunks[-1].stored is not None:
            pages -= min(self.page + self.page_read, len(chunks[-1].undo))
        return UndoGap(reason=f"{reason}: {what}", nodes=nodes, count=count, pages=pages)

    def _undoable(self, step: StepRecord) -> bool:
        # No plan: a run of a chain handed its plan by reference that could not read it back. Every chunk of such a
        # chain is stored (its pages counted), and nothing is listed at a run's start: no step is left unsaid.
        return (
            step.state == StepState.COMPLETED
            and step.compensation is None
            and (self.plan is None or self.plan.node(step.node_id).compensation is not None)
        )


def note_unfinished(plan: Plan, record: ExecutionRecord) -> None:
    """The steps with an undo that started and did not complete, said by the record (``_unfinished``)."""
    for gap in _unfinished(plan, record):
        record.note_undo_gap(gap)


def _unfinished(plan: Plan, record: ExecutionRecord) -> list[UndoGap]:
    """The steps with an undo that started and did not complete, in this run and in every earlier one of the chain
    (a step allowed to fail, in a run that handed over): never undone, what their tools did stays. An earlier run's
    stored steps are not read back for it: the runs that handed them over counted them (``StepChunk.unfinished``).
    One gap per way they ended, however many runs ran them."""
    gaps = unfinished_gaps(plan, record.steps, len(record.runs) - 1)
    for chunk in reversed(record.earlier):
        gaps += chunk.unfinished if chunk.stored is not None else unfinished_gaps(plan, chunk.steps, chunk.run_index)
    return folded(gaps)


def left_from(plan: Plan | None, record: ExecutionRecord, cursor: UndoCursor, reason: str) -> UndoGap:
    """What a compensation handing over at ``cursor`` leaves, when the hand-over itself fails (or the next run cannot
    read its plan back: ``plan`` None)."""
    return _Position(plan, record, min(cursor.chunk, len(record.earlier) - 1), cursor.page).left(reason)


def _cut_short(running: workflow.ActivityHandle[ToolResult]) -> bool:
    """Whether the cancelled undo ``running`` (done) ended by its cancel rather than with its result or failure."""
    if running.cancelled():
        return True  # no outcome given (the SDK drops a result resolved before the cancel): said as cut short
    err = running.exception()
    return isinstance(err, ActivityError) and isinstance(err.cause, CancelledError)


class _Undo:
    def __init__(
        self, plan: Plan, schedule: PlanSchedule, scope: StepScope, sizes: CallSizes, secrets: bool, *, resumable: bool
    ) -> None:
        self.plan, self.schedule, self.scope, self.sizes, self.secrets = plan, schedule, scope, sizes, secrets
        self.resumable = resumable  # behind HANDS_OVER_PATCH: a cancel reaching an undo is shown on it
        self.ran = 0  # undos this run started
        self._waited = 0.0  # how long the last undo waited for a worker to start it
        self._ended: datetime | None = None  # when it ended

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
        self.ran += 1
        asked: datetime | None = None
        try:
            call = await sendable_call(
                compensation.tool, compensation.args, node_id, self.scope, self.sizes, secrets=self.secrets
            )
            asked = workflow.now()
            running = workflow.start_activity_method(
                ToolActivities.run_tool,
                call.model_copy(update={"sends": attempts}),  # its tool's tries within the attempt too (ToolCall.sends)
                start_to_close_timeout=COMPENSATION_TIMEOUT,
                retry_policy=RetryPolicy(maximum_attempts=attempts, non_retryable_error_types=[ErrorKind.VALIDATION]),
                activity_id=f"{node_id}.compensate",
                summary=f"{node_id}: undo with {compensation.tool}",
            )
            await self._unless_overfull(running, entry)
            result: ToolResult = await running
            entry.state = StepState.COMPLETED
            entry.output = result.output if result.output_ref is None else result.preview
            if result.waited_s is not None and patched(EVERY_WAIT_PATCH):
                self._waited, self._ended = result.waited_s, result.ended_at
            elif result.attempt == 1:  # its start, as the worker recorded it (after a retry: the tries' time too)
                self._waited, self._ended = (result.started_at - asked).total_seconds(), result.ended_at
        except INPUT_ERRORS as exc:
            entry.state, entry.error = StepState.ERROR, ExecutionError.of(ErrorKind.VALIDATION, str(exc))
        except ACTIVITY_FAILURES as err:
            entry.state, entry.error = StepState.ERROR, classify_failure(err, attempts)[0]
            self._failed_after_waiting(err, asked)
            if self._ended is None and patched(ENDED_PAST_THE_BUDGET_PATCH):
                self._ended = workflow.now()  # a timed-out attempt says no wait: it ended as its failure came
        except asyncio.CancelledError:
            if not self.resumable:
                raise
            # The undo was asked to stop while it ran: it may have done part of its work. Shown on its step like any
            # other; the compensation stops before the next one (its cancellation is checked there).
            message = "the run was cancelled while this undo ran: it may have done part of its work"
            entry.state, entry.error = StepState.CANCELLED, ExecutionError.of(ErrorKind.USER_CANCELLED, message)
        return entry

    async def _unless_overfull(self, running: workflow.ActivityHandle[ToolResult], entry: CompensationRecord) -> None:
        """Raises HistoryOverfull, the undo cancelled, when the history reaches its stop while the undo runs: waited
        for, a flood of large signals had the server terminate the run, its record lost (UNDOS_OVERFULL_PATCH). Only
        an undo its cancel cut short stops it (UNDO_LANDS_PATCH): one that ended otherwise is recorded as it ended."""
        if not patched(UNDOS_OVERFULL_PATCH):
            return
        await workflow.wait_condition(lambda: running.done() or history_overfull() is not None)
        lands = not running.done() and patched(UNDO_LANDS_PATCH)
        if lands:  # the undo's result, when this activation brings it, reaches it first
            await results_land()
        size = None if running.done() else history_overfull()
        if size is None:
            return
        running.cancel()
        if lands:
            await workflow.wait([running])  # a result that lands after the cancel is the undo's all the same
            if not _cut_short(running):
                return  # it ended as it ended (run() records it); the next undo's due() hands over
        message = (
            "the run's history grew too large while this undo ran: it was cancelled, and may have done part of its work"
        )
        entry.state, entry.error = StepState.CANCELLED, ExecutionError.of(ErrorKind.SYSTEM, message, retryable=False)
        raise HistoryOverfull(overfull_message(size, 0, undos=True))

    def _failed_after_waiting(self, err: BaseException, asked: datetime | None) -> None:
        """The wait of an undo whose first attempt failed, from when that attempt started (its failure's details, as
        recorded: a replay decides alike) to when it was ``asked``; it ended now. Only an attempt the tool's code
        failed says when it started: a timeout's wait goes uncounted, as the wait of an undo that was retried."""
        cause = err.cause if isinstance(err, ActivityError) else None
        said = (
            cause.details if isinstance(cause, ApplicationError)
            else cause.last_heartbeat_details if isinstance(cause, TimeoutError) else ()
        )  # fmt: skip
        if (waited_s := waits_in(said)) is not None and patched(EVERY_WAIT_PATCH):
            self._waited, self._ended = waited_s, workflow.now()
            return
        details = cause.details[0] if isinstance(cause, ApplicationError) and cause.details else None
        if asked is None or not isinstance(details, dict) or details.get("attempt") != 1:
            return
        try:
            started = datetime.fromisoformat(str(details["started_at"]))
        except (KeyError, ValueError):
            return
        waited = (started - asked).total_seconds()
        if started.tzinfo is not None and waited > 0 and patched(FAILED_WAIT_PATCH):
            self._waited, self._ended = waited, workflow.now()

    def take_waited(self) -> tuple[float, datetime | None]:
        """How long the last undo waited for a worker before it started, and when it ended; once."""
        taken, (self._waited, self._ended) = (self._waited, self._ended), (0.0, None)
        return taken


async def _read_page(page: StoredValue, page_index: int, run_index: int, record: ExecutionRecord) -> UndoPage:
    """One page of the steps an earlier run stored for undoing; none when it cannot be read (said in the record:
    their writes' copies stay, as for any write no undo put back)."""
    try:
        items = await workflow.execute_local_activity_method(
            ToolActivities.load_value, page, start_to_close_timeout=STORED_TIMEOUT,
            retry_policy=RetryPolicy(maximum_attempts=5), summary=f"read the steps run {run_index + 1} may undo",
        )  # fmt: skip
        return UndoPage.model_validate(items)
    except (*ACTIVITY_FAILURES, ValidationError) as err:
        # Neither page nor run in the reason: a chain that lost its store folds its pages in one gap (its runs named).
        why = f"pages of the steps an earlier run finished could not be read, none undone: {err}"
        workflow.logger.warning(f"page {page_index + 1} of the steps run {run_index + 1} finished: {why}")
        record.note_undo_gap(UndoGap(reason=why[:500], run_index=run_index, pages=1))
        return UndoPage(items=[])


async def _store_undone(
    values: list[dict[str, Any]], run_index: int, record: ExecutionRecord, limit: int
) -> list[StoredValue]:
    """Undos of a page (``values``: node -> its compensation's record, each a piece that fits), stored where the
    chain's record reads them (orchestra/storage/step_chunks.py); none when they cannot be (said in the record: the
    undos ran, the files say what they did)."""
    try:
        refs: list[StoredValue] | None = await workflow.execute_local_activity_method(
            ValueActivities.store_values, values,
            start_to_close_timeout=STORED_TIMEOUT, retry_policy=RetryPolicy(maximum_attempts=5),
            summary=f"store the undos of steps run {run_index + 1} finished",
        )  # fmt: skip
    except ACTIVITY_FAILURES as err:
        why = f"the undos of steps an earlier run finished ran, but how they ended could not be stored: {err}"
        workflow.logger.warning(why)
        record.note_undo_gap(_unrecorded(why, run_index, {n: e for value in values for n, e in value.items()}, limit))
        return []
    return refs or []


async def forget_replaced(plan: Plan, *, undone: bool) -> None:
    """The copies the run's writes kept for their undos (orchestra/tools/replaced.py) go once the run has ended and
    its undos have run, but, in a failed run (``undone``), those still there: no undo put them back (said by each
    such undo), or their write failed after keeping one (no undo runs for it). They are the user's only way back,
    left to the sweep of old copies. So does a worker that cannot remove them. (Only the activity's argument is new:
    histories recorded before replay as they were.)"""
    if not any("previous" in node.undo_reads() for node in plan.nodes) or not patched(FORGET_REPLACED_PATCH):
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
