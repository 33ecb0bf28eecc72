"""ExecutionPlanner: selections + analysis -> the Plan that OrchestrationWorkflow runs (the same model a
plan file gives), with phases, a resource allocation and the fault-tolerance plan.

Pure code: the build_plan activity and the CLI's offline `plan` call it; the result is validated by
prepare_plan, the same check a plan file goes through.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from itertools import pairwise

from orchestra import dag
from orchestra.analysis.converters import OUTPUT_WORDS, listed
from orchestra.analysis.data import fits, types_of
from orchestra.analysis.finish import widths
from orchestra.analysis.models import DataItem, TaskAnalysis, TaskStep
from orchestra.analysis.words import said_together, words
from orchestra.errors import PlanValidationError
from orchestra.health import CircuitBreakerSettings, HealthSnapshot
from orchestra.plan import CircuitBreakerConfig, Compensation, Fallback, Plan, PlanNode, RetryOverride
from orchestra.planning.binding import Binding, Upstream, bind, sought
from orchestra.planning.deleted import lost_last
from orchestra.planning.language_unbound import languages_unbound
from orchestra.planning.left_out import warnings_for
from orchestra.planning.literals import holds_reference
from orchestra.planning.models import (
    ExecutionPhase,
    ExecutionPlan,
    FaultTolerancePlan,
    NodeStrategy,
    PhaseStrategy,
    ResourceAllocation,
)
from orchestra.planning.secrets_to_a_host import held_for_a_host
from orchestra.planning.unasked_effects import without_unasked
from orchestra.registry import ToolRegistry
from orchestra.selection.models import Preferences, ToolSelection
from orchestra.tool_spec import ToolSpec
from orchestra.validation import prepare_plan

DEFAULT_MAX_PARALLEL = 16
PAID_TOOL_CONCURRENCY = 4  # a tool that costs money is usually rate-limited too
TIMEOUT_FACTOR = 1.5  # the seed's global timeout: 1.5 x the estimate ...
MIN_GLOBAL_TIMEOUT_S = 60.0  # ... but never so short that a cold worker or a first retry trips it
LOCAL_SECONDS = 0.05
REMOTE_SECONDS = 1.0  # a call's duration before any history exists
SAID_LIMIT = 200  # characters of a fanned-out call's description before its own item

RETRY_BY_RISK = {
    # A call that changes the world and cannot be repeated safely is tried once; its fallback or
    # the compensation handles the failure.
    "high": RetryOverride(max_attempts=1),
    # Network and paid services: transient failures are common, back off.
    "medium": RetryOverride(max_attempts=4, initial_interval_s=1.0, backoff=2.0, max_interval_s=30.0),
    # Pure, local computation: a retry rarely helps, one is enough to ride out a worker restart.
    "low": RetryOverride(max_attempts=2, initial_interval_s=0.5, backoff=2.0, max_interval_s=5.0),
}


def compensation_for(node_id: str, spec: ToolSpec, args: dict[str, object]) -> Compensation | None:
    """The undo of a side-effecting call, where one is known."""
    if spec.name == "write_file" and args.get("mode", "overwrite") == "overwrite":
        # Only if the file is still what this write made: a file it made goes, one that was there before (the
        # user's) gets back what the write replaced (kept by the write because this undo reads its `previous`).
        output = f"${{{node_id}.output"
        return Compensation(
            tool="delete_file",
            args={
                "path": f"{output}.path}}",
                "only_if_sha256": f"{output}.sha256}}",
                "only_if_created": f"{output}.created}}",
                "previous": f"{output}.previous}}",
            },
        )
    return None


def risk_of(spec: ToolSpec, step: TaskStep) -> str:
    if spec.side_effects and not spec.idempotent:
        return "high"
    if spec.side_effects or spec.cost > 0 or not spec.local or any(d.kind == "url" for d in step.data):
        return "medium" if not spec.local else "low"
    return "low"


def estimate_seconds(spec: ToolSpec, step: TaskStep, history: HealthSnapshot | None) -> float:
    stats = history.tools.get(spec.name) if history else None
    median = stats.median_latency_ms() if stats else None
    if median is not None:
        return median / 1000
    if spec.local:
        return LOCAL_SECONDS
    return REMOTE_SECONDS


def build_plan(
    analysis: TaskAnalysis,
    selections: list[ToolSelection],
    registry: ToolRegistry,
    preferences: Preferences | None = None,
    history: HealthSnapshot | None = None,
    now: datetime | None = None,
) -> ExecutionPlan:
    preferences = preferences or Preferences()
    now = now or datetime.now(UTC)
    # a tool that deletes, writes, sends or runs serves only a clause saying so, whatever found it
    selections = without_unasked(selections, analysis.steps, registry, analysis.task)
    # a secret-looking file given to a tool calling a host is sent there: asked, as a send of it is
    analysis = analysis.model_copy(update={"steps": held_for_a_host(analysis.steps, selections, registry)})
    by_step = {s.step: s for s in selections}
    # A sub-goal no tool serves does not sink the others: the plan holds the rest, and says what is
    # missing. A step that needed its output gets a plan input in its place (see _upstream).
    missing = [f"step {s.step!r} ({_action(analysis, s.step)}): {s.reason}" for s in selections if s.selected is None]
    ok = {s.step for s in selections if s.selected is not None}
    served = [
        s.model_copy(
            update={"depends_on": [d for d in s.depends_on if d in ok], "produces": _makes(s, by_step, registry)}
        )
        for s in analysis.steps
        if s.id in ok
    ]
    if not served:
        return ExecutionPlan(plan=None, problems=missing, missing=missing)
    steps = {s.id: s for s in served}
    width = widths(served)
    order = dag.topological_order({s.id: s.depends_on for s in served})
    position = {s.id: i for i, s in enumerate(served)}
    depth = _depths(steps)
    order.sort(key=lambda sid: (depth[sid], position[sid]))
    node_ids: dict[str, list[str]] = {}
    nodes: list[PlanNode] = []
    tools_of: dict[str, str] = {}  # node id -> tool
    strategies: dict[str, NodeStrategy] = {}
    duration: dict[str, float] = {}
    missing_inputs: list[str] = []
    inputs: dict[str, object] = {}
    # A plan input is named after its tool and parameter; where one tool serves several steps, after the
    # step: "a picture of a cat, then one of a dog" with nothing to fill the prompts asks for two.
    uses = Counter(chosen.tool for s in served if (chosen := by_step[s.id].selected) is not None)
    placed: dict[str, int] = {}  # node id -> its place in nodes
    taken = set(steps)  # node ids given or held by a step: a call of a step that fans out takes none of them
    unfit_of: dict[str, dict[str, tuple[str, str]]] = {}  # per step, values its typed inputs' types do not read
    for step_id in order:
        step, selection = steps[step_id], by_step[step_id]
        assert selection.selected is not None
        spec = registry.get(selection.selected.tool).spec
        items = _items(step, width[step_id])
        every = _upstream(step, 0, 1, steps, node_ids, tools_of, registry, position)  # each result it may take
        picked = _picked(step, every)
        each = (
            [picked]
            if picked
            else (_one_call_each(step, spec, every) if len(items) == 1 else [])
            or _against_the_first(step, spec, every, items)
        )
        items = [items[0]] * len(each) if each else items
        apart = None if picked else _said_apart(step, spec, every) or _quotes_against_the_first(step, spec, every)
        items, each = apart if apart and not each else (items, each)
        gaps = _gaps(step, served[position[step_id] - 1 : position[step_id]], node_ids) if len(items) == 1 else []
        items = [items[0]] * len(gaps) if gaps else items
        node_ids[step_id] = [step_id] if len(items) == 1 else _call_ids(step_id, len(items), taken)
        taken.update(node_ids[step_id])
        # A call of a step that fans out is given its own item, and none of the others: each call was
        # offered every item before, so a thousand files took a million look-ups
        shared = _without(step, items) if len(items) > 1 and (apart or not each) else step
        if len(items) > 1 and (places := [n for n in shared.params if OUTPUT_WORDS.intersection(words(n))]):
            # one place named for several calls of a tool writing its result itself ("resize photo.jpg and a.jpg
            # to small.jpg"): each call wrote over the one before; where each goes is asked for, per call
            shared = shared.model_copy(update={"params": {k: v for k, v in shared.params.items() if k not in places}})
        said = _said_before_items(step.action, items) if len(items) > 1 else step.action
        # the results the step's calls take, once: gathered per call, a thousand calls read a million
        taken_by_calls = {u.node_id for group in each for u in group}
        for index, (node_id, item) in enumerate(zip(node_ids[step_id], items, strict=True)):
            ups = (
                each[index]
                if each
                else _upstream(step, index, len(items), steps, node_ids, tools_of, registry, position)
            )
            binding = _named_first(
                spec,
                step,
                bind(spec, shared, item, ups, collect=step.aggregate or len(ups) > 1, whole=step),
                ups,
                steps,
            )
            unfit_of.setdefault(step_id, {}).update(binding.unfit)
            owner = step_id if uses[spec.name] > 1 else spec.name
            args = _with_inputs(binding, owner, missing_inputs, inputs, node_id if len(items) > 1 else owner)
            fallbacks = []
            for alt in selection.alternatives:
                alt_spec = registry.get(alt.tool).spec
                if not _interchangeable(spec, alt_spec):
                    continue
                alt_binding = bind(alt_spec, shared, item, ups, collect=step.aggregate or len(ups) > 1, whole=step)
                if not alt_binding.missing_inputs:
                    fallbacks.append(Fallback(tool=alt.tool, args=alt_binding.args))
            risk = risk_of(spec, step)
            compensation = compensation_for(node_id, spec, args) if spec.side_effects else None
            data_refs = {u.node_id for u in ups} | taken_by_calls
            ordering = [
                n for dep in step.depends_on for n in _nodes_of(dep, index, len(items), steps, node_ids)
                if n not in data_refs
            ] if not gaps else [gaps[index][0]] if gaps[index][0] else []  # fmt: skip
            placed[node_id] = len(nodes)
            nodes.append(
                PlanNode(
                    id=node_id,
                    tool=spec.name,
                    args=args,
                    depends_on=sorted(set(ordering)),
                    retry=RETRY_BY_RISK[risk],
                    description=said + (f" [{item.value}]" if item is not None and len(items) > 1 else ""),
                    alternatives=fallbacks,
                    compensation=compensation,
                )
            )
            tools_of[node_id] = spec.name
            strategies[node_id] = NodeStrategy(
                node=node_id,
                tool=spec.name,
                risk=risk,
                retry=RETRY_BY_RISK[risk],
                fallbacks=[f.tool for f in fallbacks],
                compensation=compensation.tool if compensation else None,
            )
            duration[node_id] = estimate_seconds(spec, step, history)
            if gaps and gaps[index][1]:  # the call of the work paused that comes after waits for this pause
                after = placed[gaps[index][1]]
                nodes[after] = nodes[after].model_copy(
                    update={"depends_on": sorted({*nodes[after].depends_on, node_id})}
                )

    nodes = lost_last(nodes)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", analysis.task.lower()).strip("-") or "task"  # whole (the index cuts it)
    plan = Plan(name=name, description=analysis.task, inputs=inputs, nodes=nodes)
    try:
        prepared = prepare_plan(plan, registry)
    except PlanValidationError as exc:
        return ExecutionPlan(plan=None, problems=exc.problems + missing, missing=missing)

    allocation = _allocate(prepared.phases, nodes, registry, preferences)
    critical, path = dag.critical_path(prepared.deps, duration)
    total = sum(duration.values())
    estimate = max(critical, total / allocation.max_parallel)
    timeout = max(TIMEOUT_FACTOR * estimate, MIN_GLOBAL_TIMEOUT_S)
    by_id = {n.id: n for n in nodes}
    warnings = warnings_for(served, {s: [by_id[n] for n in ids] for s, ids in node_ids.items()}, unfit_of)
    # "Translate hello.txt to French" by a translator taking no language: French goes to no call
    warnings += languages_unbound(served, {s.id: tools_of[node_ids[s.id][0]] for s in served}, registry)
    warnings += [
        f"step {s.id!r} ({s.action[:80]!r}) is said under a condition ({s.condition[:80]!r}) no call checks: what it "
        "is given is asked for, rather than done whatever holds; say the work without it, or check first"
        for s in served
        if s.condition and (s.side_effects or registry.get(tools_of[node_ids[s.id][0]]).spec.side_effects)
    ]
    if preferences.time_budget_s is not None:
        if estimate > preferences.time_budget_s:
            warnings.append(f"the estimate ({estimate:.1f} s) exceeds the time budget ({preferences.time_budget_s} s)")
        timeout = preferences.time_budget_s
    breaker = CircuitBreakerSettings()
    in_run = CircuitBreakerConfig()
    plan = plan.model_copy(
        update={
            "max_parallel": allocation.max_parallel,
            "tool_concurrency": allocation.tool_concurrency,
            "timeout_s": round(timeout, 3),
            "compensate_on_failure": any(n.compensation for n in nodes),
            "circuit_breaker": in_run,
        }
    )
    phases, starts = [], 0.0
    for i, phase in enumerate(prepared.phases):
        length = max(duration[n] for n in phase)
        phases.append(
            ExecutionPhase(
                phase_id=f"phase_{i}",
                nodes=phase,
                parallel_execution=len(phase) > 1,
                estimated_start_s=round(starts, 3),
                estimated_duration_s=round(length, 3),
            )
        )
        starts += length
    return ExecutionPlan(
        plan=plan,
        calls={step: len(ids) for step, ids in node_ids.items()},
        at_once=_at_once(node_ids, prepared.phases),
        phases=phases,
        critical_path=path,
        estimated_duration_s=round(estimate, 3),
        resource_allocation=allocation,
        fault_tolerance=_fault_tolerance(phases, strategies, timeout, breaker, in_run),
        missing_inputs=missing_inputs,
        missing=missing,
        warnings=warnings,
    )


def _at_once(node_ids: dict[str, list[str]], phases: list[list[str]]) -> dict[str, int]:
    """Per step, the most of its calls one phase holds: how many run at once ("download A and B, waiting
    between them": two calls, one at a time)."""
    step_of = {node: step for step, ids in node_ids.items() for node in ids}
    in_phase = Counter((step_of[n], i) for i, phase in enumerate(phases) for n in phase)
    most: dict[str, int] = {}
    for (step, _), n in in_phase.items():
        most[step] = max(most.get(step, 0), n)
    return most


def _makes(step: TaskStep, by_step: dict[str, ToolSelection], registry: ToolRegistry) -> list[str]:
    """What a step makes: what the analysis said, else what the tool chosen for it makes. A step the analysis
    found no tool for ("run 'ls -la'") and the selector served gives its result to the step that takes it
    ("... and save the output to out.txt"), which was only ordered after it and asked for its content."""
    chosen = by_step[step.id].selected
    if step.produces or chosen is None:
        return step.produces
    return list(registry.get(chosen.tool).spec.output_types)


def _interchangeable(spec: ToolSpec, alt: ToolSpec) -> bool:
    """A fallback must take the same kind of data and make what the chosen tool makes."""
    takes = not spec.input_types or bool(set(spec.input_types) & set(alt.input_types))
    makes = set(spec.output_types) <= set(alt.output_types) or (
        bool(set(spec.output_types) & set(alt.output_types)) and spec.side_effects == alt.side_effects
    )
    return takes and makes and spec.side_effects == alt.side_effects


def _said_before_items(action: str, items: list[DataItem | None]) -> str:
    """What a call of a step that fans out says of its work: the words before its items. The whole clause
    named every item in every call, so a download of 400 URLs wrote 3.6 MB of plan (quadratic)."""
    first = next((item.value for item in items if item is not None), "")
    # a JSON value's text may be written otherwise in the clause: then the clause, cut short
    cut = action.find(first) if isinstance(first, str) and first else -1
    head = action[:cut].strip() if cut > 0 else action
    return head if len(head) <= SAID_LIMIT else head[: SAID_LIMIT - 1] + "\u2026"


def _action(analysis: TaskAnalysis, step_id: str) -> str:
    return next((s.action for s in analysis.steps if s.id == step_id), step_id)


def _depths(steps: dict[str, TaskStep]) -> dict[str, int]:
    """Per step, how many steps the longest chain before it holds: each step once, without recursion (a
    request chaining thousands of clauses passed Python's recursion limit, and shared ancestors were
    walked again for every path to them)."""
    depth: dict[str, int] = {}
    for start in steps:
        stack, entered = [start], set()
        while stack:
            step_id = stack[-1]
            if step_id in depth:
                stack.pop()
                continue
            before = [d for d in steps[step_id].depends_on if d in steps and d not in depth and d not in entered]
            if before:
                entered.add(step_id)
                stack += before
                continue
            depth[step_id] = 1 + max((depth.get(d, 0) for d in steps[step_id].depends_on if d in steps), default=-1)
            stack.pop()
    return depth


def _items(step: TaskStep, width: int) -> list[DataItem | None]:
    if width <= 1:
        own = [d for d in step.data if fits(d, step.accepts)]
        return [own[0] if own else None]
    own = [d for d in step.data if fits(d, step.accepts) and d.kind in ("url", "path", "command", "json")]
    return list(own) if len(own) == width else [None] * width


def _without(step: TaskStep, items: list[DataItem | None]) -> TaskStep:
    """The step with the items its calls fan out over taken out of its data, and out of its parameters: "read
    a.txt, b.txt and c.txt" has the parameter path a.txt, which the binder prefers to the call's own item, so
    every call read a.txt (and b.txt and c.txt were warned of as given to no call)."""
    fanned = {id(item) for item in items}
    values = {item.value for item in items if item is not None and isinstance(item.value, str)}
    params = {name: value for name, value in step.params.items() if not (isinstance(value, str) and value in values)}
    return step.model_copy(update={"data": [d for d in step.data if id(d) not in fanned], "params": params})


def _nodes_of(
    dep: str, index: int, count: int, steps: dict[str, TaskStep], node_ids: dict[str, list[str]]
) -> list[str]:
    """Which nodes of step ``dep`` node ``index`` (of ``count``) waits for: its own item's, or all."""
    ids = node_ids[dep]
    if len(ids) > 1 and count == len(ids):
        return [ids[index]]
    return ids


def _upstream(
    step: TaskStep,
    index: int,
    count: int,
    steps: dict[str, TaskStep],
    node_ids: dict[str, list[str]],
    tools_of: dict[str, str],
    registry: ToolRegistry,
    position: dict[str, int],
) -> list[Upstream]:
    ups = []
    for dep in step.depends_on:
        if dep in step.only_after or not set(steps[dep].produces) & set(step.accepts):
            continue  # only an ordering
        for node_id in _nodes_of(dep, index, count, steps, node_ids):
            spec = registry.get(tools_of[node_id]).spec
            ups.append(Upstream(node_id=node_id, spec=spec, step=steps[dep], order=position[dep]))
    return ups


def _call_ids(step_id: str, count: int, taken: set[str]) -> list[str]:
    """Ids of the calls of a step that fans out: ``read_1``, ``read_2``..., passing over any another step or
    call holds ("... read both aloud" after the step ``read_2`` that reads a file)."""
    ids: list[str] = []
    n = 1
    while len(ids) < count:
        if f"{step_id}_{n}" not in taken:
            ids.append(f"{step_id}_{n}")
        n += 1
    return ids


# "the first translation", "the last one": which of the calls before the step takes ("the first two" is no one)
_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "fifth": 4, "last": -1}
_PICKED = re.compile(rf"\bthe\s+({'|'.join(_ORDINALS)})\b(?!\s+(?:two|three|four|five|few|several|\d))", re.IGNORECASE)
_EVERY_ONE = frozenset({"each", "every", "both", "all"})


