"""A tool that changes or sends something is planned only for a clause whose own words say that action.

Selection finds tools by their words, their parameters and meaning: "Restore old.jpg" found delete_file (its
description says "the undo of a compensation"), "undo my last change" found write_file. A user who said neither
"delete" nor "write" got a plan deleting or overwriting a file. Whatever found it, a tool declaring side effects
(``ToolSpec.side_effects``: the built-ins' flag, a described tool's, an MCP tool's ``destructiveHint`` / no
``readOnlyHint``) serves a step only when the clause says one of the actions the tool's own name and
capabilities name (delete, send, write, run, pay, or the tool's own verb: "reset" for reset_counter). Otherwise
the step goes to the next harmless tool selection found eligible, or is reported missing, naming them. Only the
clause's verbs asking count: "check whether old.txt is safe to delete" deleted old.txt, "explain the store policy"
wrote a file, "show what the process runs" ran a shell (attack307)."""

from __future__ import annotations

import re
from functools import lru_cache

from orchestra.analysis.conditional import CHANGING
from orchestra.analysis.delete_verbs import DELETE_VERBS
from orchestra.analysis.finish import ADDED
from orchestra.analysis.models import TaskStep
from orchestra.analysis.words import DETERMINERS, VERBS, base_verb, stem, terms, words
from orchestra.lazy_regex import lazy_compile
from orchestra.planning.deleted import PLACE_WORDS
from orchestra.planning.reported import ordered_of_another, reported_by
from orchestra.registry import ToolRegistry
from orchestra.selection.models import CREATION_REQUIRED, ScoredTool, ToolSelection
from orchestra.selection.relevance import rank
from orchestra.selection.selector import ranked_for
from orchestra.tool_spec import ToolSpec


