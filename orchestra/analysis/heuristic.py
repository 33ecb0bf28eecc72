"""The offline backend: reads a task with rules, no model and no network.

1. The data the task names (URLs, e-mail addresses, JSON, commands, quoted text, paths, durations) is
   taken out and replaced by placeholders, so punctuation inside it cannot confuse what follows.
2. The text is cut into clauses at sentence ends, list items, commas and "and"/"then" before a verb;
   "then", "after that", "next", "finally" mark an ordering, "X after Y" and "before Y, X" are reordered.
3. Each clause becomes a step: its verb (or a noun the registry knows as a capability, like
   "weather") names the capability; extraction targets, output paths, languages, commands and
   durations become hints for the tool's arguments.
4. Steps are chained: a step that says "it"/"them"/"the titles", or has no input of its own, uses the
   previous step's output; several items (three URLs, "for each") fan out into one call per item,
   and a sink (write, send, upload) collects them.
5. Types are bridged from the registry: a step given a URL or path that its tools cannot take gets a
   converter step before it (url -> fetch, path -> read), found by input/output types.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from orchestra.analysis.finish import finish_analysis
from orchestra.analysis.lexicon import ANAPHORA, EXTRACTIONS, GENERIC_NOUNS, NUMBER_WORDS, VERBS, Action, aliases
from orchestra.analysis.models import DataItem, TaskAnalysis, TaskAnalysisError, TaskStep
from orchestra.registry import ToolRegistry

URL_RE = re.compile(r"https?://[^\s,;'\"<>()\[\]]+")
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
COMMAND_RE = re.compile(r"`([^`]+)`")
DQUOTE_RE = re.compile(r"\"([^\"]+)\"")
SQUOTE_RE = re.compile(r"(?:(?<=\s)|^)'([^']+)'(?=[\s,.;:]|$)")
EXTENSIONS = "json|txt|csv|tsv|md|html|htm|yaml|yml|xml|log|pdf|png|jpg|jpeg|gif|py|sh|ini|toml|cfg|out|js|ts"
PATH_RE = re.compile(
    rf"(?<![\w@/.])(?:\.{{0,2}}/)?(?:[\w.\-]+/)*[\w\-]+\.(?:{EXTENSIONS})\b|(?<![\w@/])(?:\.{{1,2}}/|/)?(?:[\w\-]+/)+(?=[\s,;:]|$)"
)
SECONDS_RE = re.compile(r"\b(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|minutes?|mins?)\b")
PLACEHOLDER = re.compile(r"@([a-z])(\d+)")
ORDER_WORDS = ("and then", "then", "after that", "afterwards", "next", "finally", "and finally", "subsequently")
SEPARATOR = re.compile(
    r"\s*(,|;|:|\band then\b|\bthen\b|\band\b|\bafter that\b|\bafterwards\b|\bnext\b|\bfinally\b)\s*"
)
LANGUAGES = {"english": "en", "french": "fr", "german": "de", "spanish": "es", "italian": "it", "dutch": "nl",
             "portuguese": "pt", "japanese": "ja", "chinese": "zh", "russian": "ru", "polish": "pl"}  # fmt: skip
KIND_OF: dict[str, Any] = {
    "u": "url",
    "e": "text",
    "c": "command",
    "j": "json",
    "q": "text",
    "p": "path",
    "d": "number",
}
FAN_OUT_WORDS = ("for each", "for every", "each of", "every one of", "one by one")


@dataclass
class _Clause:
    text: str
    ordered: bool = False  # a "then"/"after" word put it after the previous clause
    for_each: bool = False


@dataclass
class _Extracted:
    text: str
    items: list[DataItem] = field(default_factory=list)


def analyse_heuristic(task: str, registry: ToolRegistry) -> TaskAnalysis:
    task = task.strip()
    if not task:
        raise TaskAnalysisError("the task is empty")
    vocabulary = _vocabulary(registry)
    extracted = _extract_data(task)
    notes: list[str] = []
    clauses = _clauses(extracted.text)
    steps: list[TaskStep] = []
    pending_for_each = False
    for clause in clauses:
        step = _step_for(clause, extracted, vocabulary, {s.id for s in steps}, registry)
        if step is None:
            # No action here: its data belongs to the previous step ("download A, B and C").
            if steps and clause.text.strip():
                steps[-1].data += _items_in(clause.text, extracted)
            if clause.for_each:
                pending_for_each = True
            continue
        if pending_for_each:
            clause.for_each, pending_for_each = True, False
        _link(step, clause, steps)
        steps.append(step)
    steps = _relocate_urls(steps)
    steps = _bridge_types(steps, registry, notes)
    _fan_out(steps)
    notes += _count_checks(task, extracted)
    return finish_analysis(task, "heuristic", steps, registry, notes)


# --- data -----------------------------------------------------------------------------------------


def _extract_data(task: str) -> _Extracted:
    out = _Extracted(task)

    def take(regex: re.Pattern[str], kind_code: str, group: int = 0, convert: Any = None) -> None:
        def repl(match: re.Match[str]) -> str:
            raw = match.group(group) if group else match.group(0)
            if kind_code in ("u", "p"):
                raw = raw.rstrip(".")
            value = convert(raw) if convert else raw
            out.items.append(DataItem(kind=KIND_OF[kind_code], value=value))
            return f" @{kind_code}{len(out.items) - 1} "

        out.text = regex.sub(repl, out.text)

    take(COMMAND_RE, "c", 1)
    take(URL_RE, "u")
    _take_json(out)
    take(EMAIL_RE, "e")
    take(DQUOTE_RE, "q", 1)
    take(SQUOTE_RE, "q", 1)
    take(PATH_RE, "p")
    take(SECONDS_RE, "d", 0, _seconds)
    return out


def _seconds(text: str) -> float:
    match = SECONDS_RE.fullmatch(text.strip())
    assert match is not None
    value, unit = float(match.group(1)), match.group(2)
    if unit.startswith("m") and unit.startswith(("ms", "milli")):
        return value / 1000
    return value * 60 if unit.startswith("min") else value


def _take_json(out: _Extracted) -> None:
    decoder = json.JSONDecoder()
    text, i, pieces = out.text, 0, []
    while i < len(text):
        if text[i] in "{[":
            try:
                value, end = decoder.raw_decode(text, i)
            except ValueError:
                value, end = None, i
            if isinstance(value, dict | list) and value and end - i > 2:
                out.items.append(DataItem(kind="json", value=value))
                pieces.append(f" @j{len(out.items) - 1} ")
                i = end
                continue
        pieces.append(text[i])
        i += 1
    out.text = "".join(pieces)


def _items_in(text: str, extracted: _Extracted) -> list[DataItem]:
    return [extracted.items[int(m.group(2))] for m in PLACEHOLDER.finditer(text)]


# --- clauses --------------------------------------------------------------------------------------


def _clauses(text: str) -> list[_Clause]:
    sentences = re.split(r"[.!?](?:\s+|$)|\n+|(?:^|\s)\d+[.)]\s+|(?:^|\n)\s*[-*\u2022]\s+", text)
    clauses: list[_Clause] = []
    for sentence in sentences:
        if not sentence or not sentence.strip():
            continue
        parts = SEPARATOR.split(sentence)
        current: _Clause | None = None
        ordered = False
        for index, part in enumerate(parts):
            part = part.strip()
            if index % 2 == 1:  # a separator
                ordered = ordered or part.lower() in ORDER_WORDS
                continue
            if not part:
                continue
            lowered = part.lower()
            for_each = any(w in lowered for w in FAN_OUT_WORDS)
            if current is None or _starts_with_action(part) or for_each:
                for first, second in _reorder(part):
                    current = _Clause(first, ordered=ordered or second, for_each=for_each)
                    clauses.append(current)
                ordered = False
            else:
                current.text += " " + part
                current.for_each = current.for_each or for_each
    return clauses


def _reorder(part: str) -> list[tuple[str, bool]]:
    """'write X after fetching Y' -> [fetch Y, write X]; 'before writing X, fetch Y' is handled by commas."""
    match = re.match(r"(.+?)\s+\bafter\b\s+(.+)", part, flags=re.IGNORECASE)
    if match and _starts_with_action(match.group(2)) and _starts_with_action(match.group(1)):
        return [(match.group(2), False), (match.group(1), True)]
    match = re.match(r"\s*(?:first|please|also)?\s*\bafter\b\s+(.+)", part, flags=re.IGNORECASE)
    if match and _starts_with_action(match.group(1)):
        return [(match.group(1), False)]
    return [(part, False)]


WORD_RE = re.compile(r"@[a-z]\d+|[A-Za-z][A-Za-z_\-']*")
DETERMINERS = frozenset(
    {
        "the",
        "a",
        "an",
        "these",
        "those",
        "this",
        "that",
        "all",
        "some",
        "my",
        "our",
        "its",
        "their",
        "each",
        "every",
        "also",
        "with",
        "of",
        "in",
        "on",
        "from",
        "into",
        "for",
        "as",
    }
)
FILLER = frozenset({"please", "also", "first", "then", "and", "now", "finally", "next", "just", "to", "you", "can"})


def _words(text: str) -> list[str]:
    return [w.lower() for w in WORD_RE.findall(text)]


def _verb(word: str) -> Action | None:
    for form in (word, word.rstrip("s"), word[:-2] if word.endswith("es") else word):
        if form in VERBS:
            return VERBS[form]
    if word.endswith("ing"):
        stem = word[:-3]
        for form in (stem, stem + "e", stem[:-1]):
            if form in VERBS:
                return VERBS[form]
    return None


def _starts_with_action(text: str) -> bool:
    words = [w for w in _words(text) if w not in FILLER]
    return bool(words) and (_verb(words[0]) is not None or words[0] in _REGISTRY_VERBS)


# Capability words of the loaded registry that read like verbs ("geocode ..."): set per analysis.
_REGISTRY_VERBS: set[str] = set()


def _vocabulary(registry: ToolRegistry) -> dict[str, int]:
    counts: dict[str, int] = {}
    for tool in registry:
        for capability in tool.spec.capabilities:
            counts[capability] = counts.get(capability, 0) + 1
    _REGISTRY_VERBS.clear()
    _REGISTRY_VERBS.update(c for c in counts if c not in GENERIC_NOUNS and c not in VERBS)
    return counts


# --- steps ----------------------------------------------------------------------------------------


def _step_for(
    clause: _Clause, extracted: _Extracted, vocabulary: dict[str, int], taken: set[str], registry: ToolRegistry
) -> TaskStep | None:
    words = _words(clause.text)
    action: Action | None = None
    verb_word = ""
    for word in words:
        action = _verb(word)
        if action is not None:
            verb_word = word
            break
    # A specific noun the registry knows ("weather", "geocode", "dns") names the capability better
    # than a generic verb ("get").
    nouns = [
        w
        for w in words
        if w in vocabulary and w not in GENERIC_NOUNS and (action is None or w not in aliases(action.capability))
    ]
    if action is None and not nouns:
        content = [w for w in words if w not in FILLER and not w.startswith("@")]
        if not content or content[0] in DETERMINERS or content[0] in NUMBER_WORDS:
            return None
        # An action nobody knows: keep it as a step, so selection reports "creation required".
        action = Action(content[0])
        verb_word = content[0]
    capability = nouns[0] if nouns else action.capability  # type: ignore[union-attr]
    data = _items_in(clause.text, extracted)
    params: dict[str, Any] = {}
    if action and not nouns:
        produces, consumes = list(action.produces), action.consumes
    else:  # a capability named by the registry: its tools say what it takes and makes
        serving = registry.find_by_capability(capability)
        produces = list(dict.fromkeys(t for tool in serving for t in tool.spec.output_types))
        consumes = tuple(dict.fromkeys(t for tool in serving for t in tool.spec.input_types))
    sink = bool(action and action.sink) and not nouns
    side_effects = bool(action and action.side_effects)
    if action is not None and action.capability == "extract":
        for word in words:
            if word in EXTRACTIONS:
                mode, pattern = EXTRACTIONS[word]
                params["mode"] = mode
                if pattern:
                    params["pattern"] = pattern
                break
        quoted = [d.value for d in data if d.kind == "text" and "@" not in str(d.value)]
        if "mode" not in params and quoted:
            params.update(mode="regex", pattern=quoted[0])
    if action is not None and action.sink:
        paths = [d for d in data if d.kind == "path"]
        if paths:
            params["path"] = paths[0].value
            data = [d for d in data if d is not paths[0]]
    if action is not None and action.capability in ("read", "list"):
        paths = [d for d in data if d.kind == "path"]
        if paths:
            params["path"] = paths[0].value
    if action is not None and action.capability == "sleep":
        numbers = [d.value for d in data if d.kind == "number"]
        params["seconds"] = numbers[0] if numbers else 1.0
    if action is not None and action.capability == "shell":
        commands = [d.value for d in data if d.kind == "command"] or [
            d.value for d in data if d.kind == "text" and d.value
        ]
        if commands:
            params["cmd"] = commands[0]
            data = [DataItem(kind="command", value=c) for c in commands]
    if action is not None and action.capability == "query":
        quoted = [d.value for d in data if d.kind == "text"]
        if quoted:
            params["expression"] = quoted[0]
    if action is not None and action.capability == "template":
        quoted = [d.value for d in data if d.kind == "text"]
        if quoted:
            params["template"] = quoted[0]
    for word in words:
        if word in LANGUAGES:
            params["target_language"] = LANGUAGES[word]
    emails = [d.value for d in data if d.kind == "text" and EMAIL_RE.fullmatch(str(d.value))]
    if emails:
        params["to"] = emails[0]
    keywords = [w for w in words if not w.startswith("@") and len(w) > 2 and w not in FILLER]
    base = re.sub(r"\W", "_", verb_word or capability) or "step"
    step_id, n = base, 2
    while step_id in taken:
        step_id, n = f"{base}_{n}", n + 1
    return TaskStep(
        id=step_id,
        action=PLACEHOLDER.sub(lambda m: _show(extracted.items[int(m.group(2))]), clause.text).strip(),
        capability=capability,
        keywords=keywords,
        accepts=list(consumes),
        produces=produces,
        data=data,
        params=params,
        fan_out=clause.for_each,
        aggregate=sink,  # provisional: a sink collects only if what it follows fans out (see _fan_out)
        side_effects=side_effects,
    )


def _show(item: DataItem) -> str:
    return item.value if isinstance(item.value, str) else json.dumps(item.value)


def _link(step: TaskStep, clause: _Clause, before: list[TaskStep]) -> None:
    """Decide whether ``step`` uses the previous step's output (data), only follows it (ordering), or neither."""
    consumes = set(step.accepts)
    own_input = [d for d in step.data if d.kind in consumes or (not consumes and d.kind in ("url", "path", "json"))]
    given: list[str] = list(dict.fromkeys(str(d.kind) for d in step.data if d.kind != "number"))
    if not before:
        # What the task hands this step is what its tool must take.
        step.accepts = given or step.accepts
        return
    previous = before[-1]
    words = set(_words(clause.text))
    refers_back = bool(words & ANAPHORA)
    if refers_back or not own_input:
        # The data comes from the last step that makes any (a "wait" in between only orders).
        source = next((s for s in reversed(before) if s.produces), previous)
        step.depends_on = list(dict.fromkeys([source.id, previous.id]))
        step.accepts = list(dict.fromkeys([*source.produces, *step.accepts]))
    else:
        if clause.ordered:
            step.depends_on = [previous.id]
        step.accepts = given or step.accepts


