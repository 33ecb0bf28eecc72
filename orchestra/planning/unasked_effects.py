"""A tool that changes or sends something is planned only for a clause whose own words say that action.

Selection finds tools by their words, their parameters and meaning: "Restore old.jpg" found delete_file (its
description says "the undo of a compensation"), "undo my last change" found write_file. A user who said neither
"delete" nor "write" got a plan deleting or overwriting a file. Whatever found it, a tool declaring side effects
(``ToolSpec.side_effects``: the built-ins' flag, a described tool's, an MCP tool's ``destructiveHint`` / no
``readOnlyHint``) serves a step only when the clause says one of the actions the tool's own name and
capabilities name (delete, send, write, run, pay, or the tool's own verb: "reset" for reset_counter). Otherwise
the step goes to the next harmless tool selection found eligible, or is reported missing, naming them."""

from __future__ import annotations

from orchestra.analysis.conditional import CHANGING
from orchestra.analysis.models import TaskStep
from orchestra.analysis.words import base_verb, stem, words
from orchestra.lazy_regex import lazy_compile
from orchestra.registry import ToolRegistry
from orchestra.selection.models import CREATION_REQUIRED, ToolSelection
from orchestra.selection.selector import ranked_for
from orchestra.tool_spec import ToolSpec


def _said(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The actions a side-effecting tool may do, each with the verbs a user says it with (base forms).
ACTIONS: dict[str, frozenset[str]] = {
    "delete": _said(
        "delete remove erase wipe trash discard destroy purge unlink rm clear clean shred drop scrap nuke expunge "
        "dispose rid"
    ),
    "send": _said(
        "send post mail email e-mail message notify publish upload tweet share deliver forward reply dm submit "
        "broadcast announce alert ping"
    ),
    "write": _said(
        "write overwrite save store append export put dump persist create copy move rename replace update edit "
        "modify insert add download"
    ),
    "run": _said("run execute exec launch invoke start call"),
    "pay": _said("pay charge purchase buy transfer refund"),
}
# The analysis's names of a verb (``TaskStep.capability``) for some actions, besides the verbs said.
_ANALYSED = {"send": _said("text sms"), "run": _said("shell spawn")}
# The names a tool's words give each action (stemmed, as ``words.terms`` makes them).
_TOOL_WORDS: dict[str, frozenset[str]] = {
    action: frozenset(stem(w) for w in said.split())
    for action, said in {
        "delete": "delete remove erase unlink purge destroy trash",
        "send": "send post mail email message notify publish upload tweet sms slack",
        "write": "write overwrite save store append persist",
        "run": "run execute exec shell command process launch",
        "pay": "pay payment charge purchase transfer refund",
    }.items()
}
# A clause's words as written: "post-process" and "trash-talk" are one word, no "post" nor "trash".
_CLAUSE_WORD = lazy_compile(r"[a-z0-9]+(?:[-'\u2019][a-z0-9]+)*", 0)
# A word saying the verb after it is not done: "do not delete", "never send", "don't publish".
_NOT = frozenset({"not", "never", "don't", "dont", "don\u2019t", "without", "no"})
# A verb with the words after it saying another thing: "trash talk about a.txt" deleted a.txt, "save me some time:
# summarize a.txt" wrote a file.
_IDIOMS = lazy_compile(
    r"\b(?:trash[\s-]+talk\w*|run(?:s|ning)?\s+(?:through|down|out)|drop(?:s|ped|ping)?\s+by"
    r"|sav(?:e|es|ed|ing)\s+(?:\w+\s+){0,2}(?:time|effort|trouble|breath))\b"
)


def actions_of(spec: ToolSpec) -> set[str]:
    """The actions a side-effecting tool's own name and capabilities say (its description is read only when they
    say none: "cannot be restored", "removes it online" are no work of its own)."""
    named = {stem(w) for w in words(" ".join((spec.name, *spec.capabilities)))}
    found = {action for action, said in _TOOL_WORDS.items() if said & named}
    if found:
        return found
    described = {stem(w) for w in words(spec.description)}
    return {action for action, said in _TOOL_WORDS.items() if said & described}


def verbs_said(action: str) -> set[str]:
    """The base forms of a clause's words, but those said not to be done ("do not delete a.txt")."""
    said = _CLAUSE_WORD.findall(_IDIOMS.sub(" ", action.lower()))
    return {base_verb(w) for i, w in enumerate(said) if not (_NOT & set(said[max(0, i - 2) : i]))}


def unasked(step: TaskStep, spec: ToolSpec) -> str | None:
    """Why a tool with side effects may not serve the step: its clause says none of the tool's actions; None
    when it does, or the tool changes and sends nothing."""
    if not spec.side_effects:
        return None
    said = verbs_said(step.action)
    if not _IDIOMS.search(step.action.lower()):
        # the analysis's reading of the verb: "throw away" is a delete, "kick off" / "spawn" a start, "text it to
        # Bob" a send; an idiom's ("trash talk") is not taken for one
        said.add(step.capability)
    actions = actions_of(spec)
    if actions:
        if any((ACTIONS[a] | _ANALYSED.get(a, frozenset())) & said for a in actions):
            return None
        return f"{spec.name} would {' / '.join(sorted(actions))}, which the step's words do not ask"
    # a tool of no action named above: one whose words say a change (reset_counter, deploy_site) serves a clause
    # saying its name's verb or that change ("show the counter" is no reset); one saying none (an MCP tool without
    # a readOnlyHint, "get_forecast", is taken to have side effects only to be retried safely) is not held back
    changes = {base_verb(w) for w in words(f"{spec.name} {spec.description}")} & CHANGING
    if not changes or ({base_verb(w) for w in words(spec.name)[:1]} | changes) & said:
        return None
    return f"{spec.name} changes something the step's words do not ask"


def without_unasked(
    selections: list[ToolSelection], steps: list[TaskStep], registry: ToolRegistry
) -> list[ToolSelection]:
    """Each selection whose tool would change or send what its clause does not ask: moved to the best harmless
    alternative selection found, else left without a tool (creation required), naming them."""
    by_id = {s.id: s for s in steps}
    out = []
    for sel in selections:
        step = by_id.get(sel.step)
        if sel.selected is None or step is None or sel.selected.tool not in registry:
            out.append(sel)
            continue
        why = unasked(step, registry.get(sel.selected.tool).spec)
        if why is None:
            out.append(sel)
            continue
        harmless = [
            alt
            for alt in sel.alternatives
            if alt.tool in registry and unasked(step, registry.get(alt.tool).spec) is None
        ]
        if harmless:
            first, *rest = harmless
            reason = f"{first.tool} (the best, {why})"
            out.append(sel.model_copy(update={"selected": first, "alternatives": rest, "reason": reason}))
            continue
        safe = [
            f"{r.tool} ({r.coverage:.0%} of the words)"
            for r in ranked_for(step, registry)
            if r.tool in registry and not registry.get(r.tool).spec.side_effects
        ][:3]
        nearest = f"; nearest without side effects: {', '.join(safe)}" if safe else ""
        reason = f"{CREATION_REQUIRED} ({why}{nearest})"
        out.append(sel.model_copy(update={"selected": None, "alternatives": [], "reason": reason}))
    return out
