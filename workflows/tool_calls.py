"""Running one tool call as an activity with its node's options (workflow code)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from pydantic_core import to_json

    from activities.tools import ToolActivities
    from orchestra.calls import CallSizes, ToolCall, ToolResult
    from orchestra.limits import HISTORY_BYTES, payload_size
    from orchestra.references import ReferenceError_, resolve
    from orchestra.resolved_args import ResolvedBytes, ResolvedTooLarge
    from orchestra.step_scope import StepScope, roots_of
    from orchestra.validation import NodeExecution
    from workflows.activity_options import retry_policy
    from workflows.value_sizes import sending_sizes, sent_size

LOAD_TIMEOUT = timedelta(seconds=120)


async def sendable_call(
    tool: str,
    args: dict[str, Any],
    node_id: str,
    scope: StepScope,
    sizes: CallSizes,
    *,
    secrets: bool,
    undo_reads: list[str] | None = None,
) -> ToolCall:
    """A plan step's call: its arguments resolved here, or, when they read an output stored outside the
    history, sent with their references and what those read, for run_tool to resolve with the stored
    outputs it reads (the workflow never holds a large output for a reference). A call too large to send
    raises ReferenceError_ (the step fails, naming the limit) rather than failing the workflow task again and
    again: measured against the limit the run read when it started and that of the worker sending it (a worker
    restarted since with a smaller store refused the call, and its workflow task was retried for ever).
    ``secrets``: whether the run may resolve ``${secrets.*}`` (RunRequest.secrets_allowed); ``undo_reads``: what of
    its output the node's compensation reads (PlanNode.undo_reads)."""
    roots = roots_of(args)
    stored = scope.stored_for(roots)
    if not stored:
        call = ToolCall(tool=tool, args=resolved_within(args, scope, sizes), node_id=node_id, allow_secrets=secrets,
                        preview_bytes=sizes.preview_bytes, undo_reads=undo_reads or [])  # fmt: skip
    else:
        call = ToolCall(tool=tool, args=args, node_id=node_id, allow_secrets=secrets, scope=scope.subset(roots),
                        stored=stored, preview_bytes=sizes.preview_bytes, undo_reads=undo_reads or [])  # fmt: skip
    # Encoded once for the three checks: each encoding of every call is paid again by every replay of the run.
    size = payload_size(call)
    refuse_over(call, sizes, size)
    sending = await sending_sizes(sizes, call, size)
    if sending != sizes:
        refuse_over(call, sending, size)
    return call


UNKNOWN_LIMIT_NAME = "a workflow history's size limit (limit.historySize.error)"


def resolved_within(args: dict[str, Any], scope: StepScope, sizes: CallSizes) -> dict[str, Any]:
    """``args`` with their references resolved, stopping with ReferenceError_ as soon as what they resolved to is over
    the value limit the call is checked against anyway. Resolved whole and only then measured, 6,000 references to a
    30,000-character output kept in the history built and wrote 180 MB in workflow code (2.3 s, past the deadlock
    detector; with 20,000 the worker hung for minutes) only to be refused. Counted as JSON characters, never more than
    the call's bytes nor its characters (what a history before VALUE_BYTES_PATCH measured), so a call refused here was
    refused after its build before, at the same point: no command changes, and no patch is needed."""
    # With no limit known (a worker built without its store's), a whole history's: no call over it is ever sent, and
    # unbounded the build itself held the workflow task past the detector.
    limit, name = (sizes.value_limit, sizes.limit_name) if sizes.value_limit else (HISTORY_BYTES, UNKNOWN_LIMIT_NAME)
    counted = _ResolvedChars(limit, 0)
    try:
        return resolve(args, scope.values, counted.add)  # type: ignore[no-any-return]
    except ResolvedTooLarge as exc:
        raise ReferenceError_(
            f"the call with its arguments resolved is at least {exc.size:,} bytes; {name} is "
            f"{limit:,} bytes: reference a part of a large output rather than the whole, or fewer times"
        ) from None


class _ResolvedChars(ResolvedBytes):
    """ResolvedBytes counting a resolved value's JSON in characters: a character is 1 to 4 of its UTF-8 bytes."""

    def _size(self, value: Any) -> int:
        if isinstance(value, str):
            return len(value) + 2  # its escapes only add: a lower bound, and no second pass over a long string
        return len(to_json(value, fallback=str).decode())


def refuse_over(call: ToolCall, sizes: CallSizes, payload_bytes: int | None = None) -> None:
    if sizes.value_limit:
        size = sent_size(call, sizes.value_limit, payload_bytes)
        if size > sizes.value_limit:
            raise ReferenceError_(
                f"the call with its arguments resolved is {size:,} bytes; {sizes.limit_name} is {sizes.value_limit:,} bytes"
            )


async def read_stored(scope: StepScope, roots: set[str], node_id: str) -> Mapping[str, Any]:
    """``scope``'s values with the stored outputs among ``roots`` read back: for a condition over a large
    output, the one place the workflow reads one."""
    stored = scope.stored_for(roots)
    if not stored:
        return scope.values
    values = dict(scope.values)
    for root, ref in stored.items():
        output = await workflow.execute_local_activity_method(
            ToolActivities.load_value, ref, start_to_close_timeout=LOAD_TIMEOUT,
            retry_policy=RetryPolicy(maximum_attempts=5), summary=f"{node_id}: read {root}'s stored output",
        )  # fmt: skip
        values[root] = {**values[root], "output": output}
    return values


async def execute_tool(
    call: ToolCall, ex: NodeExecution, activity_id: str | None = None, *, read_back: bool = True
) -> ToolResult:
    """A local activity for short idempotent tools (no round trip to the server), a regular one with
    heartbeats otherwise, so cancellation reaches it and a dead worker is noticed. ``read_back``: a large
    output, stored on its own, is read back into the result (an agent feeds it to its model); a plan step
    keeps the reference and the preview."""
    common: dict[str, Any] = {
        "start_to_close_timeout": timedelta(seconds=ex.timeout_s),
        "retry_policy": retry_policy(ex.retry),
        "activity_id": activity_id or call.node_id,
        "summary": ex.summary,
    }
    if ex.sends is not None:  # only then: a call's input stays as it was for a node with no retry of its own
        call = call.model_copy(update={"sends": ex.sends})
    result: ToolResult
    if ex.local:
        result = await workflow.execute_local_activity_method(ToolActivities.run_tool, call, **common)
    else:
        result = await workflow.execute_activity_method(
            ToolActivities.run_tool,
            call,
            heartbeat_timeout=timedelta(seconds=ex.heartbeat_timeout_s),
            cancellation_type=workflow.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
            **common,
        )
    return await with_output(result, call.node_id) if read_back else result


async def with_output(result: ToolResult, node_id: str) -> ToolResult:
    """A large output comes back stored on its own (output_ref): read it back for the steps and
    conditions that refer to it. The read's result is a payload as large as the output, which the SDK
    stores outside the history again; without encryption it is the same content, so the same object."""
    if result.output_ref is not None and result.output is None:
        result.output = await workflow.execute_local_activity_method(
            ToolActivities.load_value,
            result.output_ref,
            start_to_close_timeout=LOAD_TIMEOUT,
            retry_policy=RetryPolicy(maximum_attempts=5),
            summary=f"{node_id}: read stored output",
        )
    return result
