"""The offline backend: no model, no network, deterministic, and no knowledge of any particular tool.

1. The data the request names is taken out (``data.py``): URLs, paths, quoted text, JSON...
2. The request is cut into candidate sub-goals (``clauses.py``); lead-ins and context are marked.
3. Each sub-goal is matched against the registry's index (BM25 over the tools' own descriptions,
   corrected by data types: ``selection/relevance.py``). A sub-goal the user asked for that no tool
   serves stays a step, so the plan reports it as "creation required"; a context sentence that no
   tool clearly serves is dropped.
4. Steps are linked by data: a step takes what an earlier step makes when it refers back to it ("it",
   "the summary") or has no data of its own of the kind its tool takes; otherwise its own data, or
   data the request gave in a context sentence. Several items fan out (one call each), and a step
   that collects ("write them to x.json") depends on every item.
5. A step given data its tools cannot take gets a converter in front (a URL for a tool that takes
   text: a tool that takes URLs and makes text), found by data types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from orchestra.analysis.clauses import Clause, clauses, content_words
from orchestra.analysis.data import EMAIL_RE, PLACEHOLDER, Extracted, extract, fits, types_of
from orchestra.analysis.finish import finish_analysis
from orchestra.analysis.models import DataItem, TaskAnalysis, TaskAnalysisError, TaskStep
from orchestra.analysis.words import (
    ANAPHORA,
    NUMBER_WORDS,
    PLURAL_ANAPHORA,
    TYPE_WORDS,
    is_verb,
    stem,
    terms,
    words,
)
from orchestra.registry import ToolRegistry
from orchestra.selection.index import ToolIndex
from orchestra.selection.relevance import Ranked, near_best, rank, serves
from orchestra.tool_spec import ToolCard

# Prepositions after which a data-type word names what the step should make ("into speech").
TARGET_WORDS = frozenset({"into", "to", "as", "in"})
# Verbs whose object is what the step makes ("generate an image").
MAKING_VERBS = frozenset(
    """create generate make produce draw render compose synthesize synthesise design craft paint illustrate
    write narrate speak voice say visualize visualise build give provide""".split()
)
# Verbs whose object is what comes out ("extract the text from the image").
EXTRACTING_VERBS = frozenset("extract pull obtain retrieve transcribe decipher recover".split())
# Prepositions before the data a clause works on ("from the image", "in this recording").
SOURCE_WORDS = frozenset("from in within inside on of based using".split())
CONVERTING_VERBS = frozenset(
    "convert converting turn turning transform transforming change translate transcribe".split()
)
# Verbs that say only that something is to be done or made: never what, on their own.
GENERIC_VERBS = MAKING_VERBS | frozenset(
    """get do make find show give provide use process handle run take check tell understand know see learn figure
    determine discern work perform apply""".split()
)
GENERIC_TERMS = frozenset(terms(" ".join(GENERIC_VERBS)))
DETERMINERS = frozenset("the this that these those its their my our your his her".split())
HEAD_TERMS = 2  # the sub-goal's head: its first specific terms (a verb and its object)
# Words of a request that say nothing about the work.
REQUEST_NOISE = frozenset(
    """help assist aid lend hand wonder wondering curious appreciate feel free mind able possible
    try trying use using tool tools way know""".split()
)
# The joint choice of tools: options per sub-goal (within this share of the best relevance), beam width,
# the weight left to a tool nothing can feed, and the bonus for taking what the step before made.
BEAM_RELEVANCE = 0.5
BEAM_OPTIONS = 6
BEAM_WIDTH = 12
INFEASIBLE = 0.15
CARRIER_KINDS = frozenset({"path", "file"})  # data that only carries other data: a file's name
CARRIER_FIT = 0.6
CHAINED = 0.25
LANGUAGES = {"english": "en", "french": "fr", "german": "de", "spanish": "es", "italian": "it", "dutch": "nl",
             "portuguese": "pt", "japanese": "ja", "chinese": "zh", "russian": "ru", "polish": "pl",
             "korean": "ko", "arabic": "ar", "hindi": "hi", "swedish": "sv", "turkish": "tr"}  # fmt: skip
SINK_WORDS = frozenset({"write", "save", "store", "send", "email", "mail", "upload", "publish", "post", "append"})


@dataclass
class _Goal:
    clause: Clause
    own: list[DataItem]
    keywords: list[str]
    query: list[str]
    wants: list[str]
    refers_back: bool
    plural: bool
    head: list[str] = field(default_factory=list)
    subject: set[str] = field(default_factory=set)  # kinds of data the clause works on ("the image", its own data)
    ranked: list[Ranked] = field(default_factory=list)
    served: bool = False


def analyse_heuristic(task: str, registry: ToolRegistry) -> TaskAnalysis:
    task = task.strip()
    if not task:
        raise TaskAnalysisError("the task is empty")
    index = registry.index()
    extracted = extract(task)
    found = clauses(extracted.text, lambda word: _names_work(word, index))
    goals = _goals(found, extracted, index)
    pool = list(extracted.items)
    choice = _choose(goals, pool, index)
    steps: list[TaskStep] = []
    notes: list[str] = []
    for goal, card in zip(goals, choice, strict=True):
        if card is None and not (goal.clause.asked and not goal.clause.context):
            continue
        if card is not None and _restates(goal, card, steps):
            continue
        steps.append(_step(goal, card, steps, pool, index, extracted))
    if not steps:
        raise TaskAnalysisError(
            f"no action found in the task {task!r}: say what to do (download, extract, translate, write...)"
        )
    steps = _bridge(steps, index, notes)
    _fan_out(steps)
    notes += _count_checks(task, extracted)
    return finish_analysis(task, "heuristic", steps, registry, notes)


# --- sub-goals ------------------------------------------------------------------------------------


def _names_work(word: str, index: ToolIndex) -> bool:
    """A word the registry's tools use for what they do ("geocode", "transcribe")."""
    return (
        word.isalpha()
        and len(word) > 2
        and word not in TYPE_WORDS
        and index.known(stem(word))
        and (is_verb(word) or word.endswith(("ize", "ise", "ify", "ate")))
    )


