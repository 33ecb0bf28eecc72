"""The largest durations and attempt counts a run can be given, as pydantic types.

A timeout, interval or attempt count beyond what Python's ``timedelta``/``datetime`` or Temporal's
protobuf fields hold does not fail where it is written: it fails in workflow code, when the run schedules
the step or sets its deadline, and a workflow task that raises is retried forever (``timeout_s: 1e300``,
``max_attempts: 1e30``). Bounding the models refuses such values when a plan is validated, and when a
client that skipped validation starts a run, the run fails at once naming the field.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from orchestra.shown_ids import escaped

# A century: far beyond any run, well within timedelta, a deadline's datetime (year 9999) and Go's
# time.Duration on the server (292 years).
MAX_DURATION_S = 100 * 365 * 86_400
# RetryPolicy.maximum_attempts is an int32 on the wire.
MAX_ATTEMPTS = 2**31 - 1
# limit.maxIDLength: workflow and activity ids, in UTF-8 bytes. Here, not in limits, so that the CLI's
# option checks need not import what limits does (the run record, the plan's validation).
MAX_ID_LENGTH = 1000
# The longest a tool call may take: every tool's timeout is clamped to it (Confinement.max_timeout_s), and
# the sleep tool refuses a wait past it. Not a setting, so that a plan's validation knows it as the worker does.
MAX_TOOL_TIMEOUT_S = 3_600
# Temporal multiplies the interval by it; a finite, modest factor keeps the arithmetic finite.
MAX_BACKOFF = 1_000.0

# A plan run hands over to the next run of its chain at this many history events at the latest (the
# server usually suggests it sooner, at 4,096), so that the steps still running then finish well within
# the server's 51,200. Here, not in limits, so that the plan's model can bound history_events_per_run.
EVENTS_PER_RUN = 20_000
# How long one workflow task of a run may take: Temporal's ceiling, where its default is 10 s. A worker that
# has not the run in its cache (a new worker after a crash) replays the whole history in one task: 6,355
# events took 19 s on a loaded 2-core machine, and a task over its timeout is retried alike for ever, the
# run stuck by its own size. Every start and every continue-as-new sets it (a new run does not inherit it).
WORKFLOW_TASK_TIMEOUT = timedelta(seconds=120)
# What a run of a chain spends before its first step can finish (started, a workflow task, the step's
# activity, the task that sees it end): a plan's own limit below it hands over after every step anyway.
MIN_EVENTS_PER_RUN = 10

# A microsecond: a timedelta rounds anything shorter to zero, and a zero timeout is none at all (the step
# then failed, 'Activity must have start_to_close_timeout', after the plan was accepted).
MIN_DURATION_S = 1e-6


def _a_number(value: Any) -> Any:
    """pydantic reads true as 1 and false as 0 in a number's place, and YAML reads yes, no, on, off as
    those: ``timeout_s: yes`` was a one-second deadline, ``max_parallel: on`` one step at a time. Text is
    no number either: ``timeout_s: "5"`` was taken as 5 while ``yes`` was refused, so a quoted value's
    meaning hung on what pydantic can parse out of it (``"1_000"``, ``" 5 "``)."""
    if isinstance(value, bool):
        raise ValueError(f"{str(value).lower()} is yes or no, not a number (YAML reads yes, no, on and off so too)")
    if isinstance(value, str | bytes):
        raise ValueError("text, not a number: write the number without quotes")
    return value


NUMBER = BeforeValidator(_a_number)
# NUMBER last: it wraps the constrained number, whose own checks (finite first) stay as they were.
Seconds = Annotated[float, Field(ge=MIN_DURATION_S, le=MAX_DURATION_S, allow_inf_nan=False), NUMBER]
Attempts = Annotated[int, Field(ge=1, le=MAX_ATTEMPTS), NUMBER]
Backoff = Annotated[float, Field(ge=1, le=MAX_BACKOFF, allow_inf_nan=False), NUMBER]
Count = Annotated[int, Field(ge=1), NUMBER]

# Steps of one plan run at once: the worker's activity slots and the server's buffer of events that arrive
# during a workflow task (orchestra/cli/stack.py) are set for this many.
MAX_PARALLEL = 1_000
MAX_PARALLEL_REASON = f"a run starts at most {MAX_PARALLEL:,} steps at once (max_parallel's ceiling)"


# Steps a piece of a plan stored by reference (orchestra/plan_start.py, workflows/plan_pieces.py): each is decoded in an
# activation of its own, 0.05-0.3 s of no-op steps (the whole request of 150,000: 4.9-7.2 s), well within the SDK's 2 s
# deadlock detector.
PLAN_PIECE_STEPS = 10_000
# And at most this many bytes of JSON: decoding costs by the byte, so 10,000 steps of large arguments were one piece of
# tens of megabytes, decoded in one activation. 10,000 no-op steps are 0.83 MB.
PLAN_PIECE_BYTES = 1_000_000
# The largest stored piece a run reads (its size as stored, encoded): a starter writes the pieces and their references,
# and one of 50 MB was decoded in one activation, past the deadlock detector on every attempt, the run never ending.
# A few times a piece, for a step larger than a piece alone (a piece of its own) and the encoding's overhead.
PLAN_PIECE_MOST_BYTES = 3 * PLAN_PIECE_BYTES

# Set while a value written earlier is read back (orchestra.converter): a run's request, its carry, a
# history replayed. A ceiling is a check of what is written now; a run started before it existed may hold a
# value over it, which that run's code took as it was, and must take again the same way.
_READING_WRITTEN = ContextVar("reading_written", default=False)


@contextlib.contextmanager
def reading_written_values() -> Iterator[None]:
    """Within it, ceilings (``at_most``, ``written_now``) pass what they would refuse."""
    token = _READING_WRITTEN.set(True)
    try:
        yield
    finally:
        _READING_WRITTEN.reset(token)


def written_now() -> bool:
    """Whether a value is being written now, not read back: only then may a new ceiling refuse it."""
    return not _READING_WRITTEN.get()


def problems_of(exc: ValidationError, set_size: SetSize | None = None) -> str:
    """pydantic's errors in a line: where, and what is wrong there (no link to its documentation). Where is
    a path of keys someone else wrote (a model's argument names, a plan's), each with its control and
    invisible characters escaped: the line is a tool's failure in the run's history, which `temporal workflow
    describe` and the Web UI show as written (ESC in a key was a link or a screen clear there). What is
    wrong is said in at most about MESSAGE_CHARS characters (``said``), of the first SHOWN_PROBLEMS errors:
    the rest are counted (a list of 50,000 refused items wrote 4 MB, then masked and cut, to tell one)."""
    errors = exc.errors()
    told = "; ".join(
        f"{'.'.join(escaped(str(p)) for p in e['loc']) or 'value'}: {said(e, set_size)}"
        for e in errors[:SHOWN_PROBLEMS]
    )
    left = len(errors) - SHOWN_PROBLEMS
    return told if left <= 0 else f"{told}; and {left:,} more {'problem' if left == 1 else 'problems'}"


SHOWN_PROBLEMS = 10


# What a refusal says is cut past this: pydantic's message of a closed set lists every value of it (a tools
# file's enum of 200,000 values made 2 MB a refused step, in validate's problems and in the run's history).
MESSAGE_CHARS = 200
SetSize = Callable[[tuple[int | str, ...]], "int | None"]


def said(error: ErrorDetails, set_size: SetSize | None = None) -> str:
    """pydantic's message of ``error``, cut past MESSAGE_CHARS; then it says how many values the closed set
    at the error's place holds (``set_size``, where known), or how long the message was."""
    message = error["msg"]
    if len(message) <= MESSAGE_CHARS:
        return message
    size = set_size(error["loc"]) if set_size is not None else None
    whole = f"one of {size:,} values" if size else f"{len(message):,} characters in all"
    return f"{message[:MESSAGE_CHARS].rsplit(', ', 1)[0]}, ... ({whole})"


def at_most(limit: int, reason: str) -> AfterValidator:
    """A count's ceiling, refused with its reason: pydantic's own ``le`` says only the number. A count past
    any use (``tool_concurrency: {sleep: 10**12}``) is a slip of the pen, and when the count is one the
    run's code walks or allocates by, the run's own cost. Only where a value is written (``written_now``)."""

    def check(value: float) -> float:
        if value > limit and written_now():
            shown = f"{value:,}".removesuffix(".0")  # a whole number of seconds, as written: 5,400
            raise PydanticCustomError("at_most", f"{shown} is over {limit:,}: {reason}")
        return value

    return AfterValidator(check)


# The latest moment a value may name: a century's duration (MAX_DURATION_S) after it is still a datetime.
LATEST_YEAR = 9000


def _reachable(moment: datetime) -> datetime:
    if moment.year >= LATEST_YEAR:
        raise ValueError(f"{moment.isoformat()} is past the year {LATEST_YEAR}")
    return moment


# A moment another party reports (when a tool call ended): one at the end of time would make the time a
# duration after it overflow, in workflow code.
Moment = Annotated[datetime, AfterValidator(_reachable)]
