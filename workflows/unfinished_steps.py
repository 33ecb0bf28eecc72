"""The steps with an undo that started and did not complete, as gaps of a failed run's compensation (workflow code).

Only a completed step is undone: its undo reads what it said it did (a write_file's undo restores the copy named by its
``output.previous``; a step that did not complete has no output to read, and no undo could tell a copy it made from
none). But its tool may have done its work, or part of it, before it stopped: a write timed out on its heartbeat may
have written its file. Undoing it is not provably safe, so the record says it stays (``ExecutionRecord.undo_gaps``),
one gap per way the steps ended, in every run of a chain: a step that never started (its dependency failed) is not
listed, it did nothing. So does a step a fallback completed after a tool tried before it failed: its undo reads the
fallback's output and puts back what the fallback did; what the failed tool did before it stopped stays (a write_file
that timed out after writing, then a fallback writing elsewhere, left the first file unsaid)."""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from orchestra.errors import ErrorKind
    from orchestra.plan import Plan, PlanNode
    from orchestra.record import MAX_GAP_NODES, StepRecord, StepState, UndoGap

STAYS = "so never undone: what their tools did before they stopped stays"
CUT_SHORT = f"stopped while they ran, {STAYS}"
_ENDED = MappingProxyType(
    {
        ErrorKind.TIMEOUT: "timed out: a write may have written its file after all",
        ErrorKind.SYSTEM: "their worker or the system failed",
        ErrorKind.TOOL_ERROR: "their tool failed, possibly after doing part of its work",
        ErrorKind.VALIDATION: "their call or its answer was refused",
        ErrorKind.LLM_ERROR: "their model call failed",
        ErrorKind.USER_CANCELLED: "they were cancelled",
    }
)


def unfinished_gaps(plan: Plan, steps: Iterable[StepRecord], run_index: int) -> list[UndoGap]:
    """``steps`` of run ``run_index`` with an undo that started and did not complete, in gaps by how they ended,
    each naming its first steps and counting them all."""
    gaps: dict[str, UndoGap] = {}
    for step in steps:
        if step.scheduled_at is None or step.state in (StepState.SKIPPED, StepState.PENDING):
            continue
        node = plan.node(step.node_id)
        if node.compensation is None:
            continue
        reason = _reason(node, step)
        if reason is None:
            continue
        gap = gaps.setdefault(reason, UndoGap(reason=reason, run_index=run_index))
        gap.count += 1
        if len(gap.nodes) < MAX_GAP_NODES:
            gap.nodes.append(step.node_id)
    return list(gaps.values())


def ended_in_error(kind: ErrorKind) -> str:
    """The reason of a gap of steps that ended in error of ``kind`` after they started."""
    return f"ended in error after they started ({_ENDED.get(kind, kind.value)}), {STAYS}"


def fallback_failed(kind: ErrorKind) -> str:
    """The reason of a gap of steps a fallback completed after a tool tried before it failed with ``kind``."""
    return (
        f"completed by a fallback after a tool tried before it failed ({_ENDED.get(kind, kind.value)}): only the "
        f"fallback's work is undone, what the failed tool did before it stopped stays"
    )


def failed_tries(node: PlanNode, step: StepRecord) -> list[ErrorKind]:
    """How each tool the step tried before the one it is at failed: its ``fallback_from`` entries, one per choice moved
    past in the node's order, of a tool that ran ("<tool>: <kind>: <message>"), not of one skipped for its open
    circuit ("<tool>: circuit open ..."). Read past the tool's own name, which may hold anything."""
    tools = [node.tool, *(a.tool for a in node.alternatives)]
    kinds = []
    for tool, entry in zip(tools, step.fallback_from, strict=False):
        kind = entry[len(tool) + 2 :].split(": ", 1)[0]
        if entry.startswith(f"{tool}: ") and kind in ErrorKind.__members__.values():
            kinds.append(ErrorKind(kind))
    return kinds


def _reason(node: PlanNode, step: StepRecord) -> str | None:
    if step.state == StepState.COMPLETED:
        failed = failed_tries(node, step)
        return fallback_failed(failed[0]) if failed else None
    if step.state != StepState.ERROR:  # cancelled (fail_fast, the deadline) or still marked running
        return CUT_SHORT
    return ended_in_error(step.error.type if step.error else ErrorKind.SYSTEM)


def folded(gaps: Iterable[UndoGap]) -> list[UndoGap]:
    """``gaps`` of unfinished steps with one reason made one, counting them all and naming the first (a step's id is
    its own in every run of a chain), naming the runs that ran them. A chain of thousands of runs added up to six
    gaps a run to its carry, and its record kept 50 gaps at most: what came after (the undos' budget running out, a
    cancel during them) was dropped unsaid."""
    by_reason: dict[str, UndoGap] = {}
    for gap in gaps:
        total = by_reason.get(gap.reason)
        if total is None:
            by_reason[gap.reason] = gap.model_copy(update={"nodes": gap.nodes[:MAX_GAP_NODES]})
        else:
            total.absorb(gap)
    return list(by_reason.values())
