"""The offline backend: no model, no network, deterministic, and no knowledge of any particular tool.

1. The data the request names is taken out (``data.py``): URLs, paths, quoted text, JSON...
2. The request is cut into candidate sub-goals (``clauses.py``); lead-ins and context are marked.
3. Each sub-goal (``goals.py``) is matched against the registry's index: BM25 over the tools' own
   descriptions, corrected by data types (``selection/relevance.py``). A sub-goal the user asked
   for that no tool serves stays a step, so the plan reports it as "creation required"; a context
   sentence is not a step.
4. Tools are chosen for all sub-goals together (``choice.py``), then linked by data: a step takes
   what an earlier step makes when it refers back to it ("it", "the summary") or has no data of its
   own of the kind its tool takes; otherwise its own data, or data the request gave elsewhere.
5. A step given data its tool cannot take gets a converter in front, found by data types, and
   several items fan out, one call each, with sinks that collect (``converters.py``).
"""

from __future__ import annotations

import re
from typing import Any

from orchestra.analysis.choice import choose, restates, types_enabled
from orchestra.analysis.clauses import clauses
from orchestra.analysis.converters import CARRIERS, bridge, fan_out, feeder, storer, writes_itself
from orchestra.analysis.data import EMAIL_RE, PLACEHOLDER, Extracted, extract, types_of
from orchestra.analysis.finish import finish_analysis
from orchestra.analysis.goals import Goal, goals_of, names_work, takes_out, without_previews
from orchestra.analysis.models import DataItem, TaskAnalysis, TaskAnalysisError, TaskStep
from orchestra.analysis.words import LANGUAGES, NUMBER_WORDS, PLURAL_ANAPHORA, TYPE_WORDS, is_verb, terms, words
from orchestra.registry import ToolRegistry
from orchestra.selection.index import ToolIndex
from orchestra.selection.relevance import near_best
from orchestra.tool_spec import ToolCard


def analyse_heuristic(task: str, registry: ToolRegistry) -> TaskAnalysis:
    task = task.strip()
    if not task:
        raise TaskAnalysisError("the task is empty")
    index = registry.index()
    extracted = extract(task)
    found = clauses(extracted.text, lambda word: names_work(word, index))
    goals = goals_of(found, extracted, index)
    sent = [d for goal in goals for d in goal.sent]
    pool = [d for d in extracted.items if not any(d is s for s in sent)]  # "... to x.json" is no step's input
    chosen = list(zip(goals, choose(goals, pool, index, _described(extracted, pool, index)), strict=True))
    chosen = without_previews(chosen)
    steps: list[TaskStep] = []
    notes: list[str] = []
    said = _Said(extracted)
    for n, (goal, card) in enumerate(chosen):
        if card is None and not (goal.clause.asked and not goal.clause.context):
            continue
        if card is not None and restates(goal, card, steps, index):
            continue
        # A later clause's own data is that clause's: "summarize it ... compare it with 'B'" does not
        # summarize 'B'. A sink keeps only what its tool takes: URLs after "write them to x.json:"
        # are the downloads'.
        ahead = {
            id(d)
            for later, tool in chosen[n + 1 :]
            for d in later.works_on
            if not later.sink or (tool is not None and set(types_of(d)) & set(tool.input_types))
        }
        given = [d for d in pool if id(d) not in ahead]
        if card is not None and types_enabled():
            card = _feed(goal, card, steps, given, index)
        steps.append(_step(goal, card, steps, given, index, said))
        if card is not None and goal.sent and not steps[-1].side_effects:
            _store(steps, goal.sent, index, notes)
    if not steps:
        raise TaskAnalysisError(
            f"no action found in the task {task!r}: say what to do (download, extract, translate, write...)"
        )
    if types_enabled():
        steps = bridge(steps, index, notes)
    fan_out(steps, index)
    notes += _count_checks(task, extracted)
    return finish_analysis(task, "heuristic", steps, registry, notes)


# --- a step ---------------------------------------------------------------------------------------


