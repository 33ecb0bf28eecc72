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
KEPT_LOCALLY = 10_000  # records of local activities, the oldest forgotten first (forgotten: "may have acted")
_local: OrderedDict[tuple[str, str], int] = OrderedDict()


def none_acted() -> bool:
    """Whether every earlier attempt of this activity surely did nothing at the server (true for the first,
    and outside an activity)."""
    from temporalio import activity

    if not activity.in_activity() or (info := activity.info()).attempt < 2:
        return True
    if info.is_local:
        return _local.get(_local_key()) == info.attempt - 1
    return any(isinstance(d, dict) and d.get(KEY) == info.attempt - 1 for d in info.heartbeat_details)


def starting() -> None:
    """Forget, as a local activity's first attempt begins, what an earlier run of the same activity id said."""
    from temporalio import activity

    if activity.in_activity() and (info := activity.info()).is_local and info.attempt < 2:
        _local.pop(_local_key(), None)


def this_one_did_nothing(ctx: ToolContext) -> None:
    """Say, as this attempt fails retryably having surely done nothing (nothing sent, or turned away with a
    429 or 503), that no attempt so far acted, if none before it did."""
    from temporalio import activity

    if not activity.in_activity() or not none_acted():
        return
    if activity.info().is_local:
        _local[_local_key()] = activity.info().attempt
        _local.move_to_end(_local_key())
        while len(_local) > KEPT_LOCALLY:
            _local.popitem(last=False)
    else:
        ctx.heartbeat({KEY: activity.info().attempt})


def _local_key() -> tuple[str, str]:
    from temporalio import activity

    info = activity.info()
    return info.workflow_run_id or "", info.activity_id
