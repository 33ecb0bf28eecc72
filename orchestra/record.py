"""The execution record: the seed's execution and step states, kept by the workflow, read by query.

A plan run that continues as new keeps one record for its whole chain: ``runs`` lists the chain's runs,
``metrics`` count every step of every run, and the steps earlier runs finished are stored in chunks
(``earlier``) rather than carried from run to run; ``orchestra.storage.step_chunks`` reads them back
into one whole record. Metrics are kept up to date as steps change (``changing``), so what a workflow
does per change does not grow with the plan.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from itertools import islice
from typing import Any

from pydantic import BaseModel, Field, PrivateAttr

from orchestra.by_id import IdIndex
from orchestra.errors import ExecutionError
from orchestra.storage.stored import StoredValue
from orchestra.text import plural

OUTPUT_PREVIEW_BYTES = 4096
# All previews of a record together stay near this: a plan of 100,000 steps keeps 128 bytes of each
# output (full outputs are stored, or in the history of the run that ran the step).
PREVIEW_BUDGET_BYTES = 12 * 1024 * 1024
MIN_PREVIEW_BYTES = 128
# What the record query answers at most: its first steps in plan order, the others counted (steps_not_listed). Its
# whole listing of a large run was built, measured and sent in the worker's sandbox on each call: past some 2,000
# steps at load it failed the 2 s deadlock limit ("TMPRL1101"), and `status` had nothing to show. Bounded, a query
# costs what it answers, whatever the plan's size.
QUERY_STEPS = 1000
QUERY_BYTES = 1024 * 1024  # of steps listed (and noted): the rest of the record (a chain's references) comes besides
# A record that leaves steps out still lists this many of them that went wrong or are running (steps_noted): a step
# failed past the first QUERY_STEPS was counted ("1 failed") and neither named nor its error said.
NOTED_STEPS = 40


class AgentState(StrEnum):
    IDLE = "idle"
    INITIALIZING = "initializing"
    RUNNING = "running"
    COMPLETED = "completed"
    ERROR = "error"
    CANCELLED = "cancelled"
    PAUSED = "paused"


class StepState(StrEnum):
    PENDING = "pending"
    THINKING = "thinking"
    CALLING_TOOL = "calling_tool"
    REFLECTING = "reflecting"
    COMPLETED = "completed"
    ERROR = "error"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


FINISHED_STEP_STATES = frozenset({StepState.COMPLETED, StepState.ERROR, StepState.SKIPPED, StepState.CANCELLED})
FINISHED_RUN_STATES = frozenset({AgentState.COMPLETED, AgentState.ERROR, AgentState.CANCELLED})


class CompensationRecord(BaseModel):
    """The undo of a completed step, run because the plan failed later."""

    tool: str
    state: StepState = StepState.PENDING
    output: Any = None
    error: ExecutionError | None = None


class StepRecord(BaseModel):
    node_id: str
    tool: str
    phase: int
    depends_on: list[str] = Field(default_factory=list)
    state: StepState = StepState.PENDING
    scheduled_at: datetime | None = None
    started_at: datetime | None = Field(
        None, description="when the activity attempt that succeeded began (worker clock)"
    )
    ended_at: datetime | None = None
    duration_ms: float | None = None
    attempts: int = 0
    tokens: int = Field(0, description="LLM tokens the step's tool reported using")
    error: ExecutionError | None = None
    skip_reason: str | None = None
    output: Any = None
    output_bytes: int = 0
    output_truncated: bool = False
    output_ref: StoredValue | None = Field(None, description="where the full output is stored, when it is large")
    run_index: int = Field(0, description="the run of the chain that ran the step (index in ExecutionRecord.runs)")
    fallback_from: list[str] = Field(
        default_factory=list, description="tools tried first, each with why it was left: 'tool: reason'"
    )
    compensation: CompensationRecord | None = None

    def set_output(self, output: Any, limit: int = OUTPUT_PREVIEW_BYTES) -> None:
        self.output, self.output_bytes, self.output_truncated = preview(output, limit)


TRUNCATED = " ...[truncated]"


def preview(output: Any, limit: int) -> tuple[Any, int, bool]:
    """What a record keeps of an output: the output itself when its JSON fits ``limit`` bytes, else the
    start of that JSON as text, marked cut, within ``limit`` bytes as the record writes it; with the JSON's size
    and whether it was cut."""
    text = json.dumps(output, default=str).encode()
    if len(text) <= limit:
        return output, len(text), False
    return _start_within(text[:limit].decode(errors="ignore"), limit), len(text), True


def _start_within(text: str, limit: int) -> str:
    """The longest start of ``text`` that, marked cut, is at most ``limit`` bytes as a JSON string (its quotes
    aside), whatever the encoding: the JSON of an output escapes its quotes and backslashes, and as a string in the
    record each escape is escaped again (a 128-byte preview of backslashes was 273 bytes)."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if len(json.dumps(text[:middle] + TRUNCATED)) - 2 <= limit:
            low = middle
        else:
            high = middle - 1
    return text[:low] + TRUNCATED