def _picked(step: TaskStep, ups: list[Upstream]) -> list[Upstream] | None:
    """The one call before a step its words pick by its place ("translate 'a' and 'b', then read aloud the first
    translation"): each call's result was read aloud, the second's too, which the user did not give it."""
    if len(ups) < 2 or step.aggregate or step.side_effects or len({u.step.id for u in ups}) != 1:
        return None
    match = _PICKED.search(step.action)
    if match is None or _EVERY_ONE.intersection(words(step.action)):
        return None
    place = _ORDINALS[match.group(1).lower()]
    return [ups[place]] if place < len(ups) else None


def _one_call_each(step: TaskStep, spec: ToolSpec, ups: list[Upstream]) -> list[list[Upstream]]:
    """Several results given to a tool that takes one thing of their kind, per call, and is no sink: one
    call per result, in the request's order. "Transcribe talk.wav and summarize it, then translate the
    summary and the transcript" translated the two run together as one text; a sink ("save them") and a
    tool taking a list or several of the kind still collect them in one call."""
    if len(ups) < 2 or step.aggregate or step.side_effects or "json" in spec.input_types:
        return []
    if said_together(step.action):
        return []  # "summarize the transcript and the caption together": one call given both
    kinds = {kind for u in ups for kind in u.step.produces if kind in step.accepts}
    if len(kinds) != 1 or spec.input_types.count(next(iter(kinds))) != 1:
        return []
    (kind,) = kinds
    if any(kind in types_of(d) for d in step.data):
        return []  # the step's own data of the kind is the one thing it takes; the results come with it
    return [[u] for u in sorted(ups, key=lambda u: u.order)]


