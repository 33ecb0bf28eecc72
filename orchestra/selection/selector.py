"""IntelligentToolSelector: candidates -> four scores -> hard filters -> Pareto front -> pick -> alternatives.

Pure code: the select_tools activity calls it with a history snapshot read from ToolHealthWorkflow,
the CLI's offline `plan` calls it without one.
"""

from __future__ import annotations

from datetime import UTC, datetime

from orchestra.analysis.changes import part_taken
from orchestra.analysis.choice import unfed_kinds
from orchestra.analysis.goals import (
    GENERIC_TERMS,
    PROGRAM_KIND,
    TOLD_KINDS,
    action_of,
    described_kind,
    does,
    makes,
    makes_sounds,
    media_none_makes,
    served_by,
    takes_files_away,
)
from orchestra.analysis.made_as_said import agrees, made_as_said
from orchestra.analysis.models import TaskAnalysis, TaskStep
from orchestra.analysis.own_words import sound_anew
from orchestra.analysis.said_verbs import verb_unsaid
from orchestra.analysis.words import terms, words
from orchestra.health import CircuitState, HealthSnapshot
from orchestra.planning.deleted import file_unsaid, part_refused, unfit_to_take_away
from orchestra.registry import ToolRegistry
from orchestra.selection import strategies
from orchestra.selection.models import CREATION_REQUIRED, STRATEGIES, Preferences, ScoredTool, ToolSelection
from orchestra.selection.pareto import pareto_front
from orchestra.selection.recipient_kind import for_the_recipient, recipient_kind
from orchestra.selection.relevance import Ranked, near_best, rank
from orchestra.tool_spec import Tool, ToolCard, ToolSpec

MAX_ALTERNATIVES = 3
QUESTION_REFUSAL = "changes or sends something, which a question does not ask for"


def ranked_for(step: TaskStep, registry: ToolRegistry) -> list[Ranked]:
    """The registry's tools ranked for a step by its words and data types."""
    query = terms(" ".join([step.capability, *step.keywords]) if step.keywords else f"{step.capability} {step.action}")
    # Types are not used to rank here: hard requirements judge them next, and say why a tool is out.
    return rank(registry.index(), query)


def candidates_for(step: TaskStep, registry: ToolRegistry) -> tuple[list[Tool], dict[str, float]]:
    """The tools that serve a step, and each one's relevance in [0, 1] (1 for the best match).

    Analysis that already searched the registry names its candidates; otherwise (an LLM's steps) the
    registry is searched here. Only tools about as relevant as the best compete: a cheaper tool that
    does something else must not win on price.
    """
    if step.candidates:
        names = [n for n in step.candidates if n in registry]
        return [registry.get(n) for n in names], {n: 1.0 - 0.01 * i for i, n in enumerate(names)}
    ranked = ranked_for(step, registry)
    if sound_anew(step.action, step.produces):
        # "generate a sound of rain", "a song about the sea": not read "rain" or "the sea" aloud
        ranked = [r for r in ranked if makes_sounds(registry.index().card(r.tool))]
    if step.only_tells:
        # a question its analysis found no telling tool for ("Is it ok to delete notes.txt?"): searching the
        # registry by its words found the tool doing what it asks about (delete_file, added after analysis)
        ranked = [r for r in ranked if _only_tells(registry.get(r.tool).spec)]
    if part_taken(step.action):
        # "Delete the first line of notes.txt": a part, not the file (delete_file, added after analysis, deleted it)
        ranked = [r for r in ranked if not takes_files_away(registry.index().card(r.tool))]
    if media_none_makes(step.action, registry.index()):
        # "make the story as a video" with no video maker: http_request was found by "make"; nothing makes it
        return [], {}
    made = described_kind(step.action, step.keywords or words(step.action))
    if made is not None:  # "generate a video of a dog": not drawn by a picture generator
        ranked = [r for r in ranked if makes(registry.index().card(r.tool), made)]
    said = made_as_said(step.action)
    if said is not None:  # "read it aloud" (no tool speaks): not read_file on the photo named before
        ranked = [r for r in ranked if agrees(registry.index().card(r.tool), said, set(step.accepts))]
    if not ranked or not served_by(ranked[0], registry.index(), action_of(step.keywords or words(step.action))):
        return [], {}
    card = registry.index().card(ranked[0].tool)
    takes = set(card.input_types) if card is not None else set()
    if not set(ranked[0].matched) - GENERIC_TERMS and takes and not takes & set(step.accepts):
        # "Let's make it a bit more challenging": a verb that only says "make" or "do", found in the words of a tool
        # that takes nothing the step has ("Make an HTTP request"), says nothing of what is asked: http_request was
        # planned, its URL asked for. "Turn 'hello' into speech, then process it" keeps the tool processing audio
        return [], {}
    best = near_best(ranked)
    top = best[0].relevance or 1.0
    return [registry.get(r.tool) for r in best], {r.tool: r.relevance / top for r in best}