def _relocate_urls(steps: list[TaskStep]) -> list[TaskStep]:
    """URLs given in a clause that cannot use them ("... write them to x.json: URL URL") go to the fetch step."""
    fetchers = [s for s in steps if "url" in s.accepts]
    if not fetchers:
        return steps
    for step in steps:
        if step is fetchers[0] or "url" in step.accepts:
            continue
        urls = [d for d in step.data if d.kind == "url"]
        if urls and step.depends_on:
            step.data = [d for d in step.data if d.kind != "url"]
            fetchers[0].data += urls
    return steps


def _bridge_types(steps: list[TaskStep], registry: ToolRegistry, notes: list[str]) -> list[TaskStep]:
    """Insert a converter before a step whose tools cannot take the data it was given (url -> fetch, path -> read)."""
    out: list[TaskStep] = []
    taken = {s.id for s in steps}
    for step in steps:
        tools = [t for a in aliases(step.capability) for t in registry.find_by_capability(a)]
        takes = {t for tool in tools for t in tool.spec.input_types}
        given = [d for d in step.data if d.kind in ("url", "path") and step.params.get("path") != d.value]
        kinds = list(dict.fromkeys(d.kind for d in given))
        if step.depends_on or not kinds or not tools or any(k in takes for k in kinds):
            out.append(step)
            continue
        kind = kinds[0]
        action = VERBS["fetch"] if kind == "url" else VERBS["read"]
        converters = [t for t in registry.find_by_capability(action.capability) if kind in t.spec.input_types]
        converters += [t for a in action.aliases for t in registry.find_by_capability(a) if kind in t.spec.input_types]
        if not converters:
            out.append(step)
            continue
        bridge_id, n = action.capability, 2
        while bridge_id in taken:
            bridge_id, n = f"{action.capability}_{n}", n + 1
        taken.add(bridge_id)
        items = [d for d in given if d.kind == kind]
        bridge = TaskStep(
            id=bridge_id,
            action=f"{action.capability} {', '.join(str(d.value) for d in items)} (added: {step.id} needs {', '.join(sorted(takes))})",
            capability=action.capability,
            keywords=[action.capability, *action.aliases],
            accepts=[kind],
            produces=list(action.produces),
            data=items,
            params={"path": items[0].value} if kind == "path" and len(items) == 1 else {},
            depends_on=[],
        )
        notes.append(f"added step {bridge_id!r}: {step.id!r} is given {kind} data but its tools take {sorted(takes)}")
        step.data = [d for d in step.data if d not in items]
        step.depends_on = [bridge_id]
        step.accepts = list(bridge.produces)
        out += [bridge, step]
    return out


def _fan_out(steps: list[TaskStep]) -> None:
    """Several items -> one call per item; steps after a fanned-out one follow it per item, sinks collect."""
    by_id = {s.id: s for s in steps}
    for step in steps:
        own = [d for d in step.data if d.kind in step.accepts and d.kind in ("url", "path", "command", "json")]
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


def _count_checks(task: str, extracted: _Extracted) -> list[str]:
    notes = []
    lowered = task.lower()
    urls = sum(1 for d in extracted.items if d.kind == "url")
    for word, number in NUMBER_WORDS.items():
        if re.search(rf"\b{word}\s+(?:\w+\s+)?(?:urls|pages|links|sites|websites)\b", lowered) and urls != number:
            notes.append(f"the task mentions {word} URLs but {urls} were found")
    return notes
