"""Every patch a workflow may ask, asked as its run starts (workflow code).

A patch asked after a local activity's result is asked in the workflow task where the run saw that result, and a
replay may see it in an earlier one (a local result is a marker, read as the replay reaches it): the patch's marker
is not announced there yet, ``workflow.patched`` answers False for the rest of the run and gives no command, and the
replay stops on "Non-deprecated patch marker encountered ... but there is no corresponding change command" (a query
of a finished run, or a worker restarted under a running one, whose task then fails for ever). Asked here, in the
run's first activation, before any command, every marker is in the first task of the run and of any replay; the
SDK keeps each answer for the run, so the call where the patch decides something gives the same answer and no
second command.

Behind GATE_PATCH: histories recorded before it ask their patches where they did (the gate answers False there and
nothing else is asked). The lists hold the ids as histories record them, in the order recorded: add a new patch at
the end of the lists of the workflows whose code asks it (tests/workflows/test_patches_at_start.py fails on one
missing), never reorder or remove one (a replay matches the markers in order).
"""

from __future__ import annotations

from temporalio import workflow

GATE_PATCH = "patches-asked-at-the-start"

# Asked in the modules OrchestrationWorkflow runs: orchestration, control, search_index, handover, plan_pieces,
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
    # control, search_index
    "search-index-counters-by-timer",
    "chain-run-started-past-its-deadline-stops-at-once",
    "pause-after-the-body-ends-is-ignored",
    "pause-while-cancelling-is-ignored",
    "search-index-closed-before-the-run-ends",
    # value_sizes, handover
    "value-limit-of-the-worker-storing",
    "value-limit-unread-keeps-the-runs",
    "value-sizes-are-the-payloads-utf8-bytes",
    "value-sizes-with-the-payloads-envelope",
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
)

# Asked in the modules AgentWorkflow runs: agent, agent_model, agent_calls, control, search_index, value_sizes.
AGENT_PATCHES: tuple[str, ...] = (
    # agent, agent_model, agent_calls
    "agent-temperature-checked-at-start",
    "agent-limits-checked-at-start",
    "agent-fail-at-limit-without-continue-as-new",
    "agent-reply-work-bounded",
    "agent-call-ids-printable",
    "agent-call-attempts-per-call",
    # control, search_index
    "search-index-counters-by-timer",
    "chain-run-started-past-its-deadline-stops-at-once",
    "pause-after-the-body-ends-is-ignored",
    "pause-while-cancelling-is-ignored",
    "search-index-closed-before-the-run-ends",
    # value_sizes
    "value-limit-of-the-worker-storing",
    "value-limit-unread-keeps-the-runs",
    "value-sizes-are-the-payloads-utf8-bytes",
    "value-sizes-with-the-payloads-envelope",
)


def ask_at_start(patches: tuple[str, ...]) -> None:
    """The first thing a run does (its workflow's __init__): GATE_PATCH, then, when the run has it, every one of
    ``patches``."""
    if workflow.patched(GATE_PATCH):
        for patch in patches:
            workflow.patched(patch)