def _recipients_tools(step: TaskStep, chosen: list[str], registry: ToolRegistry) -> list[str] | None:
    """Analysis's tools swapped for those taking the kind of recipient the step names (an address, a phone)."""
    if recipient_kind(step.action) is None:
        return None
    ranked = ranked_for(step, registry)
    index = registry.index()
    return for_the_recipient(
        step.action, chosen, ranked, {n: index.card(n) for n in {*chosen, *(r.tool for r in ranked)}}
    )


def _only_tells(spec: ToolSpec) -> bool:
    """Whether a tool only tells something of what it is given: it makes text or a value, changes nothing, and
    takes no program to run nor a place to send to (its words were the question's, not a request to send)."""
    return (
        not spec.side_effects
        and bool(TOLD_KINDS & set(spec.output_types))
        and not {PROGRAM_KIND, "url"} & set(spec.input_types)
    )


def _refused_to_a_question(step: TaskStep, registry: ToolRegistry) -> str:
    """Why a question's step has no tool, when the tools its words find do the work rather than tell of it ("Can I
    delete notes.txt?": delete_file, added after analysis, was reported as "no registered tool matches")."""
    if not step.only_tells:
        return ""
    ranked = near_best(ranked_for(step, registry))
    doers = [registry.get(r.tool).spec for r in ranked if r.coverage > 0 and not _only_tells(registry.get(r.tool).spec)]
    return "; ".join(f"{spec.name} {_not_telling(spec)}" for spec in doers[:MAX_ALTERNATIVES])


def _not_telling(spec: ToolSpec) -> str:
    if spec.side_effects:
        return QUESTION_REFUSAL
    return "does not tell what it is given (it makes no text, or runs or sends it), which a question asks"


def nearest(step: TaskStep, registry: ToolRegistry, limit: int = 3) -> list[str]:
    """The closest tools for a step nothing serves: what the user may extend or describe better."""
    return [f"{r.tool} ({r.coverage:.0%} of the words)" for r in ranked_for(step, registry)[:limit]]


def score(
    tool: Tool,
    step: TaskStep,
    history: HealthSnapshot | None,
    weights: dict[str, float],
    now: datetime,
    relevance: float = 1.0,
) -> ScoredTool:
    spec = tool.spec
    stats = history.tools.get(spec.name) if history else None
    scores = {
        "performance": strategies.performance(spec, stats),
        "cost": strategies.cost(spec),
        "reliability": strategies.reliability(spec, stats, now),
        "compatibility": strategies.compatibility(spec, step, relevance),
    }
    scores = {k: round(v, 4) for k, v in scores.items()}
    overall = min(sum(weights[s] * scores[s] for s in STRATEGIES), 1.0)
    circuit = stats.circuit_at(now) if stats else CircuitState.CLOSED
    return ScoredTool(tool=spec.name, scores=scores, overall=round(overall, 4), cost=spec.cost, circuit=circuit.value)


def hard_requirement_failure(tool: Tool, step: TaskStep, preferences: Preferences) -> str | None:
    spec = tool.spec
    if step.accepts and not strategies.input_fit(spec, step):
        # "Read a.txt and b.txt, then delete it": which file, not the text it was linked to, is what is missing
        unsaid = file_unsaid(ToolCard.of(spec), step.condition)
        return unsaid or f"takes {spec.input_types or 'no input'}, the step has {step.accepts}"
    if step.accepts and not step.data and unfed_kinds(ToolCard.of(spec), set(step.accepts)):
        # fed only by the steps before ("translate 'hello' and edit it"): a picture no step makes nor the user names
        return f"takes {spec.input_types}, the step has {step.accepts}"
    if step.produces and not strategies.output_fit(spec, step):
        return f"makes {spec.output_types or 'nothing'}, the step wants {step.produces}"
    if preferences.max_cost is not None and spec.cost > preferences.max_cost:
        return f"costs {spec.cost}, above the limit {preferences.max_cost}"
    if spec.side_effects and step.only_tells:
        return QUESTION_REFUSAL
    if not any(d.kind == "command" for d in step.data):  # a command said does its own work ("rm a.txt")
        paths = [str(d.value) for d in step.data if d.kind == "path"]
        if (unfit := unfit_to_take_away(ToolCard.of(spec), step.action, paths, bool(step.depends_on))) is not None:
            return unfit
    if (unsaid := verb_unsaid(does(ToolCard.of(spec)), step.action)) is not None:
        return unsaid  # "Search the web for X": a file lister found by "search" lists the workspace
    if spec.side_effects and not preferences.allow_side_effects:
        return "has side effects, which the preferences forbid"
    return None


