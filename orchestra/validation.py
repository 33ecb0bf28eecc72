"""Whole-plan validation: every problem found before anything runs, each naming its node."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from functools import partial
from typing import Any, ClassVar

from pydantic import BaseModel, Field, ValidationError

from orchestra import conditions, dag
from orchestra.argument_validators import set_size
from orchestra.errors import PlanValidationError
from orchestra.nested_strings import strings_within
from orchestra.plan import Plan, PlanNode
from orchestra.reference_types import (
    PLAN_CHECK_VALUES,
    PLAN_CHECK_VALUES_EACH,
    Loc,
    Producer,
    SampleBudget,
    by_members,
    condition_problems,
    field_problems,
    sampled,
    schema_takes_the_kind,
    values_within,
    weight,
)
from orchestra.references import (
    INPUTS,
    MAX_DEPTH,
    NODE_FIELDS,
    REFERENCE,
    SECRETS,
    ReferenceError_,
    alternatives,
    depth_over,
    half_surrogate,
    iter_references,
    lookup,
    not_json,
    shown,
)
from orchestra.registry import ToolRegistry
from orchestra.secret_references import SECRET_REFERENCE, misplaced_secrets, secret_namings
from orchestra.temporal_bounds import SHOWN_PROBLEMS, Seconds, said
from orchestra.text import did_you_mean
from orchestra.tool_spec import RetryHints, ToolSpec, runs_locally
from orchestra.tools.cleanup import support_tools

# An undo is tried harder than a step: what it would leave done is what the run failed to do.
COMPENSATION_ATTEMPTS = 5


class NodeExecution(BaseModel):
    """How the workflow runs one node: the tool spec's defaults with the plan's overrides applied."""

    # Bounded as the plan's are: a chain of runs carries this in the workflow's input, JSON a client may write.
    timeout_s: Seconds
    heartbeat_timeout_s: Seconds
    retry: RetryHints
    local: bool
    summary: str
    sends: int | None = Field(None, description="the plan's retry.max_attempts, if it gave one (ToolCall.sends)")


class PlanSchedule(BaseModel):
    """What running a validated plan takes besides the plan itself. The workflow has the plan already, so
    validation returns only this (and a chain of runs carries it instead of validating again): execution
    options once per distinct set, reads only for the nodes that have some. A plan of 100,000 nodes
    keeps it a few megabytes."""

    payload_without_defaults: ClassVar[bool] = True  # large: sent without its defaults (orchestra/converter.py)

    deps: dict[str, list[str]]
    phases: list[list[str]]
    profiles: list[NodeExecution] = Field(default_factory=list, description="the distinct execution options")
    profile_of: list[int] = Field(default_factory=list, description="each node's profile, in plan order")
    reads: dict[str, list[str]] | None = Field(
        None, description="nodes whose results a node's arguments, alternatives or condition read (None: not known)"
    )
    compensation_reads: dict[str, list[str]] = Field(
        default_factory=dict, description="nodes whose results a node's compensation reads"
    )
    value_limit: int = Field(0, description="the largest single value the worker's runs can carry (0: not known)")
    value_limit_name: str = ""
    # How a chain of this plan cuts its plan and this schedule in pieces (plan_chain.PLAN_PIECE_*), as the worker that
    # validated it said: a replay reads them here, as the run did, not from constants a later version may change (the
    # pieces' count decides the store calls a hand-over makes). The defaults are what runs recorded before cut by.
    piece_steps: int = Field(10_000, gt=0, description="steps a piece of the plan or its schedule holds at most")
    piece_bytes: int = Field(1_000_000, gt=0, description="bytes of JSON a piece holds at most")
    # Runs recorded before the schedule was compact got the options per node (replay reads them here).
    execution: dict[str, NodeExecution] = Field(default_factory=dict)
    fallback_attempts: dict[str, list[int]] = Field(
        default_factory=dict,
        description="for each node with alternatives, the attempts each alternative's own tool and arguments allow"
        " (none: recorded before, each ran with its node's)",
    )
    compensation_attempts: dict[str, int] = Field(
        default_factory=dict,
        description=f"nodes whose compensation may be sent fewer than {COMPENSATION_ATTEMPTS} times (its tool is not"
        " idempotent, or its arguments may not be resent), and how many",
    )

    def with_reads(self, plan: Plan) -> PlanSchedule:
        """This schedule, with what each node reads worked out from ``plan`` if validation did not say."""
        if self.reads is not None:
            return self
        reads, compensation_reads = references_of(plan)
        return self.model_copy(update={"reads": reads, "compensation_reads": compensation_reads})

    def options(self, index: int, node_id: str, tool: str) -> NodeExecution:
        """The options of the node at ``index`` in plan order."""
        if self.execution:
            return self.execution[node_id]
        return self.profiles[self.profile_of[index]].model_copy(update={"summary": f"{node_id}: {tool}"})

    def fallback_options(self, node_ex: NodeExecution, node_id: str, alternative: int, tool: str) -> NodeExecution:
        """The options of the node's ``alternative`` (0: its first): the node's, as a regular activity (its
        tool's local nature is not in the plan), with the attempts its own tool and arguments allow."""
        update: dict[str, Any] = {"local": False, "summary": f"{node_id}: {tool} (fallback)"}
        attempts = self.fallback_attempts.get(node_id)
        if attempts:  # sent at most so often, the tool's own tries within an attempt too (ToolCall.sends)
            update["retry"] = node_ex.retry.model_copy(update={"max_attempts": attempts[alternative]})
            update["sends"] = min(attempts[alternative], node_ex.sends or attempts[alternative])
        return node_ex.model_copy(update=update)


class PreparedPlan(PlanSchedule):
    plan: Plan
    # Where the plan's check budget ran out (validate says so; only the schedule goes to a run): the first
    # UNCHECKED_SHOWN, and how many in all.
    unchecked: list[str] = Field(default_factory=list)
    unchecked_count: int = 0

    def schedule(self) -> PlanSchedule:
        return PlanSchedule.model_construct(**{name: getattr(self, name) for name in PlanSchedule.model_fields})


# Cancellation reaches an activity only through a heartbeat, so every tool heartbeats; this bounds
# how long a cancelled or orphaned (worker died) step lingers.
DEFAULT_HEARTBEAT_TIMEOUT_S = 5.0


def prepare_plan(plan: Plan, registry: ToolRegistry) -> PreparedPlan:
    """Validate ``plan`` completely against ``registry``; raise PlanValidationError listing every problem."""
    declared = registry  # knows why a tool of an MCP server is missing
    registry = _as_on_a_worker(registry)
    problems: list[str] = []
    ids = [n.id for n in plan.nodes]
    duplicates = sorted(i for i, count in Counter(ids).items() if count > 1)
    problems += [f"node {d!r}: the id is used by more than one node" for d in duplicates]
    if INPUTS in ids:
        problems.append(f"node {INPUTS!r}: the id is reserved for plan inputs")
    if depth_over(plan.inputs):  # resolving arguments relies on it (orchestra/references.py)
        problems.append(f"the plan's inputs are nested deeper than {MAX_DEPTH} levels")
    elif odd := not_json(plan.inputs):
        problems.append(f"the plan's inputs: {odd}")
    problems += _texts_utf8_cannot_carry(plan)
    problems += _unused_concurrency_limits(plan)
    known = set(ids)
    producers = _producers(plan, registry)
    budget = SampleBudget(checked=_check_values(plan))  # shared by the whole plan

    deps: dict[str, list[str]] = {}
    reads: dict[str, list[str]] = {}
    compensation_reads: dict[str, list[str]] = {}
    alike: dict[tuple[str, str], tuple[list[str], bool]] = {}
    for node in plan.nodes:
        problems += _checked_alike(
            alike, budget, f"node {node.id!r}", node.tool, node.args,
            partial(_check_tool_and_args, tool=node.tool, args=node.args, registry=registry, declared=declared,
                    inputs=plan.inputs, producers=producers, budget=budget),
        )  # fmt: skip
        implied, ref_problems = _implied_dependencies(node, known, plan.inputs, producers)
        problems += ref_problems
        # An alternative runs in the node's place, so what it refers to must be done first, as for the node.
        for index, alternative in enumerate(node.alternatives, 1):
            where = f"node {node.id!r} alternative #{index}"
            problems += _check_tool_and_args(
                where, alternative.tool, alternative.args, registry, declared, plan.inputs, producers, budget
            )
            alt_implied, alt_problems = _references(
                where, node.id, iter_references(alternative.args), known, plan.inputs
            )
            implied |= alt_implied
            problems += alt_problems
        if node.compensation:
            # The undo runs after the run, when every node has ended; it may read its own node's output.
            where = f"node {node.id!r} compensation"
            compensation = node.compensation
            problems += _check_tool_and_args(
                where, compensation.tool, compensation.args, registry, declared, plan.inputs,
                _AfterTheRun(producers, node.id), budget,
            )  # fmt: skip
            refs = iter_references(compensation.args)
            undo_reads, undo_problems = _references(where, None, refs, known, plan.inputs)
            problems += undo_problems
            if undo_reads:
                compensation_reads[node.id] = sorted(undo_reads)
        for dep in node.depends_on:
            if dep not in known:
                problems.append(f"node {node.id!r}: depends_on names unknown node {dep!r}{did_you_mean(dep, known)}")
            if dep == node.id:
                problems.append(f"node {node.id!r}: depends on itself")
        deps[node.id] = sorted((set(node.depends_on) | implied) & known)
        if implied:
            reads[node.id] = sorted(implied)

    if not problems:
        cycle = dag.find_cycle(deps)
        if cycle:
            problems.append(f"node {cycle[0]!r}: dependency cycle {' -> '.join(cycle)}")
    if problems:
        raise PlanValidationError(problems)

    profiles: dict[str, NodeExecution] = {}  # by their JSON, so equal options are one profile
    index_of: dict[str, int] = {}
    profile_of: list[int] = []
    fallback_attempts: dict[str, list[int]] = {}
    compensation_attempts: dict[str, int] = {}
    by_node: dict[tuple[Any, ...], int] = {}  # nodes with the same tool and overrides are worked out once
    for node in plan.nodes:
        spec = registry.get(node.tool).spec
        key = (
            node.tool,
            node.timeout_s,
            node.heartbeat_timeout_s,
            node.local,
            node.retry and node.retry.model_dump_json(),
            most := _most_attempts(node.tool, node.args, registry, plan.inputs, budget),
        )
        known_index = by_node.get(key)
        if known_index is None:
            try:
                options = _execution(node, spec, most)
            except ValueError as exc:  # the node's retry with its tool's defaults (RetryHints.overridden)
                problems.append(f"node {node.id!r}: retry: {exc} (the tool {node.tool!r} sets what the node does not)")
                continue
            text = options.model_dump_json()
            known_index = by_node[key] = index_of.setdefault(text, len(index_of))
            profiles.setdefault(text, options)
        profile_of.append(known_index)
        if node.alternatives:
            asked = node.retry.max_attempts if node.retry else None
            fallback_attempts[node.id] = [
                _fallback_attempts(a.tool, a.args, asked, registry, plan.inputs, budget) for a in node.alternatives
            ]
        undo = node.compensation
        if undo and (fewer := _compensation_attempts(undo.tool, undo.args, registry, plan.inputs, budget)) is not None:
            compensation_attempts[node.id] = fewer
    if problems:
        raise PlanValidationError(problems)
    return PreparedPlan(
        plan=plan,
        deps=deps,
        phases=dag.topological_phases(deps),
        profiles=list(profiles.values()),
        profile_of=profile_of,
        reads=reads,
        compensation_reads=compensation_reads,
        fallback_attempts=fallback_attempts,
        compensation_attempts=compensation_attempts,
        unchecked=list(itertools.islice(budget.left, UNCHECKED_SHOWN)),
        unchecked_count=len(budget.left),
    )


# What validate names of the places the plan's check budget left to the run: a plan of 100,000 steps may leave
# most of them.
UNCHECKED_SHOWN = 10


def unchecked_note(prepared: PreparedPlan) -> str | None:
    """What validate says of the places the plan's check budget left to the run, or None: all was checked."""
    if not prepared.unchecked_count:
        return None
    more = prepared.unchecked_count - len(prepared.unchecked)
    named = ", ".join(prepared.unchecked) + (f", and {more:,} more" if more > 0 else "")
    return (
        f"the plan is too large to check whole: {prepared.unchecked_count:,} of its calls were checked as written,"
        f" the values of their ${{inputs.…}} and the kinds of the outputs they read left to the run: {named}"
    )


def references_of(plan: Plan) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The nodes each node reads (arguments, alternatives, condition), and each compensation reads, as
    ``prepare_plan`` finds them in a valid plan."""
    known = {n.id for n in plan.nodes}
    reads: dict[str, list[str]] = {}
    compensation_reads: dict[str, list[str]] = {}
    for node in plan.nodes:
        roots = {root for root, _ in iter_references([node.args, *(a.args for a in node.alternatives)])}
        if node.condition:
            roots |= {root for root, _ in conditions.references(node.condition)}
        if found := sorted((roots & known) - {node.id}):
            reads[node.id] = found
        if node.compensation and (undo := sorted({r for r, _ in iter_references(node.compensation.args)} & known)):
            compensation_reads[node.id] = undo
    return reads, compensation_reads


def _as_on_a_worker(registry: ToolRegistry) -> ToolRegistry:
    """The registry plus the tools every worker adds for compensations (delete_file)."""
    missing = [tool for tool in support_tools() if tool.name not in registry]
    return ToolRegistry([*registry, *missing]) if missing else registry


def _texts_utf8_cannot_carry(plan: Plan) -> list[str]:
    """The plan's own texts holding half a surrogate pair (a JSON file's ``\\ud800``): the run could not
    be sent. Arguments and inputs are checked with the rest of what JSON cannot carry (``not_json``); a
    tool's name is checked against the registry."""
    fields = [("field", plan.name, "name"), ("field", plan.description, "description")]
    for node in plan.nodes:
        fields += [(f"node {node.id!r} field", node.condition, "condition")]
        fields += [(f"node {node.id!r} field", node.description, "description")]
    problems = [
        f"{where} {field!r}: a string with half a surrogate pair ({half}), which no UTF-8 carries"
        for where, text, field in fields
        if text is not None and (half := half_surrogate(text))
    ]
    if odd := not_json(plan.tool_concurrency):
        problems.append(f"field 'tool_concurrency': {odd}")
    return problems


