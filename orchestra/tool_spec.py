"""What a tool is: a typed spec plus the coroutine that does the work."""

from __future__ import annotations

import threading
import typing
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from orchestra.temporal_bounds import NUMBER, Attempts, Backoff, Seconds

if TYPE_CHECKING:  # a running tool's rules: planning, which only reads specs, need not import them
    from orchestra.confinement import Confinement


def intervals_problem(initial_interval_s: float | None, max_interval_s: float | None) -> str | None:
    """Why a retry policy's intervals cannot be, or None. Temporal refuses a maximum below the initial
    interval when the activity is scheduled: the workflow task failed ('BadScheduleActivityAttributes')
    and was retried for ever, the run RUNNING and the step never started."""
    if initial_interval_s is None or max_interval_s is None or max_interval_s >= initial_interval_s:
        return None
    return f"max_interval_s {max_interval_s:g} is below initial_interval_s {initial_interval_s:g}"


# Infinity was taken: a tool's selection carries its cost to the run's history, where JSON writes it as null,
# and the workflow could not read the selection back. NUMBER last: a yes was a cost of 1.
Cost = Annotated[float, Field(ge=0, allow_inf_nan=False), NUMBER]


class RetryHints(BaseModel):
    """Defaults for the Temporal RetryPolicy of this tool's activity; a plan node may override them."""

    max_attempts: Attempts = 3
    initial_interval_s: Seconds = 1.0
    backoff: Backoff = 2.0
    max_interval_s: Seconds = 30.0

    @model_validator(mode="after")
    def _intervals_in_order(self) -> RetryHints:
        if problem := intervals_problem(self.initial_interval_s, self.max_interval_s):
            raise ValueError(problem)
        return self

    def overridden(self, overrides: dict[str, Any]) -> RetryHints:
        """These hints with a plan node's ``overrides``, checked together (ValueError: why they cannot be)."""
        merged = {**self.model_dump(), **overrides}
        if problem := intervals_problem(merged["initial_interval_s"], merged["max_interval_s"]):
            raise ValueError(problem)
        return self.model_copy(update=overrides)


# A local activity holds one of its worker's local-activity slots for as long as it runs, up to its timeout, and every
# run's own control work (its plan's validation, reading a stored value, the value limit) is local activities that
# wait for a slot too: with the slots held by `local: true` steps of a 900 s timeout, other runs' validation waited
# past its own 60 s limit. A call allowed longer than this runs as a regular activity, on the activity slots: its
# slot is not one the control work needs, and it heartbeats, so a cancel reaches it. The tools' default timeout.
LONGEST_LOCAL_CALL_S = 60.0


def runs_locally(local: bool, timeout_s: float) -> bool:
    """Whether a tool call asked to run as a local activity (``local``) does: only when it is short."""
    return local and timeout_s <= LONGEST_LOCAL_CALL_S


