"""From a list of steps to the full TaskAnalysis: shared by the heuristic and the llm backends.

Complexity, duration, dependencies, parallel segments, resources and risks are computed here from
the steps and the registry, so both backends answer the same questions the same way.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from orchestra import dag
from orchestra.analysis.data import file_named
from orchestra.analysis.models import (
    DataItem,
    Dependency,
    DependencyKind,
    ParallelSegment,
    ResourceRequirements,
    TaskAnalysis,
    TaskAnalysisError,
    TaskComplexity,
    TaskStep,
)
from orchestra.commands import argv_of
from orchestra.lazy_regex import lazy_compile
from orchestra.planning.deleted import DELETING, deletes_the_file
from orchestra.registry import ToolRegistry

STEP_SECONDS = 1.0  # a rough duration per step for estimates before any history exists
CONSTRAINT_WORDS = ("within", "at most", "no more than", "budget", "before", "deadline", "only", "must", "under")


def task_id_for(task: str) -> str:
    return "task-" + hashlib.sha256(task.encode()).hexdigest()[:12]


def widths(steps: list[TaskStep]) -> dict[str, int]:
    """How many calls each step makes: its items if it fans out, else one."""
    width: dict[str, int] = {}
    for step in steps:
        if not step.fan_out:
            width[step.id] = 1
            continue
        # a query is the clause's own question, asked of every item, not an item
        own = [d for d in step.data if d.kind in ("url", "path", "command", "text", "json")]
        if len(own) > 1:
            width[step.id] = len(own)
        else:
            width[step.id] = max((width.get(d, 1) for d in step.depends_on), default=1)
    return width


def finish_analysis(
    task: str, backend: str, steps: list[TaskStep], registry: ToolRegistry, notes: list[str]
) -> TaskAnalysis:
    if not steps:
        raise TaskAnalysisError(f"no action found in the task {task!r}: say what to do (download, extract, write...)")
    ids = [s.id for s in steps]
    if len(set(ids)) != len(ids):
        raise TaskAnalysisError(f"step ids must be unique, got {ids}")
    known = set(ids)
    for step in steps:
        unknown = [d for d in step.depends_on if d not in known]
        if unknown:
            raise TaskAnalysisError(f"step {step.id!r} depends on unknown step(s) {unknown}")
    deps = {s.id: list(s.depends_on) for s in steps}
    cycle = dag.find_cycle(deps)
    if cycle:
        raise TaskAnalysisError(f"circular dependency between steps: {' -> '.join(cycle)}")
    if _ordered_on_files(steps, registry):
        deps = {s.id: list(s.depends_on) for s in steps}

    width = widths(steps)
    capabilities = list(dict.fromkeys(s.capability for s in steps))
    served = {s.capability for s in steps if s.candidates or registry.find_by_capability(s.capability)}
    resources = _resources(steps, width)
    dependencies = _dependencies(steps, resources)
    segments = _segments(steps, width)
    risks = _risks(task, steps, capabilities, served, resources)
    duration = dict.fromkeys((s.id for s in steps), STEP_SECONDS)
    estimate, _ = dag.critical_path(deps, duration)
    score = _complexity_score(task, steps, width, capabilities, served, resources)
    return TaskAnalysis(
        task_id=task_id_for(task),
        task=task,
        backend=backend,
        complexity=TaskComplexity.from_score(score),
        complexity_score=round(score, 3),
        estimated_duration_s=round(estimate, 3),
        required_capabilities=capabilities,
        resource_requirements=resources,
        dependencies=dependencies,
        parallelizable_segments=segments,
        risk_factors=risks,
        steps=steps,
        data=[d for s in steps for d in s.data],
        notes=notes,
    )


def _ordered_on_files(steps: list[TaskStep], registry: ToolRegistry) -> bool:
    """A step that changes a file (writes over it, deletes it, runs a command naming it) comes after the steps
    before it that take or change the file, and a step taking a file after one that changes it comes after that
    one, in the order the user said them: "Caption a.jpg and delete a.jpg" ran both at once (the caption could
    find no a.jpg), "Summarize notes.txt and write 'hi' over notes.txt" could summarize 'hi', "Summarize notes.txt
    and run 'rm notes.txt'" could find no notes.txt, "Write 'hi' to notes.txt, then summarize it" read the file
    before the write. A change waits for the steps taking the file since the last change (or for that change),
    which wait for it: the order holds through them, and a long request makes as many edges as it names files.
    Only for order (``only_after``): it takes nothing from them; no edge is added where the step it points at
    already comes after this one (no cycle). A command may change files it never names (a folder, a glob, a
    Makefile's targets: "Summarize notes.txt and run 'rm -rf .'" ran both at once, attack140), so it changes every
    file (``_EVERY_FILE``), which every step taking or changing a file takes. Whether any was added."""
    last: dict[str, str] = {}  # per file, the last step so far that changes it
    since: dict[str, list[str]] = {}  # per file, the steps taking it since that one (or since the first)
    position = {s.id: n for n, s in enumerate(steps)}
    # an edge points back only, so no cycle can be made, unless a step already comes after one listed later
    forward = any(position.get(d, -1) > position[s.id] for s in steps for d in s.depends_on)
    after = {s.id: set(s.depends_on) for s in steps}
    added = False
    # work taken back for other work said to come first ("Delete @p0. No wait, summarize it first") comes after it:
    # the read waited for the delete, whose path is asked (plan181)
    ordered = sorted(steps, key=_taken_back_for_first)
    forward = forward or ordered != steps
    for step in ordered:
        takes, changes = _files_of(step, registry)
        if takes or changes:
            takes = {*takes, _EVERY_FILE}
        earlier: list[str] = []
        for f in takes | changes:
            taken = since.get(f, [])
            earlier += taken if f in changes and taken else [last[f]] if f in last else []
            if f in changes:
                last[f], since[f] = step.id, []
            else:
                since.setdefault(f, []).append(step.id)
        before = [
            s
            for s in dict.fromkeys(earlier)
            if s != step.id and s not in step.depends_on and not (forward and _comes_after(s, step.id, after))
        ]
        if before:
            step.depends_on = [*step.depends_on, *before]
            step.only_after = list(dict.fromkeys([*step.only_after, *before]))
            after[step.id].update(before)
            added = True
    return added


_FIRST = lazy_compile(r"\b(?:first|firstly|before|beforehand)\b", re.IGNORECASE)


def _taken_back_for_first(step: TaskStep) -> bool:
    """Whether ``step`` was taken back by a sentence saying other work comes first (its condition says so), or is a
    delete taken back: its path is asked, so what the other work takes is taken before anything may go ("Delete
    notes.txt. No wait, summarize it too": the read waited for the delete, and a user answering notes.txt lost what
    the read was to take, plan189)."""
    if not step.condition.startswith("taken back:"):
        return False
    return _FIRST.search(step.condition) is not None or says_a_delete(step)


# What a command changes when the files it names are not all it may change: no path is ever this.
_EVERY_FILE = "\0every file"


def _files_of(step: TaskStep, registry: ToolRegistry) -> tuple[set[str], set[str]]:
    """The files ``step`` takes and those it may change (``file_named``): its paths, written over by a tool with
    side effects or deleted by its words; the files its command names, which the command may change ("sort -o
    notes.txt notes.txt", "rm notes.txt")."""
    paths = {str(d.value): file_named(d.value) for d in step.data if d.kind == "path"}
    commands = [str(d.value) for d in step.data if d.kind == "command"]
    named = {file_named(a) for command in commands for a in argv_of(command)[1:]}
    entry = registry.get(step.candidates[0]) if step.candidates and step.candidates[0] in registry else None
    if entry is not None and entry.spec.side_effects:
        every = {_EVERY_FILE} if commands else set()
        return set(paths.values()) | named, set(paths.values()) | named | every
    gone = {f for path, f in paths.items() if _deletes(step, path)}
    return set(paths.values()) | named, gone | named


def _comes_after(step: str, other: str, after: dict[str, set[str]]) -> bool:
    """Whether ``step`` already comes after ``other``, through the edges ``after`` holds."""
    seen: set[str] = set()
    stack = [step]
    while stack:
        current = stack.pop()
        if current == other:
            return True
        if current not in seen:
            seen.add(current)
            stack.extend(after.get(current, ()))
    return False


def recounted(analysis: TaskAnalysis, calls: dict[str, int], at_once: dict[str, int]) -> TaskAnalysis:
    """The analysis with each planned step's calls as the plan makes them (per step id: ``calls``, and how
    many of them run at once, ``at_once``): ``widths`` counts a step's items, but the plan compares three
    files in two calls, waits once per gap "between" the calls before (which then run one after another),
    and makes one call per quote with files. Its parallel segments, widths and tool calls then say what the
    plan does; the complexity stays as analysed (a run's search attribute holds it)."""
    counted = widths(analysis.steps)
    # a step no tool serves makes no call and touches nothing: "Read a.txt, then get rid of it" (no tool for
    # "get") listed a.txt as deleted and counted two calls, a plan saying it does what it does not (fix173); with no
    # plan at all, nothing: "rm a.txt" listed a.txt as deleted, "Delete the contents of a.txt" as read (plan181)
    planned = [s for s in analysis.steps if s.id in calls]
    unplanned = len(planned) < len(analysis.steps)
    made = {step: calls[step] for step in counted if step in calls} if unplanned else dict(counted)
    wide = {step: at_once.get(step, calls[step]) for step in made} if unplanned else dict(counted)
    made.update((step, n) for step, n in calls.items() if step in made)
    wide.update((step, n) for step, n in at_once.items() if step in wide)
    if not unplanned and made == counted and wide == counted:
        return analysis
    widest = max(wide.values(), default=1)
    resources = (_resources(planned, made) if unplanned else analysis.resource_requirements).model_copy(
        update={"max_width": widest, "tool_calls": sum(made.values())}
    )
    risks = [r for r in analysis.risk_factors if not r.startswith(FAN_OUT_RISK)] + _fan_out(widest)
    return analysis.model_copy(
        update={
            "resource_requirements": resources,
            "parallelizable_segments": _segments(planned if unplanned else analysis.steps, wide),
            "risk_factors": risks,
        }
    )


def _segments(steps: list[TaskStep], width: dict[str, int]) -> list[ParallelSegment]:
    segments = [
        ParallelSegment(steps=[s.id], width=width[s.id], reason=f"one independent call per item ({width[s.id]})")
        for s in steps
        if width[s.id] > 1
    ]
    deps = {s.id: [d for d in s.depends_on if d in width] for s in steps}
    return segments + [
        ParallelSegment(steps=phase, width=len(phase), reason="independent steps with no dependency between them")
        for phase in dag.topological_phases(deps)
        if len(phase) > 1
    ]


FAN_OUT_RISK = "high_fan_out:"
HIGH_FAN_OUT = 16


def _fan_out(wide: int) -> list[str]:
    return [f"{FAN_OUT_RISK}{wide} parallel calls"] if wide > HIGH_FAN_OUT else []


def _resources(steps: list[TaskStep], width: dict[str, int]) -> ResourceRequirements:
    res = ResourceRequirements(max_width=max(width.values(), default=1), tool_calls=sum(width.values()))
    by_id = {s.id: s for s in steps}
    hosts: dict[str, None] = {}  # in order, each once: a request may name thousands
    for step in steps:
        for item in step.data:
            if item.kind == "url":
                host = urlsplit(str(item.value)).netloc
                if host:
                    hosts[host] = None
            elif item.kind == "command":
                res.commands.append(str(item.value))
        if step.condition and (step.side_effects or says_a_delete(step)):
            # a change said under a condition, or taken back, is asked (binding): the files it names are not what
            # it changes. "Delete a.txt and b.txt. Actually, keep the other one." listed both as deleted, its paths
            # asked (plan189)
            continue
        target = step.params.get("path")
        paths = [str(d.value) for d in step.data if d.kind == "path"]
        # a file deleted is no file read: "Read a.txt, then delete it" listed a.txt as read twice
        named = dict.fromkeys([*([str(target)] if target else []), *paths]) if says_a_delete(step) else {}
        gone = [p for p in named if _deletes(step, p)] or _written_before(step, by_id)
        res.files_deleted += gone
        if target and str(target) not in gone:
            (res.files_written if step.side_effects else res.files_read).append(str(target))
        res.files_read += [p for p in paths if p != target and p not in gone]
    res.network_hosts = list(hosts)
    # each file once: "Read notes.txt, then delete the notes in it" listed notes.txt read twice (plan189)
    res.files_read, res.files_written = list(dict.fromkeys(res.files_read)), list(dict.fromkeys(res.files_written))
    res.files_deleted = list(dict.fromkeys(res.files_deleted))
    return res


def _dependencies(steps: list[TaskStep], res: ResourceRequirements) -> list[Dependency]:
    by_id = {s.id: s for s in steps}
    out: list[Dependency] = []
    for step in steps:
        for dep in step.depends_on:
            upstream = by_id[dep]
            shared = [t for t in upstream.produces if t in step.accepts and dep not in step.only_after]
            if shared:
                out.append(Dependency(kind=DependencyKind.DATA, step=step.id, on=dep, detail=f"{shared[0]} from {dep}"))
            else:
                out.append(Dependency(kind=DependencyKind.ORDERING, step=step.id, on=dep, detail="ordered by the task"))
        for host in dict.fromkeys(urlsplit(str(item.value)).netloc for item in step.data if item.kind == "url"):
            if host:
                out.append(Dependency(kind=DependencyKind.SERVICE, step=step.id, on=host, detail="network service"))
        target = step.params.get("path")
        deleting = says_a_delete(step)
        if target:
            kind = "deletes" if _deletes(step, str(target)) else "writes" if step.side_effects else "reads"
            out.append(Dependency(kind=DependencyKind.RESOURCE, step=step.id, on=f"file:{target}", detail=kind))
        others = [d.value for d in step.data if d.kind == "path" and d.value != target] if deleting else []
        others += [] if target or others else _written_before(step, by_id)
        for path in dict.fromkeys(map(str, others)):
            if _deletes(step, path):  # "Read a.txt, then delete it": a.txt, pointed at, is deleted
                out.append(Dependency(kind=DependencyKind.RESOURCE, step=step.id, on=f"file:{path}", detail="deletes"))
    return out


def _written_before(step: TaskStep, by_id: dict[str, TaskStep]) -> list[str]:
    """The file a delete naming none deletes as the one file the step feeding it writes: "Write 'hi' to a.txt and
    delete it" deletes what the write gives back, a.txt, which the task's list of deletes left out (attack273)."""
    fed = [by_id[d] for d in step.depends_on if d not in step.only_after and d in by_id]
    if step.condition or not says_a_delete(step) or step.params.get("path") or len(fed) != 1 or not fed[0].side_effects:
        return []
    written = fed[0].params.get("path")
    return [str(written)] if written and not any(d.kind == "path" for d in step.data) else []


ADDED = " (added: "  # how a step the analysis added says what it was added for (converters)


def says_a_delete(step: TaskStep) -> bool:
    """Whether ``step``'s own words say a delete, not in a name: "Read delete_everything.txt" and "Copy trash.txt to
    out.txt" listed a file as deleted, the verb read in a name (attack261)."""
    said = said_by(step)
    for name in {str(d.value) for d in step.data if d.kind in ("path", "url")}:
        said = said.replace(name, " ")
    # and the names another step was given ("Copy trash.txt to out.txt": trash.txt is the read's added before it)
    return DELETING.search(_A_NAME.sub(" ", said)) is not None


_A_NAME = lazy_compile(r"\S+[./]\w\S*")  # a word holding a dot or a slash before a letter: a file's or a page's name


def _deletes(step: TaskStep, path: str) -> bool:
    """Whether ``step``'s words delete the file ``path``: a delete said, and that file what goes."""
    return says_a_delete(step) and deletes_the_file(said_by(step), path)


def said_by(step: TaskStep) -> str:
    """What a step's own words say: a step added for another says its id ("a.txt -> read_file (added: discard takes
    text)"), which said a.txt was deleted when the step was named after a deleting verb (fix173); the words it is
    given to write are no work of its own ("Write 'get rid of a.txt' to b.txt" listed b.txt as deleted, attack186)."""
    said = step.action.split(ADDED, 1)[0]
    for quoted in {str(d.value) for d in step.data if d.kind in ("text", "query")}:
        if DELETING.search(quoted) and quoted.strip() != said.strip():  # not a question that is the step's words
            said = said.replace(quoted, " ")
    return said


def _risks(
    task: str,
    steps: list[TaskStep],
    capabilities: list[str],
    served: set[str],
    res: ResourceRequirements,
) -> list[str]:
    risks = [f"creation_required:{c} (no registered tool serves it)" for c in capabilities if c not in served]
    risks += [f"side_effects:{s.id}" for s in steps if s.side_effects]
    risks += [f"external_service:{h}" for h in res.network_hosts]
    risks += [f"command_execution:{c}" for c in res.commands]
    risks += _fan_out(res.max_width)
    lowered = task.lower()
    risks += [f"constraint:{w}" for w in CONSTRAINT_WORDS if f" {w} " in f" {lowered} "]
    return risks


def _complexity_score(
    task: str,
    steps: list[TaskStep],
    width: dict[str, int],
    capabilities: list[str],
    served: set[str],
    res: ResourceRequirements,
) -> float:
    lowered = f" {task.lower()} "
    constraints = sum(1 for w in CONSTRAINT_WORDS if f" {w} " in lowered)
    factors = (
        (0.15, min(len(steps) / 6, 1.0)),  # operation types
        (0.25, min(sum(width.values()) / 20, 1.0)),  # data volume: calls to make
        (0.15, min(len(capabilities) / 5, 1.0)),
        (0.15, min(len(res.network_hosts) / 3, 1.0)),  # integration points
        (0.10, 1.0 if any(s.side_effects for s in steps) else 0.0),
        (0.10, 1.0 if set(capabilities) - served else 0.0),
        (0.10, min(constraints / 3, 1.0)),
    )
    return min(sum(w * v for w, v in factors), 1.0)


def step_data(items: list[DataItem], kinds: tuple[str, ...]) -> list[DataItem]:
    return [i for i in items if i.kind in kinds]