def _goals(found: list[Clause], extracted: Extracted, index: ToolIndex) -> list[_Goal]:
    goals: list[_Goal] = []
    context: list[str] = []  # words of the context sentences so far: what "it" in "do it for me" means
    carried: list[DataItem] = []  # "for each of A, B, C: ..." hands its items to the clause after it
    for clause in found:
        goal = _goal(clause, extracted, index)
        if carried:
            goal.own = [*carried, *goal.own]
            goal.subject |= {t for d in carried for t in types_of(d)}
            clause.for_each, carried = True, []
        if clause.context:
            context = goal.keywords
            if clause.for_each and goal.own and not goal.keywords:
                carried = goal.own
            continue
        if not goal.keywords and not goal.own:
            continue
        goal.ranked = rank(index, goal.query, (), goal.wants)
        goal.served = bool(goal.ranked) and serves(goal.ranked[0], goal.head, _weak(index))
        if not goal.served and context and (goal.refers_back or not goal.own):
            # "Can you figure it out for me?": what "it" is was said before.
            wider = _goal(Clause(clause.text, asked=clause.asked), extracted, index)
            wider.keywords += context
            wider.query = terms(" ".join(wider.keywords))
            wider.ranked = rank(index, wider.query, (), wider.wants)
            if wider.ranked and serves(wider.ranked[0], wider.head, _weak(index)):
                goal.keywords, goal.query, goal.ranked, goal.served = wider.keywords, wider.query, wider.ranked, True
        if goal.served or clause.asked:
            goals.append(goal)
    return goals


def _weak(index: ToolIndex) -> frozenset[str]:
    return index.type_terms | GENERIC_TERMS


