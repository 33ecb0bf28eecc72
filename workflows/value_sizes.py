"""How large a value the run is about to send is, for the checks that fail a step or the run rather than
send what Temporal would refuse (a refused payload fails the workflow task, retried for ever).

The size is the payload's: UTF-8 bytes as the converter writes them (orchestra.limits.payload_size). The
code before counted the characters of the model's JSON with its defaults: 1 MB of '€' in three references
(3 MB sent) passed as 1 M characters and its workflow task failed with PAYLOADS_TOO_LARGE for ever, and a
carry was counted with the defaults the converter leaves out. Behind VALUE_BYTES_PATCH, asked only where
the two counts disagree about the limit, so every history where they agree replays as it did.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from pydantic import BaseModel
from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.tools import ToolActivities
    from orchestra.calls import CallSizes
    from orchestra.environment import SMALLEST_VALUE_LIMIT
    from orchestra.limits import payload_size
    from orchestra.payload_bytes import ENVELOPE_BYTES
    from orchestra.validation import PlanSchedule
    from workflows.activity_options import ACTIVITY_FAILURES
    from workflows.patches_at_start import patched

VALUE_BYTES_PATCH = "value-sizes-are-the-payloads-utf8-bytes"
# A value whose JSON fits the limit and whose payload, in its envelope, does not (ENVELOPE_BYTES): measured bare, it
# was sent, the store refused it, and the workflow task failed for ever ("Failed encoding completion"). Now it fails
# as any value over the limit does, its size said with the envelope. Asked only for a value that near the limit.
ENVELOPE_PATCH = "value-sizes-with-the-payloads-envelope"


def sent_size(value: BaseModel, limit: int, size: int | None = None) -> int:
    """The size of ``value`` to compare with ``limit``: its payload's bytes (its JSON's characters in a run
    of the code before, where that count gives the other answer). ``size``: its payload's bytes, measured
    already (payload_size): a value is encoded once for all its checks, not once for each. A value within
    ENVELOPE_BYTES of the limit is counted with them: the store measures the payload it is handed."""
    size = payload_size(value) if size is None else size
    if size + ENVELOPE_BYTES <= limit and not getattr(type(value), "payload_without_defaults", False):
        # That payload is the JSON model_dump_json writes, in UTF-8: no fewer bytes than characters, so the two
        # counts agree, and the JSON is not written a second time (for every step's call, in every replay).
        return size
    characters = len(value.model_dump_json())
    if (size > limit) != (characters > limit) and not patched(VALUE_BYTES_PATCH):
        return characters
    if size <= limit < size + ENVELOPE_BYTES and patched(ENVELOPE_PATCH):
        return size + ENVELOPE_BYTES
    return size


# The chain's first run measured every later hand-over against the limit of the worker that validated the plan:
# a worker started since with a smaller store cut nothing, and the hand-over it could not encode was retried for
# ever. Asked by every continued run and every hand-over of a run on this code; histories before replay without.
WORKER_LIMIT_PATCH = "value-limit-of-the-worker-storing"
LIMIT_TIMEOUT = timedelta(seconds=30)
UNREGISTERED = "is not registered on this worker"  # what the SDK says of a local activity a worker does not have
# A continued run's start and a hand-over failed the run when the limit could not be read (a worker that does not
# register value_limit, or whose read fails), though an undo page's store went on with the limit the run had. Asked
# before the read, as every patch whose branch hangs on its result (ask_before_reading); histories before fail there.
LIMIT_FALLBACK_PATCH = "value-limit-unread-keeps-the-runs"
# A step's call, an undo's and the run's record were measured against the limit the run read when it started: a worker
# restarted since with a smaller store was given a 60 KB call its store refused, and the workflow task was retried for
# ever. Asked once, when a run starts (before its first local activity): asked where a value is sent, after a local
# activity's result (the schedule's, a local step's) that a replay may see in an earlier workflow task than the run did,
# the patch was not recorded yet there, and the replay failed on a nondeterminism error (as ask_before_reading says).
SENT_VALUES_PATCH = "values-measured-against-the-worker-sending-them"
# No worker starts with a limit under SMALLEST_VALUE_LIMIT: a value of half as many bytes fits any (room for the codec's
# envelope), and is sent without a read.
READ_FROM = SMALLEST_VALUE_LIMIT // 2


def ask_before_reading(patch: str) -> bool:
    """``workflow.patched(patch)`` asked before a local activity whose result decides the branch, not after it (the
    answer is kept for the run). After one, it was asked in the workflow task where the code saw the result, which a
    replay may not: a run whose read of its schedule ended in one task and went on in the next (on a loaded worker)
    asked WORKER_LIMIT_PATCH in the second; replayed by another worker, the code saw the result in the first, where
    the patch was not recorded yet, took the branch before it, and the run stopped on a nondeterminism error. (A run
    started since workflows/patches_at_start.py asked every patch as it started: this matters to the runs before.)"""
    return patched(patch)


async def storing_limit(schedule: PlanSchedule) -> PlanSchedule:
    """``schedule`` with the value limit of the worker running this task (as of its read, recorded, so a replay
    reads the same): what a hand-over or an undo's record is stored in pieces against. As it was when the limit
    cannot be read (the store says if it refuses)."""
    if not patched(WORKER_LIMIT_PATCH):
        return schedule
    if not ask_before_reading(LIMIT_FALLBACK_PATCH):
        limit, name = await worker_limit()
    else:
        limit, name = await worker_limit_or(schedule.value_limit, schedule.value_limit_name)
    return schedule.model_copy(update={"value_limit": limit, "value_limit_name": name})


async def sending_sizes(sizes: CallSizes, value: BaseModel, size: int | None = None) -> CallSizes:
    """``sizes`` with the value limit of the worker about to send ``value`` (recorded, as every read), when ``value``
    could be over it: a worker restarted since the run read its limit may have a smaller store. ``size``: as in
    sent_size."""
    if not (sizes.read_the_senders and sizes.value_limit):
        return sizes
    if (payload_size(value) if size is None else size) <= READ_FROM:
        return sizes
    limit, name = await worker_limit_or(sizes.value_limit, sizes.limit_name)
    return replace(sizes, value_limit=limit, limit_name=name)


async def worker_limit_or(limit: int, name: str) -> tuple[int, str]:
    """The value limit of the worker running this task, or ``limit`` and ``name`` when it cannot be read (the
    failure is recorded as the read is: a replay takes the same branch)."""
    try:
        return await worker_limit()
    except ACTIVITY_FAILURES:
        return limit, name
    except ValueError as exc:
        # A worker built without value_limit (an application's own, from our pieces): the SDK refuses the local
        # activity before scheduling it, and that failed the workflow task for ever. Nothing is recorded either way:
        # a replay on a worker like it goes the same way (one that registers it reads there: do not mix them).
        if UNREGISTERED not in str(exc):
            raise
        return limit, name


async def worker_limit() -> tuple[int, str]:
    """The value limit of the worker running this task, and its name (a local activity: recorded, a replay reads
    the same). A worker restarted with another store may take the run's next task: read it before each store."""
    limit, name = await workflow.execute_local_activity_method(
        ToolActivities.value_limit,
        start_to_close_timeout=LIMIT_TIMEOUT,
        retry_policy=RetryPolicy(maximum_attempts=3),
        summary="read this worker's storage limit",
    )
    return limit, name