def _unused_concurrency_limits(plan: Plan) -> list[str]:
    """A limit on a tool no step calls limits nothing: a misspelt name (``http`` for ``http_request``)
    left the tool it meant unlimited, and the plan was accepted."""
    used = {n.tool for n in plan.nodes}
    used |= {a.tool for n in plan.nodes for a in n.alternatives}
    used |= {n.compensation.tool for n in plan.nodes if n.compensation}
    return [
        f"tool_concurrency: no step of the plan calls {name!r}{did_you_mean(name, sorted(used))}"
        for name in plan.tool_concurrency
        if name not in used
    ]


_SAID_OF = "\x00"  # where a problem of a step names it, in one kept for every step written alike


def _checked_alike(
    kept: dict[tuple[str, str], tuple[list[str], bool]],
    budget: SampleBudget,
    where: str,
    tool: str,
    args: Any,
    check: Callable[[str], list[str]],
) -> list[str]:
    """The problems ``check`` finds in a step's tool and arguments, checked once for every step written
    alike: the same tool and arguments meet the same inputs and outputs. Each check validates the arguments
    with the inputs' values put in, so 4,000 steps given one input of 40,000 headers took 9 minutes. A check
    that left part of the step to the run (``budget.left``) left it for each step written alike."""
    try:
        key = (tool, json.dumps(args, sort_keys=True))
    except (TypeError, ValueError):
        return check(where)
    if key not in kept:
        found = check(_SAID_OF)
        if not all(problem.startswith(_SAID_OF) for problem in found):
            budget.left.pop(_SAID_OF, None)
            return check(where)  # a problem saying the step's name elsewhere: not kept
        kept[key] = (found, budget.left.pop(_SAID_OF, 0) is None)
    found, left = kept[key]
    if left:
        budget.leave(where)
    return [where + problem.removeprefix(_SAID_OF) for problem in found]