def _goal(clause: Clause, extracted: Extracted, index: ToolIndex) -> _Goal:
    text = clause.text
    own = extracted.items_in(text)
    plain = PLACEHOLDER.sub(" ", text)
    lowered = words(plain)
    # "the translated text", "the enhanced audio": a participle after a determiner names what an
    # earlier step made, not what this one does.
    described = {w for prev, w in pairwise(lowered) if prev in DETERMINERS and w.endswith("ed")}
    keywords = [w for w in content_words(plain) if w not in REQUEST_NOISE and w not in described]
    if clause.question:  # "what is the main topic?"
        keywords += ["answer", "question"]
    wants, worked = _data_roles(lowered, index)
    subject = {t for d in own for t in types_of(d)} | (worked - set(wants))
    refers_back = bool(set(lowered) & ANAPHORA) or bool(described)
    plural = bool(set(lowered) & PLURAL_ANAPHORA)
    head = [
        t
        for t in terms(" ".join(w for w in keywords if w not in GENERIC_VERBS))[:HEAD_TERMS]
        if t not in index.type_terms
    ]
    return _Goal(clause, own, keywords, terms(" ".join(keywords)), wants, refers_back, plural, head, subject)


def _data_roles(lowered: list[str], index: ToolIndex) -> tuple[list[str], set[str]]:
    """The kinds of data a clause asks to be made, and the kinds it works on.

    Made: "into speech", "convert it to text", the object of "generate an image" or "extract the
    text". Worked on: "from the image", "in this recording", and any other data word.
    """
    wanted: list[str] = []
    worked: set[str] = set()
    verb = next((i for i, w in enumerate(lowered[:3]) if w in MAKING_VERBS or w in EXTRACTING_VERBS), None)
    converting = any(w in CONVERTING_VERBS for w in lowered[:3])
    object_taken = False
    for position, word in enumerate(lowered):
        kind = TYPE_WORDS.get(word, word if word in index.types else None)
        if kind is None or kind not in index.types:
            continue
        before = lowered[max(0, position - 3) : position]
        if any(w in SOURCE_WORDS for w in before):
            worked.add(kind)
        elif "into" in before or (converting and any(w in ("to", "as") for w in before)):
            wanted.append(kind)
        elif verb is not None and position > verb and not object_taken:
            wanted.append(kind)
        else:
            worked.add(kind)
        object_taken = object_taken or (verb is not None and position > verb)
    return list(dict.fromkeys(wanted)), worked


# --- choosing tools for all sub-goals at once -----------------------------------------------------


@dataclass
class _State:
    score: float
    cards: list[ToolCard | None]
    made: list[str]


def _choose(goals: list[_Goal], pool: list[DataItem], index: ToolIndex) -> list[ToolCard | None]:
    """One tool per served sub-goal, chosen jointly: relevance, and data that can flow into each tool.

    A beam search over the sub-goals in order: a tool whose input nothing before it can provide
    scores less, and one that takes what the previous step makes, when the clause refers back to
    it, scores more. So "describe the photo, then read the description aloud" picks an image tool
    that makes text for the first step, because the second needs text.
    """
    given = {t for d in pool for t in types_of(d)}
    states = [_State(0.0, [], [])]
    for goal in goals:
        if not goal.served:
            states = [_State(s.score, [*s.cards, None], s.made) for s in states]
            continue
        options = near_best(goal.ranked, BEAM_RELEVANCE)[:BEAM_OPTIONS]
        best = options[0].relevance or 1.0
        own = {t for d in goal.own for t in types_of(d)}
        grown: list[_State] = []
        for state in states:
            previous = next((c for c in reversed(state.cards) if c is not None), None)
            for option in options:
                card = index.card(option.tool)
                assert card is not None
                takes = set(card.input_types)
                subject = goal.subject or (set(previous.output_types) if goal.refers_back and previous else set())
                fit = _fit(takes, subject or (own | given | set(state.made)))
                chained = (
                    previous is not None
                    and bool(takes & set(previous.output_types))
                    and (goal.refers_back or not takes & own)
                )
                value = option.relevance / best * fit + (CHAINED if chained else 0.0)
                grown.append(_State(state.score + value, [*state.cards, card], [*state.made, *card.output_types]))
        grown.sort(key=lambda s: -s.score)
        states = grown[:BEAM_WIDTH]
    return states[0].cards