class ToolSpec(BaseModel):
    """The description of a tool that planning, validation and the UI rely on.

    ``input_types``/``output_types`` name kinds of data (``url``, ``html``, ``text``, ``json``,
    ``path``...) so a planner can chain a tool whose output fits the next tool's input.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    name: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_.\-]*$")
    description: str
    capabilities: list[str] = Field(default_factory=list)
    input_model: type[BaseModel] = Field(exclude=True)
    output_model: type[BaseModel] | None = Field(default=None, exclude=True)
    input_types: list[str] = Field(default_factory=list)
    output_types: list[str] = Field(default_factory=list)
    cost: Cost = Field(0.0, description="relative cost of one call, e.g. money or quota")
    side_effects: bool = False
    idempotent: bool = True
    timeout_s: Seconds = LONGEST_LOCAL_CALL_S  # a local tool runs locally unless given longer
    heartbeat_timeout_s: Seconds | None = None
    retry: RetryHints = Field(default_factory=RetryHints)
    local: bool = Field(False, description="pure and fast: run as a local activity, saving a round trip")
    secret_args: list[str] = Field(default_factory=list, description="argument names never shown in clear")
    # A tool whose call goes to a host (a described ``kind: http`` tool): what it is given leaves this machine, as
    # a send's body does, whatever its work ("Summarize .env" with a summarizer online sends .env there)
    remote: bool = Field(False, description="its arguments are sent to another host")
    # A URL may need a credential (``?token=``, ``user:pw@``): given in clear, as a plan input, it was kept in
    # the run's history; a reference is kept there instead, resolved on the worker, and only the secret
    # masked (a URL is no secret: remembered as one, every URL fetched was masked in every log line).
    takes_secrets: list[str] = Field(
        default_factory=list, description="argument names, besides secret_args, that may hold ${secrets.NAME}"
    )
    # A secret's '/', '?', '#', '@' or '+' (base64's) read as the URL's own: a token cut short, the part of a
    # user's name before a '/' taken for the host and sent to DNS resolvers. Percent-encoded, it is one value.
    secrets_in_url: list[str] = Field(
        default_factory=list, description="argument names that are URLs and may hold ${secrets.NAME}, percent-encoded"
    )
    requires_approval: bool = False

    # Where a secret may not go within an argument that takes one: why the arguments, as written, are
    # refused (at the plan's check, and on the worker before secrets are resolved), or None.
    secrets_placed: Callable[[Mapping[str, Any]], str | None] | None = Field(None, exclude=True)
    # The most attempts a call with these arguments (as written, references unresolved) may have, or None for
    # what ``retry`` says: one that may not be sent twice (a POST without an Idempotency-Key) gets one, since
    # Temporal retries a timed-out attempt or a lost worker's without a word on what the server did.
    attempts_for: Callable[[Mapping[str, Any]], int | None] | None = Field(None, exclude=True)

    def secrets_in(self) -> list[str]:
        """The argument names whose values may hold ``${secrets.NAME}``."""
        return [*self.secret_args, *self.takes_secrets, *self.secrets_in_url]

    def input_schema(self) -> dict[str, Any]:
        return self.input_model.model_json_schema()

    def output_schema(self) -> dict[str, Any] | None:
        return self.output_model.model_json_schema() if self.output_model else None

    def describe(self) -> dict[str, Any]:
        return {
            **self.model_dump(mode="json"),
            "input_schema": self.input_schema(),
            "output_schema": self.output_schema(),
        }


@dataclass
class ToolContext:
    """What a running tool may use: the confinement rules and a way to report liveness."""

    confinement: Confinement
    heartbeat: Callable[..., None] = lambda *details: None
    extra: dict[str, Any] = field(default_factory=dict)
    # How many characters a text cut short must also lose where it was cut: the longest form the secrets
    # this call resolved may take, less one (orchestra/secrets.py). A secret a cap cut in two is then
    # never shown in part: masking, which runs after, finds only whole ones.
    secret_margin: int = 0
    # Masks the secrets this call resolved, in every form (orchestra/secrets.py): for a text the tool has
    # whole and quotes in part (an error body's start, a stderr's tail), which is masked, then cut.
    mask: Callable[[str], str] = lambda text: text
    # The fields of this call's output its plan's undo reads (``ToolCall.undo_reads``): what a tool may have to keep
    # for it (write_file's ``previous``), and need not keep otherwise.
    undo_reads: frozenset[str] = frozenset()

    # At most how often a call that may not be resent is sent, over all its attempts: its plan's
    # retry.max_attempts (ToolCall.sends), or None where the plan gave none.
    sends: int | None = None

    def cut_end(self, text: str) -> str:
        """``text``, cut short by a cap at its end (the rest never read), without what could begin a
        secret there."""
        return text[: max(len(text) - self.secret_margin, 0)]

    def quote_start(self, text: str, chars: int) -> str:
        """At most the first ``chars`` characters of ``text``, which is whole, as masking it first would give
        them: only as far past the cut as this call's secrets reach is masked (``redaction.quoted_start``;
        masked whole, a megabyte's error body held the event loop)."""
        from orchestra.telemetry.redaction import quoted_start  # the masker's: a tool's run, never a plan's

        return text if len(text) <= chars else quoted_start(text, chars, self.mask, self.secret_margin + 1)

    def quote_end(self, text: str, chars: int) -> str:
        """At most the last ``chars`` characters of ``text``, which is whole, as masking it first would give
        them, reading only its end (``redaction.quoted_end``)."""
        from orchestra.telemetry.redaction import quoted_end  # the masker's: a tool's run, never a plan's

        return text if len(text) <= chars else quoted_end(text, chars, self.mask, self.secret_margin + 1)


