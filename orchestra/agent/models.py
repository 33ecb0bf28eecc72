"""The agent's request, limits and record: the seed's AgentStep/AgentExecution as pydantic models.

The workflow keeps an AgentExecution and answers the ``record`` query with it. Across continue-as-new
it carries a bounded copy: the latest steps, the sums of the older ones (``earlier``) and the index of
the chain's runs (``runs``); `trajectory ID` rebuilds every step of every run from the runs' histories.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from orchestra.agent.attempts import AttemptsRule
from orchestra.control import ControlState, Reason
from orchestra.errors import ExecutionError
from orchestra.llm.types import Message, Temperature, ToolDefinition, Usage
from orchestra.record import RunRecord, StepState
from orchestra.references import Utf8Text
from orchestra.temporal_bounds import NUMBER, Attempts, Backoff, Seconds, at_most, written_now

DEFAULT_SYSTEM_PROMPT = (
    "You are an agent that completes the user's task by calling the tools you are given. "
    "Think briefly, call tools to act and to check your work, and read their results. "
    "When the task is complete, call task_done with a short summary of what was done; "
    "saying that you are done in words does not end the task."
)


MAX_STEPS = 100_000
# A model's reply is untrusted input that workflow code orders (orchestra/agent/coordination.py): a
# reply of thousands of calls made that work outlast the workflow task's deadline, and the task retried
# for ever. No model asks for more than a few dozen at once in earnest.
MAX_CALLS_PER_REPLY = 64
# A call's id is the model's, and names the call's activity (``step-N.ID``): past Temporal's 1,000-character
# id, the server refused the command, and the workflow task failed and was retried for ever. Providers' ids
# are 9 to 50 characters; a longer one is replaced by the workflow's own.
MAX_CALL_ID_CHARS = 128
# Ten times the largest context window a model offers (1-2 million tokens): past it, a typo.
MAX_CONTEXT_TOKENS = 20_000_000
CONTEXT_REASON = "ten times the largest model's window"
# One reply's calls are at most MAX_CALLS_PER_REPLY (orchestra/agent/steps.py): a wider window never binds.
CALLS_REASON = f"one reply asks for at most {MAX_CALLS_PER_REPLY} calls, and the rest are left out"


class Strategy(StrEnum):
    """How one reply's tool calls run (the seed's ToolExecutionStrategy)."""

    SEQUENTIAL = "sequential"
    PARALLEL = "parallel"  # at most max_parallel at once
    SMART = "smart"  # dependency groups; independent groups in parallel
    BATCH = "batch"  # fixed-size batches, one after another


class AgentLimits(BaseModel):
    max_steps: Annotated[int, NUMBER] = Field(
        20, ge=1, le=MAX_STEPS, description="LLM steps before the run stops unfinished"
    )
    max_parallel: Annotated[int, NUMBER, at_most(MAX_CALLS_PER_REPLY, CALLS_REASON)] = Field(
        5, ge=1, description="tool calls at once (parallel, smart)"
    )
    batch_size: Annotated[int, NUMBER, at_most(MAX_CALLS_PER_REPLY, CALLS_REASON)] = Field(3, ge=1)
    context_tokens: Annotated[int, NUMBER, at_most(MAX_CONTEXT_TOKENS, CONTEXT_REASON)] = Field(
        32_000, ge=512, description="the model's context window, in tokens"
    )
    # The bound inside Annotated: on the union, the JSON schema said "ge", which no schema reader knows.
    max_output_tokens: Annotated[int, Field(ge=1), NUMBER] | None = Field(
        None, description="max_tokens of each LLM call"
    )
    max_tool_output_tokens: Annotated[int, NUMBER, at_most(MAX_CONTEXT_TOKENS, CONTEXT_REASON)] = Field(
        2_000, ge=16, description="longer tool outputs are truncated"
    )
    approval_timeout_s: Seconds = Field(3600.0, description="how long a call waits for approve/reject")
    approval_default: Literal["approve", "reject"] = "reject"
    llm_timeout_s: Seconds = 120.0
    llm_max_attempts: Attempts = 5

    @model_validator(mode="after")
    def _fits_the_window(self) -> AgentLimits:
        """A reply's reserve as large as the window left the conversation no room (every step sent the task
        and the last turn only) and asked the model for more than it holds (refused, after the run began)."""
        too_large = self.max_output_tokens is not None and self.max_output_tokens >= self.context_tokens
        if too_large and written_now():
            raise ValueError(
                f"max_output_tokens {self.max_output_tokens:,} leaves no room in context_tokens "
                f"{self.context_tokens:,}: a reply's tokens come out of the model's window"
            )
        return self


class TokenUsage(Usage):
    """Token counts, summed over calls (the seed's TokenUsage / TokenUsageTracker total)."""

    def add(self, other: Usage) -> TokenUsage:
        return TokenUsage.model_validate(self.plus(other).model_dump())


class ApprovalStatus(StrEnum):
    WAITING = "waiting"
    APPROVED = "approved"
    REJECTED = "rejected"
    TIMED_OUT_APPROVED = "timed_out_approved"
    TIMED_OUT_REJECTED = "timed_out_rejected"


class Approval(BaseModel):
    status: ApprovalStatus = ApprovalStatus.WAITING
    requested_at: datetime
    decided_at: datetime | None = None
    reason: str | None = None

    @property
    def approved(self) -> bool:
        return self.status in (ApprovalStatus.APPROVED, ApprovalStatus.TIMED_OUT_APPROVED)


class AgentToolCall(BaseModel):
    """One call the model asked for, and what became of it."""

    call_id: str
    tool: str
    arguments: str = Field(description="the JSON text the model wrote")
    state: StepState = StepState.PENDING
    started_at: datetime | None = None
    ended_at: datetime | None = None
    duration_ms: float | None = None
    attempts: int = 0
    result: str | None = Field(None, description="what the model was sent back (possibly truncated)")
    result_bytes: int = 0
    truncated: bool = False
    error: ExecutionError | None = None
    duplicate_of: str | None = Field(None, description="an identical call in the same reply that ran instead")
    approval: Approval | None = None


class Completion(BaseModel):
    """The seed's checkTaskCompletion: did the reply end the task, and was it verified (task_done)?"""

    indicated: bool = False
    verified: bool = False
    reason: str | None = None
    summary: str | None = None


class AgentStep(BaseModel):
    number: int
    state: StepState = StepState.THINKING
    started_at: datetime
    ended_at: datetime | None = None
    duration_ms: float | None = None
    thinking: str | None = Field(None, description="the assistant's text in this step")
    tool_calls: list[AgentToolCall] = Field(default_factory=list)
    usage: TokenUsage = Field(default_factory=TokenUsage)
    llm_attempts: int = 0
    llm_ms: float | None = None
    model: str | None = None
    finish_reason: str | None = None
    completion: Completion = Field(default_factory=Completion)
    feedback: str | None = Field(None, description="a user message the workflow added after this step (nudge)")
    reflection: str | None = Field(None, description="what the model was told about failed calls (REFLECTING)")
    context_dropped: int = Field(0, description="older messages left out of this step's prompt")
    calls_dropped: int = Field(0, description="tool calls of the reply past the most one reply may ask for")
    error: ExecutionError | None = None
    run_index: int = Field(0, description="which run of the continue-as-new chain ran it")


class StepTotals(BaseModel):
    """Sums over steps: what the record keeps of the steps it no longer lists one by one."""

    steps: int = 0
    llm_attempts: int = 0
    tool_calls: int = Field(0, description="calls that ran (not duplicates, not settled without running)")
    duplicate_calls: int = 0
    errors: int = 0
    retries: int = 0
    timed_steps: int = Field(0, description="steps with a duration")
    duration_ms: float = 0.0
    nudges: int = 0
    unverified_claims: int = 0
    usage: TokenUsage = Field(default_factory=TokenUsage)

    def plus(self, other: StepTotals) -> StepTotals:
        summed = {
            name: getattr(self, name) + getattr(other, name) for name in type(self).model_fields if name != "usage"
        }
        return StepTotals(**summed, usage=self.usage.add(other.usage))


class RunSpan(BaseModel):
    """One run of the continue-as-new chain and the steps it ran (none yet: last_step < first_step)."""

    run_id: str
    run_index: int
    first_step: int
    last_step: int


class AgentMetrics(BaseModel):
    steps: int = 0
    llm_call_count: int = 0
    tool_call_count: int = 0
    duplicate_calls: int = 0
    error_count: int = 0
    retry_count: int = 0
    average_step_ms: float = 0.0
    cache_hit_rate: float = 0.0
    nudges: int = 0
    unverified_claims: int = 0


class AgentExecution(RunRecord):
    task: str
    system_prompt: str = ""
    tools: list[str] = Field(default_factory=list, description="the tools offered to the model")
    model: str | None = None
    strategy: Strategy
    continue_on_error: bool
    final_result: str | None = None
    run_index: int = 0
    runs: list[RunSpan] = Field(default_factory=list, description="the chain's runs, oldest first")
    runs_omitted: int = Field(0, description="oldest runs left out of ``runs`` to keep the record bounded")
    steps: list[AgentStep] = Field(default_factory=list, description="the latest steps (all, in a short chain)")
    earlier: StepTotals = Field(
        default_factory=StepTotals,
        description="the sums of the steps before ``steps``, left out to keep the record bounded (their detail "
        "is in their runs' histories; `trajectory ID` lists them)",
    )
    totals: TokenUsage = Field(default_factory=TokenUsage)
    metrics: AgentMetrics = Field(default_factory=AgentMetrics)

    @property
    def step_count(self) -> int:
        """Steps run so far in the whole chain, listed or not."""
        return self.earlier.steps + len(self.steps)

    @property
    def run_ids(self) -> list[str]:
        """The listed runs' ids, oldest first (all of them unless ``runs_omitted``)."""
        return [r.run_id for r in self.runs]

    @property
    def run_count(self) -> int:
        return self.runs_omitted + len(self.runs)

    def waiting_approvals(self) -> list[AgentToolCall]:
        """Calls of the latest step waiting for a decision: one that ended undecided (its run cancelled or
        terminated) waits for nothing, and `status` told to approve it."""
        if not self.steps:
            return []
        return [c for c in self.steps[-1].tool_calls if c.approval and c.approval.status == ApprovalStatus.WAITING
                and c.state in (StepState.PENDING, StepState.CALLING_TOOL)]  # fmt: skip


class Carry(BaseModel):
    """What a run hands to the next one on continue-as-new."""

    conversation: list[Message]
    record: AgentExecution
    control: ControlState = Field(default_factory=ControlState)


class AgentRequest(BaseModel):
    task: Utf8Text = Field(min_length=1)
    system_prompt: Utf8Text = DEFAULT_SYSTEM_PROMPT
    tools: list[Utf8Text] | None = Field(None, description="allowed registry tools; None means every tool")
    strategy: Strategy = Strategy.SMART
    continue_on_error: bool = True
    limits: AgentLimits = Field(default_factory=AgentLimits)
    temperature: Temperature | None = 0.0
    carry: Carry | None = None


class ToolInfo(BaseModel):
    """What the workflow needs to know about a tool it may offer the model."""

    name: str
    function_name: str = Field(description="the name the model sees (OpenAI allows [A-Za-z0-9_-]{1,64})")
    description: str
    parameters: dict[str, Any]
    requires_approval: bool = False
    side_effects: bool = Field(True, description="calling it changes something; identical calls are never merged")
    local: bool = False
    # Bounded as a plan's are: this is the workflow's input, which a client may write as raw JSON (NaN).
    timeout_s: Seconds = 60.0
    heartbeat_timeout_s: Seconds = 5.0
    max_attempts: int = 3
    initial_interval_s: Seconds = 1.0
    backoff: Backoff = 2.0
    max_interval_s: Seconds = 30.0
    # The tool's rule for a call's own attempts, by name (orchestra/agent/attempts.py): http_request's
    # POST without an Idempotency-Key is one Temporal attempt. None: every call has ``max_attempts``.
    attempts_rule: AttemptsRule | None = None


class LLMStepRequest(BaseModel):
    messages: list[Message]
    tools: list[ToolDefinition]
    temperature: Temperature | None = 0.0
    max_tokens: int | None = None


class LLMStepResult(BaseModel):
    message: Message
    # Each call's arguments read by the activity (orchestra/agent/arguments.py): the message's are plain JSON
    # objects but for these calls', by position, which cannot run and why. None: a reply recorded before,
    # read by the workflow itself.
    argument_problems: dict[str, str] | None = None
    usage: Usage
    finish_reason: str | None = None
    model: str | None = None
    attempt: int = 1
    started_at: datetime
    ended_at: datetime


class ApprovalDecision(BaseModel):
    call_id: str | None = Field(None, description="the waiting call; None decides every waiting call")
    reason: Reason = ""
