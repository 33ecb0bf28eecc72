"""The plan: a DAG of tool calls, written by a user (YAML/JSON) or built by the planner."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from orchestra.by_id import IdIndex
from orchestra.errors import PlanValidationError
from orchestra.plan_file import read_plan_document, source_name
from orchestra.references import iter_references
from orchestra.settings import Settings
from orchestra.temporal_bounds import (
    EVENTS_PER_RUN,
    MAX_PARALLEL,
    MAX_PARALLEL_REASON,
    MIN_EVENTS_PER_RUN,
    NUMBER,
    Attempts,
    Backoff,
    Count,
    Seconds,
    at_most,
    problems_of,
)
from orchestra.text import one_line
from orchestra.tool_spec import intervals_problem

NODE_ID = r"^[A-Za-z_][A-Za-z0-9_]*$"


class RetryOverride(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_attempts: Attempts | None = None
    initial_interval_s: Seconds | None = None
    backoff: Backoff | None = None
    max_interval_s: Seconds | None = None

    @model_validator(mode="after")
    def _intervals_in_order(self) -> RetryOverride:
        if problem := intervals_problem(self.initial_interval_s, self.max_interval_s):
            raise ValueError(problem)
        return self


class Fallback(BaseModel):
    """Another tool that can do a node's job: used when the node's tool fails or its circuit is open."""

    model_config = ConfigDict(extra="forbid")

    tool: str
    args: dict[str, Any] = Field(default_factory=dict)


class Compensation(BaseModel):
    """The undo of a node with side effects, run when the plan fails later (saga). Its arguments may
    reference the node's own output, e.g. ``${write.output.path}``."""

    model_config = ConfigDict(extra="forbid")

    tool: str
    args: dict[str, Any] = Field(default_factory=dict)


MAX_FAILURES_TO_OPEN = 1_000_000
FAILURES_TO_OPEN_REASON = "a circuit that waits for more failed calls of a tool never opens: leave circuit_breaker out"


class CircuitBreakerConfig(BaseModel):
    """In-run circuit breaker: after this many failed calls of a tool, later nodes go straight to a fallback."""

    model_config = ConfigDict(extra="forbid")

    failures_to_open: Annotated[Count, at_most(MAX_FAILURES_TO_OPEN, FAILURES_TO_OPEN_REASON)] = 2
    skip_open_circuits: bool = Field(True, description="start with a fallback when the shared history says open")