ToolFunction = Callable[[Any, ToolContext], Awaitable[Any]]


@dataclass(frozen=True)
class ParamCard:
    """One declared input or output, as planning reads it: name, description, JSON type, required."""

    name: str
    description: str = ""
    type: str = "string"
    required: bool = True


@dataclass(frozen=True)
class ToolCard:
    """What planning reads about a tool, cheap to make: no pydantic model is built for it.

    A registry of 10,000 described tools is searched through these; a tool's full ``ToolSpec`` (with
    its input and output models) is built only when a plan uses it.
    """

    name: str
    description: str
    capabilities: tuple[str, ...] = ()
    input_types: tuple[str, ...] = ()
    output_types: tuple[str, ...] = ()
    inputs: tuple[ParamCard, ...] = ()
    outputs: tuple[ParamCard, ...] = ()

    @classmethod
    def of(cls, spec: ToolSpec) -> ToolCard:
        return cls(
            name=spec.name,
            description=spec.description,
            capabilities=tuple(spec.capabilities),
            input_types=tuple(spec.input_types),
            output_types=tuple(spec.output_types),
            inputs=_params_of(spec.input_model),
            outputs=_params_of(spec.output_model) if spec.output_model else (),
        )


def _params_of(model: type[BaseModel]) -> tuple[ParamCard, ...]:
    out = []
    for name, info in model.model_fields.items():
        origin = typing.get_origin(info.annotation)
        kind = "array" if origin is list or info.annotation is list else "string"
        out.append(ParamCard(info.alias or name, info.description or "", kind, info.is_required()))
    return tuple(out)


# One for all tools: builds are CPU work under one GIL, so building two tools at once gains nothing.
_BUILDING = threading.RLock()  # re-entrant: a build may read another tool's spec


class Tool:
    """A tool: its spec and the coroutine that does the work.

    Either both are given, or a card and a ``build`` function that makes them on first use (tools
    described in files: building pydantic models for thousands of tools nobody calls is wasted time).
    """

    __slots__ = ("_build", "_card", "_run", "_spec")

    def __init__(
        self,
        spec: ToolSpec | None = None,
        run: ToolFunction | None = None,
        *,
        card: ToolCard | None = None,
        build: Callable[[], tuple[ToolSpec, ToolFunction]] | None = None,
    ) -> None:
        if (spec is None or run is None) and (card is None or build is None):
            raise ValueError("a Tool needs a spec and run, or a card and a build function")
        self._spec, self._run, self._card, self._build = spec, run, card, build

    def _built(self) -> tuple[ToolSpec, ToolFunction]:
        if self._spec is None or self._run is None:
            # First uses come from threads (run_tool, prepare_plan): unlocked, two built the same tool
            # (an MCP tool's model: 0.65 s of CPU each) and one could take the spec of a build and the
            # function of the other.
            with _BUILDING:
                if self._spec is None or self._run is None:
                    assert self._build is not None
                    spec, run = self._build()
                    self._run = run
                    self._spec = spec  # last: a reader that sees the spec without the lock sees its function
        return self._spec, self._run

    @property
    def spec(self) -> ToolSpec:
        return self._built()[0]

    @property
    def run(self) -> ToolFunction:
        return self._built()[1]

    @property
    def card(self) -> ToolCard:
        if self._card is None:
            self._card = ToolCard.of(self.spec)
        return self._card

    @property
    def name(self) -> str:
        return self._card.name if self._card is not None else self.spec.name

    @property
    def built(self) -> bool:
        return self._spec is not None