def _check_tool_and_args(
    where: str,
    tool: str,
    args: dict[str, Any],
    registry: ToolRegistry,
    declared: ToolRegistry,
    inputs: dict[str, Any],
    producers: Mapping[str, Producer],
    budget: SampleBudget,
) -> list[str]:
    if tool not in registry:
        reason = declared.missing_reason(tool)
        if reason is not None:
            return [f"{where}: unknown tool {tool!r}: {reason}"]
        names = [t.name for t in registry]
        return [f"{where}: unknown tool {tool!r}{did_you_mean(tool, names)}"]
    spec = registry.get(tool).spec
    if depth_over(args):
        return [f"{where}: the arguments are nested deeper than {MAX_DEPTH} levels"]
    if odd := not_json(args):
        return [f"{where}: argument {odd}"]
    if malformed := _secret_namings_unresolvable(args):
        return [f"{where}: {problem}" for problem in malformed]
    misplaced = misplaced_secrets(args, spec.secrets_in())
    if misplaced:
        allowed = ", ".join(spec.secrets_in()) or "none of its arguments"
        return [f"{where}: secrets are not allowed in {', '.join(misplaced)}; {spec.name} takes them in {allowed}"]
    if spec.secrets_placed is not None and (problem := spec.secrets_placed(_with_inputs(args, inputs))):
        return [f"{where}: {problem}"]
    if fields := field_problems(where, args, producers, inputs):
        return fields
    known = _inputs_put_in(args, inputs, budget)
    checked = args if known is None else known
    try:
        spec.input_model.model_validate(checked)
    except ValidationError as exc:
        # A value holding a reference to a step is only known at run time; the activity validates it then.
        # One that is exactly an input's reference is known now: its value is checked, and named (a
        # reference inside an input's value is text the run passes as it is, and is checked as such).
        # The first SHOWN_PROBLEMS are told, the rest counted: 50,000 refused items were 50,000 problems (6 MB).
        kept = (e for e in exc.errors() if not _known_at_run(args, checked, e["loc"]))
        if shown := list(itertools.islice(kept, SHOWN_PROBLEMS)):
            left = sum(1 for _ in kept)
            more = [f"{where}: and {left:,} more problems with the arguments for tool {spec.name!r}"] if left else []
            return [
                f"{where}: argument {_loc(e['loc'])} for tool {spec.name!r}: {said(e, partial(set_size, spec.input_model))}"
                + (f" (the value of {_reached(args, e['loc'])})" if _passes_through_reference(args, e["loc"]) else "")
                for e in shown
            ] + more
    if known is None:  # the plan's checks spent: its output references' kinds are left to the run too
        if next(iter(iter_references(args)), None) is not None:  # else it was all checked as written
            budget.leave(where)
        return []
    return _output_types_unfit(where, spec, args, known, inputs, producers, budget)