def _gaps(step: TaskStep, before: list[TaskStep], node_ids: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Where a step that takes nothing pauses the calls of the step before, one pair per pause: the call it
    waits for and the call that waits for it ("" for none). "Download A and B and wait 30 seconds between
    the downloads" is one download, the wait, then the other; one wait after both calls made at once left
    no gap between them. "After each" waits after every call, "before each" before every call, one call at
    a time (one wait after both, or no plan, before). ``before``: the step asked for just before it, what it
    goes around when it was not ordered after any ("..., waiting 5 seconds between each download")."""
    said = words(step.action)
    where = next((w for w in ("between", "before", "after") if w in said), "")
    if step.accepts or not where or len(step.depends_on) > 1:
        return []
    if where != "between" and not {"each", "every"} & set(said):
        return []  # "wait 5 seconds after the downloads": one pause after them all
    calls = node_ids.get((step.depends_on or [s.id for s in before] or [""])[0], [])
    if len(calls) < (2 if where == "between" else 1):
        return []  # one call still has its pause before or after it ("before each download of A"); none between
    return list(pairwise(calls if where == "between" else [*calls, ""] if where == "after" else ["", *calls]))


def _said_apart(
    step: TaskStep, spec: ToolSpec, ups: list[Upstream]
) -> tuple[list[DataItem | None], list[list[Upstream]]] | None:
    """Texts the request quotes, and results of their kind, given together to a tool taking one such thing
    per call: one call per text, then one per result ("translate 'hello' and a0.txt and b.txt": 'hello', and
    each file as read, three calls; every call translated 'hello' and the files' texts went nowhere). Two
    quotes alone are not split: "translate 'hello' into the same language as 'bonjour'" translates one."""
    if step.aggregate or step.side_effects or said_together(step.action):
        return None
    for kind in dict.fromkeys(spec.input_types):
        # "search the page for 'error'": the quote is what the call looks for, no text of its own to work on
        said = [d for d in step.data if d.kind == "text" and kind in types_of(d) and not sought(step, d)]
        made = [u for u in ups if kind in u.step.produces and kind in step.accepts]
        if spec.input_types.count(kind) != 1:
            continue
        if (said and made) or listed(step.action, [str(d.value) for d in said]):
            # quotes listed ("translate 'good morning' and 'good night'") are a call each: the first was
            # translated, the others warned of as given to no call; the steps after them take each call's result.
            # What the tool takes of its other kinds goes to every call: "make an image of the translation, then
            # answer 'What is in it?' about the image" asked for the image in both calls
            rest = [u for u in ups if u not in made and set(u.step.produces) & set(step.accepts) - {kind}]
            return [*said, *[None] * len(made)], [*(rest for _ in said), *([*rest, u] for u in made)]
    return None


def _quotes_against_the_first(
    step: TaskStep, spec: ToolSpec, ups: list[Upstream]
) -> tuple[list[DataItem | None], list[list[Upstream]]] | None:
    """Quoted texts, more than a tool comparing two things takes beside the first thing named, each compared
    with that first thing: "compare a.txt with 'hello' and 'goodbye'" is a with hello and a with goodbye (the
    two quotes filled both inputs, a.txt was left out and 'goodbye' warned of); "compare 'hello' with
    'goodbye' and a.txt" is hello with goodbye and hello with a. One quote with results is
    ``_against_the_first``'s (the quote first); two quotes alone are one call. A result that names nothing
    the clause says ("it", "the summary") counts as named first."""
    if step.aggregate or step.side_effects or said_together(step.action):
        return None
    kinds = [kind for kind, n in Counter(spec.input_types).items() if n == 2 and kind in step.accepts]
    if len(kinds) != 1 or len(spec.input_types) != 2:
        return None
    (kind,) = kinds
    said = [d for d in step.data if d.kind == "text" and kind in types_of(d)]
    made = [u for u in ups if kind in u.step.produces]
    if len(said) < 2 or len(said) + len(made) <= 2:
        return None
    result_first = _result_first(step.action, str(said[0].value), made)
    if result_first:
        if len(made) > 1:
            return None  # "compare a.txt and b.txt with 'x' and 'y'": which with which is not said
        return list(said), [made[:] for _ in said]
    return [*said[1:], *[None] * len(made)], [*([] for _ in said[1:]), *([u] for u in made)]


def _result_first(action: str, quote: str, made: list[Upstream]) -> bool:
    """Whether the clause names a result before its first quote: by the first item of the result's step ("a.txt"
    of its reader), looked for only before the quote (each step once: a clause of a thousand files costs
    what it says before the quote, per step); a result that names nothing the clause says ("it", "the
    summary") is named first."""
    before = action.find(quote)
    for maker in {id(u.step): u.step for u in made}.values():
        if not maker.data or action.find(str(maker.data[0].value), 0, max(before, 0)) >= 0:
            return True
    return False


def _against_the_first(
    step: TaskStep, spec: ToolSpec, ups: list[Upstream], items: list[DataItem | None]
) -> list[list[Upstream]]:
    """More results of one kind than a tool comparing several of them takes in one call: each of the others
    with the first ("compare a.txt, b.txt and c.txt": a with b, a with c), not one call per result each
    asking for the other text. The first is what the others are measured against, as the user named it first;
    a text the request quotes is first ("compare 'hello' with a.txt and b.txt" compared a with b and dropped
    'hello'), and so is a result the step takes without fanning out ("compare the summary with b.txt and c.txt"
    ran b and c together as one text)."""
    if step.aggregate or step.side_effects or "json" in spec.input_types:
        return []
    kinds = {kind for u in ups for kind in u.step.produces if kind in step.accepts}
    if len(kinds) != 1:
        return []
    (kind,) = kinds
    said = [d for d in step.data if d.kind == "text" and kind in types_of(d)]
    if any(item is not None and item not in said for item in items) or len(items) not in (1, len(ups)):
        return []
    slots = spec.input_types.count(kind)
    held = slots - 1 - len(said)  # results that join the quotes in every call
    if slots < 2 or held < 0 or len(ups) <= held + 1:
        return []
    return [[*ups[:held], u] for u in ups[held:]]


def _named_first(
    spec: ToolSpec, step: TaskStep, binding: Binding, ups: list[Upstream], steps: dict[str, TaskStep]
) -> Binding:
    """A tool comparing two things of one kind is given them in the order the clause names them: "compare
    'hello' with notes.txt" is hello with the notes, not the notes (the result, which the binder gives first)
    with hello. Only where the result's own data is named after the quote; "compare it with 'hello'" stays.
    The result's data is looked for back along its chain: in "with the summary of notes.txt" the file moved
    from the summarizer to the reader added before it."""
    if len(spec.input_types) != 2 or spec.input_types[0] != spec.input_types[1] or len(ups) != 1:
        return binding  # one quote and one result: more are _against_the_first's, each call its own pair
    first, second = [info.alias or name for name, info in spec.input_model.model_fields.items()][:2]
    quote, result = binding.args.get(second), binding.args.get(first)
    quotes = {str(d.value) for d in step.data if d.kind == "text"}
    if not (isinstance(quote, str) and quote in quotes and holds_reference(result)):
        return binding
    at = step.action.find(quote)
    (up,) = ups
    named = _data_behind(up.step, steps)
    if at < 0 or not named or step.action.find(named, at + len(quote)) < 0:
        return binding
    binding.args = {**binding.args, first: quote, second: result}
    return binding


def _data_behind(step: TaskStep, steps: dict[str, TaskStep]) -> str | None:
    """The first datum a result is made of: its step's own, else the one its first input's chain holds."""
    seen: set[str] = set()
    while not step.data:
        feeding = [d for d in step.depends_on if d not in step.only_after and d in steps and d not in seen]
        if not feeding:
            return None
        seen.add(feeding[0])
        step = steps[feeding[0]]
    return str(step.data[0].value)


def _with_inputs(
    binding: Binding, owner: str, missing: list[str], inputs: dict[str, object], call: str
) -> dict[str, object]:
    """``call`` names the inputs standing for the call's own item; ``owner`` the others, shared by its calls."""
    args = dict(binding.args)
    for arg in binding.missing_inputs:
        # Where a call writes its result is its own: shared, "resize photo.jpg and a.jpg" wrote both to one place
        own = arg in binding.own_inputs or bool(OUTPUT_WORDS.intersection(words(arg)))
        # A reference's path splits at dots: an MCP tool (time.get_current_time) gives time_get_current_time_...
        name = re.sub(r"[^A-Za-z0-9_]", "_", f"{call if own else owner}_{arg}")
        args[arg] = f"${{inputs.{name}}}"
        inputs.setdefault(name, None)
        if name not in missing:
            missing.append(name)
    return args


def _allocate(
    phases: list[list[str]], nodes: list[PlanNode], registry: ToolRegistry, preferences: Preferences
) -> ResourceAllocation:
    peak = max(len(p) for p in phases)
    limit = preferences.max_parallel or DEFAULT_MAX_PARALLEL
    notes = [f"peak width {peak}, max_parallel {min(limit, peak)}"]
    concurrency: dict[str, int] = {}
    for tool in sorted({n.tool for n in nodes}):
        spec = registry.get(tool).spec
        count = sum(1 for n in nodes if n.tool == tool)
        if spec.side_effects and not spec.idempotent and count > 1:
            concurrency[tool] = 1
            notes.append(f"{tool}: one call at a time (side effects, not idempotent)")
        elif spec.cost > 0 and count > PAID_TOOL_CONCURRENCY:
            concurrency[tool] = PAID_TOOL_CONCURRENCY
            notes.append(f"{tool}: at most {PAID_TOOL_CONCURRENCY} calls at once (paid, likely rate-limited)")
    return ResourceAllocation(
        max_parallel=max(1, min(limit, peak)), peak_width=peak, tool_concurrency=concurrency, notes=notes
    )


def _fault_tolerance(
    phases: list[ExecutionPhase],
    strategies: dict[str, NodeStrategy],
    timeout: float,
    breaker: CircuitBreakerSettings,
    in_run: CircuitBreakerConfig,
) -> FaultTolerancePlan:
    out: list[PhaseStrategy] = []
    compensable: list[str] = []
    for phase in phases:
        compensable += [f"{n}: {strategies[n].compensation}" for n in phase.nodes if strategies[n].compensation]
        out.append(
            PhaseStrategy(
                phase_id=phase.phase_id,
                node_strategies=[strategies[n] for n in phase.nodes],
                rollback_plan=list(reversed(compensable)),
            )
        )
    return FaultTolerancePlan(
        phase_strategies=out,
        global_timeout_s=round(timeout, 3),
        circuit_breaker=breaker,
        in_run_failures_to_open=in_run.failures_to_open,
    )
