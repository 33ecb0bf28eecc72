"""What this activity's earlier Temporal attempts surely did not do: reach a server that acted on the request.

A DELETE told 404 is done when an earlier attempt may have deleted the resource (``gone_already``), and a
wrong address when none could have. The attempt that failed knows; the next learns it from the details of
the last heartbeat before it, which Temporal keeps across attempts, on whichever worker it runs. Each
attempt's other heartbeats carry no details and overwrite the record, so it is given last, as the attempt
fails, and names the attempt it covers: a record older than the attempt just before (which crashed, timed
out, or sent the request and failed) tells nothing, and nothing told is read as "may have acted"."""

from __future__ import annotations

from orchestra.tool_spec import ToolContext

KEY = "unprocessed_through"  # the last attempt of a run of attempts from the first that did nothing


def none_acted() -> bool:
    """Whether every earlier attempt of this activity surely did nothing at the server (true for the first,
    and outside an activity)."""
    from temporalio import activity

    if not activity.in_activity() or (info := activity.info()).attempt < 2:
        return True
    return any(isinstance(d, dict) and d.get(KEY) == info.attempt - 1 for d in info.heartbeat_details)


def this_one_did_nothing(ctx: ToolContext) -> None:
    """Say, as this attempt fails retryably having surely done nothing (nothing sent, or turned away with a
    429 or 503), that no attempt so far acted, if none before it did."""
    from temporalio import activity

    if activity.in_activity() and none_acted():
        ctx.heartbeat({KEY: activity.info().attempt})
