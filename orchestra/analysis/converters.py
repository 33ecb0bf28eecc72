"""Shapes a list of steps needs before planning: converters in front of steps given data their tool
cannot take, and fan-out (one call per item) with sinks that collect.

Two kinds of converter: a reader in front of a step given a file or URL whose tool takes the
content (``bridge``), and an implicit step between kinds of content (``feeder``): "make a picture of
what is said in x.wav" needs speech -> text before text -> image. Both are found by data types
alone, among the registry's tools, and ranked by how well they fit the words of the request.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from itertools import pairwise

from orchestra.analysis.data import fits, same_file, types_of
from orchestra.analysis.derived_sent import MADE_BY
from orchestra.analysis.goals import takes_files_away
from orchestra.analysis.models import DataItem, TaskStep
from orchestra.analysis.so_far import FANNED, Names, key
from orchestra.analysis.words import DETERMINERS, TOLD_INPUTS, TYPE_WORDS, terms, words, work_noun
from orchestra.lazy_regex import lazy_compile
from orchestra.planning.deleted import what_goes
from orchestra.selection.index import ToolIndex
from orchestra.selection.relevance import rank
from orchestra.tool_spec import ToolCard

MEDIA = frozenset({"image", "audio", "video"})  # content a reader of text cannot take from a file
CARRIERS = frozenset({"path", "file", "url"})  # kinds that only carry content: a reader, not a feeder, handles them


def bridge(steps: list[TaskStep], index: ToolIndex, notes: list[str]) -> list[TaskStep]:
    """Insert a converter before a step whose tool cannot take the data it was given (url -> text...)."""
    out: list[TaskStep] = []
    names = Names({s.id for s in steps})
    made: dict[tuple[str, tuple[tuple[str, str], ...]], TaskStep] = {}  # a converter per tool and items
    by_id = {s.id: s for s in steps}
    added = {s.id for s in steps if "(added: " in s.action}  # converters the analysis put in front of a step
    for step in steps:
        card = index.card(step.candidates[0]) if step.candidates else None
        if card is None or not card.input_types:
            out.append(step)
            continue
        takes = set(card.input_types)
        if sends_to_a_url(step, takes):
            out += _read_to_send(step, card, index, (names, made, notes))
            out.append(step)
            continue
        worked = _quotes_worked_on(step, card, index, names)
        for work in worked:
            notes.append(f"added step {work.id!r}: {step.id!r} works on {work.action.split(' (')[0]}")
            by_id[work.id] = work
            out.append(work)
        for work in _work_on_converted(step, card, [by_id[d] for d in step.depends_on if d in added], index, names):
            notes.append(f"added step {work.id!r}: {step.id!r} works on {work.action.split(' (')[0]}")
            by_id[work.id] = work
            out.append(work)
        files = [d for d in step.data if d.kind in ("url", "path") and not same_file(step.params.get("path"), d.value)]
        # A file of an image, a sound... goes to the tool by name; a text file is read first when a
        # tool can read it, since "text" means the content, not the file's name.
        likened = _references(card, step)
        files = [d for d in files if key(d) not in likened]
        given = _not_listed_beside(card, step, [d for d in files if not set(types_of(d)[:1]) & (takes - {"text"})])
        fed = [by_id[d] for d in step.depends_on if d not in step.only_after and set(by_id[d].produces) & takes]
        # a step after another only for order ("then translate letter.txt") still reads its own file, and
        # so does one whose tool takes more than the results before it and its words give ("summarize
        # a.txt, then compare the summary with b.txt"; "compare a.txt with 'hello'")
        if (
            not given
            or takes & {"url", "path", "file"}
            or not (_left_open(card, step, fed) or _apart(card, step, given) or (worked and _named_work(step, given)))
        ):
            out.append(step)
            continue
        kind = _source_kind(given[0], index, takes)
        # a picture, a sound or a film no tool turns into what the step takes is not read as its text: "Transcribe
        # talk.wav and email it" (third_party, no transcriber) read talk.wav, translated its bytes and e-mailed them
        unreadable = kind in CARRIERS and types_of(given[0])[0] in MEDIA
        converter = None if unreadable else _converter(index, kind, takes)
        if converter is None:
            out.append(step)
            continue
        items = [d for d in given if _source_kind(d, index, takes) == kind]
        for group in _by_noun(step.action, items):
            out += _read_for(step, card, group, converter, kind, index, (names, made, notes))
        out.append(step)
    _more_work_taken(out, index, notes)
    _sinks_of_a_kind_made(out, index)
    return out


# Nouns before "of" a file that name all of it: "post the contents of notes.txt" sends the file
_THE_WHOLE = frozenset({"content", "contents", "text", "body", "data", "file", "copy", "whole", "entirety", "all"})


def sends_to_a_url(step: TaskStep, takes: set[str]) -> bool:
    """Whether ``step`` sends something to a URL its clause names ("post notes.txt to https://x/u", "upload the
    summary to ..."): a storing verb (``side_effects``) done by a tool taking the URL."""
    return step.side_effects and "url" in takes and any(d.kind == "url" for d in step.data)


def _read_to_send(
    step: TaskStep,
    card: ToolCard,
    index: ToolIndex,
    state: tuple[Names, dict[tuple[str, tuple[tuple[str, str], ...]], TaskStep], list[str]],
) -> list[TaskStep]:
    """The text files a sending clause names, read in front of it: their text is what it sends. Left to the tool
    taking the URL alone, "Post notes.txt to https://x/u" posted nothing and warned of notes.txt. A picture, a
    sound or a video is not read: what the sender sends is text, and the binder says why it is asked for."""
    texts = [d for d in step.data if d.kind == "path" and types_of(d)[:1] == ["text"]]
    # a part no tool makes ("post the first line of notes.txt") is not the whole file: the body is asked for
    nouns = _nouns_of(step.action, [str(d.value) for d in texts])
    texts = [d for d, noun in zip(texts, nouns, strict=True) if noun is None or noun in _THE_WHOLE or work_noun(noun)]
    reader = _converter(index, "path", {"text"}) if texts else None
    # a sender takes the text it sends: the work its words name is done first ("post the summary of notes.txt":
    # by the URL alone no summarizer made what it takes, and the whole of notes.txt was sent)
    sender = replace(card, input_types=(*card.input_types, "text"))
    read = _read_for(step, sender, texts, reader, "path", index, state) if reader is not None else []
    sent = [t for t in reader.output_types if t == "text"] if read and reader is not None else []
    step.accepts = list(dict.fromkeys([*step.accepts, *sent, "url"]))  # where it goes, beside what it is fed
    return read + _made_to_send(step, sender, index, state)


def _made_to_send(
    step: TaskStep,
    sender: ToolCard,
    index: ToolIndex,
    state: tuple[Names, dict[tuple[str, tuple[tuple[str, str], ...]], TaskStep], list[str]],
) -> list[TaskStep]:
    """The text a sending clause names made of a picture, a sound or a film ("post the transcript of talk.mp3"),
    made in front of it by the tool whose name says that work: the body was asked, a transcriber being there."""
    made: list[TaskStep] = []
    for kind in ("audio", "image", "video"):
        items = [d for d in step.data if d.kind == "path" and types_of(d)[:1] == [kind]]
        nouns = set(_nouns_of(step.action, [str(d.value) for d in items]))
        stem = MADE_BY.get(next(iter(nouns)) or "") if len(nouns) == 1 else None
        converter = _converter(index, kind, {"text"}) if stem else None
        if converter is None or stem is None or stem not in converter.name.lower():
            continue
        made += _read_for(step, sender, items, converter, kind, index, state)
        step.accepts = list(dict.fromkeys([*step.accepts, "text", "url"]))
    return made


def _sinks_of_a_kind_made(steps: list[TaskStep], index: ToolIndex) -> None:
    """A sink given nothing whose clause points at a kind of data its tool does not take ("save the image"
    after an edit, when only text can be written) stores what the newest step making that kind made: its
    tool then cannot take it and the step is reported missing with why. Left as it was, the step asked for
    the text to write, and saved nothing of what the user meant."""
    by_id = {s.id: s for s in steps}
    newest: dict[str, TaskStep] = {}  # per kind, the newest step making it (one pass: a long request stays linear)
    for step in steps:
        card = index.card(step.candidates[0]) if step.candidates else None
        stored = [d for d in step.data if not same_file(d.value, step.params.get("path"))]  # not where it goes
        fed = (
            any(set(by_id[d].produces) & set(card.input_types) for d in step.depends_on if d in by_id) if card else True
        )
        # after "then" it follows the step before for order only; fed, it stores what it is fed
        if card is not None and step.side_effects and not stored and not fed:
            lowered = words(step.action)
            named = (TYPE_WORDS[w] for before, w in pairwise(lowered) if before in DETERMINERS and w in TYPE_WORDS)
            kind = next((k for k in named if k not in card.input_types and k in newest), None)
            if kind is not None:
                step.depends_on, step.accepts = list(dict.fromkeys([*step.depends_on, newest[kind].id])), [kind]
        newest.update(dict.fromkeys(step.produces, step))


# a clause that is only a piece of work named by its noun: "the translation of 'good night'"
NAMED_WORK = lazy_compile(r"(?:(?:" + "|".join(sorted(DETERMINERS)) + r") )+([A-Za-z]+) of ", re.IGNORECASE)


def _only_work_named(step: TaskStep, by_id: dict[str, TaskStep]) -> bool:
    """Whether a clause says nothing but a piece of work on its data ("the summary of notes.txt"): "the
    summary of notes.txt is wrong" says more, and is no object of the clause before."""
    named = NAMED_WORK.match(step.action)
    if named is None or not work_noun(named.group(1).lower()):
        return False
    rest = step.action[named.end() :]
    for item in [*step.data, *(d for up in step.depends_on if up in by_id for d in by_id[up].data)]:
        rest = rest.replace(str(item.value), " ")
    return all(w.lower() in DETERMINERS for w in re.findall(r"[A-Za-z0-9]+", rest))


def _more_work_taken(steps: list[TaskStep], index: ToolIndex, notes: list[str]) -> None:
    """A clause that only names a piece of work ("and the translation of 'b'"), right after a step that
    works on such a piece ("paint a picture of the translation of 'a'"), is one more thing that step works
    on, not a result left to nobody: the step takes both (one call each where its tool takes one)."""
    taken = {d for s in steps for d in s.depends_on}
    added = {s.id for s in steps if "(added: " in s.action}
    by_id = {s.id: s for s in steps}
    last: TaskStep | None = None  # the step of the clause before, when it works on a piece of work named
    for step in steps:
        if step.id in added:
            continue
        named = _only_work_named(step, by_id)
        card = index.card(last.candidates[0]) if last is not None and last.candidates else None
        if (
            named
            and last is not None
            and card is not None
            and all(d in added for d in step.depends_on)  # only what was added to read its own data
            and step.id not in taken
            and set(step.produces) & set(card.input_types)
        ):
            last.depends_on = [*[d for d in last.depends_on if d not in last.only_after], step.id, *last.only_after]
            notes.append(f"linked {step.id!r} to {last.id!r}: one more piece of work it works on")
            continue
        last = step if any(d in added for d in step.depends_on) else None


def _read_for(
    step: TaskStep,
    card: ToolCard,
    items: list[DataItem],
    converter: ToolCard,
    kind: str,
    index: ToolIndex,
    state: tuple[Names, dict[tuple[str, tuple[tuple[str, str], ...]], TaskStep], list[str]],
) -> list[TaskStep]:
    """The steps that read ``items`` for ``step`` (and do the work its words name on them), fed to it: none
    where the same converter already reads them for a step before ("read notes.txt aloud and summarize it")."""
    names, made, notes = state
    takes = set(card.input_types)
    done = made.get((converter.name, tuple(map(key, items))))
    # the same words again, a copy of the step for another place ("copy the summary of x.txt to a.txt and b.txt"),
    # take what the work they name made, as the first did (b.txt was given x.txt's text, not its summary)
    worked = made.get((f"{converter.name} {step.action}", tuple(map(key, items))))
    if done is not None:
        _fed_by(step, done, items, takes, kind)
        step.depends_on = [worked.id if worked is not None and d == done.id else d for d in step.depends_on]
        return []
    bridge_id = names.fresh(converter.name.split("_")[0].lower() or "convert")
    names.taken.add(bridge_id)
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
    made[converter.name, tuple(map(key, items))] = bridge
    _fed_by(step, bridge, items, takes, kind)
    work = _work_named_on(step, card, bridge.produces, items, index, names)
    if work:
        work[0].depends_on = [bridge.id]
        notes += [f"added step {w.id!r}: {step.id!r} works on {w.action.split(' (')[0]}" for w in work]
        step.depends_on = [work[-1].id if d == bridge.id else d for d in step.depends_on]
        made[f"{converter.name} {step.action}", tuple(map(key, items))] = work[-1]
    return [bridge, *work]


def _work_on_converted(
    step: TaskStep, card: ToolCard, converters: list[TaskStep], index: ToolIndex, names: Names
) -> list[TaskStep]:
    """The work a step's words name on a file a converter put in front of it turns ("paint a picture of the
    summary of the transcript of talk.mp3": transcribed, then summarized), done between the two, as
    ``_read_for`` does for a file read."""
    for converter in converters:
        files = [d for d in converter.data if d.kind in ("url", "path")]
        work = _work_named_on(step, card, converter.produces, files, index, names) if files else []
        if work:
            work[0].depends_on = [converter.id]
            step.depends_on = [work[-1].id if d == converter.id else d for d in step.depends_on]
            return work
    return []


def _quotes_worked_on(step: TaskStep, card: ToolCard, index: ToolIndex, names: Names) -> list[TaskStep]:
    """The work a step's words name on the texts it quotes, done on them before the step, which takes its
    result in their place: "paint a picture of the translation of 'hello there'" translates the quote first,
    as ``_work_named_on`` does for a file's content; a quote named plainly stays the step's own."""
    quotes = [d for d in step.data if d.kind == "text"]
    out: list[TaskStep] = []
    groups = _by_noun(step.action, quotes) if quotes else []
    for group in [part for g in groups for part in _each_said(step.action, g)]:
        # several quotes only as a list ("the translation of 'a' and 'b'"): the work is then a call per quote
        # (``planner._said_apart``), and the step after it one call per result
        one = len(group) == 1 or listed(step.action, [str(d.value) for d in group])
        work = _work_named_on(step, card, types_of(group[0])[:1], group, index, names) if one else []
        if not work:
            continue
        work[0].data = group
        taken = set(map(key, group))
        step.data = [d for d in step.data if key(d) not in taken]
        step.depends_on = [*[d for d in step.depends_on if d not in step.only_after], work[-1].id, *step.only_after]
        step.accepts = list(dict.fromkeys([*step.accepts, *(t for t in work[-1].produces if t in card.input_types)]))
        out += work
    return out


def _each_said(text: str, group: list[DataItem]) -> list[list[DataItem]]:
    """A group of quotes apart where the noun of work is said before each: "the translation of 'a' and the
    translation of 'b'" is two translations; "the translation of 'a' and 'b'" (listed) stays one group."""
    if len(group) > 1 and all(_nouns_of(text, [str(d.value)])[0] is not None for d in group):
        return [[d] for d in group]
    return [group]


def _work_named_on(
    step: TaskStep, card: ToolCard, kinds: list[str], items: list[DataItem], index: ToolIndex, names: Names
) -> list[TaskStep]:
    """The work a step's words name on the files it was given, done on what was read of them and before the
    step (``kinds``: what it is given of them; the caller links the first), one step per noun of work named
    one on another, innermost first, each taking the one before: "paint a picture of the translation of
    notes.txt" translates the notes first, "... of the translation of the summary of notes.txt" summarizes,
    then translates; "compare the summary of a.txt with the summary of b.txt" summarizes each. The noun
    before "of" names work a tool's name says (by stem: "translation", "summary"); that tool takes what the
    work before made and makes what the step takes; a noun no such tool does is the reading itself ("the
    transcript of talk.mp3"). The files come one noun at a time (``_by_noun``): "compare the summary of a.txt
    with b.txt" summarizes a.txt only."""
    nouns = set(_nouns_of(step.action, [str(d.value) for d in items]))
    (noun,) = nouns if len(nouns) == 1 else (None,)
    if noun is None or not work_noun(noun):
        return []
    chain = _chain_of(step.action, str(items[0].value))
    out: list[TaskStep] = []
    for said in chain if chain[:1] == [noun] else [noun]:
        work = _work_of(said, step, card, out[-1].produces if out else kinds, items, index, names)
        if work is not None:
            work.depends_on = [out[-1].id] if out else []
            out.append(work)
    return out


def _work_of(
    noun: str, step: TaskStep, card: ToolCard, kinds: list[str], items: list[DataItem], index: ToolIndex, names: Names
) -> TaskStep | None:
    """The step doing the work ``noun`` names, by the tool whose name says it, taking ``kinds`` and making
    what ``step`` takes; None where no tool does."""
    named = set(terms(noun))
    fits_ = {
        n
        for n, doc in enumerate(index.docs)
        if named <= index.name_terms_of(doc.card.name)
        and set(doc.card.input_types) & set(kinds)
        and set(doc.card.output_types) & set(card.input_types)
        and doc.card.name != card.name
    }
    hits = index.search(list(named), limit=len(fits_), only=fits_) if fits_ else []
    if not hits:
        return None
    tool = index.card(hits[0].tool)
    assert tool is not None
    work_id = names.fresh(words(tool.name)[0] if words(tool.name) else "work")
    names.taken.add(work_id)
    return TaskStep(
        id=work_id,
        action=f"the {noun} of {', '.join(str(d.value) for d in items)} (added: {step.id} works on it)",
        capability=tool.capabilities[0] if tool.capabilities else tool.name,
        candidates=[tool.name],
        accepts=[t for t in kinds if t in tool.input_types][:1],
        produces=list(tool.output_types),
    )


def _chain_of(text: str, value: str) -> list[str]:
    """The nouns of work said one of another before ``value``, innermost first: "the translation of the
    summary of notes.txt" is summary, then translation; the chain ends at a noun of no work ("a picture")."""
    found = text.find(value)
    opened = found - 1 if found > 0 and text[found - 1] in QUOTE_MARKS else found
    by_end: dict[int, re.Match[str]] = {}
    for m in NOUN_OF.finditer(text):
        by_end[m.end()] = by_end[m.end(1) + len(" of ")] = m
    out: list[str] = []
    said = by_end.get(opened) if found >= 0 else None
    while said is not None and work_noun(said.group(1).lower()):
        out.append(said.group(1).lower())
        said = by_end.get(said.start())
    return out


# "the translation of notes.txt", "the summary of my a.txt": a noun, "of", determiners, then a file's name, said
# as a file or not ("the summary of the file x.txt": no summary was made, and x.txt's text was written as it)
NOUN_OF = lazy_compile(
    r"\b([A-Za-z]+) of (?:(?:" + "|".join(sorted(DETERMINERS)) + r") )*(?:(?:file|document) )?", re.IGNORECASE
)


QUOTE_MARKS = frozenset("'\"\u2018\u201c`")
# what joins the names of a list: "a.txt, b.txt and c.txt" (a noun before the first names them all)
LISTED = lazy_compile(r"\s*(?:,|(?:,\s*)?(?:and|or|&))?\s*", re.IGNORECASE)


def listed(text: str, values: list[str]) -> bool:
    """Whether ``values`` are named one after another in ``text`` as a list ("'good morning' and 'good
    night'", "'a', 'b' or 'c'"), with nothing but commas, "and" / "or" and quote marks between them:
    "translate 'hello' into the same language as 'bonjour'" names two quotes, but no list of them."""
    at = -1
    for value in values:
        found = text.find(value, max(at, 0))
        if found < 0 or (at >= 0 and not LISTED.fullmatch(text[at:found].strip("".join(QUOTE_MARKS) + " "))):
            return False
        at = found + len(value)
    return len(values) > 1


def _nouns_of(text: str, values: list[str]) -> list[str | None]:
    """Per file name (in the order the text names them), the noun before "of" it follows in ``text``
    ("translation" in "a picture of the translation of notes.txt"), or None; a name listed right after one
    so named shares its noun ("the summary of a.txt and b.txt"). One pass over the text: a clause naming a
    thousand files is read once, not once per file."""
    # where the name may start: after the determiners, or right after "of" (a quote that opens with "the")
    ends = {at: m.group(1).lower() for m in NOUN_OF.finditer(text) for at in (m.end(1) + len(" of "), m.end())}
    out: list[str | None] = []
    at = 0
    for value in values:
        found = text.find(value, at)
        listed = bool(out) and found > at and LISTED.fullmatch(text, at, found) is not None
        opened = found - 1 if found > 0 and text[found - 1] in QUOTE_MARKS else found  # "of 'hello there'"
        out.append(ends.get(opened, out[-1] if listed else None) if found >= 0 else None)
        at = found + len(value) if found >= 0 else at
    return out


def _by_noun(text: str, items: list[DataItem]) -> list[list[DataItem]]:
    """Files in groups by the work named on them, in the order said: "compare the summary of a.txt with
    b.txt" is a.txt (summarized) and b.txt (read as it is); files named alike stay one group."""
    nouns = _nouns_of(text, [str(d.value) for d in items])
    groups: dict[str | None, list[DataItem]] = {}
    for item, noun in zip(items, nouns, strict=True):
        groups.setdefault(noun if noun is not None and work_noun(noun) else None, []).append(item)
    return list(groups.values())


def _source_kind(item: DataItem, index: ToolIndex, takes: set[str]) -> str:
    """What a file is converted from: a picture, a recording or a film file by what its name says it holds,
    where a tool turns that into what the step takes ("compare the caption of photo.jpg with ...": the
    picture captioned, not its bytes read as a text); any other file by its kind (read)."""
    content = types_of(item)[0]
    if item.kind == "path" and content in MEDIA and _converter(index, content, takes) is not None:
        return content
    return item.kind


def _left_open(card: ToolCard, step: TaskStep, fed: list[TaskStep]) -> bool:
    """Whether an input of the step's tool is left for a file's content: neither a result of a step
    before (``fed``) nor an item of the step's own that is no file fills it."""
    slots = Counter(card.input_types)
    for before in fed:
        kind = next((k for k in before.produces if slots[k] > 0), None)
        if kind is not None:
            slots[kind] -= 1
    for item in step.data:
        kind = next((k for k in types_of(item) if slots[k] > 0), None)
        if item.kind not in ("url", "path") and kind is not None:
            slots[kind] -= 1
    return any(n > 0 for n in slots.values())


# What a thing is to look like: "edit photo.jpg to look like style.jpg", "in the style of https://x/a.jpg"
_LIKENED = lazy_compile(r"\b(?:like|resembl\w*|in\s+the\s+style\s+of|similar\s+to)\s+(?:the\s+|that\s+of\s+)?$", re.I)


def _references(card: ToolCard, step: TaskStep) -> set[tuple[str, str]]:
    """The items (keys) the clause names as what another is to look like, where its tool takes one of their kind
    and another item gives it: a reference, not one more thing to work on. Fanned out, "Edit photo.jpg to look
    like style.jpg" edited style.jpg too; a URL was downloaded for an edit that never used it."""
    kind_of = {key(d): next((k for k in types_of(d) if k in card.input_types), None) for d in step.data}
    out = set[tuple[str, str]]()
    for item in step.data:
        kind, at = kind_of[key(item)], step.action.find(str(item.value))
        if kind is None or card.input_types.count(kind) != 1 or at <= 0:
            continue
        if _LIKENED.search(step.action[max(0, at - 40) : at]) and any(
            kind_of[key(d)] == kind and key(d) != key(item) for d in step.data
        ):
            out.add(key(item))
    return out


def _not_listed_beside(card: ToolCard, step: TaskStep, given: list[DataItem]) -> list[DataItem]:
    """The files of ``given`` that may be read as what the user tells the step's tool (its ``instruction``,
    ``prompt``): not one the clause lists beside a file the tool takes by name, both the verb's objects ("edit
    a.jpg and notes.txt" edits two files, it never says notes.txt is how; "edit a.jpg using notes.txt" does).
    Each file is looked at beside its neighbours in the clause only: a thousand files stay one pass."""
    if not any(p.name in TOLD_INPUTS for p in card.inputs):
        return given
    reads = set(map(key, given))
    files = [d for d in step.data if d.kind in ("url", "path")]
    at = sorted((step.action.find(str(d.value)), i) for i, d in enumerate(files))
    beside: set[tuple[str, str]] = set()
    for (start, a), (end, b) in pairwise(at):
        gap = step.action[start + len(str(files[a].value)) : end] if start >= 0 else "?"
        if (key(files[a]) in reads) != (key(files[b]) in reads) and LISTED.fullmatch(gap):
            beside |= {key(files[a]), key(files[b])}
    return [d for d in given if key(d) not in beside]


def _apart(card: ToolCard, step: TaskStep, given: list[DataItem]) -> bool:
    """Texts the request quotes and files, more than the tool takes texts in one call: each is a call of its
    own ("translate 'hello' and a0.txt"), so each file is read for its call, not left out for the quote."""
    said = [d for d in step.data if d.kind == "text"]
    return bool(said) and len(said) + len(given) > card.input_types.count("text") >= 1


def _named_work(step: TaskStep, given: list[DataItem]) -> bool:
    """Whether the clause names work on one of its files ("... and the summary of notes.txt"): beside a quote
    already worked on, that file is one more piece of work, not left out as the tool's inputs are filled."""
    return any(n is not None and work_noun(n) for n in _nouns_of(step.action, [str(d.value) for d in given]))


def _fed_by(step: TaskStep, bridge: TaskStep, items: list[DataItem], takes: set[str], kind: str) -> None:
    """``step`` takes what ``bridge`` makes of ``items`` in their place, beside what it takes from the steps
    before it."""
    taken = set(map(key, items))  # by key, not ==: each of a thousand files compared with all the others
    step.data = [d for d in step.data if key(d) not in taken]
    if kind == "path" and any(same_file(d.value, step.params.get("path")) for d in items):
        step.params.pop("path")  # the file read was its path; where a sink stores ("save @p0 to @p1") stays
    fed = [d for d in step.depends_on if d not in step.only_after]
    step.depends_on = [*fed, bridge.id, *step.only_after]
    made = [t for t in bridge.produces if t in takes]
    step.accepts = list(dict.fromkeys([*step.accepts, *made])) if fed else made or list(takes)


def _converter(index: ToolIndex, kind: str, takes: set[str]) -> ToolCard | None:
    """The simplest tool that takes ``kind`` and makes something in ``takes``: fewest other inputs, cheapest name."""
    numbers = {
        n for n, doc in enumerate(index.docs) if kind in doc.card.input_types and set(doc.card.output_types) & takes
    }
    if not numbers:
        return None
    fits = [index.docs[n].card for n in sorted(numbers)]
    query = terms(f"{kind} read fetch get content")
    scores = {h.tool: h.score for h in index.search(query, limit=len(numbers), only=numbers)}
    return max(fits, key=lambda c: (scores.get(c.name, 0.0), -len(c.input_types), -len(c.name)))


def fan_out(steps: list[TaskStep], index: ToolIndex) -> None:
    """Several items -> one call per item; steps after a fanned-out one follow it per item, sinks collect,
    and so does a step whose tool takes every one of the items in one call."""
    by_id = {s.id: s for s in steps}
    width: dict[str, int] = {}  # how many calls a fanned-out step makes
    for step in steps:
        step.data = once(step.data)
        own = [d for d in step.data if fits(d, step.accepts) and d.kind in FANNED]
        card = index.card(step.candidates[0]) if step.candidates else None
        if step.condition and card is not None and takes_files_away(card):
            # its path is asked (binding): "Delete a.txt only if b.txt exists" and "Delete either a.txt or b.txt" made
            # a call per file named, two deletes of the one path the user gives
            step.fan_out = step.aggregate = False
            continue
        if card is not None and (likened := _references(card, step)):
            own = [d for d in own if key(d) not in likened]
        if any(d.kind == "command" for d in own):
            # files a command's clause left beside it (from a home, or ones it would write) are what its one call
            # is asked for with: fanned out, the command's own call ran it on an empty stdin
            own = [d for d in own if d.kind != "path"]
        # a step only ordered after fanned-out calls ("Delete a.txt and b.txt, then read c.txt") is no call per item
        upstream_fans = any(by_id[d].fan_out for d in step.depends_on if d not in step.only_after)
        sink = step.aggregate
        step.aggregate = False
        if _more_than_taken(own, step, index):
            step.fan_out = True
            width[step.id] = len(own)
        elif upstream_fans and _takes_all(step, [by_id[d] for d in step.depends_on], width, index):
            # "compare a.txt with b.txt": the two files are read one call each, and compared in one
            # call taking both, not in two calls each missing the other text
            step.fan_out = False
        elif upstream_fans and not sink and step.accepts and not _on_its_own(step, own, by_id):
            # a step that takes nothing ("and wait 30 seconds") comes after all the calls, once, not once each
            step.fan_out = True
            width[step.id] = max(width.get(d, 1) for d in step.depends_on)
        elif upstream_fans and sink:
            step.fan_out, step.aggregate = False, True
        elif step.fan_out and len(own) <= 1 and not upstream_fans:
            step.fan_out = False  # "for each" with a single item


def _on_its_own(step: TaskStep, own: list[DataItem], by_id: dict[str, TaskStep]) -> bool:
    """A step given items of its own that takes nothing the steps it follows make: it comes after all their calls,
    once. "Summarize notes.txt and a.txt, then delete a.txt" deleted a.txt once per summary (twice)."""
    made = {kind for d in step.depends_on for kind in by_id[d].produces}
    return bool(own) and not set(step.accepts) & made


def _takes_all(step: TaskStep, before: list[TaskStep], width: dict[str, int], index: ToolIndex) -> bool:
    """A step fed by fanned-out steps whose tool takes, in one call, as many of the kind they make as
    there are calls (a tool comparing two texts after two files were read)."""
    card = index.card(step.candidates[0]) if step.candidates else None
    if card is None:
        return False
    takes = Counter(t for t in card.input_types if t in step.accepts)
    fed: Counter[str] = Counter()  # per kind, how many calls before make it
    for fanned in (s for s in before if s.fan_out):
        for kind in set(fanned.produces) & set(takes):
            fed[kind] += width.get(fanned.id, 1)
    return bool(fed) and all(1 < n <= takes[t] for t, n in fed.items())


def once(items: list[DataItem]) -> list[DataItem]:
    """Each file, URL, command or JSON value once: "photo.jpg" named three times is one file, so one call
    on it, not three alike. Texts stay as said: "is 'a' the same as 'a'?" compares two."""
    seen: set[tuple[str, str]] = set()
    out = []
    for item in items:
        if item.kind in FANNED:
            if key(item) in seen:
                continue
            seen.add(key(item))
        out.append(item)
    return out


def _more_than_taken(items: list[DataItem], step: TaskStep, index: ToolIndex) -> bool:
    """More items of one kind than the step's tool takes in one call: an image and a text file are two
    inputs of one call ("edit photo.jpg as notes.txt says"), three URLs are three calls."""
    if len(items) < 2:
        return False
    card = index.card(step.candidates[0]) if step.candidates else None
    takes = Counter(card.input_types if card is not None else ())
    kinds = Counter(next((t for t in types_of(d) if t in takes), d.kind) for d in items)
    return any(n > max(takes[kind], 1) for kind, n in kinds.items())


# Words in an input's name that make it where the tool writes its result ("output_path", "save_to").
OUTPUT_WORDS = frozenset("output out destination dest target save".split())
STORE_WORDS = "write save store file"


def writes_itself(card: ToolCard) -> bool:
    """A tool with an input for where it writes its result."""
    return any(set(words(p.name)) & OUTPUT_WORDS for p in card.inputs)


def storer(index: ToolIndex, step: TaskStep, place: DataItem, names: Names) -> TaskStep | None:
    """A step after ``step`` that stores what it makes in the file ``place``: the registry's tool
    that takes a kind of content ``step`` makes and makes a path, best for the words "write, save"."""
    made = set(step.produces) - CARRIERS
    fits_ = [
        doc.card
        for doc in index.docs
        if set(doc.card.input_types) & made and "path" in doc.card.output_types and "path" not in doc.card.input_types
    ]
    if not fits_:
        return None
    ranked = {r.tool: r.relevance for r in rank(index, terms(STORE_WORDS), limit=len(index))}
    writer = max(fits_, key=lambda c: (ranked.get(c.name, 0.0), -len(c.input_types), c.name))
    step_id = names.fresh(words(writer.name)[0] if words(writer.name) else "store")
    return TaskStep(
        id=step_id,
        action=f"{step.id} -> {place.value} (added: the request sends its result there)",
        capability=writer.capabilities[0] if writer.capabilities else writer.name,
        candidates=[writer.name],
        accepts=sorted(made & set(writer.input_types)),
        produces=list(writer.output_types),
        data=[place],
        params={"path": place.value},
        depends_on=[step.id],
        aggregate=True,
        side_effects=True,
    )


# Kinds of content a word from the request cannot be; any other kind a tool declares (a ticker, a
# city, money) may be given as quoted text, when the tool's input for it is a plain value.
CONTENT_KINDS = frozenset({"image", "audio", "video", "url", "path", "file", "json", "html", "pdf"})


def takes_literal(card: ToolCard) -> bool:
    """A tool whose inputs are kinds of its own (not text, not media) taken as plain values."""
    own_kinds = set(card.input_types) - CONTENT_KINDS - {"text"}
    plain = [p for p in card.inputs if p.required and p.type not in ("array", "object")]
    return bool(own_kinds) and bool(plain) and len(plain) == len([p for p in card.inputs if p.required])


def _round_trip(converter: ToolCard, card: ToolCard) -> bool:
    """The converter and the tool after it give back the kind the converter took (text -> speech ->
    text): a step nobody asked for that only makes the tool runnable, and makes nothing new."""
    made = set(card.output_types) - CARRIERS
    return bool(made) and made <= set(converter.input_types)


def feeder(
    index: ToolIndex, card: ToolCard, have: set[str], text: str, names: Names, data: list[DataItem]
) -> TaskStep | None:
    """A step that turns what a step has (kinds ``have``) into what its tool takes, when it can take
    none of it: the registry's tool taking only kinds in ``have`` and making one the tool takes,
    best for the words ``text``. None when the tool can already be fed, or nothing converts."""
    takes = set(card.input_types) - CARRIERS
    content = have - CARRIERS
    literal = any(d.kind == "text" for d in data)  # quoted words: a ticker, a city, an amount...
    if not takes or takes & have or not content or (literal and takes_literal(card)):
        return None
    if what_goes(text, [str(d.value) for d in data if d.kind == "path"]) is not None:
        # "remove the notes from it": a part taken out of the speech of a text is not taken out of the text, nor is a
        # file deleted by what is made of it (it was read aloud for a denoiser, fix173)
        return None
    fits_ = [
        doc.card
        for doc in index.docs
        if doc.card.input_types
        and (set(doc.card.input_types) <= content or (literal and takes_literal(doc.card)))
        and set(doc.card.output_types) & takes
        and doc.card.name != card.name
        and not _round_trip(doc.card, card)
    ]
    if not fits_:
        return None
    words_ = " ".join(f"{a} to {b}" for a in sorted(content) for b in sorted(takes))
    ranked = {r.tool: r.relevance for r in rank(index, terms(f"{text} {words_}"), limit=len(index))}
    converter = max(fits_, key=lambda c: (ranked.get(c.name, 0.0), -len(c.input_types), c.name))
    step_id = names.fresh(re.sub(r"\W+", "_", converter.name.lower()).strip("_") or "convert")
    source = sorted(content & set(converter.input_types))
    return TaskStep(
        id=step_id,
        action=f"{' and '.join(source)} -> {' and '.join(sorted(takes & set(converter.output_types)))} "
        f"(added: {card.name} takes {', '.join(sorted(takes))})",
        capability=converter.capabilities[0] if converter.capabilities else converter.name,
        candidates=[converter.name],
        accepts=source,
        produces=list(converter.output_types),
        data=[
            d
            for d in data
            if set(types_of(d)) & set(converter.input_types) or (d.kind == "text" and takes_literal(converter))
        ],
    )