class PlanNode(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str = Field(pattern=NODE_ID)
    tool: str
    args: dict[str, Any] = Field(default_factory=dict, validation_alias=AliasChoices("args", "arguments"))
    depends_on: list[str] = Field(default_factory=list)
    retry: RetryOverride | None = None
    timeout_s: Seconds | None = None
    heartbeat_timeout_s: Seconds | None = None
    skip_on_error: bool = False
    condition: str | None = None
    description: str | None = None
    local: bool | None = Field(
        None, description="run as a local activity (short, idempotent calls); default: the tool's own setting"
    )
    alternatives: list[Fallback] = Field(default_factory=list, description="fallback tools, best first")
    compensation: Compensation | None = None

    def undo_reads(self) -> list[str]:
        """The fields of this node's output its compensation reads (``${id.output.previous}``: previous)."""
        if self.compensation is None:
            return []
        read = iter_references(self.compensation.args)
        return sorted({path[1] for root, path in read if root == self.id and len(path) > 1 and path[0] == "output"})


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid")
    payload_without_defaults: ClassVar[bool] = True  # large: sent without its defaults (orchestra/converter.py)

    name: str = "plan"
    description: str | None = None
    max_parallel: Annotated[Count, at_most(MAX_PARALLEL, MAX_PARALLEL_REASON)] = 16
    timeout_s: Seconds | None = Field(None, description="global deadline for the whole run")
    fail_fast: bool = Field(False, description="on a failure, cancel running steps instead of letting them finish")
    inputs: dict[str, Any] = Field(default_factory=dict)
    nodes: list[PlanNode] = Field(min_length=1)
    tool_concurrency: dict[str, Annotated[Count, at_most(MAX_PARALLEL, MAX_PARALLEL_REASON)]] = Field(
        default_factory=dict, description="at most this many calls of a tool at once"
    )
    compensate_on_failure: bool = Field(False, description="run the compensations of completed steps if the plan fails")
    history_events_per_run: Annotated[int, NUMBER] | None = Field(
        None,
        description="continue as new once a run's history has this many events (default: when the server suggests it)",
    )
    circuit_breaker: CircuitBreakerConfig | None = None

    _by_id: IdIndex[PlanNode] = PrivateAttr(default_factory=lambda: IdIndex(lambda n: n.id))

    @field_validator("history_events_per_run")
    @classmethod
    def _events_per_run_in_bounds(cls, value: int | None) -> int | None:
        if value is not None and not MIN_EVENTS_PER_RUN <= value <= EVENTS_PER_RUN:
            raise PydanticCustomError(
                "events_per_run",
                f"{value:,} is not between {MIN_EVENTS_PER_RUN} and {EVENTS_PER_RUN:,}: a run spends about "
                f"{MIN_EVENTS_PER_RUN} events before its first step can finish, and the engine hands over at "
                f"{EVENTS_PER_RUN:,} anyway",
            )
        return value

    def node(self, node_id: str) -> PlanNode:
        return self._by_id.get(self.nodes, node_id)

    def nodes_placed(self, places: Mapping[str, int]) -> None:
        """``node`` finds a node at its index in ``nodes`` given by ``places`` (built as the schedule was read in
        pieces), not in a map of them all built when first asked."""
        self._by_id.placed(self.nodes, places)


_PLAN_KEYS = set(Plan.model_fields)

# Stands in for a plan's nodes where only its own settings are checked: a node has no ceiling of its own
# (its arguments are checked as written by prepare_plan), and checking 100,000 of them again costs seconds.
_ANY_NODE = {"id": "n", "tool": "t"}


def settings_over_a_ceiling(plan: Plan) -> str | None:
    """What of the plan's own settings a client could not write now (a count over its ceiling), or None.
    Read back (``reading_written_values``), a plan keeps what it was written with: a run's own request is
    so read, and one sent as raw JSON by a client that skips our validation must be checked again."""
    try:
        Plan.model_validate({**plan.model_dump(exclude={"nodes", "inputs"}), "nodes": [_ANY_NODE]})
    except ValidationError as exc:
        return problems_of(exc)
    return None


def parse_plan(data: Any, source: str = "plan") -> Plan:
    if shape := _not_a_plan(data):
        # Its shape only: a file given by mistake (/etc/shadow) had each of its lines printed as a field name.
        raise PlanValidationError([f"{source}: not a plan: {shape}"])
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = _describe_location(data, err["loc"])
            problems.append(f"{source}: {where}: {err['msg']}")
        raise PlanValidationError(problems) from None


def load_plan(path: str | Path, inputs: dict[str, Any] | None = None, settings: Settings | None = None) -> Plan:
    """The plan in a YAML or JSON file, read within the bounds of ``orchestra.plan_file``; the largest
    file accepted is the largest value a run can carry with ``settings`` (default: the defaults)."""
    path = Path(path)
    max_bytes, limit_name = (settings or Settings()).largest_value()
    plan = parse_plan(read_plan_document(path, max_bytes, limit_name), source_name(path))
    if inputs:
        plan = plan.model_copy(update={"inputs": {**plan.inputs, **inputs}})
    return plan


NAMED_ID = 60  # characters of a node's id an error names
NAMED_KEY = 40  # characters of a key of the plan's an error names


def _not_a_plan(data: Any) -> str | None:
    """What ``data`` is instead of a plan's mapping (its shape, never its contents), or None."""
    if not isinstance(data, dict):
        kind = {str: "plain text", list: "a list", type(None): "empty"}.get(type(data), "a single value")
        return f"the document is {kind}, not a YAML/JSON mapping of 'key: value' lines (a plan has name: and nodes:)"
    if data and not set(data) & _PLAN_KEYS:
        return (
            f"a mapping of {len(data)} keys, none of them a plan's field (a plan has name: and nodes:); "
            "lines such as 'a:b:c' with no space after a colon are one key each"
        )
    return None


def _shown_key(part: int | str) -> str:
    return one_line(str(part), NAMED_KEY)


def _describe_location(data: Any, loc: tuple[int | str, ...]) -> str:
    """Name the node by its id rather than its list index: 'node "fetch" field "tool"'."""
    if len(loc) >= 2 and loc[0] == "nodes" and isinstance(loc[1], int):
        nodes = data.get("nodes") if isinstance(data, dict) else None
        node = nodes[loc[1]] if isinstance(nodes, list) and loc[1] < len(nodes) else None
        node_id = node.get("id") if isinstance(node, dict) else None
        # The id may be what failed (any text, any length): a long one named cut, with its place, never whole.
        shown = one_line(str(node_id), NAMED_ID) if node_id else ""
        name = (
            f"node #{loc[1] + 1}"
            if not node_id
            else f"node {shown!r}" + (f" (#{loc[1] + 1})" if shown != node_id else "")
        )
        rest = ".".join(_shown_key(p) for p in loc[2:])
        return f"{name} field {rest!r}" if rest else name
    return "field " + repr(".".join(_shown_key(p) for p in loc)) if loc else "plan"