def _feed(goal: Goal, chosen: ToolCard, before: list[TaskStep], pool: list[DataItem], index: ToolIndex) -> ToolCard:
    """An implicit step in front when the chosen tool can take none of what the sub-goal has; the
    tool for the sub-goal (the chosen one, or that step's when it alone does what is asked)."""
    if goal.sink:
        return chosen  # "save it as x.png" stores what it is given; converting it first would store something else
    own = {t for d in goal.works_on for t in types_of(d)}
    users = {t for d in pool for t in types_of(d)}
    if not own and before and set(chosen.input_types) & users - CARRIERS:
        return chosen  # what the step before made does not fit, but what the user gave does: it works on that
    have = own or (set(before[-1].produces) if before else users)
    given = goal.works_on or ([] if before else pool)  # with nothing before it, it works on the request's data
    step = feeder(index, chosen, have, goal.clause.text, {s.id for s in before}, given)
    if step is None:
        return chosen
    converter = index.card(step.candidates[0])
    if converter is not None and takes_out(goal) and set(goal.wants) <= set(converter.output_types):
        # "extract the text from it" (an image) when the chosen tool takes text: the converter that
        # makes text from the image is the step asked for, not a step in front of another text tool
        return converter
    if not own and before:
        step.depends_on = [before[-1].id]
    goal.own = [d for d in goal.own if d not in step.data]
    before.append(step)
    return chosen


def _step(
    goal: Goal,
    chosen: ToolCard | None,
    before: list[TaskStep],
    pool: list[DataItem],
    index: ToolIndex,
    said: _Said,
) -> TaskStep:
    extracted = said.extracted
    clause = goal.clause
    taken = {s.id for s in before}
    base = _step_name(goal)
    step_id, n = base, 2
    while step_id in taken:
        step_id, n = f"{base}_{n}", n + 1
    capability = goal.keywords[0] if goal.keywords else "process"
    step = TaskStep(
        id=step_id,
        action=extracted.show(clause.text).strip(),
        capability=capability,
        keywords=goal.keywords,
        fan_out=clause.for_each,
    )
    if chosen is None:
        own = [t for d in goal.works_on for t in types_of(d)]
        step.accepts = list(dict.fromkeys([*own, *(t for s in before for t in s.produces)]))
        step.produces = goal.wants
        step.data = list(goal.own)
        return step
    rivals = [
        r.tool for r in near_best(goal.ranked) if r.tool != chosen.name and _same_types(index.card(r.tool), chosen)
    ]
    step.candidates = [chosen.name, *rivals]
    asked = set(goal.query)
    named = [c for c in chosen.capabilities if set(terms(c)) & asked]
    step.capability = (named or list(chosen.capabilities) or [capability])[0]
    step.produces = list(chosen.output_types)
    _link(step, goal, chosen, before, pool, said.at(step, goal, before))
    sink = goal.sink
    if not (sink or writes_itself(chosen)):
        # Where the clause sends its result is a sink's path ("write them to x.json"), never another
        # tool's input: "list the files into x.json" lists ".", and a step added after it stores.
        step.data = [d for d in step.data if not goal.sends(d)]
    step.params = _params(goal, chosen, step.data)
    step.aggregate = sink
    step.side_effects = sink
    return step


def _store(steps: list[TaskStep], places: list[DataItem], index: ToolIndex, notes: list[str]) -> None:
    """A step storing what the last step made at the files its clause sends it to, unless its tool
    writes them itself; a note when no tool of the registry can."""
    step = steps[-1]
    files = [d for d in places if d.kind == "path"]
    card = index.card(step.candidates[0])
    if not files or card is None or writes_itself(card):
        return  # "send it to ann@example.com" needs a tool that sends; its step is missing, not added
    store = storer(index, step, files[0], {s.id for s in steps})
    if store is None:
        notes.append(f"no tool stores what {step.id!r} makes ({', '.join(step.produces)}) to {files[0].value}")
    else:
        steps.append(store)


def _same_types(card: ToolCard | None, chosen: ToolCard) -> bool:
    """A rival the selector may pick instead: it takes and makes what the chosen tool does."""
    return (
        card is not None
        and set(card.input_types) == set(chosen.input_types)
        and set(chosen.output_types) <= set(card.output_types)
    )