def _fit(takes: set[str], available: set[str]) -> float:
    """How well a tool that takes ``takes`` fits data of kinds ``available``: a tool that takes the
    content (an image) fits better than one that takes any file by its path."""
    if not takes:
        return 1.0
    matched = takes & available
    if not matched:
        return INFEASIBLE
    return 1.0 if matched - CARRIER_KINDS else CARRIER_FIT


def _restates(goal: _Goal, card: ToolCard, before: list[TaskStep]) -> bool:
    """A clause that asks again for what the step before does, with no data of its own."""
    return bool(before) and before[-1].candidates[:1] == [card.name] and not goal.own


# --- a step ---------------------------------------------------------------------------------------


def _step(
    goal: _Goal,
    chosen: ToolCard | None,
    before: list[TaskStep],
    pool: list[DataItem],
    index: ToolIndex,
    extracted: Extracted,
) -> TaskStep:
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
        own = [t for d in goal.own for t in types_of(d)]
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
    _link(step, goal, chosen, before, pool)
    step.params = _params(goal, chosen, step.data)
    sink = any(w in SINK_WORDS for w in words(clause.text)[:2])
    step.aggregate = sink
    step.side_effects = sink
    return step


def _same_types(card: ToolCard | None, chosen: ToolCard) -> bool:
    """A rival the selector may pick instead: it takes and makes what the chosen tool does."""
    return (
        card is not None
        and set(card.input_types) == set(chosen.input_types)
        and set(chosen.output_types) <= set(card.output_types)
    )


def _step_name(goal: _Goal) -> str:
    verbs = [w for w in goal.keywords if is_verb(w)]
    word = (verbs or goal.keywords or ["step"])[0]
    return re.sub(r"\W", "_", word.lower()) or "step"


def _link(step: TaskStep, goal: _Goal, chosen: ToolCard, before: list[TaskStep], pool: list[DataItem]) -> None:
    """Where each kind of data the chosen tool takes comes from: an earlier step, the clause, the request."""
    takes = list(chosen.input_types)
    own = list(goal.own)
    step.data = own
    if not takes:
        step.accepts = list(dict.fromkeys(t for d in own for t in types_of(d)))
        if before and goal.clause.ordered:
            step.depends_on = [before[-1].id]
        return
    accepts: list[str] = []
    depends: list[str] = []
    for kind in dict.fromkeys(takes):
        mine = [d for d in own if kind in types_of(d)]
        producers = [s for s in reversed(before) if kind in s.produces]
        if producers and (goal.refers_back or not mine):
            chosen_ups = _leaves(producers, before) if goal.plural else producers[:1]
            depends += [s.id for s in chosen_ups]
            accepts.append(kind)
        elif mine:
            accepts.append(kind)
        else:
            # Data the request gave elsewhere (a context sentence, or a list after the last clause).
            claimed = [d for s in before for d in s.data]
            given = [d for d in pool if kind in types_of(d) and d not in step.data]
            free = [d for d in given if d not in claimed] or given
            if free:
                step.data += free if _plural(goal.clause.text) else free[:1]
                accepts.append(kind)
    if goal.clause.ordered and before and before[-1].id not in depends:
        depends.append(before[-1].id)
    step.depends_on = list(dict.fromkeys(depends))
    kinds_given = [t for d in step.data for t in types_of(d)]
    step.accepts = list(dict.fromkeys([*accepts, *(t for t in takes if t in kinds_given)])) or takes


def _plural(text: str) -> bool:
    lowered = words(text)
    return any(w in NUMBER_WORDS or w in PLURAL_ANAPHORA or (w.endswith("s") and w in TYPE_WORDS) for w in lowered)


def _leaves(producers: list[TaskStep], before: list[TaskStep]) -> list[TaskStep]:
    """Producers no other step consumes yet: what "them" collects."""
    used = {d for s in before for d in s.depends_on}
    leaves = [s for s in producers if s.id not in used]
    return list(reversed(leaves)) or producers[:1]


def _params(goal: _Goal, chosen: ToolCard, data: list[DataItem]) -> dict[str, Any]:
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


# --- converters and fan-out -----------------------------------------------------------------------