def preview_limit(steps: int, budget: int = PREVIEW_BUDGET_BYTES) -> int:
    """Bytes of each output a record of ``steps`` steps keeps: OUTPUT_PREVIEW_BYTES, less in plans so
    large that their previews together would pass ``budget``."""
    return max(MIN_PREVIEW_BYTES, min(OUTPUT_PREVIEW_BYTES, budget // max(steps, 1)))


class RunMetrics(BaseModel):
    total_steps: int = 0
    completed: int = 0
    failed: int = 0
    skipped: int = 0
    cancelled: int = 0
    running: int = 0
    pending: int = 0
    tool_call_count: int = 0
    retry_count: int = 0
    error_count: int = 0
    average_step_ms: float = 0.0
    tokens: int = 0
    timed_steps: int = Field(0, description="steps with a duration (what average_step_ms averages)")
    step_ms_total: float = 0.0

    def count(self, step: StepRecord, sign: int = 1) -> None:
        """Add (or, with ``sign`` -1, take away) what ``step`` contributes to these numbers."""
        field = _COUNTED.get(step.state)
        if field is not None:
            setattr(self, field, getattr(self, field) + sign)
        self.tool_call_count += sign * step.attempts
        self.retry_count += sign * max(0, step.attempts - 1)
        self.error_count += sign * (step.error is not None)
        self.tokens += sign * step.tokens
        if step.duration_ms is not None:
            self.timed_steps += sign
            self.step_ms_total += sign * step.duration_ms
        self.average_step_ms = self.step_ms_total / self.timed_steps if self.timed_steps else 0.0


_COUNTED = {
    StepState.COMPLETED: "completed", StepState.ERROR: "failed", StepState.SKIPPED: "skipped",
    StepState.CANCELLED: "cancelled", StepState.CALLING_TOOL: "running", StepState.PENDING: "pending",
}  # fmt: skip
FINISHED_COUNTS = ("completed", "failed", "skipped", "cancelled")


# A run keeps the last this many refused signals: whoever may signal it cannot grow its record.
MAX_REFUSED_SIGNALS = 20


class RefusedSignal(BaseModel):
    """A signal the run did not act on, and why: its input named a stored value the run may not read, could
    not be decrypted, or did not fit the signal's handler (orchestra.signal_refusal)."""

    signal: str
    reason: str
    sender: str = Field("", description="the identity the sender gave the server")
    at: datetime | None = None


class RunRecord(BaseModel):
    """What every run's record says about the run as a whole, plan runs and agent runs alike; the
    workflows' shared control (workflows/control.py) keeps these fields."""

    id: str
    run_id: str
    state: AgentState = AgentState.INITIALIZING
    success: bool = False
    paused: bool = Field(False, description="cooperatively paused: what runs finishes, nothing new starts")
    pause_reason: str | None = None
    paused_at: datetime | None = None
    started_at: datetime
    ended_at: datetime | None = None
    execution_time_ms: float | None = None
    error: ExecutionError | None = None
    refused_signals: list[RefusedSignal] = Field(
        default_factory=list, description=f"signals refused, with the reason (the last {MAX_REFUSED_SIGNALS})"
    )


# A record names this many steps of each gap, and keeps this many gaps: what a compensation left undone stays
# said in a record of bounded size however large the chain (the counts stay exact).
MAX_GAP_NODES = 10
MAX_UNDO_GAPS = 50
MAX_GAP_REASON = 1000
# Runs a gap names, as ranges ("runs 1, 3, 5-9"): a gap spanning thousands of runs stays a short line.
MAX_GAP_RUN_RANGES = 8


def _cause(reason: str) -> str:
    """What a gap's reason says before its detail (an error's message, which may name a file)."""
    return reason.split(": ", 1)[0]


class UndoGap(BaseModel):
    """Steps a failed run's compensation did not undo, or undid without a record of how they ended
    (``unrecorded``: their undos ran, but their records could not be stored), and why."""

    reason: str
    unrecorded: bool = False
    run_index: int | None = Field(None, description="the run of the chain that ran the steps, when one did")
    run_span: tuple[int, int] | None = Field(
        None, description="the first and last run of the chain that ran the steps, when several did (run_index None)"
    )
    run_ranges: list[tuple[int, int]] = Field(
        default_factory=list,
        description=f"with run_span: the runs that ran the steps, as ranges of runs one after another (at most "
        f"{MAX_GAP_RUN_RANGES}: past that the closest are joined, and ``runs_in_part`` says so)",
    )
    runs_in_part: bool = Field(False, description="run_ranges were joined: not every run in them ran steps of the gap")
    nodes: list[str] = Field(default_factory=list, description=f"the first {MAX_GAP_NODES} of the steps")
    count: int = Field(0, description="how many steps are known to be in the gap")
    pages: int = Field(0, description="pages of steps to undo never read: their steps are not counted in ``count``")
    previews: dict[str, Any] = Field(
        default_factory=dict,
        description="of an unrecorded gap: what the undo of each step listed ended with (its record), cut to a preview",
    )

    def runs(self) -> tuple[int, int] | None:
        """The first and last run of the chain that ran the steps (the same one when one did), when known."""
        return (self.run_index, self.run_index) if self.run_index is not None else self.run_span

    def run_list(self) -> list[tuple[int, int]]:
        """The runs that ran the steps, as ranges in order (none when not known)."""
        runs = self.runs()
        return self.run_ranges or ([runs] if runs is not None else [])

    def runs_said(self) -> str:
        """The runs that ran the steps, as a line about the gap starts ("run 2: ", "runs 1, 3, 5-9: "), or nothing:
        the runs themselves, not the span from the first to the last (cause A in runs 1 and 3 and B in run 2 said
        "runs 1-3: A")."""
        ranges = self.run_list()
        if not ranges:
            return ""
        if ranges == [(ranges[0][0], ranges[0][0])]:
            return f"run {ranges[0][0] + 1}: "
        said = ", ".join(f"{a + 1}" if a == b else f"{a + 1}-{b + 1}" for a, b in ranges)
        return f"runs {said}{' (not every run in them)' if self.runs_in_part else ''}: "

    def heading(self, name: Callable[[str], str] = str) -> str:
        """The gap's runs, steps (the first named) and pages not read, as every view of the record begins its line
        (`status`/`result` and the Web UI's details alike); the reason follows, cut as each view cuts."""
        nodes = ", ".join(map(name, self.nodes))
        named = f" ({nodes}{', …' if self.count > len(self.nodes) else ''})" if self.nodes else ""
        pages = f", {plural(self.pages, 'page')} of steps not read" if self.pages else ""
        return f"{self.runs_said()}{plural(self.count, 'step')}{named}{pages}"

    def absorb(self, other: UndoGap) -> None:
        """``other``, of the same reason, made part of this gap: its steps and pages counted, the first named, its runs
        added to those named (run_ranges)."""
        self.count, self.pages = self.count + other.count, self.pages + other.pages
        self.nodes = (self.nodes + [n for n in other.nodes if n not in self.nodes])[:MAX_GAP_NODES]
        self.previews = {n: p for n, p in {**other.previews, **self.previews}.items() if n in self.nodes}
        mine, theirs = self.run_list(), other.run_list()
        if mine != theirs or self.run_span is not None:
            self.run_index = None
            self.runs_in_part = self.runs_in_part or other.runs_in_part
            ranges = _joined(mine + theirs)
            while len(ranges) > MAX_GAP_RUN_RANGES:  # the two closest made one: the line stays short, said in part
                at = min(range(len(ranges) - 1), key=lambda i: ranges[i + 1][0] - ranges[i][1])
                ranges[at : at + 2] = [(ranges[at][0], ranges[at + 1][1])]
                self.runs_in_part = True
            self.run_ranges = ranges
            self.run_span = (ranges[0][0], ranges[-1][1]) if ranges else None


def _joined(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """``ranges`` of runs in order, those that overlap or follow one another made one."""
    joined: list[tuple[int, int]] = []
    for first, last in sorted(ranges):
        if joined and first <= joined[-1][1] + 1:
            joined[-1] = (joined[-1][0], max(last, joined[-1][1]))
        else:
            joined.append((first, last))
    return joined


class StepChunk(BaseModel):
    """Steps one earlier run of the chain finished, kept out of the record the runs carry: stored on
    their own (``stored``: a list of StepRecord), or listed here when nothing is stored outside the
    history (ORCHESTRA_STORAGE=off)."""

    run_index: int
    nodes: list[str] = Field(description="the steps' node ids")
    positions: list[int] = Field(description="each step's place in the whole record's step list")
    stored: StoredValue | None = None
    steps: list[StepRecord] = Field(default_factory=list)
    # A failed chain undoes these steps too (workflows/recovery.py): what it needs of them is stored apart from
    # the chunk, in pages read one at a time, and each page's undos are stored as it ran them, so neither the
    # carry nor any one history event grows with the chain.
    undo: list[StoredValue] = Field(
        default_factory=list, description="the steps a compensation may undo, newest first: UndoPage each"
    )
    undone: list[StoredValue] = Field(
        default_factory=list, description="the undos run on them: one {node id: CompensationRecord} per page"
    )
    unfinished: list[UndoGap] = Field(
        default_factory=list,
        description="of stored steps, of this run and the runs before (moved to the newest chunk at each hand-over): "
        "those with an undo that started and did not complete (never undone), one gap per way they ended, said by a "
        "failed chain's record",
    )


class UndoItem(BaseModel):
    """A step of an earlier run a compensation may undo: which, and when it ended (the undo order)."""

    node: str
    ended_at: datetime


class UndoPage(BaseModel):
    """Steps of an earlier run to undo, newest first, with what their compensations read of finished steps that
    no step still to run reads (``${w.output.previous}``): entries of the run's StepScope, which left the carry with
    them (an output stored outside the history by reference, in ``stored``)."""

    items: list[UndoItem]
    scope: dict[str, Any] = Field(default_factory=dict)
    stored: dict[str, StoredValue] = Field(default_factory=dict)


class ExecutionRecord(RunRecord):
    plan_name: str
    task: str | None = None
    steps: list[StepRecord] = Field(
        default_factory=list, description="every step, in phase order; in a chain, those not in ``earlier``"
    )
    metrics: RunMetrics = Field(default_factory=RunMetrics)
    runs: list[str] = Field(
        default_factory=list, description="the run ids of a continue-as-new chain, oldest first (the last is run_id)"
    )
    earlier: list[StepChunk] = Field(
        default_factory=list, description="steps earlier runs of the chain finished, by reference"
    )

    undo_gaps: list[UndoGap] = Field(
        default_factory=list,
        description=f"what the compensation of a failed run left not undone or not recorded (at most {MAX_UNDO_GAPS}: "
        "the first, and the last noted)",
    )
    undo_gaps_dropped: int = Field(0, description="gaps not kept: each gave way to a later one")
    steps_not_listed: int = Field(
        0,
        description="the last steps in plan order a record leaves out so that it stays within the largest value a run "
        f"can send, and a query's answer within {QUERY_STEPS:,} steps: those not reached yet first, then finished ones "
        "if those alone pass it (the metrics count them)",
    )
    steps_noted: list[StepRecord] = Field(
        default_factory=list,
        description=f"of the steps not listed, those a reader must see whatever their place: running, then the latest "
        f"failed (at most {NOTED_STEPS}); each is in ``metrics`` and ``steps_not_listed`` already",
    )
    steps_noted_cut: list[str] = Field(
        default_factory=list,
        description="of steps_noted, those too large to note whole within the record's bound, noted cut (cut_to_note): "
        "their error, output and skip reason cut, the first of their dependencies and tools tried kept",
    )
    undos_waiting: UndoGap | None = Field(
        None, description="the undos a run paused before its failure holds until resume (none while they run)"
    )

    _by_id: IdIndex[StepRecord] = PrivateAttr(default_factory=lambda: IdIndex(lambda s: s.node_id))

    def step(self, node_id: str) -> StepRecord:
        return self._by_id.get(self.steps, node_id)

    @contextmanager
    def changing(self, step: StepRecord) -> Iterator[StepRecord]:
        """Change ``step`` inside the block; the metrics follow (a constant cost, whatever the plan's size)."""
        self.metrics.count(step, -1)
        try:
            yield step
        finally:
            self.metrics.count(step)

    def note_undo_gap(self, gap: UndoGap) -> None:
        """``gap`` said by the record: folded into a kept one of the same cause when there is one (reasons alike up
        to their first ": ", the first's detail kept: a chain that lost its store had a gap per page it could not
        read, each naming its file), else kept. Past MAX_UNDO_GAPS, the last kept gives way to it
        (``undo_gaps_dropped`` counts those): the last noted says how the compensation ended (its budget ran out, a
        cancel stopped it), which 50 gaps of unreadable pages had pushed out unsaid."""
        if not gap.count and not gap.pages:
            return
        gap.nodes, gap.reason = gap.nodes[:MAX_GAP_NODES], gap.reason[:MAX_GAP_REASON]
        gap.previews = {node: gap.previews[node] for node in gap.nodes if node in gap.previews}
        for kept in self.undo_gaps:
            if (_cause(kept.reason), kept.unrecorded) == (_cause(gap.reason), gap.unrecorded):
                kept.absorb(gap)
                return
        if len(self.undo_gaps) >= MAX_UNDO_GAPS:
            self.undo_gaps.pop()
            self.undo_gaps_dropped += 1
        self.undo_gaps.append(gap)

    def listed_within(
        self,
        steps: Iterable[StepRecord],
        count: int,
        limit: int,
        *,
        most: int = 0,
        sizes: StepSizes | None = None,
        noted: Iterable[StepRecord] = (),
        listing_bytes: int = 0,
    ) -> ExecutionRecord:
        """A copy listing the first of ``steps`` (``count`` in all, in plan order): at most ``most`` of them (0: no
        such bound), and as many as keep its JSON within ``limit`` bytes (0: no limit); the others counted in
        ``steps_not_listed``. Only the steps listed are taken from ``steps``, and measured one by one, each finished
        one once (``sizes``), never the whole record: a query of a large run did that on each call. A live record
        lists every step of its run's share: the first run of a 150,000-step plan answered 51 MB, past the
        storage's largest value (50 MiB), and the query failed, `status` left with nothing to show; 900 skipped
        steps of long ids passed 300 KB: the final record went with no step. The last slots are left, whatever
        their state, so that a chain's whole record (step_chunks.whole_record) still puts each listed step at its
        place. Of ``noted`` (the running and failed steps, most telling first), the first NOTED_STEPS are kept first,
        within the limit, and those the listing leaves out are said apart (``steps_noted``). The steps listed and
        noted take at most ``listing_bytes`` (0: no such bound) whatever the rest of the record takes: a chain's
        references to the steps its earlier runs finished grow with it, and counted against the query's megabyte they
        left no room for one step of the run going on (past some 60,000 finished steps, none running was shown)."""
        sizes = sizes if sizes is not None else StepSizes()
        bounded = bool(limit or listing_bytes)
        room = listing_bytes or limit
        if limit:
            emptied: dict[str, Any] = {"steps": [], "steps_noted": [], "steps_noted_cut": []}
            envelope = len(self.model_copy(update=emptied).model_dump_json().encode())
            room = min(room, limit - envelope - len(str(count)))
        kept: list[StepRecord] = []
        cut: list[str] = []
        for step in islice(noted, NOTED_STEPS):
            size = sizes.of(step) + 1
            if bounded and size > room:  # noted cut rather than left out unsaid (a 2 MB error, a fan-in of 1 MiB)
                step = cut_to_note(step)
                size = len(step.model_dump_json().encode()) + len(json.dumps(step.node_id)) + 2
                if size > room:
                    continue
                cut.append(step.node_id)
            room -= size
            kept.append(step)
        listed: list[StepRecord] = []
        for step in islice(steps, most or None):  # none taken past the bound (a pending one is made when taken)
            if bounded:
                room -= sizes.of(step) + 1  # and its comma
                if room < 0:
                    break
            listed.append(step)
        unlisted = count - len(listed)
        shown = {step.node_id for step in listed} if unlisted and kept else set()
        apart = [step for step in kept if step.node_id not in shown] if unlisted else []
        noted_cut = [node for node in cut if node in {step.node_id for step in apart}]
        update = {"steps": listed, "steps_not_listed": unlisted, "steps_noted": apart, "steps_noted_cut": noted_cut}
        return self.model_copy(update=update)

    def undos_waiting_text(self) -> str | None:
        """What a run paused before its failure holds: how many undos wait for resume (the commands to go on are
        each renderer's to write)."""
        gap = self.undos_waiting
        if gap is None:
            return None
        pages = f" and the steps of {plural(gap.pages, 'stored page')}" if gap.pages else ""
        named = f" ({', '.join(gap.nodes)}{', …' if gap.count > len(gap.nodes) else ''})" if gap.nodes else ""
        undos = f"{plural(gap.count, 'undo')}{named}{pages}"
        return f"the run failed while paused: {undos} wait for resume"

    def refresh_metrics(self) -> RunMetrics:
        """The metrics counted again over ``steps`` (a whole record: not one listing steps in ``earlier``)."""
        self.metrics = RunMetrics(total_steps=len(self.steps))
        for s in self.steps:
            self.metrics.count(s)
        return self.metrics


# What a step noted cut keeps (ExecutionRecord.steps_noted_cut): some 6 KB at most, whatever the step.
CUT_TEXT_BYTES = 1000
CUT_LIST_ITEMS = 10


def cut_to_note(step: StepRecord) -> StepRecord:
    """A copy of ``step`` small enough to note whatever it holds: its error's message, its skip reason and its output
    cut (marked so), its error's details dropped, the first CUT_LIST_ITEMS of its dependencies and tools tried kept."""
    copy = step.model_copy(deep=True)
    copy.depends_on = copy.depends_on[:CUT_LIST_ITEMS]
    copy.fallback_from = [_cut_text(entry) for entry in copy.fallback_from[:CUT_LIST_ITEMS]]
    copy.skip_reason = copy.skip_reason and _cut_text(copy.skip_reason)
    copy.output, _, cut = preview(copy.output, MIN_PREVIEW_BYTES)
    copy.output_truncated = copy.output_truncated or cut
    for error in (copy.error, copy.compensation.error if copy.compensation else None):
        if error is not None:
            error.message, error.details = _cut_text(error.message), None
    if copy.compensation is not None:
        copy.compensation.output = preview(copy.compensation.output, MIN_PREVIEW_BYTES)[0]
    return copy


def _cut_text(text: str) -> str:
    # Its start alone searched: the query measures within the workflow's deadlock limit, and the text may be megabytes.
    return text if len(text.encode()) <= CUT_TEXT_BYTES else _start_within(text[:CUT_TEXT_BYTES], CUT_TEXT_BYTES)


_SIZED_STATES = FINISHED_STEP_STATES | {StepState.PENDING}


class StepSizes:
    """The JSON size of each step's record as a record lists it, kept for steps that no longer change (finished)
    or have not changed yet (pending, not reached): a query measures each once, however often it is asked. What
    may still change a finished step (a compensation's undo) is in the key its size is kept under."""

    def __init__(self) -> None:
        self._sizes: dict[str, tuple[tuple[Any, ...], int]] = {}
        self.measured = 0  # steps serialised to be measured (what the tests count)

    def of(self, step: StepRecord) -> int:
        if step.state not in _SIZED_STATES:
            return self._measure(step)
        undo = step.compensation
        key = (step.state, step.tool, step.attempts, step.scheduled_at, step.ended_at, undo and undo.state)
        kept = self._sizes.get(step.node_id)
        if kept is not None and kept[0] == key:
            return kept[1]
        size = self._measure(step)
        self._sizes[step.node_id] = (key, size)
        return size

    def _measure(self, step: StepRecord) -> int:
        self.measured += 1
        return len(step.model_dump_json().encode())
