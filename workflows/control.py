"""Pause, resume and cancel, defined once for OrchestrationWorkflow and AgentWorkflow.

Both workflows derive from ``ControlledWorkflow`` (the handlers) and keep a ``RunControl`` (what the
handlers mean, and what the run asks before it starts anything):

- Pause is cooperative: what is running finishes, nothing new starts until resume. The ``pause`` and
  ``resume`` signals (the Web UI's "Send a Signal") do it without an answer; the ``pause_run`` and
  ``resume_run`` updates answer with the run's state, or are refused with the reason (already paused,
  not paused, ended, being cancelled, no step left to start), and leave nothing in the history when refused.
- Cancel is Temporal's. ``supervise`` runs the run's body in its own task; when the run is cancelled or
  reaches its deadline, it first lets every result already delivered land, then cancels the body.
  Cancelling a task whose activity result arrived in the same workflow task would lose that result (the
  SDK raises CancelledError over it), and a step that did its work must keep it. Activities still
  running get a cancellation request and are waited for (WAIT_CANCELLATION_COMPLETED): one that
  finishes anyway keeps its result, and nothing new starts once ``stopping``.
- The record's state (initializing -> running <-> paused -> completed | error | cancelled) changes only
  here, and every change refreshes what the Web UI and visibility show: current details and search
  attributes.

A natively paused run (the Web UI's Pause button, ``temporal workflow pause``) is held by the server:
no workflow task runs, so nothing here can change while it lasts, and the server refuses queries and
updates until unpause; signals and a cancel request wait for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from datetime import timedelta
from typing import Any, Protocol, TypeVar

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from orchestra.control import (
        PAUSE_SIGNAL,
        PAUSE_UPDATE,
        REFUSED_SIGNAL,
        RESUME_SIGNAL,
        RESUME_UPDATE,
        ControlAnswer,
        ControlState,
        PauseRequest,
    )
    from orchestra.errors import ExecutionError
    from orchestra.record import FINISHED_RUN_STATES, MAX_REFUSED_SIGNALS, AgentState, RefusedSignal, RunRecord
    from workflows.patches_at_start import patched
    from workflows.results_land import results_land
    from workflows.search_index import TIMER_PATCH, IndexValues, SearchIndex

T = TypeVar("T")
REFUSED = "control_refused"
LATE_START_PATCH = "chain-run-started-past-its-deadline-stops-at-once"
# A pause signal that arrives once the run's body is over (undoing, handing over, concluding) is ignored:
# asked only then, so histories where no pause came that late replay as they were.
ENDING_PAUSE_PATCH = "pause-after-the-body-ends-is-ignored"
# Likewise once the run is being cancelled (the update is refused then): the signal set the run PAUSED
# while its steps were being cancelled. Asked only when a pause signal comes then.
CANCELLING_PAUSE_PATCH = "pause-while-cancelling-is-ignored"


class RunView(Protocol):
    """What a workflow tells its control about itself."""

    def current_details(self) -> str:
        """The Markdown the Web UI shows (derived numbers refreshed first)."""
        ...

    def search_values(self) -> IndexValues: ...

    def in_flight(self) -> int:
        """Steps or calls running now."""
        ...


class RunControl:
    def __init__(self, record: RunRecord, state: ControlState, view: RunView, unit: str) -> None:
        self.record, self.state, self.view = record, state, view
        self.unit = unit  # what runs: "step" or "call", for the answers' messages
        # Decisions from the history only (search_index.TIMER_PATCH): whether the deadline has passed is
        # the deadline timer having fired, or the run's first activation coming after it (_started_late),
        # not workflow.now() later on, which a replay can see earlier than the run did (after a local
        # activity that outlived its workflow task).
        self._from_history = patched(TIMER_PATCH)
        self._past_deadline = self._from_history and self._started_late()
        self._index = SearchIndex(view.search_values, by_timer=self._from_history)
        # The body is over: nothing new starts whatever a pause says, so one is refused (a plan's undos ran
        # on under "paused: nothing new starts until resume", and a hand-over dropped a pause taken then).
        self._ending = False
        # The body was stopped at its history's bound (workflows/history_stop.py): a call whose result landed with
        # that cancel returns it, and the body would go on to its next call (nothing new may start then).
        self.halted = False
        self._mirror()

    def _started_late(self) -> bool:
        """A run of a chain whose first workflow task came after the chain's deadline (no worker polled
        while the deadline passed, or an operator reset the run): its deadline timer is 1 ms long, and
        until it fires the run would start steps after the deadline. Read once, in the run's first
        activation, whose clock is its workflow task's start in the run and in any replay alike.
        Behind LATE_START_PATCH, asked only by such a run: runs of the code before it started steps."""
        deadline = self.state.deadline_at
        return deadline is not None and workflow.now() >= deadline and patched(LATE_START_PATCH)

    # -- what the run asks -------------------------------------------------------------------------

    @property
    def paused(self) -> bool:
        return self.state.paused

    @property
    def stopping(self) -> bool:
        """Cancellation requested or deadline passed: nothing new may start."""
        if self._from_history:
            return self._past_deadline or workflow.cancellation_reason() is not None
        deadline = self.state.deadline_at
        return (deadline is not None and workflow.now() >= deadline) or workflow.cancellation_reason() is not None

    def may_start(self) -> bool:
        return not self.paused and not self.stopping

    def halt(self) -> None:
        """The body is being stopped: its next checkpoint raises CancelledError."""
        self.halted = True

    async def checkpoint(self) -> None:
        """Before starting anything: wait while paused; raise CancelledError once stopping (an activity
        that completed after the cancel request returns normally, and what follows must not run)."""
        await workflow.wait_condition(lambda: not self.paused or self.stopping or self.halted)
        if self.stopping or self.halted:
            raise asyncio.CancelledError

    async def supervise(
        self, body: Coroutine[Any, Any, T], timeout_s: float | None = None, summary: str | None = None
    ) -> T:
        """Run ``body`` to its end, or stop it on cancellation or at the deadline and re-raise CancelledError
        or TimeoutError. The deadline is one timer for the whole run, ``timeout_s`` from its first start
        (a run continued as new keeps the deadline its state carries). Either way the run's other timer,
        the search attributes' refresh, is closed before this returns (SearchIndex.close)."""
        task = asyncio.create_task(body)
        now = workflow.now()
        if timeout_s and self.state.deadline_at is None:
            self.state = self.state.model_copy(update={"deadline_at": now + timedelta(seconds=timeout_s)})
        deadline = self.state.deadline_at
        remaining = max((deadline - now).total_seconds(), 0.001) if deadline else None
        try:
            await workflow.wait_condition(task.done, timeout=remaining, timeout_summary=summary)
        except (asyncio.CancelledError, TimeoutError) as stopped:
            self._past_deadline = self._past_deadline or isinstance(stopped, TimeoutError)
            await results_land()
            task.cancel()
            await workflow.wait_condition(task.done)
            if not task.cancelled():
                task.exception()  # the run ends stopped, whatever the body raised on its way out
            await self._index.close()
            raise
        # The body has finished, returned or raised (a failure, a continue-as-new): the run closes next.
        self._ending = True
        await self._index.close()
        return task.result()

    # -- the record's state ------------------------------------------------------------------------

    def begin(self) -> None:
        """Ready to work: running, or paused if a pause came first."""
        self._set(AgentState.PAUSED if self.paused else AgentState.RUNNING)

    def finish(self, state: AgentState, error: ExecutionError | None) -> None:
        record = self.record
        record.ended_at = workflow.now()
        record.execution_time_ms = (record.ended_at - record.started_at).total_seconds() * 1000
        record.error, record.success = error, state == AgentState.COMPLETED
        self._set_pause(ControlState())
        self._set(state)

    def show(self) -> None:
        workflow.set_current_details(self.view.current_details())
        if self.record.state != AgentState.INITIALIZING:  # indexed from the moment it starts working
            self._index.update()

    def show_details(self) -> None:
        """The details alone, refreshed: no command (the search attributes wait for their own refresh)."""
        workflow.set_current_details(self.view.current_details())

    def _set(self, state: AgentState) -> None:
        self.record.state = state
        workflow.set_current_details(self.view.current_details())
        self._index.update(state_changed=True)

    def _set_pause(self, pause: ControlState) -> None:
        """The pause fields of ``pause``; the deadline stays."""
        self.state = pause.model_copy(update={"deadline_at": self.state.deadline_at})
        self._mirror()

    def _mirror(self) -> None:
        r, s = self.record, self.state
        r.paused, r.pause_reason, r.paused_at = s.paused, s.pause_reason, s.paused_at

    # -- what the handlers do ----------------------------------------------------------------------

    def pause(self, reason: str) -> None:
        if self.record.state in FINISHED_RUN_STATES:
            return
        too_late = (self._ending and patched(ENDING_PAUSE_PATCH)) or (
            workflow.cancellation_reason() is not None and patched(CANCELLING_PAUSE_PATCH)
        )
        if too_late:
            # The signal (the Web UI's) has no answer to say why: the record does, as the update's refusal.
            self.note_refused(RefusedSignal(signal=PAUSE_SIGNAL, reason=self._refusal(pausing=True) or ""))
            return
        if self.state.paused:
            # A second pause keeps the first one's reason and time, as the update refuses it: a later signal
            # replaced the reason an operator gave, with nothing saying so. Refused in the record, and shown as
            # the code before showed it (its commands: the search attributes' refresh alike).
            self.note_refused(RefusedSignal(signal=PAUSE_SIGNAL, reason=self._refusal(pausing=True) or ""))
            self.show()
            return
        self.state = ControlState(
            paused=True, pause_reason=reason or None, paused_at=self.state.paused_at or workflow.now()
        )
        self._mirror()
        if self.record.state == AgentState.RUNNING:
            self._set(AgentState.PAUSED)
        else:
            self.show()

    def resume(self) -> None:
        if self.record.state in FINISHED_RUN_STATES:
            return
        self._set_pause(ControlState())
        if self.record.state == AgentState.PAUSED:
            self._set(AgentState.RUNNING)
        else:
            self.show()

    def note_refused(self, refused: RefusedSignal) -> None:
        """A signal the worker refused (orchestra.signal_refusal: its input was unreadable or did not fit):
        kept in the record, shown in the details and logged; nothing else changes."""
        workflow.logger.warning("signal %r refused: %s", refused.signal, refused.reason)
        kept = [*self.record.refused_signals, refused.model_copy(update={"at": workflow.now()})]
        self.record.refused_signals = kept[-MAX_REFUSED_SIGNALS:]
        workflow.set_current_details(self.view.current_details())

    def refuse(self, pausing: bool) -> None:
        """Raise the reason a pause (or resume) cannot apply now; an update's validator calls it."""
        why = self._refusal(pausing)
        if why:
            raise ApplicationError(why, type=REFUSED, non_retryable=True)

    def _refusal(self, pausing: bool) -> str | None:
        """Why a pause (or resume) cannot apply now, or None."""
        state, s = self.record.state, self.state
        why = None
        if state in FINISHED_RUN_STATES:
            why = f"the run has already ended ({state.value})"
        elif workflow.cancellation_reason() is not None:
            why = "the run is being cancelled"
        elif pausing and s.paused:
            # Before "ending": a run paused before its failure holds its undos until resume, so it is paused.
            since = f" since {s.paused_at:%Y-%m-%d %H:%M:%S} UTC" if s.paused_at else ""
            why = f"the run is already paused{since} ({s.pause_reason or 'no reason given'})"
        elif pausing and self._ending:
            why = (
                f"the run has no {self.unit}s left to start and is ending (running the undos its plan asks for "
                "after a failure, or handing over to the next run of its chain): there is nothing to pause"
            )
        elif not pausing and not s.paused:
            why = "the run is not paused"
        return why

    def answer(self) -> ControlAnswer:
        n = self.view.in_flight()
        running = f"{n} running {self.unit}{'' if n == 1 else 's'} finish{'es' if n == 1 else ''}"
        if self.paused:
            message = f"paused: {running}, nothing new starts until resume"
        elif self._ending:  # resumed while its undos waited: no step starts again, as "new steps start" said
            message = (
                f"{self.record.state.value}: no {self.unit}s left to start; the run is ending (the undos its plan "
                "asks for after a failure go on, or it hands over to the next run of its chain)"
            )
        else:
            message = f"{self.record.state.value}: new {self.unit}s start as they become ready"
        s = self.state
        return ControlAnswer(state=self.record.state, paused=s.paused, pause_reason=s.pause_reason,
                             paused_at=s.paused_at, in_flight=n, message=message)  # fmt: skip