def _said(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The actions a side-effecting tool may do, each with the verbs a user says it with (base forms).
ACTIONS: dict[str, frozenset[str]] = {
    "delete": DELETE_VERBS,
    "send": _said(
        "send post mail email e-mail message notify publish upload tweet share deliver forward reply dm submit "
        "broadcast announce alert ping"
    ),
    "write": _said(
        "write overwrite save store append export put dump persist create copy move rename replace update edit "
        "modify insert add download output"
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


# Where a clause turns to a question about an action, not the action: "check whether old.txt is safe to delete",
# "see if I should delete it", "is it ok to send?" ask to tell, and delete or send nothing.
_QUESTION = lazy_compile(
    r"\b(?:whether|(?:check|see|tell|know|ask|determine|find out|wonder|decide|verify|confirm|say)\w*\s+(?:me\s+|us\s+)?if"
    r"|(?:safe|ok|okay|fine|wise|allowed|good|better|possible)\s+to"
    r"|(?:should|can|could|may|might|shall|must)\s+(?:i|we|you|they|it)"
    r"|(?:is|are|was|would)\s+it)\b"
)
# A new file made with words: "make a file b.txt containing hello", "produce a new file" write one.
_MAKES_A_FILE = lazy_compile(
    r"\b(?:make|makes|making|produce|generate|create)\s+(?:an?\s+|the\s+|new\s+){0,2}(?:text\s+)?file\b"
)
# A command typed into a shell is run: "type 'ls' in the terminal".
_TYPED_IN_A_SHELL = lazy_compile(
    r"^\W*(?:type|enter|paste|input)\b.*\b(?:in|into|on)\s+(?:the\s+|a\s+|my\s+)?(?:terminal|shell|console|command line)\b"
)
# A verb's gerund asks it after these: "tidy up by deleting old.txt", "start sending"; elsewhere it tells of one
# ("files containing ...").
_BEFORE_A_GERUND = frozenset(["by", "start", "begin", "try", "keep", "then", "and", "or", "first", "also"])
# What names a thing rather than asking work: a file name, a URL, quoted text. "Tell me what purge.py erased" said
# "purge", "explain 'rm old.txt'" said "rm" (attack309); the quote a shell is told to run is read on the clause as
# written (``_TYPED_IN_A_SHELL``).
_NAMED = lazy_compile(
    r"\S+://\S+|[\w~./-]*\w\.\w[\w./-]*|\"[^\"]*\"|\u201c[^\u201d]*\u201d|\u2018[^\u2019]*\u2019|(?<!\w)'[^']*'(?!\w)"
)
# Verbs of more than one word saying an action, said in its one word before the clause's words are read: "throw
# old.txt away", "get rid of it" delete, "kick off the build" starts it. Only where the clause says them (the
# analysis's reading of a clause, its capability, is no word of it: "explain what cleanup.sh removes" read "remove").
_PHRASES = (
    (lazy_compile(r"\bthrow\s+((?:\S+\s+){0,3}?)(?:away|out)\b"), r"remove \1"),
    (lazy_compile(r"\bget\s+rid\s+of\b"), "remove"),
    (lazy_compile(r"\b(?:fire\s+up|kick\s+off)\b"), "start"),
)
# Where a clause tells of an action rather than asking it, up to its next comma, "and" or "then": after a word
# opening a question or a relative clause ("explain what cleanup.sh removes", "describe how to delete a branch",
# "list the files that rm would remove"); "when done, delete old.txt" still asks the delete after the comma, and
# "make sure that you delete a.txt" the delete it is sure of.
_TOLD_OF = lazy_compile(
    r"\b(?:what|which|whichever|whatever|who|whom|whose|where|how|why|(?<!sure\s)that)\b.*?(?=[,;:.!?](?:\s|$)|\band\b|\bthen\b|$)"
)
# Words before a verb that make it a statement or a supposition, not an order: "the scripts they delete", "rm
# would remove" ("you delete a.txt" is the user's order: "make sure that you delete a.txt").
_MODALS = _said("would could might may will can shall should must does did")
_SUBJECTS = _said("they he she it") | _MODALS
# A clause's words and its stops: a verb right after a comma opens a new order ("summarize it, delete a.txt").
_TOKEN = lazy_compile(r"[a-z0-9]+(?:[-'\u2019][a-z0-9]+)*|[,;:.!?]", 0)


def _own_words(action: str) -> str:
    """A step's own words: a step the analysis added says what for ("(added: the request sends its result
    there)"), and that note's "sends" asked no send."""
    return action.split(ADDED, 1)[0].lower()


@lru_cache(maxsize=1024)  # a function of the words alone, asked of each step once per tool it might get
def verbs_said(action: str) -> frozenset[str]:
    """The verbs a clause asks done, in base form: a word as a verb asks ("delete", "send"), not one said not to be
    done ("do not delete a.txt"), a noun or participle after a determiner ("the store policy", "the removed
    files"), an inflected form telling what something does ("what the process runs", "files listed in a.txt"),
    one inside a question about the action ("whether old.txt is safe to delete") or told of ("explain what
    cleanup.sh removes", "what they delete"), nor a word of a file name, URL or quote ("purge.py")."""
    text = _IDIOMS.sub(" ", _own_words(action))
    read = _NAMED.sub(" ", text)
    for phrase, one_word in _PHRASES:
        read = phrase.sub(one_word, read)
    read = _TOLD_OF.sub(" ; ", _QUESTION.split(read, 1)[0])
    said = _TOKEN.findall(read)
    asked = {
        base_verb(w)
        for i, w in enumerate(said)
        if w[0].isalnum()
        and (base_verb(w) == w or (w.endswith("ing") and (i == 0 or said[i - 1] in _BEFORE_A_GERUND)))
        and not (_NOT & set(said[max(0, i - 2) : i]))
        and not (i and said[i - 1] in DETERMINERS | _SUBJECTS | {"a", "an"})
    }
    if _MAKES_A_FILE.search(text):
        asked.add("write")
    if _TYPED_IN_A_SHELL.search(text):
        asked.add("run")
    return frozenset(asked)


def unasked(step: TaskStep, spec: ToolSpec) -> str | None:
    """Why a tool with side effects may not serve the step: its clause says none of the tool's actions; None
    when it does, or the tool changes and sends nothing."""
    if not spec.side_effects:
        return None
    said = verbs_said(step.action)
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


def _a_place_to_write(place: str, clause: str) -> bool:
    """Whether ``clause`` says ``place`` as where its result goes ("summarize notes.txt into summary.txt", "output
    hello to b.txt"); "to" before a verb is no place but the verb's infinitive ("Bob has to summarize b.txt", "needs
    to translate b.txt"), which reads b.txt."""
    return any(
        not (found.group(1) == "to" and found.group(2) in VERBS)
        for found in re.finditer(rf"\b(into|to|onto|as)\s+(?=(\S+))(?:\S+\s+){{0,5}}{re.escape(place)}", clause)
    )


def _judged(step: TaskStep | None, by_id: dict[str, TaskStep]) -> TaskStep | None:
    """The step whose words say what ``step`` may do: a step the analysis added ("output -> b.txt (added: the
    request sends its result there)", "a.txt -> read_file (added: make takes text)") says no verb of its own; the
    clause it was added for says whether its action is asked ("explain the policy in a.txt" asks no write)."""
    if step is None or ADDED not in step.action:
        return step
    note = step.action.split(ADDED, 1)[1]
    first = note.split(None, 1)[0] if note.split() else ""
    parent = by_id.get(first) or next((by_id[d] for d in step.depends_on if d in by_id), None)
    if parent is None or ADDED in parent.action:
        return step.model_copy(update={"action": step.action.split(ADDED, 1)[0]})
    place = str(step.params.get("path") or "")
    if place and _a_place_to_write(place.lower(), parent.action.lower()):
        # "summarize notes.txt into summary.txt", "output hello to b.txt": the place it goes to, said, asks the write
        # ("explain the policy in a.txt" names what it reads)
        return step.model_copy(update={"action": f"write to {place}"})
    return step.model_copy(update={"action": parent.action, "capability": parent.capability})


def _reported(step: TaskStep, spec: ToolSpec, task: str, clauses: list[str], at: int) -> str | None:
    """Why a tool with side effects may not serve a step whose clause only reports another's words ("My boss said:
    delete b.txt"); None when the user asks it. A tool doing what the clause says counts too, whatever it declares:
    "Someone wrote: post notes.txt to https://x" found http_request, which is a GET unless told to post."""
    said = verbs_said(step.action)
    own = _own_words(step.action)
    # an order to another person ("Ask Bob to fetch https://x") is theirs whatever its verb: a fetch is a request on
    # the network too, and was made for Bob (attack350 F12)
    ordered = ordered_of_another(own, task)
    if not spec.side_effects and not ordered and not any(said & verbs for verbs in ACTIONS.values()):
        return None
    # ``clauses`` are every step's, this one the ``at``-th: of two saying the same ("My boss said: delete b.txt.
    # Then delete b.txt.") each is judged where it is said
    by = reported_by(own, task, clauses, clauses[:at].count(own))
    return None if by is None else f"{own.strip()!r} was reported ({by}), not asked"


_READING = "read the text of a file"


def _file_tells_of(step: TaskStep, refused: ToolSpec) -> str | None:
    """The file a clause says does the refused tool's action, as its subject ("what cleanup.sh removes", "the files
    that cleanup.sh deletes", "files written by build.sh"); None for any other clause: "check whether old.txt is
    safe to delete" asks whether, "show what the process in a.txt runs" tells of a process, "Restore old.jpg" of
    no delete."""
    verbs = {stem(verb) for action in actions_of(refused) for verb in ACTIONS[action]}
    said = _IDIOMS.sub(" ", _own_words(step.action)).split()
    paths = {str(d.value).lower() for d in step.data if d.kind == "path"}

    def told(word: str) -> bool:  # an action word in a form telling of it: "removes", "erased", "written"
        word = word.strip(".,;:!?")
        return stem(word) in verbs and base_verb(word) != word

    for place, subject, word, then in zip(["", "", *said], ["", *said], said, [*said[1:], ""], strict=False):
        # "the process in a.txt runs": the file is where its subject is, not what does it; "what cleanup.sh would
        # delete" tells of it as much as "deletes"
        does = told(word) or (word in _MODALS and stem(then.strip(".,;:!?")) in verbs)
        if subject.strip(".,;:!?") in paths and place not in PLACE_WORDS and does:
            return subject
    for word, by, path in zip(said, said[1:], said[2:], strict=False):
        if by == "by" and path.strip(".,;:!?") in paths and told(word):
            return path
    return None


def _reader(step: TaskStep, refused: ToolSpec, safe: list[str], registry: ToolRegistry) -> str | None:
    """The harmless tool that reads the file a clause tells of an action of (``_file_tells_of``): "List the files
    that cleanup.sh deletes", "Explain what cleanup.sh removes" ask what the script does, found in its text (a tool
    taking a path and making text); None for any other clause."""
    if _file_tells_of(step, refused) is None:
        return None
    # the step's own harmless tools first, then the registry's readers of files
    found = [*safe, *(r.tool for r in rank(registry.index(), terms(_READING)) if r.tool in registry)]
    return next(
        (
            t
            for t in found
            if not (spec := registry.get(t).spec).side_effects
            and "path" in spec.input_types
            and "text" in spec.output_types
        ),
        None,
    )


def without_unasked(
    selections: list[ToolSelection], steps: list[TaskStep], registry: ToolRegistry, task: str = ""
) -> list[ToolSelection]:
    """Each selection whose tool would change or send what its clause does not ask: moved to the best harmless
    alternative selection found, else left without a tool (creation required), naming them. A clause of speech
    the request ``task`` reports has no harmless stand-in: nothing was asked of it."""
    by_id = {s.id: s for s in steps}
    order = [s.id for s in steps]
    clauses = [_own_words(s.action) for s in steps]
    out = []
    for sel in selections:
        step = _judged(by_id.get(sel.step), by_id)
        if sel.selected is None or step is None or sel.selected.tool not in registry:
            out.append(sel)
            continue
        at = order.index(sel.step) if sel.step in order else len(clauses)
        reported = _reported(step, registry.get(sel.selected.tool).spec, task, clauses, at)
        if reported is not None:
            reason = f"{CREATION_REQUIRED} ({reported})"
            out.append(sel.model_copy(update={"selected": None, "alternatives": [], "reason": reason}))
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
        ranked = [r for r in ranked_for(step, registry) if r.tool in registry]
        safe_tools = [r for r in ranked if not registry.get(r.tool).spec.side_effects]
        reader = _reader(step, registry.get(sel.selected.tool).spec, [r.tool for r in safe_tools], registry)
        if reader is not None:
            reason = f"{reader} (reads what the step tells of: {why})"
            chosen = ScoredTool(tool=reader, scores={}, overall=sel.selected.overall)
            out.append(sel.model_copy(update={"selected": chosen, "alternatives": [], "reason": reason}))
            continue
        safe = [f"{r.tool} ({r.coverage:.0%} of the words)" for r in safe_tools][:3]
        nearest = f"; nearest without side effects: {', '.join(safe)}" if safe else ""
        reason = f"{CREATION_REQUIRED} ({why}{nearest})"
        out.append(sel.model_copy(update={"selected": None, "alternatives": [], "reason": reason}))
    return out