def _bridge(steps: list[TaskStep], index: ToolIndex, notes: list[str]) -> list[TaskStep]:
    """Insert a converter before a step whose tool cannot take the data it was given (url -> text...)."""
    out: list[TaskStep] = []
    taken = {s.id for s in steps}
    for step in steps:
        card = index.card(step.candidates[0]) if step.candidates else None
        if card is None or not card.input_types or step.depends_on:
            out.append(step)
            continue
        takes = set(card.input_types)
        given = [d for d in step.data if d.kind in ("url", "path") and step.params.get("path") != d.value]
        # A file of an image, a sound... goes to the tool by name; a text file is read first when a
        # tool can read it, since "text" means the content, not the file's name.
        direct = (
            takes & {"url", "path", "file"}
            or any(d.kind not in ("url", "path") and fits(d, list(takes)) for d in step.data)
            or any(set(types_of(d)[:1]) & (takes - {"text"}) for d in given)
        )
        if not given or direct:
            out.append(step)
            continue
        kind = given[0].kind
        converter = _converter(index, kind, takes)
        if converter is None:
            out.append(step)
            continue
        bridge_id, n = converter.name.split("_")[0].lower() or "convert", 2
        base = bridge_id
        while bridge_id in taken:
            bridge_id, n = f"{base}_{n}", n + 1
        taken.add(bridge_id)
        items = [d for d in given if d.kind == kind]
        bridge = TaskStep(
            id=bridge_id,
            action=f"{', '.join(str(d.value) for d in items)} -> {converter.name} (added: {step.id} takes {', '.join(sorted(takes))})",
            capability=converter.capabilities[0] if converter.capabilities else converter.name,
            candidates=[converter.name],
            accepts=[kind],
            produces=list(converter.output_types),
            data=items,
            params={"path": items[0].value} if kind == "path" and len(items) == 1 else {},
        )
        notes.append(f"added step {bridge_id!r}: {step.id!r} is given {kind} data but its tool takes {sorted(takes)}")
        step.data = [d for d in step.data if d not in items]
        step.params.pop("path", None) if kind == "path" else None
        step.depends_on = [bridge_id]
        step.accepts = [t for t in converter.output_types if t in takes] or list(takes)
        out += [bridge, step]
    return out


def _converter(index: ToolIndex, kind: str, takes: set[str]) -> ToolCard | None:
    """The simplest tool that takes ``kind`` and makes something in ``takes``: fewest other inputs, cheapest name."""
    fits = [doc.card for doc in index.docs if kind in doc.card.input_types and set(doc.card.output_types) & takes]
    if not fits:
        return None
    query = terms(f"{kind} read fetch get content")
    scores = {h.tool: h.score for h in index.search(query, limit=len(index))}
    return max(fits, key=lambda c: (scores.get(c.name, 0.0), -len(c.input_types), -len(c.name)))


def _fan_out(steps: list[TaskStep]) -> None:
    """Several items -> one call per item; steps after a fanned-out one follow it per item, sinks collect."""
    by_id = {s.id: s for s in steps}
    for step in steps:
        own = [d for d in step.data if fits(d, step.accepts) and d.kind in ("url", "path", "command", "json")]
        upstream_fans = any(by_id[d].fan_out for d in step.depends_on)
        sink = step.aggregate
        step.aggregate = False
        if len(own) > 1:
            step.fan_out = True
        elif upstream_fans and not sink:
            step.fan_out = True
        elif upstream_fans and sink:
            step.fan_out, step.aggregate = False, True
        elif step.fan_out and len(own) <= 1 and not upstream_fans:
            step.fan_out = False  # "for each" with a single item


def _count_checks(task: str, extracted: Extracted) -> list[str]:
    notes = []
    lowered = task.lower()
    urls = sum(1 for d in extracted.items if d.kind == "url")
    for word, number in NUMBER_WORDS.items():
        if re.search(rf"\b{word}\s+(?:\w+\s+)?(?:urls|pages|links|sites|websites)\b", lowered) and urls != number:
            notes.append(f"the task mentions {word} URLs but {urls} were found")
    return notes
