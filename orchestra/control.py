"""What a run's control commands carry and answer, shared by the workflows and the clients.

``ControlState`` is what pause and resume set, and the run's deadline; a workflow keeps it and hands it
to the next run when it continues as new, so a paused chain stays paused and its deadline stays where it
was. (A cancellation request is not carried: a run asked to cancel ends cancelled, it does not continue.) ``PauseRequest`` and ``ControlAnswer`` are the input
and the answer of the ``pause_run`` / ``resume_run`` updates (workflows/control.py): an update says what
it did, or is refused with the reason, where a signal can only be sent and hoped for.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from orchestra.record import AgentState
from orchestra.text import ELLIPSIS

PAUSE_UPDATE = "pause_run"
RESUME_UPDATE = "resume_run"
# The same without an answer, for the Web UI's "Send a Signal" (and what the history shows of them).
PAUSE_SIGNAL = "pause"
RESUME_SIGNAL = "resume"
# What the worker hands a run in place of a signal it refused (orchestra.signal_refusal): the run records it.
REFUSED_SIGNAL = "orchestra.refused_signal"


MAX_REASON_CHARS = 1_000


def _cut(reason: str | None) -> str | None:
    if reason is None or len(reason) <= MAX_REASON_CHARS:
        return reason
    return reason[: MAX_REASON_CHARS - 1] + ELLIPSIS


# A person's reason for a pause or a decision: kept in the record, shown by every view and carried from run
# to run of a chain, so a megabyte of it (a signal or an update may carry up to 2 MiB) is cut, not refused.
Reason = Annotated[str, AfterValidator(_cut)]


class ControlState(BaseModel):
    """The cooperative pause of a run (a natively paused run is held by the server, not by this), and
    when the run must be over."""

    paused: bool = False
    pause_reason: Reason | None = None
    paused_at: datetime | None = None
    deadline_at: datetime | None = Field(
        None, description="set once, by the chain's first run: its recorded start + timeout_s"
    )


class PauseRequest(BaseModel):
    reason: Reason = ""


class ControlAnswer(BaseModel):
    """What a control update did: the run's state afterwards, and what is still running."""

    state: AgentState
    paused: bool
    pause_reason: str | None = None
    paused_at: datetime | None = None
    in_flight: int = Field(
        0, description="steps (plan runs) or model and tool calls (agent runs) still running: they finish"
    )
    message: str
