"""What crosses the workflow/activity boundary for one tool call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, Field

from orchestra.plan import Plan
from orchestra.record import OUTPUT_PREVIEW_BYTES
from orchestra.references import Utf8Text
from orchestra.storage.stored import StoredValue


class ToolCall(BaseModel):
    tool: str
    args: dict[str, Any]
    node_id: str
    # Plans are written by the people who run the worker; an agent's calls are written by a model and
    # may not name the worker's secrets.
    allow_secrets: bool = False
    # Arguments that read an output stored outside the history are sent with their references left in,
    # the scope they read and the stored outputs: run_tool reads those and resolves the references, so
    # the workflow never holds a large output (workflows/tool_calls.py).
    scope: dict[str, Any] | None = None
    stored: dict[str, StoredValue] = Field(default_factory=dict)
    preview_bytes: int = Field(OUTPUT_PREVIEW_BYTES, description="bytes of a stored output the record keeps")
    undo_reads: list[str] = Field(
        default_factory=list, description="fields of this call's output its compensation reads (PlanNode.undo_reads)"
    )

    # The node's retry.max_attempts as its plan wrote it, which its Temporal attempts may not show (a POST
    # without a key has one whatever is asked): a call that may not be resent is sent at most so often.
    sends: int | None = None


@dataclass(frozen=True)
class CallSizes:
    """What a plan run's calls keep and may carry: bytes of a stored output the record keeps, and the
    largest single value (an activity's input) the worker can send, with that limit's name (0: unknown)."""

    preview_bytes: int = OUTPUT_PREVIEW_BYTES
    value_limit: int = 0
    limit_name: str = ""
    # Whether a value that could be over the limit of the worker sending it is measured against that worker's, read
    # then (workflows/value_sizes.py): a run's answer, asked once when it starts.
    read_the_senders: bool = False


class ToolResult(BaseModel):
    output: Any
    # A large output is stored on its own (orchestra.storage.values); ``output`` is then None until the
    # workflow reads it back (workflows/tool_calls.py).
    output_ref: StoredValue | None = None
    preview: Any = Field(None, description="with output_ref: what the record keeps of the output")
    output_bytes: int = 0
    attempt: int
    started_at: datetime
    ended_at: datetime
    # Every attempt's wait for a worker's free slot (orchestra/slot_waits.py); None from a local activity, or a worker
    # before it.
    waited_s: float | None = Field(None, ge=0, allow_inf_nan=False)
    tokens: int = 0  # LLM tokens the tool reported (an output with usage.total_tokens)


class RunRequest(BaseModel):
    """The input of OrchestrationWorkflow: a plan, and the task it came from when a planner built it."""

    payload_without_defaults: ClassVar[bool] = True  # large: sent without its defaults (orchestra/converter.py)

    plan: Plan
    task: Utf8Text | None = None
    # A plan built from a task is the task text's, and a task's text (or the model planning it) may be
    # hostile: it could send ``${secrets.X}`` in a header to a host of its choosing. So such a plan
    # resolves no secret unless whoever started the run vouches for the task (``--allow-secrets``).
    task_secrets: bool = False
    # A large plan's steps after those in ``plan`` (its first piece), stored by the starter in pieces the run reads
    # back one an activation (orchestra/plan_start.py): decoded whole, the request of 150,000 steps took 4.9-7.2 s of
    # the run's first activation, past the 2 s of the SDK's deadlock detector.
    steps_stored: list[StoredValue] | None = None

    @property
    def secrets_allowed(self) -> bool:
        """Whether this run's steps may resolve the worker's ``${secrets.*}``."""
        return self.task is None or self.task_secrets