def _output_types_unfit(
    where: str,
    spec: ToolSpec,
    args: Any,
    known: Any,
    inputs: dict[str, Any],
    producers: Mapping[str, Producer],
    budget: SampleBudget,
) -> list[str]:
    """A step's output field, referenced whole, of a type its argument never takes: values of that type
    stand in for it, and the argument must refuse each of them. Only refusals of the value's kind count
    (a wrong type, text that reads as no number, a check of the argument's own): its size or its
    content otherwise is known at the run."""
    cut = budget.cut
    samples = by_members(sampled(args, producers, budget, inputs), spec.input_model, budget)
    if budget.cut > cut:
        budget.leave(where)
    refused: dict[Loc, str] | None = None
    # ``known``: the inputs' values put in first (as the step's own check had them, if the plan's checks could
    # still afford it): put in after, they walked every value tried, as large as a schema.
    # What each try validates, counted once a step tries a second value: the first is as the step's own check.
    cost = 0
    for variant in samples.variants(known):
        if budget.tries <= 0 or budget.values < cost:  # the plan's tries spent: what is left is known at the run
            budget.leave(where)
            return []
        budget.tries -= 1
        budget.values -= cost
        found = _kind_refusals(spec, variant, samples.placed, samples.whole)
        # Of a kind with more values than the samples, the same refusal for each: a validator's own that says
        # another thing of another value reads its content. A boolean's two, null, and a closed set's values
        # tried whole are all there are.
        refused = {
            loc: msg
            for loc, msg in (found if refused is None else refused).items()
            if loc in found and (found[loc] == msg or loc in samples.whole or _all_there_are(samples.placed[loc][1]))
        }
        if not refused:
            return []
        cost = cost or values_within(known, budget.values)
    return [
        f"{where}: argument {_loc(loc)} for tool {spec.name!r}: {samples.placed[loc][0][:200]} gives "
        f"{_JSON_KINDS.get(type(samples.placed[loc][1][0]), 'a value')}, and the argument takes none: {msg}"
        for loc, msg in (refused or {}).items()
    ]


