"""Handing a plan run over to the next run of its chain (workflow code): the steps this run finished
are stored as one chunk, outputs later steps still read are stored once they are large, and what is left
is the carry (orchestra/plan_chain.py), small whatever the chain's length."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.values import ValueActivities
    from orchestra.plan_chain import PlanCarry
    from orchestra.record import OUTPUT_PREVIEW_BYTES, StepChunk, StepRecord, StepState, UndoItem, UndoPage
    from orchestra.schedule_pieces import SchedulePiece, cut, head_of
    from orchestra.storage.stored import StoredValue
    from orchestra.stored_room import piece_bytes
    from orchestra.validation import PlanSchedule
    from workflows.control import RunControl
    from workflows.handover_pieces import HAND_OVER_PIECES_PATCH, Fit
    from workflows.patches_at_start import patched
    from workflows.plan_driver import PlanDriver
    from workflows.recovery import COVERS_EARLIER_RUNS_PATCH
    from workflows.unfinished_steps import folded, unfinished_gaps
    from workflows.value_sizes import WORKER_LIMIT_PATCH, ask_before_reading, storing_limit

STORE_TIMEOUT = timedelta(seconds=120)
# The chain's first hand-over stores the schedule in pieces (orchestra/schedule_pieces.py), each run after it reads them
# back one an activation: stored whole, 150,000 steps' schedule (4.8 MB) was decoded in the first activation of every
# run after the first, past the deadlock detector's 2 s. Asked before the hand-over's local activities.
SCHEDULE_HANDED_IN_PIECES_PATCH = "schedule-handed-over-in-pieces"
# Pieces of the schedule and of the plan cut within the storage limit of the worker storing them, not at the plan's
# piece size alone (1 MB): under a smaller limit a piece did not fit, and the hand-over ended the run. Runs before cut at
# the piece size (ORCHESTRATION_LATER: asked as a run starts).
PIECES_WITHIN_THE_LIMIT_PATCH = "pieces-cut-within-the-storing-workers-limit"
# The steps of a chunk a compensation may undo, stored apart in pages of this many: one page is what one
# history event of the compensating run holds of them (each with the scope entries its undo reads, small).
UNDO_PAGE = 200


async def hand_over(driver: PlanDriver, control: RunControl, schedule_in_pieces: bool = False) -> PlanCarry:
    """``schedule_in_pieces``: the chain's first hand-over stores the schedule in pieces (SCHEDULE_HANDED_IN_PIECES_PATCH,
    asked before its local activities), not whole."""
    plan = driver.plan

    def undoable(step: StepRecord) -> bool:
        """A step whose compensation may still run (not yet undone, by a compensation handing over mid-way)."""
        return (
            plan.compensate_on_failure
            and step.state == StepState.COMPLETED
            and bool(plan.node(step.node_id).compensation)
            and step.compensation is None
        )

    # Runs before the patch kept those steps listed, so the carry grew with every one of them; now they go with
    # the chunk like the others, and what a compensation needs of them is stored in pages beside it.
    undo_apart = (
        plan.compensate_on_failure
        and any(node.compensation for node in plan.nodes)
        and patched(COVERS_EARLIER_RUNS_PATCH)
    )
    chunk, positions, kept = driver.steps.hand_over((lambda _: False) if undo_apart else undoable)
    carry = driver.carry(control.state)
    to_undo = [s for s in chunk if undoable(s)] if chunk and undo_apart else []
    movable = _movable([s.node_id for s in chunk], carry, driver) if chunk and undo_apart else set()
    reads = driver.schedule.compensation_reads

    def page(items: list[UndoItem]) -> dict[str, Any]:
        return _undo_page(items, reads, movable, carry)

    pages = [page(items) for items in in_pages(undo_order(to_undo))]
    large = [node for node, entry in carry.scope.items() if _json_size(entry.get("output")) > OUTPUT_PREVIEW_BYTES]
    # What goes to storage, in this order: the chunk, its undo pages, the schedule (by the chain's first hand-over
    # only: the runs after it pass its reference on), the large outputs still in scope.
    pieces = [chunk] if chunk else []
    whole = driver.schedule_ref is None and driver.schedule_pieces is None
    pieced = whole and schedule_in_pieces
    schedules: list[PlanSchedule | SchedulePiece] = [driver.schedule] if whole and not pieced else []
    outputs = [carry.scope[node]["output"] for node in large]
    storing = bool(pieces or whole or outputs)  # the schedule, whole or in pieces (a plan has a step at least)
    # Measured against the worker storing them, which may not be the one that validated the plan; whether to cut
    # them asked before that read (value_sizes.ask_before_reading), by the runs that read it.
    in_pieces = (
        ask_before_reading(HAND_OVER_PIECES_PATCH) if storing and ask_before_reading(WORKER_LIMIT_PATCH) else None
    )
    limits = await storing_limit(driver.schedule) if storing else driver.schedule
    fit = Fit(limits.value_limit, limits.value_limit_name)
    if pieced:
        schedules += cut(driver.schedule, driver.schedule.piece_steps, piece_size(driver.schedule, fit))
    calls = [[*pieces, *pages, *schedules, *outputs]] if storing else []
    # What the carry is checked against too: the next run's input is encoded by this worker, with this store.
    driver.sizes = replace(driver.sizes, value_limit=limits.value_limit, limit_name=limits.value_limit_name)
    if calls and not fit.fits(calls[0]) and (patched(HAND_OVER_PIECES_PATCH) if in_pieces is None else in_pieces):
        pieces = fit.cut(chunk, lambda step: f"the record of step {step.node_id[:80]!r}")
        pages = [p for items in in_pages(undo_order(to_undo)) for p in fit.halved(items, page, _undo_said)]
        for schedule in schedules:
            said = "a piece of the plan's checked schedule" if pieced else "the plan's checked schedule"
            fit.whole(schedule, f"{said} ({len(plan.nodes):,} steps)")
        for node, output in zip(large, outputs, strict=True):
            fit.whole(output, f"the output of step {node[:80]!r}, which later steps read")
        calls = fit.calls([*pieces, *pages, *schedules, *outputs])
    refs: list[StoredValue] | None = None
    for at, values in enumerate(calls):
        part = f" (part {at + 1} of {len(calls)})" if len(calls) > 1 else ""
        stored: list[StoredValue] | None = await workflow.execute_local_activity_method(
            ValueActivities.store_values,
            values,
            start_to_close_timeout=STORE_TIMEOUT,
            retry_policy=RetryPolicy(maximum_attempts=5),
            summary=f"store the {len(chunk)} steps this run finished{part}",
        )
        refs = None if stored is None else [*(refs or []), *stored]
    earlier = list(driver.record.earlier)
    run_index = driver.steps.run_index
    if refs is None:  # nothing is stored outside the history: the steps travel in the carry
        if chunk:
            nodes = [s.node_id for s in chunk]
            earlier.append(StepChunk(run_index=run_index, nodes=nodes, positions=positions, steps=chunk))
    else:
        refs_left = iter(refs)
        piece_refs, page_refs = [next(refs_left) for _ in pieces], [next(refs_left) for _ in pages]
        # Counted from what was stored, not cut again: a replay by a worker cutting the schedule in pieces of another
        # size takes the references its history holds.
        schedule_refs = [next(refs_left) for _ in range(len(refs) - len(piece_refs) - len(page_refs) - len(large))]
        place = dict(zip((s.node_id for s in chunk), positions, strict=True))
        # Its steps are not read back by a compensation: those it cannot undo are counted now, to be said by it, with
        # those of the runs before, moved here: the carry keeps one gap per way they ended, not some for every run.
        unfinished = folded(
            [
                *(gap for c in earlier for gap in c.unfinished),
                *(unfinished_gaps(plan, chunk, run_index) if plan.compensate_on_failure else []),
            ]
        )
        earlier = [c.model_copy(update={"unfinished": []}) if c.unfinished else c for c in earlier]
        for at, (steps, stored_piece) in enumerate(zip(pieces, piece_refs, strict=True)):
            # The undo pages go with the last piece: a compensation undoes the chunks from the last one back.
            nodes = [s.node_id for s in steps]
            earlier.append(
                StepChunk(
                    run_index=run_index,
                    nodes=nodes,
                    positions=[place[n] for n in nodes],
                    stored=stored_piece,
                    undo=page_refs if at == len(pieces) - 1 else [],
                    unfinished=unfinished if at == len(pieces) - 1 else [],
                )
            )
        if pieced and schedule_refs:
            carry.schedule, carry.schedule_pieces, carry.schedule_head = None, schedule_refs, head_of(driver.schedule)
        for stored_schedule in [] if pieced else schedule_refs:
            carry.schedule, carry.schedule_ref = None, stored_schedule
        for node in movable:  # stored with the undo pages: they come back with them
            carry.scope.pop(node, None)
            carry.stored.pop(node, None)
        for node, ref in zip(large, refs_left, strict=True):
            carry.stored[node] = ref
            carry.scope[node] = {**carry.scope[node], "output": None}
    carry.record = driver.record.model_copy(update={"steps": kept, "earlier": earlier})
    # As control stands now: a pause or resume taken while the steps were stored (its update answered that
    # it took effect) was lost with the state read before, and the next run ran on.
    carry.control = control.state
    return carry


def piece_size(schedule: PlanSchedule, fit: Fit) -> int:
    """The bytes of JSON a piece of the plan or its schedule holds at most: the plan's piece size, as its validation
    recorded it, within the storage limit ``fit`` measures against (PIECES_WITHIN_THE_LIMIT_PATCH)."""
    if not patched(PIECES_WITHIN_THE_LIMIT_PATCH):
        return schedule.piece_bytes
    return piece_bytes(schedule.piece_bytes, fit.value_room if fit.limit else None)


def plan_piece_size(driver: PlanDriver) -> tuple[int, int]:
    """The steps and bytes of JSON a piece of the plan holds at most, as the hand-over cut its schedule: within the
    storage limit it read (``driver.sizes``)."""
    fit = Fit(driver.sizes.value_limit, driver.sizes.limit_name)
    return driver.schedule.piece_steps, piece_size(driver.schedule, fit)


def _movable(chunk_nodes: list[str], carry: PlanCarry, driver: PlanDriver) -> set[str]:
    """The scope entries the undo pages take along, out of the carry (which would otherwise grow with every write
    the chain made) once they are stored, to come back with them: an entry goes only when every compensation
    reading it is of a step of this chunk, and it is small (a large output stays in the carry, stored on its
    own)."""
    undone_by: dict[str, set[str]] = {}
    for node, reads in driver.schedule.compensation_reads.items():
        for read in reads:
            undone_by.setdefault(read, set()).add(node)
    here = set(chunk_nodes)
    return {
        node
        for node, readers in undone_by.items()
        if node in carry.scope
        and readers <= here
        and not driver.scope.readers.get(node)
        and _json_size(carry.scope[node].get("output")) <= OUTPUT_PREVIEW_BYTES
    }


def _undo_page(
    items: list[UndoItem], compensation_reads: dict[str, list[str]], movable: set[str], carry: PlanCarry
) -> dict[str, Any]:
    """Steps a compensation may undo, newest first (the order it undoes them), with the movable scope entries
    their compensations read."""
    page = UndoPage(items=items)
    for item in page.items:
        for read in compensation_reads.get(item.node, ()):
            if read in movable:
                page.scope[read] = carry.scope[read]
                if read in carry.stored:
                    page.stored[read] = carry.stored[read]
    return page.model_dump(mode="json")


def _undo_said(item: UndoItem) -> str:
    return f"the undo of step {item.node[:80]!r}, with the outputs of other steps it reads,"


def undo_order(steps: list[StepRecord]) -> list[UndoItem]:
    """Newest first: the order a compensation undoes them in."""
    items = [UndoItem(node=s.node_id, ended_at=s.ended_at or s.scheduled_at or workflow.now()) for s in steps]
    return sorted(items, key=lambda item: item.ended_at, reverse=True)


def in_pages(items: list[UndoItem]) -> list[list[UndoItem]]:
    return [items[at : at + UNDO_PAGE] for at in range(0, len(items), UNDO_PAGE)]


def _json_size(value: Any) -> int:
    return 0 if value is None else len(json.dumps(value, default=str))