def _step_name(goal: Goal) -> str:
    verbs = [w for w in goal.keywords if is_verb(w)]
    word = (verbs or goal.keywords or ["step"])[0]
    name = re.sub(r"[^a-z0-9_]", "_", word.lower())
    return name if re.match(r"[a-z_]", name) else f"step_{name}"  # an id cannot start with a digit


def _link(
    step: TaskStep,
    goal: Goal,
    chosen: ToolCard,
    before: list[TaskStep],
    pool: list[DataItem],
    since: list[DataItem],
) -> None:
    """Where each kind of data the chosen tool takes comes from: an earlier step, the clause, the request.
    ``since``: the user's data named after the last earlier step was asked for, up to this clause."""
    takes = list(chosen.input_types)
    step.data = list(goal.own)
    inputs = goal.works_on  # not where a result goes: "write them to x.json" takes them, not x.json
    if not takes:
        step.accepts = list(dict.fromkeys(t for d in inputs for t in types_of(d)))
        if before and goal.clause.ordered:
            step.depends_on = [before[-1].id]
        return
    accepts: list[str] = []
    fed: dict[str, list[TaskStep]] = {}
    left: list[str] = []
    claimed = [d for s in before for d in s.data]
    for kind in dict.fromkeys(takes):
        mine = [d for d in inputs if kind in types_of(d)]
        producers = [s for s in reversed(before) if kind in s.produces]
        if kind in goal.originals and not mine and any(kind in types_of(d) for d in pool):
            producers = []  # "the original image": the user's, not what an earlier step made of it
        fresh = [d for d in since if kind in types_of(d) and any(d is p for p in pool) and d not in claimed]
        if producers and not mine and fresh:
            # "... I also have a document x.jpg; what is the heading of this document?": what was
            # named last is what the clause is about, not what a step asked for before it makes
            step.data += fresh[-1:]
            accepts.append(kind)
            continue
        if producers and (goal.refers_back or not mine):
            slots = takes.count(kind)
            if goal.plural:
                fed[kind] = _leaves(producers, before)
            elif slots > 1 and not mine:
                # "how similar is the caption to the transcript?": a tool taking two texts collects
                # the two newest results no step has used yet
                fed[kind] = _leaves(producers, before)[-slots:]
            else:
                fed[kind] = producers[:1]
            accepts.append(kind)
        elif mine:
            accepts.append(kind)
        else:
            left.append(kind)
    if len(fed) > 1 and not (goal.plural or goal.sink):
        # A step with inputs of two kinds is fed by the newest step that makes one of them: "then
        # answer my question" after a picture was painted and its text categorised takes the
        # categories, not also the painted picture of three steps before; its other input is the
        # clause's own or the user's, as with no step before, unless the clause names its kind
        newest = max(before.index(s) for ups in fed.values() for s in ups)
        older = [k for k, ups in fed.items() if k not in goal.subject and all(before.index(s) < newest for s in ups)]
        for kind in older:  # "... answer that question about the picture" still takes the picture
            del fed[kind]
            if not any(kind in types_of(d) for d in inputs):
                accepts.remove(kind)
                left.append(kind)
    depends = [s.id for ups in fed.values() for s in ups]
    # Data the request gave elsewhere (a context sentence, or a list after the last clause), except
    # for a step that delivers what earlier steps made ("email the chart to ann@example.com").
    delivers = bool(depends and goal.sent)
    for kind in [] if delivers else left:
        given = [d for d in pool if kind in types_of(d) and d not in step.data]
        free = [d for d in given if d not in claimed] or given
        if free:
            step.data += free if _plural(goal.clause.text) else free[:1]
            accepts.append(kind)
    if goal.clause.ordered and before and before[-1].id not in depends:
        depends.append(before[-1].id)
    if goal.sink and goal.refers_back and before and not depends:
        # "save it as fox.png" after a step that makes a picture: it stores what that step made, as it is
        depends.append(before[-1].id)
        accepts += before[-1].produces
    step.depends_on = list(dict.fromkeys(depends))
    kinds_given = [t for d in step.data if not goal.sends(d) for t in types_of(d)]
    step.accepts = list(dict.fromkeys([*accepts, *(t for t in takes if t in kinds_given)])) or takes