def _all_there_are(values: list[Any]) -> bool:
    return all(value is None or isinstance(value, bool) for value in values)


def _kind_refusals(
    spec: ToolSpec, args: Any, placed: dict[Loc, Any], whole: frozenset[Loc] = frozenset()
) -> dict[Loc, str]:
    """Where a sample stands, the first refusal of its kind that validating ``args`` met there (a wrong
    type's message names the type, not the value: the same for each sample of the kind). Where ``whole``
    (the values tried are every one the reference gives: a closed set), a refusal of content counts too."""
    try:
        spec.input_model.model_validate(args)
    except ValidationError as exc:
        found: dict[Loc, str] = {}
        # Where a refusal does not count, the value may be of a kind taken: a union's branch that refuses
        # only its content (``Literal[...] | int`` and "w0": the int's refusal was taken as certain).
        taken: set[Loc] = set()
        for e in exc.errors(include_url=False):
            # Looked up by the error's own prefixes: scanning every placed reference for each error took
            # minutes for an argument list of thousands of references, all refused.
            at = next((e["loc"][:end] for end in range(len(e["loc"]) + 1) if e["loc"][:end] in placed), None)
            if at is None:
                continue
            # A validator's own refusal, or a set's, of a value its schema's type takes reads the value's
            # content; of one it does not (a number where a set of texts goes), the kind.
            if not _refuses_the_kind(e["type"]) or (
                e["type"] in _READS_CONTENT
                and at not in whole
                and schema_takes_the_kind(spec.input_model, at, _reached(args, at)) is not False
            ):
                taken.add(at)
                continue
            found.setdefault(at, said(e, partial(set_size, spec.input_model)))
        return {loc: msg for loc, msg in found.items() if loc not in taken}
    return {}