class ControlledWorkflow:
    """The control handlers of a workflow that keeps a RunControl in ``_control`` (built in __init__)."""

    _control: RunControl

    @workflow.signal(name=PAUSE_SIGNAL)
    def pause(self, reason: str = "") -> None:
        """Cooperative pause: what is running finishes, nothing new starts until resume."""
        self._control.pause(reason)

    @workflow.signal(name=RESUME_SIGNAL)
    def resume(self) -> None:
        self._control.resume()

    @workflow.signal(name=REFUSED_SIGNAL)
    def refused_signal(self, refused: RefusedSignal) -> None:
        """Sent by no one: the worker puts it in place of a signal it refused (orchestra.signal_refusal)."""
        self._control.note_refused(refused)

    @workflow.update(name=PAUSE_UPDATE)
    def pause_run(self, request: PauseRequest) -> ControlAnswer:
        """The pause signal, answered: the run's state afterwards, or refused with the reason."""
        self._control.pause(request.reason)
        return self._control.answer()

    @pause_run.validator
    def _validate_pause(self, request: PauseRequest) -> None:
        self._control.refuse(pausing=True)

    @workflow.update(name=RESUME_UPDATE)
    def resume_run(self) -> ControlAnswer:
        self._control.resume()
        return self._control.answer()

    @resume_run.validator
    def _validate_resume(self) -> None:
        self._control.refuse(pausing=False)
