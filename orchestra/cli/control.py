"""Pause, resume, cancel, approve and reject: each either takes effect or says why not (exit 1).

Two kinds of pause: the cooperative one is the run's own (running steps finish, no new step starts, works
on any server), asked for through its ``pause_run`` / ``resume_run`` updates, which answer with the run's
state or refuse with the reason; the native one is Temporal's own workflow pause (server 1.30+, dynamic
config ``frontend.WorkflowPauseEnabled=true``), the same as the Web UI's Pause button. A natively
paused workflow runs no workflow task: the server refuses queries and updates, and a signal or a
cancellation request waits until it is unpaused — so `resume` unpauses it (then ends its cooperative
pause, if it has one), `cancel` says so unless asked to unpause, and `pause`, `approve`/`reject` refuse.
A task run is paused and resumed through the plan run it started.
"""

from __future__ import annotations

import asyncio
import getpass
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

from temporalio.api.workflowservice.v1 import PauseWorkflowExecutionRequest, UnpauseWorkflowExecutionRequest
from temporalio.client import (
    Client,
    WorkflowHandle,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.service import RPCError, RPCStatusCode

from orchestra.cli import render, runs
from orchestra.cli.cancel_taken import taken_or_polled
from orchestra.cli.context import Context, namespace_missing, rpc_problem
from orchestra.cli.errors import EXIT_FAILED, EXIT_INVALID, EXIT_NOT_FOUND, EXIT_OK, CliError
from orchestra.cli.naming import argument, cut_in, named
from orchestra.cli.worker_advice import how_to_serve
from orchestra.cli.workers_seen import PollersUnknown
from orchestra.control import ControlAnswer, PauseRequest

UPDATE_WAIT = timedelta(seconds=30)
NATIVE_TRIES = 3  # a chain continuing as new faster than the CLI reaches its current run is left as it is
UNDO_SUFFIX = ".compensate"  # a compensation's activity id: its node's id (no dot in one) and this
T = TypeVar("T")


def identity() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in a container
        user = "unknown"
    return f"orchestra-cli/{user}@{socket.gethostname()}"


async def open_run(ctx: Context, workflow_id: str, kind: runs.Kind | None = None) -> runs.RunStatus:
    status = await runs.describe(ctx, workflow_id)
    if kind is not None and status.kind != kind:
        raise CliError(
            f"{named(workflow_id)} is a {status.kind.value} run: only {kind.value} runs wait for approvals",
            EXIT_INVALID,
        )
    if status.closed:
        raise CliError(f"run {named(workflow_id)} has already ended ({status.name}): nothing to do", EXIT_FAILED)
    if status.kind == runs.Kind.OTHER:
        raise CliError(f"{named(workflow_id)} is a {status.workflow_type} workflow, not a run of ours", EXIT_INVALID)
    return status


def _handle(client: Client, status: runs.RunStatus) -> WorkflowHandle[Any, Any]:
    """The chain of the run read: by the workflow id alone, a new run reusing the id after the read (a chain nobody
    asked about) was the one cancelled, terminated, paused or resumed. The server refuses an act on another chain
    (NOT_FOUND); a run continued as new keeps its chain's first run id, so the chain's current run is reached."""
    return client.get_workflow_handle(status.workflow_id, first_execution_run_id=status.first_run_id or None)


def _ended_before(workflow_id: str, ended: runs.RunStatus, what: str) -> CliError:
    return CliError(
        f"run {named(workflow_id)} ended ({ended.name}) before the {what} reached it: nothing to do", EXIT_FAILED
    )


async def _acting_problem(ctx: Context, exc: RPCError, status: runs.RunStatus, what: str) -> CliError:
    """The server's refusal of an act on the run read, in the run's terms. A run that ended after it was read (the
    act's NOT_FOUND is "workflow execution already completed") was said to be "no workflow with id", exit 4; so was
    one whose id a new run took meanwhile (the act names the read run's chain, which the id no longer does)."""
    workflow_id = status.workflow_id
    if exc.status == RPCStatusCode.NOT_FOUND and not namespace_missing(exc):
        try:
            latest = await runs.describe(ctx, workflow_id)
        except CliError:
            latest = None
        if latest is not None and latest.first_run_id != status.first_run_id:
            return CliError(
                f"run {named(workflow_id)}: the run read ended and the id now names another run: nothing done",
                EXIT_FAILED,
            )
        if latest is not None and latest.closed:
            return _ended_before(workflow_id, latest, what)
    return rpc_problem(exc, ctx.settings, workflow_id)


async def _native_problem(ctx: Context, exc: RPCError, status: runs.RunStatus, what: str) -> CliError:
    if exc.status in (RPCStatusCode.FAILED_PRECONDITION, RPCStatusCode.PERMISSION_DENIED, RPCStatusCode.UNIMPLEMENTED):
        return CliError(
            f"native pause refused: {exc.message} (the server needs "
            "--dynamic-config-value frontend.WorkflowPauseEnabled=true; the cooperative pause works without it)"
        )
    return await _acting_problem(ctx, exc, status, what)


async def _native(ctx: Context, status: runs.RunStatus, pause: bool, reason: str) -> None:
    """Temporal's pause or unpause of the chain read. These requests take no chain, only a run id: the run read, or,
    when it continued as new since (the act's NOT_FOUND), its chain's current run, so no other run is reached."""
    client = await ctx.client()
    run = status
    for _ in range(NATIVE_TRIES):
        fields = {"namespace": ctx.settings.namespace, "workflow_id": run.workflow_id, "run_id": run.run_id,
                  "reason": reason, "identity": identity(), "request_id": str(uuid.uuid4())}  # fmt: skip
        try:
            if pause:
                await client.workflow_service.pause_workflow_execution(PauseWorkflowExecutionRequest(**fields))
            else:
                await client.workflow_service.unpause_workflow_execution(UnpauseWorkflowExecutionRequest(**fields))
            return
        except RPCError as exc:
            problem = exc
            current = await _continued(ctx, exc, run)
            if current is None:
                break
            run = current
    raise await _acting_problem(ctx, problem, status, "pause" if pause else "unpause") from None


async def _continued(ctx: Context, exc: RPCError, run: runs.RunStatus) -> runs.RunStatus | None:
    """The chain's current run, when the act on ``run`` found it ended because it continued as new; else None."""
    if exc.status != RPCStatusCode.NOT_FOUND or namespace_missing(exc):
        return None
    try:
        latest = await runs.describe(ctx, run.workflow_id)
    except CliError:
        return None
    same_chain = latest.first_run_id == run.first_run_id and latest.run_id != run.run_id
    return latest if same_chain and not latest.closed else None


async def _update(
    ctx: Context,
    status: runs.RunStatus,
    what: str,
    call: Callable[[WorkflowHandle[Any, Any]], Awaitable[T]],
    given: tuple[str, ...] = (),
) -> T:
    """Send an update to the run and wait for its answer; a refusal, a run natively paused meanwhile, or no
    answer in time becomes a CliError that says which. The ids the user ``given`` (a call's) are named cut
    in the run's refusal as in the CLI's own messages."""
    client = await ctx.client()
    workflow_id = status.workflow_id
    try:
        return await asyncio.wait_for(call(_handle(client, status)), UPDATE_WAIT.total_seconds())
    except WorkflowUpdateFailedError as exc:
        said = cut_in(str(getattr(exc.cause, "message", None) or exc.cause), (workflow_id, *given))
        raise CliError(f"cannot {what} {named(workflow_id)}: {said}") from None
    except (TimeoutError, WorkflowUpdateRPCTimeoutOrCancelledError):
        hint = await runs.worker_hint(ctx, status)
        raise CliError(
            f"{named(workflow_id)} did not answer the {what} within {UPDATE_WAIT.seconds} s ({hint}); it may still take "
            f"effect once a worker takes it: `python client.py status {argument(workflow_id)}` shows whether it did"
        ) from None
    except RPCError as exc:
        if exc.status == RPCStatusCode.FAILED_PRECONDITION:
            raise await _refused_update(ctx, exc, status, what) or rpc_problem(exc, ctx.settings, workflow_id) from None
        raise await _acting_problem(ctx, exc, status, what) from None


async def _acted_on(ctx: Context, read: runs.RunStatus) -> runs.RunStatus:
    """The run an act on the chain of ``read`` reached, as it is now: the chain's current run (the one read, or its
    continuation); the run read itself once the id names another chain (it ended, and a new run took the id)."""
    latest = await runs.describe(ctx, read.workflow_id)
    if latest.first_run_id == read.first_run_id:
        return latest
    return await runs.describe(ctx, read.workflow_id, read.run_id)


async def _refused_update(ctx: Context, exc: RPCError, read: runs.RunStatus, what: str) -> CliError | None:
    """Why the server refused the update, in the terms of the run it was sent to (the chain read: the id's latest
    run, a new one since, was described, and its pause or stuck task given as the reason): it is natively paused
    (since `status` was read), or its workflow task keeps failing (the server takes no update then: "Workflow Task
    in failed state" said nothing of why, nor of the way out), or it has ended since."""
    workflow_id = read.workflow_id
    status = await _acted_on(ctx, read)
    if status.closed:
        return CliError(
            f"cannot {what} {named(workflow_id)}: the server refused it ({exc.message}), and the run has ended since "
            f"({status.name}): nothing to do"
        )
    if status.natively_paused:
        return CliError(
            f"cannot {what} {named(workflow_id)}: the run is natively paused and takes no {what} until it is unpaused "
            f"(`python client.py resume {argument(workflow_id)}`)"
        )
    stuck = await runs.task_problem(ctx, status)
    if stuck:
        return CliError(
            f"cannot {what} {named(workflow_id)}: the run takes no {what} now: {stuck}.\n"
            f"  python client.py cancel {argument(workflow_id)} --terminate   end it now (the history keeps what finished)"
        )
    return None


async def pause_run(ctx: Context, status: runs.RunStatus, *, reason: str) -> ControlAnswer:
    """The run's cooperative pause, as it answered it."""
    from workflows.control import ControlledWorkflow

    return await _update(
        ctx, status, "pause", lambda handle: handle.execute_update(ControlledWorkflow.pause_run, PauseRequest(reason=reason))
    )  # fmt: skip


async def resume_run(ctx: Context, status: runs.RunStatus) -> ControlAnswer:
    from workflows.control import ControlledWorkflow

    return await _update(ctx, status, "resume", lambda handle: handle.execute_update(ControlledWorkflow.resume_run))


async def control_target(ctx: Context, workflow_id: str) -> runs.RunStatus:
    """The run pause and resume act on: the run itself, or the plan run a task run started (the task run
    itself while it is natively paused: only unpausing it can help then)."""
    status = await open_run(ctx, workflow_id)
    if status.kind != runs.Kind.TASK or status.natively_paused:
        return status
    try:
        return await open_run(ctx, runs.task_child_id(workflow_id))
    except CliError as exc:
        if exc.code == EXIT_NOT_FOUND:
            raise CliError(
                f"task run {named(workflow_id)} is still planning: it has no plan run to pause or resume yet"
            ) from None
        raise


async def pause(ctx: Context, workflow_id: str, *, native: bool, reason: str, as_json: bool = False) -> int:
    status = await control_target(ctx, workflow_id)
    if status.natively_paused:
        why = f": {status.native_pause_reason}" if status.native_pause_reason else ""
        raise CliError(
            f"run {named(status.workflow_id)} is already paused (natively{why}): `python client.py resume {argument(status.workflow_id)}` unpauses it"
        )
    if native:
        await _native(ctx, status, True, reason or "paused from the orchestra CLI")
        message = (
            f"paused (native Temporal pause): `python client.py resume {argument(status.workflow_id)}` unpauses it"
        )
        return _report(ctx, workflow_id, status, message, None, natively_paused=True, as_json=as_json)
    answer = await pause_run(ctx, status, reason=reason)
    return _report(ctx, workflow_id, status, answer.message, answer, natively_paused=False, as_json=as_json)


async def resume(ctx: Context, workflow_id: str, *, native_only: bool, as_json: bool = False) -> int:
    """Undo whatever holds the run: the native pause, the cooperative one, or both."""
    status = await control_target(ctx, workflow_id)
    if not status.natively_paused:
        if native_only:
            raise CliError(
                f"run {named(status.workflow_id)} is not natively paused ({status.name}): nothing to unpause"
            )
        resumed = await resume_run(ctx, status)
        return _report(ctx, workflow_id, status, resumed.message, resumed, natively_paused=False, as_json=as_json)
    # Natively paused: the run can take no update now, so its history says whether it is paused itself too.
    cooperative = not native_only and status.kind != runs.Kind.TASK and await runs.cooperatively_paused(ctx, status)
    await _native(ctx, status, False, "resumed from the orchestra CLI")
    message = "unpaused it (native Temporal pause)"
    answer: ControlAnswer | None = None
    if cooperative:
        try:
            answer = await resume_run(ctx, status)
        except CliError as exc:
            raise CliError(f"{message}, but its cooperative pause goes on: {exc}") from None
        message += f" and resumed its cooperative pause — {answer.message}"
    return _report(ctx, workflow_id, status, message, answer, natively_paused=False, as_json=as_json)


def _report(
    ctx: Context,
    asked: str,
    status: runs.RunStatus,
    message: str,
    answer: ControlAnswer | None,
    *,
    natively_paused: bool,
    as_json: bool,
) -> int:
    """What pause and resume did to the run (``status``; ``asked`` may be the task run that started it): the
    run's answer when it gave one (an update), and whether it is now natively paused."""
    run = named(status.workflow_id)
    if asked != status.workflow_id:
        run += f" (plan run of task {named(asked)})"
    return done(ctx, f"{run}: {message}", as_json, workflow_id=status.workflow_id, natively_paused=natively_paused,
                answer=answer, message=message)  # fmt: skip


def done(ctx: Context, said: str, as_json: bool, **fields: Any) -> int:
    """What a control command did, as every one of them says it: ``said`` as a line, or ``fields`` as one
    JSON object on stdout (each holding ``workflow_id`` and ``message``)."""
    if as_json:
        render.print_json(ctx, fields)
    else:
        ctx.say(said)
    return EXIT_OK


async def cancel(
    ctx: Context, workflow_id: str, *, unpause: bool, terminate: bool = False, as_json: bool = False
) -> int:
    status = await open_run(ctx, workflow_id)
    if terminate:
        return await _terminate(ctx, status, as_json)
    stuck = await runs.task_problem(ctx, status)
    if stuck:
        if not status.cancel_requested:
            await _request_cancel(ctx, status)
        raise CliError(
            f"run {named(workflow_id)} cannot act on a cancellation now: {stuck}.\n"
            f"  python client.py cancel {argument(workflow_id)} --terminate   end it now (the history keeps what finished)"
        )
    if status.cancel_requested:
        unheard = await _unheard(ctx, status)
        where = "it waits for the run to be unpaused (`resume`)" if status.natively_paused else "the run is cancelling"
        raise CliError(f"cancellation of {named(workflow_id)} was already requested: {unheard or where}")
    if status.natively_paused and not unpause:
        raise CliError(
            f"run {named(workflow_id)} is natively paused: a cancellation would wait until it is unpaused.\n"
            f"  python client.py cancel {argument(workflow_id)} --unpause   cancel now (unpauses it to do so)\n"
            f"  python client.py resume {argument(workflow_id)}             unpause it first"
        )
    await _request_cancel(ctx, status)
    if status.natively_paused:
        await _native(ctx, status, False, "unpaused to cancel, from the orchestra CLI")
    await _not_ended_otherwise(ctx, status, "cancellation")
    unheard = await _unheard(ctx, status)
    if unheard:
        raise CliError(f"cancellation of {named(workflow_id)} requested, but {unheard}")
    undoing = sorted(
        p.activity_id.removesuffix(UNDO_SUFFIX) for p in status.pending if p.activity_id.endswith(UNDO_SUFFIX)
    )
    if undoing:
        # No step runs: the run failed and is undoing its completed steps, which a cancellation cuts short.
        message = (
            f"the run failed and is undoing its completed steps; the cancellation reaches the undo of "
            f"{', '.join(map(named, undoing))}, which may be left half done: "
            f"`python client.py status {argument(workflow_id)}` lists each undo and how it ended"
        )
    else:
        message = "running steps are cancelled, finished results are kept"
    return done(ctx, f"cancellation requested for {named(workflow_id)}: {message}", as_json, workflow_id=workflow_id,
                action="cancel_requested", unpaused=status.natively_paused, undoing=undoing, message=message)  # fmt: skip


async def _not_ended_otherwise(ctx: Context, status: runs.RunStatus, what: str) -> None:
    """CliError if the run ended before the ``what`` reached it: the server takes a cancellation request for a
    closed run without a word (nor marks it requested), and "requested, but no worker polls" was said of a run
    terminated. One that ended after taking it (cancelled; a task run may end failed by its plan run's cancel) did
    take it. The run read again is the one acted on, by its run id: by the workflow id alone, a new run reusing the id
    meanwhile was read instead, and a run terminated was said "cancellation requested". One continued as new went on
    in its next run, which the request reached."""
    after = await runs.describe(ctx, status.workflow_id, status.run_id)
    if after.closed and not after.cancel_requested and after.status != runs.CONTINUED_AS_NEW:
        raise _ended_before(status.workflow_id, after, what)


async def _unheard(ctx: Context, status: runs.RunStatus) -> str:
    """What keeps a cancellation requested from taking effect, or from being known to: no worker polls the run's
    task queue, so nothing runs its workflow code to act on it ("running steps are cancelled" and exit 0 said it
    had, and the run went on as RUNNING); or the server could not say whether one does (that was said as "no
    worker" too). "" when a worker polls or has taken the request (cancel_taken: a poller the server does not list
    yet is no proof that none polls)."""
    workflow_id = status.workflow_id
    terminate = (
        f"  python client.py cancel {argument(workflow_id)} --terminate   end it now (the history keeps what finished)"
    )
    try:
        if await taken_or_polled(await ctx.client(), workflow_id, status.run_id, status.task_queue):
            return ""
    except PollersUnknown as unknown:
        return (
            f"whether it takes effect is not known: {unknown}; a worker polling it acts on it "
            f"(`python client.py status {argument(workflow_id)}` shows whether one did).\n{terminate}"
        )
    start = await how_to_serve(await ctx.client(), ctx.settings.task_queue, status.task_queue)
    return (
        f"it has not taken effect: no worker polls task queue {status.task_queue!r}, and the run acts on it once one "
        f"does ({start}).\n{terminate}"
    )


async def _request_cancel(ctx: Context, status: runs.RunStatus) -> None:
    client = await ctx.client()
    try:
        await _handle(client, status).cancel()
    except RPCError as exc:
        raise await _acting_problem(ctx, exc, status, "cancellation") from None


async def _terminate(ctx: Context, status: runs.RunStatus, as_json: bool) -> int:
    """Temporal's terminate: the server closes the run at once, whatever its workflow task does."""
    client = await ctx.client()
    try:
        await _handle(client, status).terminate(reason=f"terminated by {identity()}")
    except RPCError as exc:
        raise await _acting_problem(ctx, exc, status, "termination") from None
    message = (
        f"its steps' results stay in the history (`python client.py status {argument(status.workflow_id)}` shows them)"
    )
    return done(ctx, f"terminated {named(status.workflow_id)}: {message}", as_json, workflow_id=status.workflow_id,
                action="terminated", message=message)  # fmt: skip


async def decide(
    ctx: Context, workflow_id: str, *, approve: bool, call_id: str | None, reason: str, as_json: bool = False
) -> int:
    status = await open_run(ctx, workflow_id, runs.Kind.AGENT)
    verb = "approve" if approve else "reject"
    if status.natively_paused:
        raise CliError(
            f"run {named(workflow_id)} is natively paused and cannot take a decision: `python client.py resume {argument(workflow_id)}` first"
        )
    from orchestra.agent.models import ApprovalDecision  # here: it brings the LLM client, which only agents need

    decision = ApprovalDecision(call_id=call_id, reason=reason)
    decided = await _update(
        ctx,
        status,
        verb,
        lambda handle: handle.execute_update(verb, decision, result_type=list[str]),
        given=(call_id,) if call_id else (),
    )
    decision_said = "approved" if approve else "rejected"
    message = f"{decision_said} {', '.join(map(named, decided)) or 'no call'} in {named(workflow_id)}"
    message += await _held(ctx, status) if approve and decided else ""
    return done(ctx, message, as_json, workflow_id=workflow_id, decision=decision_said, calls=decided,
                message=message)  # fmt: skip


async def _held(ctx: Context, status: runs.RunStatus) -> str:
    """What keeps an approved call from running now: the run's cooperative pause (it starts nothing new,
    an approved call included, until resumed); "approved" alone read as if the call were running."""
    record = (await runs.read(ctx, status)).record
    if record is None or not record.paused:
        return ""
    return (
        f": the run is paused ({record.pause_reason or 'no reason given'}), so an approved call starts once it is "
        f"resumed (`python client.py resume {argument(status.workflow_id)}`)"
    )