_READS_CONTENT = ("value_error", "literal_error", "enum", "json_schema")


def _refuses_the_kind(error: str) -> bool:
    """pydantic's refusals of a value for what it is, not how big: a wrong type, text it cannot parse
    (``bool_parsing``), a whole float's place taken by a fraction, or, where the argument's type does not
    take the value's, a validator's own ``ValueError`` (``NUMBER`` refuses every text), a set's, or an MCP
    server's schema check (``json_schema``: its type, its enum, its content alike)."""
    return error.endswith(("_type", "_parsing")) or error in (*_READS_CONTENT, "int_from_float")


_JSON_KINDS = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "a boolean",
    list: "a list",
    dict: "an object",
}


def _loc(loc: tuple[int | str, ...]) -> str:
    return ".".join(map(str, loc)) or "(all)"


def _producers(plan: Plan, registry: ToolRegistry) -> dict[str, Producer]:
    """The output schema each node's result has, by node id; unknown for a node with alternatives."""
    by_tool: dict[str, Producer] = {}
    unknown = Producer(None)
    producers: dict[str, Producer] = {}
    for node in plan.nodes:
        if node.alternatives or node.tool not in registry:
            producers[node.id] = unknown
            continue
        if node.tool not in by_tool:
            by_tool[node.tool] = Producer.of(registry.get(node.tool).spec.output_model)
        # Failed, it lets its dependents run with no output: what they read of it may be passed over.
        producers[node.id] = replace(by_tool[node.tool], certain=False) if node.skip_on_error else by_tool[node.tool]
    return producers


class _AfterTheRun(Mapping[str, Producer]):
    """The producers as an undo meets them: it runs once the run ends, whichever steps ran, so only its
    own node's output is certainly there (``${a.output.x || b.output.y}`` may take ``b``'s)."""

    def __init__(self, producers: dict[str, Producer], own: str) -> None:
        self.producers, self.own = producers, own

    def __getitem__(self, node: str) -> Producer:
        producer = self.producers[node]
        return producer if node == self.own or not producer.certain else replace(producer, certain=False)

    def __iter__(self) -> Iterator[str]:
        return iter(self.producers)

    def __len__(self) -> int:
        return len(self.producers)


def _secret_namings_unresolvable(args: dict[str, Any]) -> list[str]:
    """What names a secret and is not ``${secrets.NAME}`` written whole: a name built from a reference
    (``${secrets.${inputs.name}}``), none, no closing brace, or a secret as one alternative of several.
    The activity resolves only the whole form, so these failed at the call, after the steps before it had
    their effects, or went out as text."""
    problems: list[str] = []
    for text in strings_within([args]):
        for start, end in secret_namings(text):
            if not SECRET_REFERENCE.fullmatch(naming := text[start:end]):
                problems.append(
                    f"{shown(naming)!r} is not a secret reference: write ${{secrets.NAME}}, the name itself in "
                    "the plan (a name built from a reference or an input is known only at the call)"
                )
        for match in REFERENCE.finditer(text):
            options = alternatives(match.group(1))
            if len(options) > 1 and any(root == SECRETS for root, _ in options):
                problems.append(f"{shown(match.group(0))}: a secret cannot be one of alternatives; name it alone")
    return problems