def select_for_step(
    step: TaskStep,
    registry: ToolRegistry,
    history: HealthSnapshot | None = None,
    preferences: Preferences | None = None,
    now: datetime | None = None,
) -> ToolSelection:
    preferences = preferences or Preferences()
    now = now or datetime.now(UTC)
    weights = preferences.weights()
    swapped = _recipients_tools(step, step.candidates, registry) if step.candidates else None
    if swapped:  # what analysis's tool made ("sms_receipt") is not what the tool for the recipient makes
        step = step.model_copy(update={"candidates": swapped, "produces": []})
    tools, relevance = candidates_for(step, registry)
    scored: list[ScoredTool] = []
    for tool in tools:
        entry = score(tool, step, history, weights, now, relevance[tool.name])
        entry.rejected = hard_requirement_failure(tool, step, preferences)
        scored.append(entry)
    scored.sort(key=lambda s: (-s.overall, s.tool))
    eligible = [s for s in scored if s.rejected is None]
    # An open circuit does not disqualify a tool outright, but any closed one comes first.
    usable = [s for s in eligible if s.circuit != CircuitState.OPEN] or eligible
    common = {"step": step.id, "capability": step.capability, "candidates": scored, "weights": weights}
    if not usable:
        unmade = media_none_makes(step.action, registry.index())
        why = (
            "; ".join(f"{s.tool} {s.rejected}" for s in scored)
            or _refused_to_a_question(step, registry)
            or part_refused(step.action)
            or "".join(f"no registered tool makes {kind}" for kind in unmade[:1])
            or ("no registered tool matches; nearest: " + (", ".join(nearest(step, registry)) or "none"))
        )
        return ToolSelection(selected=None, reason=f"{CREATION_REQUIRED} ({why})", **common)
    front = pareto_front(usable)
    chosen = max(front, key=lambda s: (s.overall, -s.cost, s.tool))
    alternatives = [s for s in eligible if s is not chosen][:MAX_ALTERNATIVES]
    return ToolSelection(
        selected=chosen,
        alternatives=alternatives,
        pareto_front=[s.tool for s in front],
        reason=_reason(chosen, front, usable, eligible, scored, weights),
        **common,
    )


def select_tools(
    analysis: TaskAnalysis,
    registry: ToolRegistry,
    history: HealthSnapshot | None = None,
    preferences: Preferences | None = None,
    now: datetime | None = None,
) -> list[ToolSelection]:
    """One selection per step of the analysis (a capability may be needed twice with different data), each moved off a
    tool that would change or send what its clause does not ask: the selections a user reads are the plan's tools
    (they showed the shell for "provide an interpretation of @p0", whose plan said no tool serves it)."""
    from orchestra.planning.unasked_effects import without_unasked  # it ranks by this module: imported when used

    selections = [select_for_step(step, registry, history, preferences, now) for step in analysis.steps]
    return without_unasked(selections, analysis.steps, registry, analysis.task)


def _reason(
    chosen: ScoredTool,
    front: list[ScoredTool],
    usable: list[ScoredTool],
    eligible: list[ScoredTool],
    scored: list[ScoredTool],
    weights: dict[str, float],
) -> str:
    parts = ", ".join(f"{s} {chosen.scores[s]:.2f}" for s in STRATEGIES)
    text = f"{chosen.tool}: overall {chosen.overall:.2f} ({parts})"
    others = [s for s in usable if s is not chosen]
    if not others:
        text += "; the only eligible candidate"
    else:
        runner = others[0]
        edge = max(STRATEGIES, key=lambda s: weights[s] * (chosen.scores[s] - runner.scores[s]))
        text += (
            f"; best of {len(front)} on the Pareto front ({', '.join(s.tool for s in front)}) out of "
            f"{len(scored)} candidates; ahead of {runner.tool} ({runner.overall:.2f}) mainly on {edge}"
        )
    rejected = [s for s in scored if s.rejected]
    if rejected:
        text += "; excluded: " + "; ".join(f"{s.tool} ({s.rejected})" for s in rejected[:3])
    opened = [s.tool for s in eligible if s.circuit == CircuitState.OPEN]
    if opened:
        text += f"; circuit open: {', '.join(opened)}"
    return text
