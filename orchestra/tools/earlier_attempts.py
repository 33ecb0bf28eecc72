"""What this activity's earlier Temporal attempts surely did not do: reach a server that acted on the request.

A DELETE told 404 is done when an earlier attempt may have deleted the resource (``gone_already``), and a
wrong address when none could have. The attempt that failed knows; the next learns it from the details of
the last heartbeat before it, which Temporal keeps across attempts, on whichever worker it runs. Each
attempt's other heartbeats carry no details and overwrite the record, so it is given last, as the attempt
fails, and names the attempt it covers: a record older than the attempt just before (which crashed, timed
out, or sent the request and failed) tells nothing, and nothing told is read as "may have acted".

A local activity (a plan's ``local: true``) has no heartbeats: its attempts are retried by the worker that
runs its workflow, so the record is kept in that worker's memory. Another worker (the workflow moved) finds
none, and reads "may have acted", as after an attempt that crashed."""

from __future__ import annotations

from collections import OrderedDict

from orchestra.tool_spec import ToolContext

KEY = "unprocessed_through"  # the last attempt of a run of attempts from the first that did nothing
# Records of local activities kept at once; forgotten reads "may have acted". A record lives only while its
# activity waits for its next attempt. Past the bound the run holding the most (the newest of those holding
# as many) forgets its oldest: a flood of records, from one run or many new ones, forgets its own, not
# another run's real one (the oldest went first, whoever held it: a DELETE told 404 after it, a wrong
# address, was taken as deleted).
KEPT_LOCALLY = 10_000
_local: dict[str, OrderedDict[str, int]] = {}  # run id -> activity id -> the attempt that did nothing
_kept = [0]  # records in _local, counted as they come and go


def none_acted() -> bool:
    """Whether every earlier attempt of this activity surely did nothing at the server (true for the first,
    and outside an activity)."""
    from temporalio import activity

    if not activity.in_activity() or (info := activity.info()).attempt < 2:
        return True
    if info.is_local:
        records = _local.get(info.workflow_run_id or "")
        return records is not None and records.get(info.activity_id) == info.attempt - 1
    return any(isinstance(d, dict) and d.get(KEY) == info.attempt - 1 for d in info.heartbeat_details)


def starting() -> None:
    """Forget, as a local activity's first attempt begins, what an earlier run of the same activity id said."""
    from temporalio import activity

    if activity.in_activity() and (info := activity.info()).is_local and info.attempt < 2:
        _forget()


def this_one_did_nothing(ctx: ToolContext) -> None:
    """Say, as this attempt fails retryably having surely done nothing (nothing sent, or turned away with a
    429 or 503), that no attempt so far acted, if none before it did."""
    from temporalio import activity

    if not activity.in_activity() or not none_acted():
        return
    info = activity.info()
    if not info.is_local:
        ctx.heartbeat({KEY: info.attempt})
    elif info.retry_policy and info.retry_policy.maximum_attempts == info.attempt:
        _forget()  # no attempt follows to read it
    else:
        _keep(info.workflow_run_id or "", info.activity_id, info.attempt)


def this_one_ended() -> None:
    """Forget a local activity's record as an attempt ends otherwise: done, failed for good, or having
    reached the server (no later attempt can read "none acted" then)."""
    from temporalio import activity

    if activity.in_activity() and activity.info().is_local:
        _forget()


def _keep(run: str, activity_id: str, attempt: int) -> None:
    records = _local.setdefault(run, OrderedDict())
    _kept[0] += activity_id not in records
    records[activity_id] = attempt
    records.move_to_end(activity_id)
    if _kept[0] > KEPT_LOCALLY:
        holder = max(reversed(_local), key=lambda r: len(_local[r]))
        _local[holder].popitem(last=False)
        _kept[0] -= 1
        if not _local[holder]:
            del _local[holder]


def _forget() -> None:
    from temporalio import activity

    info = activity.info()
    run = info.workflow_run_id or ""
    if (records := _local.get(run)) is not None:
        _kept[0] -= records.pop(info.activity_id, None) is not None
        if not records:
            del _local[run]