def _with_inputs(value: Any, inputs: dict[str, Any], given: list[Any] | None = None) -> Any:
    """``value`` with every string that is exactly one ``${inputs.…}`` reference replaced by the input's
    value (as the run will); other references, and those of inputs still null, stay. ``value`` is at most
    MAX_DEPTH deep. Each value put in is added to ``given``."""
    if isinstance(value, str):
        whole = REFERENCE.fullmatch(value.strip())
        if whole is None:
            return value
        # The run takes the first alternative there and not null: an input's, given, is taken whatever follows.
        for root, path in alternatives(whole.group(1)):
            if root != INPUTS:
                return value
            try:
                found = lookup({INPUTS: inputs}, root, path)
            except ReferenceError_:
                continue  # an unknown input: reported with the node's references
            if found is not None:  # null: an input still to be given (a planned task's)
                if given is not None:
                    given.append(found)
                return found
        return value
    if isinstance(value, dict):
        return {key: _with_inputs(item, inputs, given) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_inputs(item, inputs, given) for item in value]
    return value


def _check_values(plan: Plan) -> int:
    """The JSON values a plan's checks may validate with the inputs' values put in: a floor, and a share
    for each value the plan holds, so a plan's checks cost at most a multiple of its size."""
    parts = [plan.inputs]
    for node in plan.nodes:
        parts += [node.args, *(a.args for a in node.alternatives)]
        parts += [node.compensation.args] if node.compensation else []
    return PLAN_CHECK_VALUES + PLAN_CHECK_VALUES_EACH * sum(weight(part) for part in parts)


def _inputs_put_in(args: Any, inputs: dict[str, Any], budget: SampleBudget) -> Any | None:
    """``args`` with the inputs' values put in (``_with_inputs``) while the plan's checks may still validate
    that many values; past that, None: the arguments stand as written, each ``${inputs.x}`` left to the run
    as a step's output is (``_known_at_run``; the activity validates the call). Put in for each step, one input of 40,000
    headers given to 4,000 steps that each name their own URL was validated 4,000 times (10 minutes)."""
    given: list[Any] = []
    known = _with_inputs(args, inputs, given)
    # Each input's size counted once: counted again for each step, the count itself was the step's check.
    sizes = budget.sizes
    cost = weight(args) + sum(sizes.get(id(value)) or sizes.setdefault(id(value), weight(value)) for value in given)
    if cost > budget.checked:
        return None
    budget.checked -= cost
    return known


def _known_at_run(args: Any, known: Any, loc: tuple[int | str, ...]) -> bool:
    """Whether the value at ``loc`` holds a reference the run resolves: left as written, not an input's
    value put in its place (which the run passes as it is, references and all)."""
    written = _reached(args, loc)
    return isinstance(written, str) and "${" in written and _reached(known, loc) is written


def _passes_through_reference(args: Any, loc: tuple[int | str, ...]) -> bool:
    current = _reached(args, loc)
    return isinstance(current, str) and "${" in current


def _reached(args: Any, loc: tuple[int | str, ...]) -> Any:
    """The value at ``loc``, or the string met on the way there; None if there is none."""
    current = args
    for part in loc:
        if isinstance(current, str):
            break
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            current = current[part]
        else:
            return None
    return current


def _implied_dependencies(
    node: PlanNode, known: set[str], inputs: dict[str, Any], producers: dict[str, Producer]
) -> tuple[set[str], list[str]]:
    problems: list[str] = []
    roots: list[tuple[str, list[str]]] = list(iter_references(node.args))
    if node.condition:
        try:
            condition_roots = conditions.references(node.condition)
        except conditions.ConditionError as exc:
            problems.append(f"node {node.id!r}: {exc}")
        else:
            if any(root == SECRETS for root, _ in condition_roots):
                # A condition is evaluated in the workflow: a secret there would land in the history.
                problems.append(f"node {node.id!r}: conditions cannot read secrets")
            roots += [(root, path) for root, path in condition_roots if root != SECRETS]
            problems += condition_problems(f"node {node.id!r}", node.condition, producers)
    implied, ref_problems = _references(f"node {node.id!r}", node.id, roots, known, inputs)
    return implied, problems + ref_problems


