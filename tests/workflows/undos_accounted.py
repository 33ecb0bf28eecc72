"""Whether a failed chain's whole record accounts for every undo it owed, and what happened to each it does not.

The rule: a step that completed, with a compensation, is undone (its undo completed) or a gap of the record lists it
with why it was not (``undo_gaps``); a step that did not complete owes no undo and has none. Counting only completed
undos against every step with one read 66-68 of 70 on a loaded machine, unsaid why: the steps "missing" had timed out
(heartbeat, their three attempts) before the failure, so had nothing to undo; no undo was lost."""

from __future__ import annotations

from collections.abc import Iterable

from orchestra.errors import ErrorKind
from orchestra.record import ExecutionRecord, StepRecord, StepState


def undos_unaccounted(whole: ExecutionRecord, undoable: Iterable[str]) -> dict[str, str]:
    """The steps of ``undoable`` (their ids, each with a compensation) whose undo ``whole`` does not account for, by
    id (its first 12 characters), with what the record says of the step and of its undo. A step of these tests fails
    only by timing out on a loaded worker (their tools are sleeps): one that failed otherwise, or was skipped, or
    cancelled without a gap saying so, is listed too."""
    steps = {step.node_id: step for step in whole.steps}
    in_gaps = {node for gap in whole.undo_gaps for node in gap.nodes}
    said: dict[str, str] = {}
    for node in undoable:
        step = steps.get(node)
        why = "not in the whole record" if step is None else _unaccounted(step, node in in_gaps)
        if why:
            said[node[:12]] = why
    return said


def _unaccounted(step: StepRecord, in_a_gap: bool) -> str | None:
    undo = step.compensation
    how = "no undo" if undo is None else f"undo {undo.state.value}" + (f": {undo.error.message}" if undo.error else "")
    ended = f"step {step.state.value} in run {step.run_index}"
    if step.state == StepState.COMPLETED:
        return None if in_a_gap or (undo is not None and undo.state == StepState.COMPLETED) else f"{ended}, {how}"
    if undo is not None:
        return f"{ended}, yet {how}"
    timed_out = step.state == StepState.ERROR and step.error is not None and step.error.type == ErrorKind.TIMEOUT
    # One stopped while it ran (fail_fast) may have done part of its work: a gap says it was not undone.
    return (
        None if timed_out or in_a_gap else f"{ended} ({step.error.message if step.error else step.skip_reason}), {how}"
    )
