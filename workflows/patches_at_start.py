"""Every patch a workflow may ask, settled as its run starts (workflow code).

A patch asked after a local activity's result is asked in the workflow task where the run saw that result, and a
replay may see it in an earlier one (a local result is a marker, read as the replay reaches it): the patch's marker
is not announced there yet, ``workflow.patched`` answers False for the rest of the run and gives no command, and the
replay stops on "Non-deprecated patch marker encountered ... but there is no corresponding change command" (a query
of a finished run, or a worker restarted under a running one, whose task then fails for ever).

One gate patch, asked first in every run (``ask_at_start`` in the workflow's __init__), settles them all there:
- a run that has it takes every patch made before it (ORCHESTRATION_PATCHES, AGENT_PATCHES) with no marker of its
  own (``patched``): one marker a run instead of one each — each marker also rewrites the TemporalChangeVersion search
  attribute with every id so far (a 1-step plan's history went from 8 KB to 42 KB), and the SDK stops writing it at
  2,048 bytes;
- a patch made after the gate goes at the end of its workflow's ``*_LATER`` list, asked at the start with a marker
  (a run recorded before that patch has no marker for it and replays the code before it);
- a history recorded before the gate answers False to it and asks each patch where its code meets it, as it did;
  a patch made after the gate it never asked, so it answers False to those too, with no marker (``patched``): asked
  where the code meets it, a run going on on this code (a worker restarted under it) wrote the marker after a local
  result, the very replay failure the gate is for.
A second gate (SECOND_GATE_PATCH) does the same for the first ORCHESTRATION_LATER entries, made before it: asked
with the first of them, it takes them all with one marker. Each marker is two history events, and a chain hands over
at its ``history_events_per_run``: ten markers at each run's start had a chain of 40-event runs hand over after two
steps instead of three (two thirds more runs, their CPU with them).
Never add to or remove from the lists before the gate (tests/workflows/test_patches_listed.py holds them), nor from
the entries before the second gate; never reorder or remove a ``*_LATER`` entry (a replay matches the markers in
order).
"""

from __future__ import annotations

from temporalio import workflow

GATE_PATCH = "patches-settled-at-the-start"

# Made before GATE_PATCH, asked in the modules both workflows run: control, search_index, value_sizes.
_SHARED: tuple[str, ...] = (
    # control, search_index
    "search-index-counters-by-timer",
    "chain-run-started-past-its-deadline-stops-at-once",
    "pause-after-the-body-ends-is-ignored",
    "pause-while-cancelling-is-ignored",
    "search-index-closed-before-the-run-ends",
    "value-limit-of-the-worker-storing",
    "value-limit-unread-keeps-the-runs",
    "value-sizes-are-the-payloads-utf8-bytes",
    "value-sizes-with-the-payloads-envelope",
)

# Made before GATE_PATCH, asked in the modules OrchestrationWorkflow runs: orchestration, control, search_index, handover, plan_pieces,
# plan_driver, tool_slots, recovery, value_sizes.
ORCHESTRATION_PATCHES: tuple[str, ...] = (
    # orchestration
    "plan-settings-checked-at-start",
    "chain-deadline-from-the-recorded-start",
    "values-measured-against-the-worker-sending-them",
    "plan-reads-end-said",
    "plan-pieces-read-bounded",
    "plan-handed-over-by-reference",
    "plan-pieces-bounded-by-bytes",
    "compensation-at-the-plans-deadline",
    "undos-handed-over-from-the-last-piece",
    *_SHARED,
    # handover
    "hand-over-stored-in-pieces-that-fit",
    "compensation-covers-earlier-runs",
    # plan_driver, tool_slots
    "start-bounds-asked-before-any-local-result",
    "steps-started-a-bounded-number-a-task",
    "steps-settled-by-their-conditions-counted-apart-from-starts",
    "fail-fast-on-a-failing-condition",
    "conditions-over-a-tasks-budget-wait-for-the-next",
    "steps-decided-a-task-counting-the-dependents-settled-with-them",
    "held-steps-put-back-first",
    "dependents-settled-with-a-step-a-bounded-number-a-task",
    "tool-concurrency-holds-alternatives",
    # recovery
    "compensation-hands-over",
    "undone-measured-against-the-worker-storing",
    "undone-stored-in-pieces-that-fit",
    "compensation-budget-of-the-plans-timeout",
    "undos-budget-counts-from-each-undos-start",
    "undos-budget-hands-over-the-waits-owed",
    "undos-budget-gives-back-a-failed-undos-wait",
    "copies-kept-for-undos-removed-at-the-end",
    "schedule-returned-in-pieces",
    "undos-budget-spent-before-a-continued-run-starts-none",
    "undos-budget-gives-back-every-attempts-wait",
    "schedule-handed-over-in-pieces",
)