def _references(
    where: str,
    own_id: str | None,
    roots: Iterable[tuple[str, list[str]]],
    known: set[str],
    inputs: dict[str, Any],
) -> tuple[set[str], list[str]]:
    """The nodes ``roots`` refer to, and what is wrong with them; ``own_id``: the node that may not refer
    to itself (None: a compensation, which may)."""
    implied: set[str] = set()
    problems: list[str] = []
    for root, path in roots:
        if root == SECRETS:
            if len(path) != 1:
                problems.append(f"{where}: write a secret as ${{secrets.NAME}}")
        elif root == INPUTS:
            if path and path[0] not in inputs:
                problems.append(f"{where}: references unknown input {path[0]!r}{did_you_mean(path[0], inputs)}")
        elif root not in known:
            problems.append(f"{where}: references unknown node {root!r}{did_you_mean(root, known)}")
        elif path and path[0] not in NODE_FIELDS:
            problems.append(f"{where}: reference to {root!r} must start with one of {list(NODE_FIELDS)}")
        elif root == own_id:
            problems.append(f"{where}: references its own output")
        else:
            implied.add(root)
    return implied, problems


def _most_attempts(
    tool: str, args: dict[str, Any], registry: ToolRegistry, inputs: dict[str, Any], budget: SampleBudget
) -> int | None:
    """The attempts this call may have (``ToolSpec.attempts_for``), or None: as many as asked. An input's
    value is known here, as the plan's check reads it: a method given as ``${inputs.verb}`` is that verb, an
    ``Idempotency-Key`` given by an input that is empty is none. Past the plan's budget (``_inputs_put_in``)
    the reference stands, and is not known to allow a resend: fewer attempts, never more sends."""
    attempts_for = registry.get(tool).spec.attempts_for
    if attempts_for is None:
        return None
    known = _inputs_put_in(args, inputs, budget)
    return attempts_for(args if known is None else known)


def _fallback_attempts(
    tool: str,
    args: dict[str, Any],
    asked: int | None,
    registry: ToolRegistry,
    inputs: dict[str, Any],
    budget: SampleBudget,
) -> int:
    """An alternative's attempts: what the plan asked of its node, or its own tool's; never more than its own
    tool's when that tool is not idempotent (an MCP tool that is not has one), nor than its arguments allow (a
    POST without a key has one). With its node's, an alternative that may have taken effect was called again
    after a timeout or a lost worker; with its tool's alone, a GET alternative of a node asking 5 got 3."""
    spec = registry.get(tool).spec
    own = spec.retry.max_attempts
    wanted = asked if asked and spec.idempotent else min(asked or own, own)
    return min(wanted, _most_attempts(tool, args, registry, inputs, budget) or wanted)


def _compensation_attempts(
    tool: str, args: dict[str, Any], registry: ToolRegistry, inputs: dict[str, Any], budget: SampleBudget
) -> int | None:
    """Fewer attempts than COMPENSATION_ATTEMPTS for an undo that may not be sent again (its tool is not
    idempotent, or its arguments say so: a refund POSTed without a key), or None: it may have them all."""
    spec = registry.get(tool).spec
    own = COMPENSATION_ATTEMPTS if spec.idempotent else spec.retry.max_attempts
    most = min(own, _most_attempts(tool, args, registry, inputs, budget) or own)
    return most if most < COMPENSATION_ATTEMPTS else None


def _execution(node: PlanNode, spec: ToolSpec, most: int | None) -> NodeExecution:
    """The node's options without its summary (``PlanSchedule.options`` adds it), so equal ones are one profile."""
    overrides = node.retry.model_dump(exclude_none=True) if node.retry else {}
    retry = spec.retry.overridden(overrides)
    # The calls' own limit over the node's: a plan asking 3 attempts of a POST without a key still gets one.
    if most is not None and most < retry.max_attempts:
        retry = retry.model_copy(update={"max_attempts": most})
    timeout_s = node.timeout_s or spec.timeout_s
    return NodeExecution(
        timeout_s=timeout_s,
        heartbeat_timeout_s=node.heartbeat_timeout_s or spec.heartbeat_timeout_s or DEFAULT_HEARTBEAT_TIMEOUT_S,
        retry=retry,
        local=runs_locally(spec.local if node.local is None else node.local, timeout_s),
        summary="",
        sends=node.retry.max_attempts if node.retry else None,
    )
