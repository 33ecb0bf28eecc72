"""Whether a failed chain's whole record accounts for every undo it owed, and what happened to each it does not.

The rule: a step that completed, with a compensation, is undone (its undo completed) or a gap of the record lists it
with why it was not (``undo_gaps``), and a gap lists it too when a fallback completed it after a tool that ran failed
(what that tool did stays); a step that started and did not complete (timed out, failed, stopped) owes no
undo and has none, but its tool may have done its work, so a gap lists it; a step that never started owes nothing.
Counting only completed undos against every step with one read 66-68 of 70 on a loaded machine, unsaid why: the steps
"missing" had timed out (heartbeat, their three attempts) before the failure, so had nothing to undo; no undo was
lost, but what their tools did was said nowhere."""

from __future__ import annotations

from collections.abc import Iterable

from orchestra.errors import ErrorKind
from orchestra.record import ExecutionRecord, StepRecord, StepState, UndoGap
from workflows.unfinished_steps import ended_in_error


def undos_unaccounted(whole: ExecutionRecord, undoable: Iterable[str]) -> dict[str, str]:
    """The steps of ``undoable`` (their ids, each with a compensation) whose undo ``whole`` does not account for, by
    id (its first 12 characters), with what the record says of the step and of its undo. A gap names its first steps
    only (MAX_GAP_NODES): a step that did not complete and is not named is taken as in one when a gap of its run (or of
    several runs: ``run_index`` None) counts more steps than it names."""
    steps = {step.node_id: step for step in whole.steps}
    in_gaps = {node for gap in whole.undo_gaps for node in gap.nodes}
    partly_named = {gap.run_index for gap in whole.undo_gaps if gap.count > len(gap.nodes)}
    any_run = None in partly_named  # a gap of steps of several runs
    said: dict[str, str] = {}
    for node in undoable:
        step = steps.get(node)
        why = (
            "not in the whole record"
            if step is None
            else _unaccounted(step, node in in_gaps, node in in_gaps or any_run or step.run_index in partly_named)
        )
        if why:
            said[node[:12]] = why
    return said


def _unaccounted(step: StepRecord, in_a_gap: bool, maybe_in_a_gap: bool) -> str | None:
    undo = step.compensation
    how = "no undo" if undo is None else f"undo {undo.state.value}" + (f": {undo.error.message}" if undo.error else "")
    ended = f"step {step.state.value} in run {step.run_index}"
    if step.state == StepState.COMPLETED:
        if not maybe_in_a_gap and any(": circuit open" not in entry for entry in step.fallback_from):
            # A fallback completed it after a tool that ran failed: its undo undoes the fallback's work only.
            return f"{ended} by a fallback ({step.fallback_from[0][:80]}), {how}, no gap"
        return None if in_a_gap or (undo is not None and undo.state == StepState.COMPLETED) else f"{ended}, {how}"
    if undo is not None:
        return f"{ended}, yet {how}"
    if step.scheduled_at is None:
        return None  # never started (a dependency failed, or the run stopped first): it did nothing
    # Started and did not complete: never undone, what its tool did stays, and a gap says so.
    return (
        None if maybe_in_a_gap else f"{ended} ({step.error.message if step.error else step.skip_reason}), {how}, no gap"
    )


def besides_timeouts(gaps: list[UndoGap]) -> list[UndoGap]:
    """``gaps`` less those of steps that timed out before they completed: a step of these tests times out only on a
    loaded worker (its tool is a sleep), and a gap then lists it, as it should."""
    return [gap for gap in gaps if not gap.reason.startswith(ended_in_error(ErrorKind.TIMEOUT))]