# Made before GATE_PATCH, asked in the modules AgentWorkflow runs: agent, agent_model, agent_calls, and _SHARED's.
AGENT_PATCHES: tuple[str, ...] = (
    # agent, agent_model, agent_calls
    "agent-temperature-checked-at-start",
    "agent-limits-checked-at-start",
    "agent-fail-at-limit-without-continue-as-new",
    "agent-reply-work-bounded",
    "agent-call-ids-printable",
    "agent-call-attempts-per-call",
    *_SHARED,
)


# Made after GATE_PATCH: asked, each with its marker, when a run starts (but those the second gate takes).
ORCHESTRATION_LATER: tuple[str, ...] = (
    # handover, orchestration
    "pieces-cut-within-the-storing-workers-limit",
    # recovery
    "undos-budget-spent-by-an-undo-ending-past-it",
    # orchestration (workflows/validation_input.py)
    "validation-input-within-the-workers-limit",
    # plan_pieces
    "plan-stored-in-calls-within-a-piece",
    # orchestration (workflows/record_pieces.py)
    "ended-record-over-the-limit-stored-in-pieces",
    # plan_pieces
    "plan-sent-whole-only-within-the-limit",
    # plan_driver (workflows/run_size.py)
    "run-ended-recorded-before-the-servers-history-limit",
    # plan_driver
    "a-waiting-run-wakes-to-hand-over-when-its-history-is-full",
    # recovery, orchestration (workflows/run_size.py)
    "history-stop-watched-while-undos-run-and-undos-owed-said",
    # orchestration, record_pieces (workflows/step_errors_cut.py)
    "step-errors-cut-to-fit-the-ended-record",
    # plan_driver
    "history-stop-after-the-tasks-results-land",
    # recovery
    "history-stop-after-the-undos-result-lands",
)
# The first of ORCHESTRATION_LATER, made before SECOND_GATE_PATCH: a run with the second gate takes them with no marker.
_BEFORE_THE_SECOND_GATE = 10
SECOND_GATE_PATCH = "later-patches-settled-at-the-start"
AGENT_LATER: tuple[str, ...] = (
    # agent (workflows/history_stop.py)
    "agent-ended-recorded-before-the-servers-history-limit",
    # agent (workflows/control.py's halt)
    "agent-history-stop-seen-at-the-loops-checkpoints",
)

_TAKEN = frozenset((*ORCHESTRATION_PATCHES, *AGENT_PATCHES))
_LATER = frozenset((*ORCHESTRATION_LATER, *AGENT_LATER))
TAKEN_AT_THE_SECOND_GATE = frozenset(ORCHESTRATION_LATER[:_BEFORE_THE_SECOND_GATE])


def ask_at_start(later: tuple[str, ...]) -> None:
    """The first thing a run does (its workflow's __init__): GATE_PATCH, then, when the run has it, each patch of its
    workflow made after the gate."""
    if workflow.patched(GATE_PATCH):
        for patch in later:
            patched(patch)  # the first one taken at the second gate asks that gate


def patched(patch: str) -> bool:
    """``workflow.patched``, except that a run with GATE_PATCH takes a patch made before it without a marker, and a
    run without it (recorded before it) takes none made after it, with no marker, as it ran before they existed (a
    run with the gate asked those at its start)."""
    if patch in _TAKEN:
        return workflow.patched(GATE_PATCH) or workflow.patched(patch)  # the gate's answer is the SDK's, kept
    if patch in _LATER and not workflow.patched(GATE_PATCH):
        return False
    if patch in TAKEN_AT_THE_SECOND_GATE:  # as the gate's: a run recorded before the second gate asked each
        return workflow.patched(SECOND_GATE_PATCH) or workflow.patched(patch)
    return workflow.patched(patch)