class _Said:
    """Where in the request each step was asked for and each item of the user's data named."""

    def __init__(self, extracted: Extracted) -> None:
        self.extracted = extracted
        self.named = {id(extracted.items[int(m.group(2))]): m.start() for m in PLACEHOLDER.finditer(extracted.text)}
        self.steps: dict[str, int | None] = {}

    def at(self, step: TaskStep, goal: Goal, before: list[TaskStep]) -> list[DataItem]:
        """Record where ``step`` was asked for; the user's data named since the last step before it
        (none when a clause cannot be found as written: a reordered or reworded one)."""
        pattern = r"\s+".join(re.escape(w) for w in goal.clause.text.split())
        found = re.search(pattern, self.extracted.text) if pattern else None
        here = self.steps[step.id] = found.start() if found else None
        asked = [self.steps[s.id] for s in before if s.id in self.steps]  # steps added by type are not asked for
        if here is None or not asked or None in asked:
            return []
        start = max(a or 0 for a in asked)
        return [d for d in self.extracted.items if start < self.named.get(id(d), -1) <= here]


def _plural(text: str) -> bool:
    lowered = words(text)
    return any(w in NUMBER_WORDS or w in PLURAL_ANAPHORA or (w.endswith("s") and w in TYPE_WORDS) for w in lowered)


def _leaves(producers: list[TaskStep], before: list[TaskStep]) -> list[TaskStep]:
    """Producers no other step consumes yet: what "them" collects."""
    used = {d for s in before for d in s.depends_on}
    leaves = [s for s in producers if s.id not in used]
    return list(reversed(leaves)) or producers[:1]


def _params(goal: Goal, chosen: ToolCard, data: list[DataItem]) -> dict[str, Any]:
    """Hints for arguments, by the chosen tool's declared parameter names and the clause's data."""
    params: dict[str, Any] = {}
    names = {p.name for p in chosen.inputs}
    paths = [d for d in data if d.kind == "path"]
    if paths and "path" in names:
        params["path"] = paths[0].value
    numbers = [d.value for d in data if d.kind == "number"]
    if numbers and "seconds" in names:
        params["seconds"] = numbers[0]
    commands = [d.value for d in data if d.kind == "command"]
    if commands and "cmd" in names:
        params["cmd"] = commands[0]
    lowered = words(goal.clause.text)
    for word in lowered:
        if word in LANGUAGES:
            language_params = [n for n in names if "language" in n and not n.startswith("source")]
            if language_params:
                params[language_params[0]] = LANGUAGES[word]
            else:
                params["target_language"] = LANGUAGES[word]
    emails = [d.value for d in data if d.kind == "text" and EMAIL_RE.fullmatch(str(d.value))]
    if emails:
        params["to"] = emails[0]
    return params


def _count_checks(task: str, extracted: Extracted) -> list[str]:
    notes = []
    lowered = task.lower()
    urls = sum(1 for d in extracted.items if d.kind == "url")
    for word, number in NUMBER_WORDS.items():
        if re.search(rf"\b{word}\s+(?:\w+\s+)?(?:urls|pages|links|sites|websites)\b", lowered) and urls != number:
            notes.append(f"the task mentions {word} URLs but {urls} were found")
    return notes


DESCRIBED_BY = 5  # the words before a file's name that may say what it holds: "a document image 'x.jpg'"
DESCRIBED_CHARS = 400  # where those words are looked for


def _described(extracted: Extracted, pool: list[DataItem], index: ToolIndex) -> dict[str, set[str]]:
    """Per kind of the user's files, the terms of the words just before one: "a document image 'x.jpg'"."""
    out: dict[str, set[str]] = {}
    pooled = {id(d) for d in pool}
    for match in PLACEHOLDER.finditer(extracted.text):
        item = extracted.items[int(match.group(2))]
        if item.kind != "path" or id(item) not in pooled:
            continue  # a file is named after what it holds ("a document image"); a quote is the request's
        # The text just before it, not all of it: a request naming thousands of files is read in linear time.
        near = extracted.text[max(match.start() - DESCRIBED_CHARS, 0) : match.start()]
        before = words(PLACEHOLDER.sub(" ", near))[-DESCRIBED_BY:]
        found = {t for t in terms(" ".join(before)) if t not in index.type_terms}
        for kind in types_of(item):
            out.setdefault(kind, set()).update(found)
    return out
