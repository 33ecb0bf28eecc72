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
from bisect import bisect_left, bisect_right
from collections import Counter
from itertools import islice, pairwise
from typing import Any

from orchestra.analysis.asked_of_the_work_before import asks_in_its_own_words, asks_of_the_work_before
from orchestra.analysis.choice import again, choose, names_other, restates, types_enabled
from orchestra.analysis.clauses import Refused, clauses
from orchestra.analysis.converters import CARRIERS, OUTPUT_WORDS, bridge, fan_out, feeder, storer, writes_itself
from orchestra.analysis.data import (
    DESTINATION_PHRASE,
    EMAIL_RE,
    PLACEHOLDER,
    RUN_HEADS,
    WRITTEN_REFERENCE,
    Extracted,
    as_argument,
    destination_phrases,
    disguised_path,
    extract,
    run_on,
    types_of,
    without_credentials,
    written_if_run_on,
)
from orchestra.analysis.derived_sent import derived_sent
from orchestra.analysis.finish import finish_analysis
from orchestra.analysis.goals import (
    DETERMINERS,
    Goal,
    goals_of,
    names_work,
    stored_elsewhere,
    takes_out,
    without_previews,
)
from orchestra.analysis.it_sent import it_sent
from orchestra.analysis.kept_copies import copies_kept
from orchestra.analysis.kept_kind import kept_kind
from orchestra.analysis.made_as_said import kind_said
from orchestra.analysis.models import DataItem, TaskAnalysis, TaskAnalysisError, TaskStep
from orchestra.analysis.not_english import changes_not_english, not_english
from orchestra.analysis.offered import offered_as_a_choice
from orchestra.analysis.one_of_several import one_of_several_sent
from orchestra.analysis.outside_paths import outside_paths
from orchestra.analysis.own_words import asks_itself, description, only_its_question, seeks_to_know
from orchestra.analysis.part_sent import part_sent
from orchestra.analysis.part_written import part_written
from orchestra.analysis.pointed import Said, named_by_another, named_in_a_file, pointed_delete, points_besides
from orchestra.analysis.question_folded import asked_of_the_step_before, only_looked_at
from orchestra.analysis.said_values import said_values, says_a_repeat
from orchestra.analysis.secrets_sent import SENDING, secrets_sent
from orchestra.analysis.sent_unnamed import as_sending_the_result, waits_on_a_missing_step
from orchestra.analysis.so_far import Planned, key
from orchestra.analysis.takes_a_question import takes_a_question
from orchestra.analysis.things_within import within_one_source
from orchestra.analysis.to_a_person import sent_to_a_person
from orchestra.analysis.told_of import points_back, told_of_only
from orchestra.analysis.understanding_only import understanding_only
from orchestra.analysis.unheard import unheard
from orchestra.analysis.unnamed_part import unnamed_part
from orchestra.analysis.unsent import unsent
from orchestra.analysis.untaken import Untaken
from orchestra.analysis.unused_deleted import deleted_unused
from orchestra.analysis.wished_result_used import result_named_later
from orchestra.analysis.words import (
    LANGUAGES,
    NUMBER_WORDS,
    ORDER_WORDS,
    PLURAL_ANAPHORA,
    TYPE_WORDS,
    base_verb,
    is_verb,
    kinds_said,
    terms,
    words,
)
from orchestra.analysis.write_sources import the_file_copied, written_over_its_source
from orchestra.analysis.writes_said import writes_said
from orchestra.analysis.written_each import written_to_each
from orchestra.analysis.your_result import yours_as_it
from orchestra.lazy_regex import lazy_compile
from orchestra.planning.deleted import kept, spare
from orchestra.registry import ToolRegistry
from orchestra.selection.index import ToolIndex
from orchestra.selection.relevance import near_best, rank
from orchestra.tool_spec import ToolCard


def analyse_heuristic(task: str, registry: ToolRegistry) -> TaskAnalysis:
    task = task.strip()
    if not task:
        raise TaskAnalysisError("the task is empty")
    task, masked = without_credentials(task)
    index = registry.index()
    extracted = writes_said(extract(task))  # "Put hello in b.txt": write 'hello' to b.txt
    copies_kept(extracted)  # "Delete @p0, but keep a copy of it in @p1": the copy is made first
    refused = Refused()
    # "... How similar is your transcription to @q0?": the transcription asked before, as "it"
    found = clauses(yours_as_it(extracted.text), lambda word: names_work(word, index), refused)
    goals = goals_of(found, extracted, index)
    sent = {id(d) for goal in goals for d in goal.sent}
    # "never send @q0": what refused work names is for no step that does not name it itself
    own = {id(d) for goal in goals for d in goal.works_on}
    withheld = {id(d) for d in extracted.items_in(" ".join(refused.texts)) if id(d) not in own}
    kept_out = sent | withheld | {id(extracted.items[n]) for n in extracted.inside}  # a quote's own words
    pool = [d for d in extracted.items if id(d) not in kept_out]  # "... to x.json" is no step's input
    chosen = list(zip(goals, choose(goals, pool, index, _described(extracted, pool, index)), strict=True))
    chosen = without_previews(chosen)
    steps: list[TaskStep] = []
    notes: list[str] = []
    said = _Said(extracted)
    # A later clause's own data is that clause's: "summarize it ... compare it with 'B'" does not
    # summarize 'B'. A sink keeps only what its tool takes: URLs after "write them to x.json:" are
    # the downloads'.
    claims = [
        {
            id(d)
            for d in later.works_on
            if not later.sink or (tool is not None and set(types_of(d)) & set(tool.input_types))
        }
        for later, tool in chosen
    ]
    given = Untaken(pool, claims)
    planned = Planned()
    told, told_by = told_of_only(found, extracted, task)  # "Have Bob delete @p0. Write done to @p1": @p0 unwritten
    pointed = Said()  # per clause's step, the files its words name: what "delete it" after it may mean
    # Per sub-goal, the kinds of data the sub-goals after it make or name as their own.
    later = _after(
        [
            {*(card.output_types if card is not None else ()), *(t for d in goal.works_on for t in types_of(d))}
            for goal, card in chosen
        ]
    )
    for n, (claim, (goal, card)) in enumerate(zip(claims, chosen, strict=True)):
        given.passed(claim)
        if _runs_its_command(goal):
            card = None  # the command is its work, whatever else the clause names ("then run 'wc -w' on the summary")
        if card is None and not (goal.clause.asked and not goal.clause.context) and not goal.told:
            continue
        if only_looked_at(goal, next(iter(chosen[n + 1 : n + 2]), (None,))[0]):
            continue  # "open x.jpg and tell me what is in it": the question is the work
        if understanding_only(goal) and (steps or any(card is not None for _, card in chosen[n + 1 :])):
            # "summarize notes.txt and help me understand it better": why the summary was asked; "help me understand
            # this better: identify the entities in notes.txt" why the work after it is
            continue
        restated = card is not None and not says_a_repeat(goal.clause.text) and restates(goal, card, steps, index)
        if restated and not _another_language(goal, steps[-1]):
            notes += _language_for_the_step_before(goal, steps[-1], index)
            asked_of_the_step_before(goal, steps[-1], extracted, index)  # "look at x.jpg and tell me who wrote it"
            continue
        if (
            card is not None
            and types_enabled()
            and _purpose(goal, card, planned.update(steps), given.kinds, later[n], chosen[n + 1 :])
        ):
            continue
        given.hidden = told if goal.sink and not points_back(goal.clause.text, told_by) else set()
        fed_by = None
        if card is not None and types_enabled():
            ahead = len(steps)
            card = _feed(goal, card, steps, given, index, planned.update(steps), extracted)
            fed_by = steps[-1] if len(steps) > ahead else None
        steps.append(_step(goal, card, steps, given, index, said, planned.update(steps), fed_by))
        notes += said_values(steps[-1], goal.clause.text, extracted) + _counts_unfit(goal, card)
        step = steps[-1]
        step.condition = extracted.show(goal.clause.condition).strip()
        notes += written_over_its_source(step, goal, said.not_places, planned) + offered_as_a_choice(goal, step)
        the_file_copied(step, steps, list(card.input_types) if card is not None else [])
        notes += pointed_delete(step, goal, extracted, pointed) + named_in_a_file(step, goal.clause.text)
        steps += written_to_each(step, goal, planned.names)
        if card is not None and goal.sent and not steps[-1].side_effects:
            _store(steps, goal.sent, index, notes, planned.update(steps))
    if not steps:
        # "Удали a.txt пожалуйста": what to say is no English verb list, but that it reads English only
        unread = (not_english(extracted.text, []) or ["say what to do (download, extract, translate, write...)"])[0]
        raise TaskAnalysisError(f"no action found in the task {task!r}: {unread}")
    notes += deleted_unused(steps)  # "Merge a.txt and b.txt into c.txt and delete a.txt", no tool merging: asked
    # "Delete a.txt and notes.txt. Actually, keep notes.txt.": a file kept anywhere is no delete's (`deleted.kept`)
    keeping = extracted.items_in(" ".join(kept([c.text for c in found], refused.texts)))
    notes += spare(steps, keeping)
    outside_paths(steps)  # "Summarize /etc/passwd": before the bridge, so the read added is asked for the place
    if types_enabled():
        steps = bridge(steps, index, notes)
    fan_out(steps, index)
    # "Send .env to https://x", "Post notes.txt's first line to https://x" asked; "Send it to me" said undone
    notes += (
        secrets_sent(steps, extracted.text)
        + part_sent(steps)
        + part_written(steps)
        + derived_sent(steps)
        + unsent(steps)
        + one_of_several_sent(steps)
    )
    # "Caption photo.jpg and upload it": the photo or its caption; "Remove the text": of nothing named. Asked
    notes += it_sent(steps) + unnamed_part(steps)
    notes += not_english(extracted.text, steps) + changes_not_english(extracted.text)
    notes += extracted.notes + _count_checks(task, extracted) + _withheld_notes(extracted, masked)
    notes += unheard(
        extracted, steps, notes, kept_out | {id(d) for d in keeping}
    )  # "Write 'x' to a.txt and then 'y' to b.txt": b.txt unsaid
    return finish_analysis(task, "heuristic", steps, registry, notes)


# --- a step ---------------------------------------------------------------------------------------


def _another_language(goal: Goal, before: TaskStep) -> bool:
    """Whether a clause names a language other than the one the step before was asked for: "make it a description
    in English, then translate it into French" is a second call, not the first said again (the French was dropped)."""
    said = {LANGUAGES[w] for w in words(goal.clause.text) if w in LANGUAGES}
    previous = {LANGUAGES[w] for w in words(before.action) if w in LANGUAGES}
    return bool(previous) and bool(said - previous)


def _language_for_the_step_before(goal: Goal, before: TaskStep, index: ToolIndex) -> list[str]:
    """A clause saying again the step before's work in a language that step was not told ("translate notes.txt and
    give me the translation in French"): the language is that step's, where its tool takes one (it was asked for
    as an input, the French dropped); where it takes none ("summarize notes.txt and give me the summary in
    French") no step makes the French, and the note says so rather than the language going nowhere in silence."""
    said = list(dict.fromkeys(LANGUAGES[w] for w in words(goal.clause.text) if w in LANGUAGES))
    if len(said) != 1 or any(w in LANGUAGES for w in words(before.action)):
        return []
    card = index.card(before.candidates[0]) if before.candidates else None
    inputs = [p.name for p in card.inputs] if card is not None else []
    named = _language_input(inputs)
    if named is not None:
        before.params.setdefault(named, said[0])
        return []
    language = next(w for w in words(goal.clause.text) if w in LANGUAGES)
    return [
        f"{goal.clause.text.strip()!r}: no step makes it in {language.capitalize()} (say how, e.g. 'translate it into {language.capitalize()}')"
    ]


def _language_input(names: list[str]) -> str | None:
    """The input of a tool that takes the language to work into, if it has one (not the one it works from)."""
    return next((n for n in names if "language" in n and not n.startswith("source")), None)


def _after(kinds: list[set[str]]) -> list[frozenset[str]]:
    """Per place in ``kinds``, the union of those after it."""
    out: list[frozenset[str]] = []
    later: frozenset[str] = frozenset()
    for these in reversed(kinds):
        out.append(later)
        later = later | these
    return out[::-1]


def _purpose(
    goal: Goal,
    card: ToolCard,
    planned: Planned,
    available: set[str],
    later: frozenset[str],
    after: list[tuple[Goal, ToolCard | None]],
) -> bool:
    """A wish whose tool works on a kind of data only a later step makes or names: nothing of the
    user's ``available`` here, nor any step before it, is of a kind it takes. "I'd like to hear how
    it sounds. Convert this text into speech": the hearing is what the speech is for, not a step
    before it. An imperative is work even so ("transcribe the recording" with no recording given:
    its input is the user's to give), and so is a wish whose result a clause ``after`` it works on."""
    takes = set(card.input_types) - CARRIERS
    if not goal.clause.wish or not takes or takes & (available | set(planned.makers)) or goal.works_on:
        return False
    return bool(takes & later) and not result_named_later(goal, card, [g for g, _ in after])


def _feed(
    goal: Goal,
    chosen: ToolCard,
    before: list[TaskStep],
    pool: Untaken,
    index: ToolIndex,
    planned: Planned,
    extracted: Extracted,
) -> ToolCard:
    """An implicit step in front when the chosen tool can take none of what the sub-goal has; the
    tool for the sub-goal (the chosen one, or that step's when it alone does what is asked)."""
    if goal.sink:
        return chosen  # "save it as x.png" stores what it is given; converting it first would store something else
    if description(goal, chosen, extracted.show(goal.clause.text).strip(), planned.tool_terms) is not None:
        return chosen  # "then generate a sound of rain" after a picture: the clause's words are its text
    own = {t for d in goal.works_on for t in types_of(d)}
    compared = _compared_file(goal, chosen, pool, planned)
    converted = compared and feeder(index, chosen, set(types_of(compared)), goal.clause.text, planned.names, [compared])
    if converted:
        before.append(converted)
        return chosen
    users = pool.kinds
    if not own and before and set(chosen.input_types) & users - CARRIERS:
        return chosen  # what the step before made does not fit, but what the user gave does: it works on that
    if not own and before and not kinds_said(goal.clause.text):
        # "caption photo.jpg and remove it": a clause naming no kind of data works on the result before as it is;
        # turning the caption into speech for a denoiser sent it to two services nobody asked for
        return chosen
    if not own and before and any(planned.named(_nouns(goal.clause.text), kind) for kind in chosen.input_types):
        # "caption photo.jpg, paint a picture from it, then translate the caption": the caption the clause names is
        # text as the tool takes it; the painted picture was captioned anew and that caption translated
        return chosen
    have = own or (set(before[-1].produces) if before else users)
    given = goal.works_on or ([] if before else pool.items)  # with nothing before it, it works on the request's data
    step = feeder(index, chosen, have, goal.clause.text, planned.names, given)
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


def _compared_file(goal: Goal, chosen: ToolCard, pool: Untaken, planned: Planned) -> DataItem | None:
    """The user's one file of a kind the clause names that a tool taking two of another kind is to be given the
    other of, when the request holds fewer of that kind and no step makes it: "I've transcribed talk.wav as 'X'.
    Compare the transcription with the original audio" compares 'X' with the audio's words (its transcript), not
    with a text asked for; the audio was given to no step."""
    takes = [k for k in chosen.input_types if k not in CARRIERS]
    twice = [k for k in dict.fromkeys(takes) if takes.count(k) > 1]
    if len(twice) != 1 or planned.makers.get(twice[0]) or any(not set(types_of(d)) & set(takes) for d in goal.works_on):
        return None  # a file of its own the clause names is converted as any step's (``feeder``)
    kind = twice[0]
    if any(kind in types_of(d) for d in goal.works_on) or len(pool.all(kind, planned.taken, [])) >= 2:
        return None  # the clause's own text with the file converted is ``feeder``'s ("compare 'X' with talk.wav")
    others = {
        id(d): d
        for other in sorted(kinds_said(goal.clause.text) & pool.kinds - CARRIERS - set(takes))
        for d in pool.all(other, planned.taken, [])
        if not set(types_of(d)) & set(takes)
    }
    return next(iter(others.values())) if len(others) == 1 else None


def _step(
    goal: Goal,
    chosen: ToolCard | None,
    before: list[TaskStep],
    pool: Untaken,
    index: ToolIndex,
    said: _Said,
    planned: Planned,
    fed_by: TaskStep | None = None,
) -> TaskStep:
    """``fed_by``: the step put in front of this one to turn its data into what its tool takes."""
    extracted = said.extracted
    clause = goal.clause
    step_id = planned.names.fresh(_step_name(goal))
    capability = goal.keywords[0] if goal.keywords else "process"
    step = TaskStep(
        id=step_id,
        action=extracted.show(clause.text).strip(),
        capability=capability,
        keywords=goal.keywords,
        fan_out=clause.for_each,
        only_tells=goal.told,
    )
    if chosen is None:
        own = [t for d in goal.works_on for t in types_of(d)]
        step.accepts = list(dict.fromkeys([*own, *planned.makers]))
        # a command the step runs makes what it prints, which "translate it" after it takes (not the command)
        runs = any(d.kind == "command" for d in goal.works_on)
        step.produces = goal.wants or (["text"] if runs else [])
        # "enhance speech.wav" with no enhancer: the steps after it take what it makes (asked for), not speech.wav
        step.produces = step.produces or kept_kind(goal.clause.text, own)
        step.data = list(goal.own)
        if goal.told and clause.question and not any(d.kind in ("query", "text") for d in step.data):
            # "Is it safe to delete notes.txt?": no tool does the work asked about, one that tells may answer it,
            # with the words as its question (fix97's rule, for a tool selection finds): the file's name was, and
            # its name (not its text, no reader being planned here) the context; the words name it, the context
            # is asked for
            step.data = [DataItem(kind="query", value=step.action), *(d for d in step.data if d.kind != "path")]
        if runs:
            step.data, step.params = _files_as_arguments(goal, extracted)
            # the tools that run commands, as the planner would find them by the command's kind: searched
            # by the clause's words instead, "then run 'wc -w' on the summary" summarized the summary
            step.candidates = [d.card.name for d in index.docs if "command" in d.card.input_types]
        if runs and before:
            _command_after(step, goal, before, planned)
        elif before and goal.refers_back and not goal.works_on and before[-1].produces:
            # "enhance this speech for better clarity" after the speech was made: its words served no tool here,
            # but the selector's own search may find one (Audio-to-Audio), which was asked for the audio the step
            # before made; the link is data only where that tool takes it (the planner drops it otherwise)
            step.depends_on = [before[-1].id]
            files = _files_pointed_at(step, goal, before[-1], index, planned)
            if files:
                # ordered after the step before, taking nothing it made
                step.data, step.only_after = [*step.data, *files], step.depends_on
                step.accepts = list(dict.fromkeys([*own, *(d.kind for d in files)]))
        return step
    rivals = [
        r.tool for r in near_best(goal.ranked) if r.tool != chosen.name and _same_types(index.card(r.tool), chosen)
    ]
    step.candidates = [chosen.name, *rivals]
    asked = set(goal.query)
    named = [c for c in chosen.capabilities if set(terms(c)) & asked]
    step.capability = (named or list(chosen.capabilities) or [capability])[0]
    step.produces = list(chosen.output_types)
    # "Translate my notes into French. Then translate my letter into German.": the same work again on
    # something new is fed as a first step is, not by what the step before made
    anew = types_enabled() and bool(before) and again(goal, before[-1].keywords, index)
    anew = anew and not _changed_again(goal, chosen)
    also = _opened_with_also(extracted.text, clause.text)
    goal = as_sending_the_result(goal, before, extracted)  # "summarize a.txt, then post to URL": the summary
    _link(step, goal, chosen, before, pool, said.at(goal), planned, anew, fed_by, also)
    waits_on_a_missing_step(step, goal, before)  # "summarize a.txt and post to URL", no summarizer: the body asked
    sink = goal.sink
    if not (sink or writes_itself(chosen)):
        # Where the clause sends its result is a sink's path ("write them to x.json"), never another
        # tool's input: "list the files into x.json" lists ".", and a step added after it stores.
        # A URL a request goes to is where the tool taking it works: "make a POST request to https://x/u"
        step.data = [d for d in step.data if not goal.sends(d) or (d.kind == "url" and "url" in chosen.input_types)]
    places = [p.name for p in chosen.inputs if OUTPUT_WORDS.intersection(words(p.name))]
    place = next((n for n in places if {"path", "file"} & set(words(n))), places[0] if places else None)
    sent = [d for d in step.data if goal.sends(d) and d.kind == "path"] if place and not sink else []
    # A tool writing its result itself is told where by its input for it: "resize photo.jpg to small.jpg" resized
    # small.jpg too, as a second image, both calls writing to one place asked for
    step.data = [d for d in step.data if not any(d is s for s in sent[:1])]
    which_way = _said_which_way(goal, chosen, step.data, extracted)
    step.params = _params(goal, chosen, step.data) | _counted_inputs(goal, chosen) | which_way
    if place is not None and sent:
        step.params[place] = sent[0].value
    stored_in = [d for d in goal.sent if d.kind == "path" and any(d is own for own in step.data)]
    if sink and stored_in and "path" in step.params:
        # "Save @p0 to @p1": where it goes is the file after "to", @p0 what is stored (read first); @p0 was asked
        # to be written and @p1 read
        step.params["path"] = stored_in[0].value
    if not sink and "path" in step.params and {"text", "json"} & set(chosen.input_types) and not _writes_named(goal):
        # a writer ranked for a verb that stores nothing ("rename notes.txt to old.txt") wrote over the clause's
        # file: where it writes is asked for
        del step.params["path"]
    step.aggregate = sink
    step.side_effects = sink
    return step


def _changed_again(goal: Goal, chosen: ToolCard) -> bool:
    """Whether a clause asks a tool that changes a medium in place (an image editor: an image in, an image out) to
    change again what the step before changed: its new words say how ("Edit photo.jpg so the sky is blue. Then edit
    the picture to add a moon"), not what it works on, which it names by no file of its own nor as another (the
    second edit asked for the picture and the instruction both, as new work on new data)."""
    kinds = MEDIA.intersection(chosen.input_types) & set(chosen.output_types)
    named = any(kinds.intersection(types_of(d)) for d in goal.works_on)
    return bool(kinds) and not named and not names_other(goal.clause.text)


def _files_pointed_at(
    step: TaskStep, goal: Goal, before: TaskStep, index: ToolIndex, planned: Planned
) -> list[DataItem]:
    """The files (or pages) the step before worked on, when "it" names them rather than the text made of them
    ("Read notes.txt, then delete it", "Caption photo.jpg and delete it"): where the tools the clause's words find
    (searched as the selector does: no tool served it here) take files or pages and nothing a step before made.
    Bound to the text, the delete was asked for what no tool deletes, and reported missing."""
    # where a step changing things sent its data is no page it worked on, as in ``_link``: "fetch A, post it to B,
    # then download it" downloaded B
    files = [] if before.side_effects else planned.files.get(before.id, [])
    if not files or (len(files) > 1 and not goal.plural):
        # "Read a.txt and b.txt, then delete it": which one is not said; both were deleted
        return []
    if any(d.kind in ("path", "url") and str(d.value) not in before.action for d in before.data):
        # the step before took its file by a word pointing back, not by its name: "Read report.txt, then read the
        # file it names and delete it" deleted report.txt, the file the user only named the other one by
        return []
    found = near_best(rank(index, terms(" ".join([step.capability, *step.keywords]))))
    takes = {t for r in found if (card := index.card(r.tool)) is not None for t in card.input_types}
    if takes & set(planned.makers):
        return []
    return [d for d in files if d.kind in takes]


# Verbs besides the storing ones that ask for the file they name to be written ("overwrite notes.txt with ...")
_WRITING_VERBS = frozenset({"overwrite", "replace", "update", "create", "fill"})


def _writes_named(goal: Goal) -> bool:
    """Whether the clause's verb asks for the file it names to be written."""
    return base_verb(next(iter(words(goal.clause.text)), "")) in _WRITING_VERBS


# A file after "of" or "from" is what a clause takes, not where its result goes ("write the contents of a.txt"), and
# so is the file copied ("Copy notes.txt" wrote notes.txt over with a content asked, and "... and delete it" deleted
# it after)
_SOURCE = lazy_compile(
    r"\b(?:of|from|(?:cop(?:y|ies|ied|ying)|duplicat(?:e|es|ed|ing)|clon(?:e|es|ed|ing)|back(?:s|ed|ing)?\s+up)"
    r"(?:\s+and\s+[a-z]+)?)\s+(?:(?:the|my|this|that|file)\s+)*@p(\d+)",
    re.IGNORECASE,
)


def _named_not_as_place(extracted: Extracted) -> set[int]:
    """The files (their ids) the request names as a source ("of @p0", "from @p0"), or as a thing a result is
    related to ("next to @p0", "similar to @p1"), and nowhere as where a result goes."""
    text = extracted.text
    kept = {m.start() for m in destination_phrases(text)}
    numbers = [int(m.group(1)) for m in _SOURCE.finditer(text)]
    numbers += stored_elsewhere(text)
    numbers += [
        int(p.group(2))
        for m in DESTINATION_PHRASE.finditer(text)
        if m.start() not in kept
        for p in PLACEHOLDER.finditer(m.group(0))
    ]
    return {id(extracted.items[n]) for n in numbers if n < len(extracted.items) and n not in extracted.sent_to}


def _store(steps: list[TaskStep], places: list[DataItem], index: ToolIndex, notes: list[str], planned: Planned) -> None:
    """A step storing what the last step made at the files its clause sends it to, unless its tool
    writes them itself; a note when no tool of the registry can."""
    step = steps[-1]
    files = [d for d in places if d.kind == "path"]
    card = index.card(step.candidates[0])
    if not files or card is None or writes_itself(card):
        return  # "send it to ann@example.com" needs a tool that sends; its step is missing, not added
    store = storer(index, step, files[0], planned.names)
    if store is None:
        notes.append(f"no tool stores what {step.id!r} makes ({', '.join(step.produces)}) to {files[0].value}")
    else:
        steps.append(store)


def _runs_its_command(goal: Goal) -> bool:
    """A clause that runs a command it quotes ("then run 'wc -w' on the summary"): the command is its work,
    whatever else its words name."""
    return bool(goal.keywords) and goal.keywords[0] in RUN_HEADS and any(d.kind == "command" for d in goal.own)


# A folder a command is run in ("run 'make' in build/") is where it runs, not an argument ("make build/").
_RUN_IN = lazy_compile(r"\b(?:in|inside|within|under|from)\s+(?:the\s+)?(?:(?:folder|directory|dir)\s+)?@p(\d+)", re.I)


def _files_as_arguments(goal: Goal, extracted: Extracted) -> tuple[list[DataItem], dict[str, Any]]:
    """A quoted command's clause with files of its own ("run 'wc -l' on notes.txt"): the command is given them
    as its arguments, each quoted as one (the shell tool splits its command line as a POSIX shell would and
    runs no shell, so a name is never read as more), and a folder it is run in as where it runs. Left beside
    the command, the file went to no call. Arguments, not a read in front and the text on stdin: any file
    works so (a picture, a folder), and the run is the command the user would type; a result the clause points
    at ("run 'wc -l' on it") is still stdin. A path the run would not read as written ("~/x.txt") stays beside
    it, said to be given to no call."""
    own = goal.own
    files = [d for d in own if d.kind == "path" and not disguised_path(d.value)]
    if not files or not any(d.kind == "command" for d in own):
        return list(own), {}
    places = {id(extracted.items[int(m.group(1))]) for m in _RUN_IN.finditer(goal.clause.text)}
    place = next((d for d in files if id(d) in places and str(d.value).endswith("/")), None)
    files = [d for d in files if d is not place]
    names = [as_argument(d.value) for d in files]
    if any(d.kind == "command" and written_if_run_on(str(d.value), names) for d in own):
        return list(own), {}  # the run would write what it was to read: asked for whole (binding)
    given = {id(d) for d in files} | {id(place)}
    data = [
        d.model_copy(update={"value": run_on(str(d.value), names)}) if d.kind == "command" else d
        for d in own
        if id(d) not in given
    ]
    return data, {} if place is None else {"cwd": place.value}


def _command_after(step: TaskStep, goal: Goal, before: list[TaskStep], planned: Planned) -> None:
    """A quoted command's step (no tool of its own is chosen: the planner gives it the shell) after other work:
    what its clause points at is its standard input ("read notes.txt and run 'wc -l' on it", "caption photo.jpg,
    then run 'grep cat' on the caption"); after "then", or right after a step that changes files, it only waits
    ("write 'x' to out.txt and run 'cat out.txt'"). Unlinked, the command ran beside that work, without it."""
    nouns = _nouns(goal.clause.text)
    named = [s for kind in planned.makers for s in planned.named(nouns, kind)]
    last = before[-1]
    if not named and not last.side_effects and last.produces and _names_its_data(nouns, last):
        # "download A, then grep the page for 'error'": the page is what the download fetched (it only waited)
        named = [last]
    if goal.refers_back or named:
        source = max(named, key=lambda s: planned.position[s.id]) if named else before[-1]
        step.depends_on = [source.id]
        return
    if goal.clause.ordered or before[-1].side_effects:
        step.depends_on = step.only_after = [before[-1].id]


def _names_its_data(nouns: list[str], step: TaskStep) -> bool:
    """Whether a noun names the kind of data ``step`` took or made ("the page" after a URL's download)."""
    return any(TYPE_WORDS.get(n) in {*step.accepts, *step.produces} for n in nouns)


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
    pool: Untaken,
    since: list[DataItem],
    planned: Planned,
    anew: bool = False,
    fed_by: TaskStep | None = None,
    also: bool = False,
) -> None:
    """Where each kind of data the chosen tool takes comes from: an earlier step, the clause, the request.
    ``since``: the user's data named after the last earlier step was asked for, up to this clause;
    ``anew``: the clause asks the step before's work again on something new (``choice.again``);
    ``fed_by``: the step put in front of this one to convert its data."""
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
    passed_over = False  # a result the clause names was taken, not the newest of its kind
    # A tool that works with no input at all (every one optional: a command, a folder's listing) is handed
    # what another step made, or data given elsewhere, only when its clause points at it ("run wc -l on
    # it"): "write 'x' to out.txt and run ls" gave ls the written file's path as its standard input, and 'x'
    needs_none = not any(p.required for p in chosen.inputs)
    # after "also", the step before's work asked again on "it": on what that step was given
    told = words(goal.clause.text)
    as_well = also or "also" in told or told[-2:] == ["as", "well"] or told[-1:] == ["too"]
    redone = as_well and goal.refers_back and bool(before) and before[-1].candidates[:1] == [chosen.name]
    stands_alone = not goal.refers_back and needs_none
    withheld = False  # a result it was not handed: it still comes after that step
    # "the file it names" is none the request names, and its "it" no result handed over: "Read config.json, then
    # overwrite the file it names with 'x'" wrote config.json, and once more with what it held
    # (a tool taking a file's path, or a clause sending its result somewhere: "post the file it names to URL" posted
    # config.json; "email the file it names" e-mailed config.json's text to a person)
    changes = any(p.name == "path" for p in chosen.inputs) or bool(goal.sent) or sent_to_a_person(goal.clause.text)
    # or a verb of sending with nowhere said ("Read paths.txt, then upload the file it names" uploaded paths.txt)
    changes = changes or base_verb(next(iter(words(goal.clause.text)), "")) in SENDING
    another = changes and named_by_another(goal.clause.text)
    handed = not another or points_besides(goal.clause.text)  # "post the file it names": not the file read
    left: list[str] = []
    claimed = planned.taken
    # "what's the object in the top-left corner of the document?" after a summary: the question is
    # the clause's own words (a query), not the summary an earlier step made; so is what a picture
    # is to show ("then generate a picture of a red fox")
    # and so is what a clause asks to come to know ("help me understand the main theme of the document")
    own_question = asks_itself(goal, takes) or seeks_to_know(
        goal, chosen, takes, step.action, pool.kinds, set(planned.makers)
    )
    said = step.action if own_question else description(goal, chosen, step.action, planned.tool_terms)
    asked_only = only_its_question(goal, chosen)
    for kind in dict.fromkeys(takes):
        mine = [d for d in inputs if kind in types_of(d)]
        if kind == "text" and not mine and not goal.refers_back:
            # "summarize notes.txt, then summarize https://a.example": the page's text, read in front of
            # it, not the summary before it
            mine = [d for d in inputs if _a_page(d)]
        if kind == "text" and said is None and not mine and _its_words_asked(goal, chosen, planned):
            # "Change the car in photo.jpg to blue and tell me how it looks": "it" is the picture, no text any step
            # made; the words ask the question, which was asked for again
            said = step.action
        if kind == "text" and said is not None:
            step.data.append(DataItem(kind="query", value=said))
            accepts.append(kind)
            continue
        producers = planned.makers.get(kind, [])  # oldest first
        if fed_by is not None and kind in fed_by.produces:
            # "let me know what photo.jpg shows", asked again and again: each answer is given what was
            # made of its own photo for it, not the answers before it
            producers = [fed_by]
        converted = fed_by is not None and producers == [fed_by] and goal.question and not goal.refers_back
        # only a tool taking a question: "Are photo.jpg and other.jpg similar?" compared its words with both captions
        converted = converted and takes_a_question(chosen)
        if producers and not mine and takes.count(kind) > 1 and (converted or _asked_of_a_result(goal, chosen)):
            # and the question it asks is the other text: what it is asked of the photo's caption; "Read
            # notes.txt. Who wrote it?": the question is the clause's words, the notes its context
            step.data.append(DataItem(kind="query", value=step.action))
            producers = producers[-1:]
        # after "also", "the image" is the user's where the step before only changed it (edited, cleaned)
        changed = also and bool(producers) and kind in producers[-1].accepts
        if kind in _originals(goal, changed) and not mine and kind in pool.kinds:
            if producers and takes.count(kind) > 1 and not anew:
                # "summarize notes.txt. Compare it with the original": the one input is the user's, the other
                # "it"; read as the user's alone, the summary was left out and the other text asked for
                step.data += _given_elsewhere(pool, kind, claimed, step.data, False, False)
                fed[kind] = producers[-1:]
                accepts.append(kind)
                continue
            worked = [d for d in producers[-1].data if kind in types_of(d)] if changed else []
            if worked:
                # "Edit a.jpg ... Edit b.jpg ... Also, caption the image": the user's image the step before
                # changed, b.jpg, not the first the request named (a.jpg was captioned)
                step.data += worked[:1]
                accepts.append(kind)
                continue
            producers = []  # "the original image": the user's, not what an earlier step made of it
        if redone and kind in before[-1].accepts and not mine:
            # "Translate notes.txt into French. Also translate it into German.": "it" is what the translation
            # was given, notes.txt, not the French (translated again, the German was a translation's)
            step.data += [d for d in before[-1].data if kind in types_of(d)][:1]
            given = [s for s in before if s.id in before[-1].depends_on and kind in s.produces][:1]
            fed.update({kind: given} if given else {})
            if given or any(kind in types_of(d) for d in step.data):
                accepts.append(kind)
                continue
        if anew:
            producers = []  # "then translate my letter": the letter, not what the step before made
        if (
            goal.sink
            and goal.refers_back
            and _past_a_medium(before, producers, planned.named(_nouns(goal.clause.text), kind))
        ):
            # "caption photo.jpg, then read it aloud and save it to out.wav" wrote the caption into out.wav: "it" is
            # the speech the step before made, which a sink of text does not store; never an older text instead
            producers = []
        # where a step changing things sent its data is no page it worked on: "fetch A, post it to B, then fetch
        # it again" fetched B, "... post it again" posted B's answer to B
        read_before = bool(before) and not before[-1].side_effects
        pointed = [d for d in planned.files.get(before[-1].id, []) if kind in types_of(d)] if read_before else []
        placed = any(kind in types_of(d) for d in goal.own)  # "post it to URL": where it goes is the clause's
        if goal.refers_back and not placed and not producers and kind in ("path", "url") and pointed:
            # "Read a.txt. Read b.txt, then read it again": "it" is the file the step before worked on, b.txt, not
            # the first file named (``_given_elsewhere``)
            step.data += pointed
            accepts.append(kind)
            continue
        if stands_alone and not mine and producers:
            producers, withheld = [], True
        fresh = [d for d in since if kind in types_of(d) and id(d) in pool.ids and key(d) not in claimed]
        if producers and not mine and fresh:
            # "... I also have a document x.jpg; what is the heading of this document?": what was
            # named last is what the clause is about, not what a step asked for before it makes
            step.data += fresh[-1:]
            accepts.append(kind)
            continue
        # "answer this question about the image: 'What is in it?'" after a translation was painted: the quote
        # fills the one text input, so the pointing word is for what else the tool takes (the picture); the
        # translation was asked as a second question, and the picture of neither. A result the clause names by
        # its noun ("and the transcript") is still given
        # (a file named for where it goes is no quote: "overwrite notes.txt with it" is given the translation)
        filled = len([d for d in mine if d.kind == kind]) >= takes.count(kind) and len(set(takes)) > 1
        filled = filled and not planned.named(_nouns(goal.clause.text), kind)
        # "Caption photo.jpg. Could you answer 'What colour is the car?'": the quote is one text of a tool taking two, the
        # question; the other is what the question is asked of, the caption, not a text the user is asked for
        half_asked = asked_only and 0 < len([d for d in mine if d.kind == kind]) < takes.count(kind)
        if producers and handed and ((goal.refers_back and not filled) or not mine or half_asked):
            slots = takes.count(kind)
            gathered = planned.leaves(producers) if goal.plural else []
            if len(gathered) > 1 and within_one_source(goal.clause.text, before, gathered, planned, kind):
                gathered = []  # "estimate the depth of these objects": of what the photo shows, one result
            if gathered:
                fed[kind] = gathered
                if len(fed[kind]) < 2 and "both" in words(goal.clause.text):
                    # "summarize it and translate it, then read both aloud": the summary and the
                    # translation, though the one was made from the other
                    fed[kind] = producers[-2:]
            elif slots > 1 and not mine:
                # "how similar is the caption to the transcript?": a tool taking two texts collects
                # the two newest results no step has used yet
                fed[kind] = planned.to_compare(producers, _nouns(goal.clause.text), kind, slots)
                if producers == [fed_by]:
                    # "compare the transcription 'X' with the original audio": the other is the user's ('X')
                    step.data += _given_elsewhere(pool, kind, claimed, step.data, False, True)[: slots - 1]
            else:
                # "transcribe talk.wav and summarize it, then translate the transcript": the step whose
                # work the clause's noun names, not the newest that makes text; "save the summary and the
                # translation" collects both
                named = planned.named(_nouns(goal.clause.text), kind)
                # "summarize a.txt. Summarize b.txt. Then save the two summaries": a noun of work said as several
                # names each such result ("the summaries" stored the newest only)
                each = planned.named_each(_plural_nouns(goal.clause.text), kind)
                named = each if len(each) > 1 else named
                fed[kind] = named or producers[-1:]
                passed_over |= bool(named) and named != producers[-1:]
            accepts.append(kind)
        elif mine:
            accepts.append(kind)
        else:
            left.append(kind)
    if goal.plural and any(s.id not in planned.used for ups in fed.values() for s in ups):
        # "download A and B, summarize them and save them": "them" are the summaries, not also the pages
        # they were made from (a kind every maker of which another step took, here the pages' JSON)
        for kind in [k for k, ups in fed.items() if all(s.id in planned.used for s in ups)]:
            del fed[kind]
            if not any(kind in types_of(d) for d in inputs):
                accepts.remove(kind)
    # a sink pointing back by one "it" stores one result, the newest: "download URL, then grep it for 'x' and save
    # it to out.txt" wrote the page and the grep's output both (the page's JSON fed it as a kind of its own)
    if len(fed) > 1 and not (goal.plural or (goal.sink and not goal.refers_back)):
        # A step with inputs of two kinds is fed by the newest step that makes one of them: "then
        # answer my question" after a picture was painted and its text categorised takes the
        # categories, not also the painted picture of three steps before; its other input is the
        # clause's own or the user's, as with no step before, unless the clause names its kind
        at = planned.position
        newest = max(at[s.id] for ups in fed.values() for s in ups)
        older = [k for k, ups in fed.items() if k not in goal.subject and all(at[s.id] < newest for s in ups)]
        for kind in older:  # "... answer that question about the picture" still takes the picture
            del fed[kind]
            if not any(kind in types_of(d) for d in inputs):
                accepts.remove(kind)
                left.append(kind)
    depends = [s.id for ups in fed.values() for s in ups]
    results = [s for s in planned.results() if s.produces] if goal.sink and goal.plural else []
    if results and len(results) < 2 and "both" in words(goal.clause.text):
        # "caption it, read it aloud and save both": the two newest results (looked for from the end)
        results = list(islice((s for s in reversed(before) if s.produces), 2))[::-1]
    if len({*depends, *(s.id for s in results)}) > 1:
        # "generate a picture and a sound, then save them to out.json": a sink told to store several
        # results collects every one no step has taken yet; stored together they are one list, which a
        # tool that takes JSON stores whatever each result's kind. "caption photo.jpg and read it aloud,
        # then save them": the speech is a result too, beside the caption the sink takes by its kind
        depends = list(dict.fromkeys([*depends, *(s.id for s in results)]))
        collected = [kind for s in results for kind in s.produces]
        # a sender to the URL its clause names sends their text, as it sends "it" ("read a.txt, read b.txt, post
        # them to URL" asked the body that "read a.txt and b.txt, post them to URL" sent)
        sent = "url" in takes and any(d.kind == "url" for d in goal.own)
        sendable = [kind for kind in collected if kind in takes or (sent and kind == "text")]
        accepts += ["json", *collected] if "json" in takes else sendable
    if _its_own_question(goal, chosen, step.data):
        # "Is it raining?", "Does notes.txt mention Paris?": the question is the user's words, the text it is
        # asked of (the file's, an earlier step's, or asked for) its context; both were asked for, or the
        # file's text was the question
        step.data.append(DataItem(kind="query", value=step.action))
    # Data the request gave elsewhere (a context sentence, or a list after the last clause), except
    # for a step that delivers what earlier steps made ("email the chart to ann@example.com").
    # Nor for a sink that refers back ("then save it as fox.png"): it stores what a step made, not the
    # user's data given for another step (the picture's prompt).
    delivers = bool(depends and goal.sent) or (goal.sink and goal.refers_back and bool(before))
    # Nor for such a tool pointed at a result: "summarize notes.txt and run ls on it" runs on the summary, and
    # was handed notes.txt too (a warning: given to no call)
    for kind in [] if delivers or stands_alone or (needs_none and fed) else left:
        own_only = anew or (_names_own(goal) and not asked_only)
        free = _given_elsewhere(pool, kind, claimed, step.data, _plural(goal.clause.text), own_only)
        free = [d for d in free if not (another and d.kind in ("path", "url"))]
        if free:
            step.data += free
            accepts.append(kind)
    if goal.sink and goal.refers_back and before and not depends:
        # "save it as fox.png" after a step that makes a picture: it stores what that step made, as it
        # is, also after "then" (it was an ordering, and a tool that stores no picture was given none)
        depends.append(before[-1].id)
        if handed:
            accepts += before[-1].produces
        else:
            step.only_after = [before[-1].id]  # "post the file it names to URL": after the read, not what it read
    if (goal.clause.ordered or withheld) and before and before[-1].id not in depends:
        # "paint a castle, then find the objects in photo.jpg": after the painting, on the photo
        depends.append(before[-1].id)
        if anew or passed_over or withheld or _fills(takes, before[-1].produces, step.data):
            step.only_after = [before[-1].id]
    step.depends_on = list(dict.fromkeys(depends))
    kinds_given = [t for d in step.data if not goal.sends(d) for t in types_of(d)]
    step.accepts = list(dict.fromkeys([*accepts, *(t for t in takes if t in kinds_given)])) or takes


def _past_a_medium(before: list[TaskStep], producers: list[TaskStep], named: list[TaskStep]) -> bool:
    """Whether the newest result of a kind is older than the step just before, which made a picture, a sound or a
    film only, and no noun of the clause names it: what "it" stores is that medium, not the older result."""
    last = before[-1] if before else None
    made = set(last.produces) if last is not None else set()
    if last is not None and not last.candidates and (said := kind_said(last.action)) is not None:
        made = {said}  # "read it aloud" with no tool speaking: still a sound, not the caption before it
    return bool(producers) and not named and last not in producers and bool(made) and made <= MEDIA


SAID_WITHIN = 2000  # how far from the clause before a clause is looked for (characters)


class _Said:
    """Where in the request each step was asked for and each item of the user's data named."""

    def __init__(self, extracted: Extracted) -> None:
        self.extracted = extracted
        self.not_places = _named_not_as_place(extracted)  # files no sink writes, unless sent there too
        named = ((m.start(), int(m.group(2))) for m in PLACEHOLDER.finditer(extracted.text))
        self.named = sorted(named)  # (where, which item), in the request's order
        self.latest: int | None = None  # where the furthest step asked for so far was
        self.end = 0  # where the clause of the last step found ends
        self.lost = False  # a step's clause was not found as written
        # The request with each run of whitespace one space, and where each of its characters stands in the
        # request: a clause is found as written, whatever its spaces, by a plain search. As a pattern of its
        # words joined by \s+, a clause of 24,000 words (one "sleep 1h30 1h30 ...") took 8.5 s to compile at
        # 120,000 characters, 11x the time at 15,000.
        self.folded, self.where = _folded(extracted.text)

    def _find(self, clause: str, start: int, end: int) -> tuple[int, int] | None:
        """Where ``clause`` (its whitespace folded) is found within ``start``-``end`` of the request."""
        if not clause:
            return None
        at = self.folded.find(clause, bisect_left(self.where, start), bisect_left(self.where, end))
        return None if at < 0 else (self.where[at], self.where[at + len(clause) - 1] + 1)

    def at(self, goal: Goal) -> list[DataItem]:
        """Record where a step was asked for; the user's data named since the last step before it
        (none when a clause cannot be found as written: a reordered or reworded one).
        A clause is looked for after the one before it (the same clause may be asked twice), then
        just before it (reordered), and only near it, so a request of thousands of clauses is read
        in linear time."""
        if self.lost:
            return []
        text, end, width = self.extracted.text, self.end, len(goal.clause.text) + SAID_WITHIN
        clause = " ".join(goal.clause.text.split())
        if self.latest is None:
            found = self._find(clause, 0, len(text))
        else:
            found = self._find(clause, end, end + width) or self._find(clause, max(end - width, 0), end + width)
        if found is None:
            self.lost = True
            return []
        start, here = self.latest, found[0]
        self.latest, self.end = here if start is None else max(start, here), found[1]
        if start is None:
            return []
        first, last = (
            bisect_right(self.named, (start, len(self.named))),
            bisect_right(self.named, (here, len(self.named))),
        )
        return [self.extracted.items[n] for n in sorted({n for _, n in self.named[first:last]})]


def _folded(text: str) -> tuple[str, list[int]]:
    """``text`` with each run of whitespace one space, and the place in ``text`` of each of its characters."""
    pieces: list[str] = []
    where: list[int] = []
    for run in re.finditer(r"\s+|\S+", text):
        if run.group(0)[0].isspace():
            pieces.append(" ")
            where.append(run.start())
        else:
            pieces.append(run.group(0))
            where.extend(range(run.start(), run.end()))
    return "".join(pieces), where


def _given_elsewhere(
    pool: Untaken, kind: str, claimed: set[tuple[str, str]], data: list[DataItem], plural: bool, own_only: bool
) -> list[DataItem]:
    """The user's data of ``kind`` a step is handed from elsewhere in the request (not in its ``data``): the
    first item no step took yet (each such item if ``plural``), else, unless the step is to work on its
    own (``own_only``), the first one another step took too. Asked of ``pool`` kind by kind, not by a scan
    of every item for every step (quadratic)."""
    free = pool.all(kind, claimed, data) if plural else [d for d in [pool.first(kind, claimed, data)] if d]
    if free or own_only:
        return free
    others = (d for d in pool.of(kind) if d not in data)
    return list(others) if plural else list(islice(others, 1))


def _fills(takes: list[str], made: list[str], data: list[DataItem]) -> bool:
    """Whether a step's own data fills every input of a kind the step before makes: then it comes
    after that step only ("paint a castle, then find the objects in photo.jpg"). A tool that takes
    two texts and is given one still takes the other from the step before. A step before that makes
    nothing it takes ("save it to out.txt, then summarize memo.txt") orders it only: memo.txt is read."""
    shared = set(takes) & set(made)
    return not shared or all(
        sum(kind in types_of(d) or (kind == "text" and _a_page(d)) for d in data) >= takes.count(kind)
        for kind in shared
    )


def _a_page(item: DataItem) -> bool:
    """A URL of no kind of content but text: a page, whose text a reader in front of the step fetches (a
    URL is no text until it is fetched, so ``types_of`` does not say text)."""
    return types_of(item) == ["url"]


# "the original", "the source", "the input" alone, or before a kind ("the source text"): the user's own data.
# Not before another noun: "the source language" is no text ("the input field" neither).
_THE_ORIGINAL = lazy_compile(r"\b(?:the|its|their|my)\s+(?:original|source|input)\b(?:\s+(\w+))?", re.IGNORECASE)
_AFTER_ORIGINAL = frozenset("and or then to with again too also once please".split())


# "Also, can we segment the objects in the image": a clause opening with "also" asks for more work on what the
# user gave; "the image" there is the user's picture, not the edit asked for before ("the edited image", "it",
# "the result" still name the result: the kind's noun must follow "the" straight away). And end the clause:
# "caption the image you made", "the image with the darker sky", "the image afterwards" say which image, the
# one the step before made (attack86: each was given the user's).
_THE_KIND = lazy_compile(r"\bthe\s+(\w+)[\s.,;:!?]*$", re.IGNORECASE)
ALSO_LEAD = frozenset("and also can could would will you we please".split())  # "and also, could you please"
ALSO_LEAD_CHARS = 60
_ORDER_WORDS = frozenset(word for phrase in ORDER_WORDS for word in phrase.split())
MEDIA = frozenset({"image", "audio", "video"})


def _originals(goal: Goal, also: bool = False) -> frozenset[str]:
    """The kinds a clause takes as the user gave them: ``goal.originals`` ("the original image"), and every
    kind for "the original" / "the source" / "the input" said alone ("compare it with the source")."""
    for match in _THE_ORIGINAL.finditer(goal.clause.text):
        after = (match.group(1) or "").lower()
        if not after or after in _AFTER_ORIGINAL:
            return frozenset(TYPE_WORDS.values())
        if after in TYPE_WORDS:
            return goal.originals | {TYPE_WORDS[after]}
    named = [TYPE_WORDS.get(m.group(1).lower()) for m in _THE_KIND.finditer(goal.clause.text)] if also else []
    kinds = {k for k in named if k in MEDIA} if not goal.refers_back else set()
    return goal.originals | kinds


def _opened_with_also(text: str, clause: str) -> bool:
    """Whether a clause's sentence opens with "also" just before it ("Also, can we segment ..."): the
    lead-in is no part of the clause's text."""
    at = text.find(clause)
    if at < 0:
        return False
    # a few words before it, not the whole request before it: a request of thousands of clauses stays linear
    lead = words(re.split(r"[.?!;]", text[max(0, at - ALSO_LEAD_CHARS) : at])[-1])
    # "Also, caption the image afterwards": a word of order after it says the work comes after the step
    # before, on what that step made (the clause ends before "afterwards", so the sentence's tail is read)
    end = at + len(clause)
    tail = words(re.split(r"[.?!;]", text[end : end + ALSO_LEAD_CHARS])[0])
    return "also" in lead and set(lead) <= ALSO_LEAD and not (tail and set(tail) <= _ORDER_WORDS)


def _nouns(text: str) -> list[str]:
    """The words just after a determiner ("the transcript", "that caption"): what a clause may name as
    an earlier step's result."""
    said = words(text)
    return [w for prev, w in pairwise(said) if prev in DETERMINERS]


def _plural_nouns(text: str) -> list[str]:
    """The nouns said as several just after a determiner or a number ("the summaries", "the two captions")."""
    said = words(text)
    after = DETERMINERS | NUMBER_WORDS.keys()
    return [w for prev, w in pairwise(said) if prev in after and w.endswith("s") and not w.endswith("ss")]


def _plural(text: str) -> bool:
    lowered = words(text)
    return any(w in NUMBER_WORDS or w in PLURAL_ANAPHORA or (w.endswith("s") and w in TYPE_WORDS) for w in lowered)


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
            language_input = _language_input(sorted(names))
            if language_input is not None:
                params[language_input] = LANGUAGES[word]
            else:
                params["target_language"] = LANGUAGES[word]
    emails = [d.value for d in data if d.kind == "text" and EMAIL_RE.fullmatch(str(d.value))]
    if emails:
        params["to"] = emails[0]
    return params


# The words before a quote that say which way the work goes ("convert 100 'USD' to 'EUR'", "from 'es' into
# 'fr'"), and the words of an input's name that say it is that way's. An input's description may say it last
# ("currency code to convert to"). No kind of data names such a quote, so the binder gave it to no input.
_WAY_WORDS = {"to": "to", "into": "to", "from": "from"}
_WAY_NAMES = {
    "to": frozenset("to into target destination dest".split()),
    "from": frozenset("from source src base".split()),
}
# An e-mail address is a way too: "email 'hello' to @e0" gave 'hello', the one quote, to ``to`` in order, and the
# address to the body
_WAYS = lazy_compile(rf"(?:\b({'|'.join(_WAY_WORDS)})\s+)?@[qe](\d+)", re.IGNORECASE)
_BARE_NUMBER = lazy_compile(r"(?<![\w@.,\-])\d+(?:\.\d+)?(?![\w.,]*\d|\w)")
_NUMERIC = ("number", "integer")
# Who a send goes to is said after "to" ("email 'hi' to 'Bob'"), never the quote said first: "Email 'hello' to Bob",
# "Mail me 'hello'" sent to "hello"
_WHO_INPUTS = frozenset({"to", "recipient", "recipients", "cc", "bcc"})


def _way_of(name: str, description: str) -> str | None:
    named = set(re.split(r"[_\-\s]+", name.lower()))
    last = words(description)[-1:]
    return next((way for way, names in _WAY_NAMES.items() if named & names or last == [way]), None)


def _said_which_way(goal: Goal, chosen: ToolCard, data: list[DataItem], extracted: Extracted) -> dict[str, Any]:
    """Quotes for a tool whose inputs say which way ("from", "to"): each by the word before it, the others in
    the order said ("'USD' to 'EUR'": USD is where it comes from); and the clause's one bare number for the
    tool's one numeric input ("convert 100 ...": the amount). Only the clause's own data."""
    ways = {p.name: way for p in chosen.inputs if (way := _way_of(p.name, p.description))}
    if not ways:
        return {}
    own = {id(d) for d in data}
    said = [
        (_WAY_WORDS.get((m.group(1) or "").lower()), item)
        for m in _WAYS.finditer(goal.clause.text)
        if id(item := extracted.items[int(m.group(2))]) in own and item.kind == "text"
    ]
    params: dict[str, Any] = {}
    for pass_ in ("named", "in order"):
        for way, item in said:
            if item.value in params.values() or (pass_ == "named" and way is None):
                continue
            free = [
                n
                for n, w in ways.items()
                if n not in params and (w == way or (pass_ == "in order" and n.lower() not in _WHO_INPUTS))
            ]
            if free:
                params[free[0]] = item.value
    numeric = [p.name for p in chosen.inputs if p.type in _NUMERIC and p.name not in params]
    numbers = _BARE_NUMBER.findall(goal.clause.text)
    if len(numeric) == 1 and len(numbers) == 1:
        params[numeric[0]] = float(numbers[0]) if "." in numbers[0] else int(numbers[0])
    return params


# A number before the noun a numeric input is named for ("roll 5 dice", "roll five dice with 6 sides"): that
# input's value. The clause's one bare number went to a tool's one numeric input only when its inputs said which
# way (fix66), so "roll 5 dice" asked how many dice. The noun must name the input: "summarize the 3 pages" gives
# 3 to no max_length. A number the input's type does not read ("2.5 dice") is left, and asked for.
_COUNTED = lazy_compile(
    rf"(?<![\w@.,\-])(\d+(?:\.\d+)?|{'|'.join(w for w in NUMBER_WORDS if ' ' not in w)})\s+([a-z]+)\b(?:\s+([a-z]+)\b)?",
    re.IGNORECASE,
)
_SINGULAR = {"die": "dice", "dice": "dice"}


def _counted_inputs(goal: Goal, chosen: ToolCard) -> dict[str, Any]:
    # one value each: "roll 3 dice and 4 dice" took 3 and dropped 4 in silence; two values are asked for. As
    # written: the binder reads it as the input's type, or asks ("2.5 dice", a 5,000-digit count)
    return {name: value for name, (value, *others) in _said_counts(goal, chosen).items() if not others}


def _counts_unfit(goal: Goal, chosen: ToolCard | None) -> list[str]:
    """Why a count said before an input's noun is asked for: "roll 2.5 dice" was, without a word."""
    if chosen is None:
        return []
    whole = {p.name for p in chosen.inputs if p.type == "integer"}
    notes = []
    for name, values in _said_counts(goal, chosen).items():
        if len(values) > 1:
            notes.append(f"{name!r} is said {len(values)} times ({', '.join(sorted(values))}): it is asked for")
        elif name in whole and not next(iter(values)).isdigit():
            notes.append(f"{name!r} is a count, a whole number, not {next(iter(values))}: it is asked for")
    return notes


def _said_counts(goal: Goal, chosen: ToolCard) -> dict[str, set[str]]:
    """Each numeric input of ``chosen`` with the numbers its clause says before the input's noun ("5 dice")."""
    numeric = {p.name: p.type for p in chosen.inputs if p.type in _NUMERIC}
    if not numeric:
        return {}
    named = {_noun(word): name for name in numeric for word in re.split(r"[_\-\s]+", name.lower()) if word}
    said: dict[str, set[str]] = {}
    for match in _COUNTED.finditer(goal.clause.text):
        # the noun right after the number, or after one word more ("5 red dice")
        name = named.get(_noun(match.group(2))) or named.get(_noun(match.group(3) or ""))
        number = match.group(1).lower()
        if name is not None:
            said.setdefault(name, set()).add(str(NUMBER_WORDS.get(number, number)))
    return said


def _noun(word: str) -> str:
    word = word.lower()
    return _SINGULAR.get(word) or (word[:-1] if word.endswith("s") and len(word) > 3 else word)


def _withheld_notes(extracted: Extracted, masked: int) -> list[str]:
    """Why the plan asks for what the request wrote: a credential, a secret or an input named as the run
    reads one. None of them is written into the plan's arguments (the binder asks for each as a plan input)."""
    notes = []
    if masked:
        notes.append(
            f"the request's URLs hold {masked} credential(s), masked (***) here: a plan writes no credential in "
            "clear, so each such URL is asked for as a plan input, to be given whole when the run starts"
        )
    named = sorted({v for d in extracted.items if isinstance(v := d.value, str) and WRITTEN_REFERENCE.fullmatch(v)})
    if named:
        notes.append(
            f"the request names {', '.join(named)}: a plan made from a request passes on no reference its text "
            "writes (it could send a secret anywhere), so what it stands for is asked for as a plan input"
        )
    return notes


# "three pages", "two more links": one pattern for every count word, not one compiled per word on each plan. A
# lookahead, so that counts that overlap ("two three pages") are each found, as a search per word found them.
_COUNTED_URLS = lazy_compile(
    rf"(?=\b({'|'.join(map(re.escape, NUMBER_WORDS))})\s+(?:\w+\s+)?(?:urls|pages|links|sites|websites)\b)"
)


def _count_checks(task: str, extracted: Extracted) -> list[str]:
    notes = []
    said = {match.group(1) for match in _COUNTED_URLS.finditer(task.lower())}
    urls = sum(1 for d in extracted.items if d.kind == "url")
    for word, number in NUMBER_WORDS.items():
        if word in said and urls != number:
            notes.append(f"the task mentions {word} URLs but {urls} were found")
    return notes


DESCRIBED_BY = 5  # the words before a file's name that may say what it holds: "a document image 'x.jpg'"
DESCRIBED_CHARS = 400  # where those words are looked for
# A relative clause just after a file's name that says what the file is: "x.jpg, which appears to be a document
# containing ...", "x.jpg that is a scanned receipt"; its words up to the clause's end (as many as before it).
SAID_TO_BE = lazy_compile(
    r"[\s,'\"]*(?:which|that)\s+(?:is|was|appears\s+to\s+be|seems\s+to\s+be|looks\s+like|contains|holds|shows|depicts)\s+(?:an?\s+|the\s+)?([^.,;:!?@]*)",
    re.IGNORECASE,
)


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
        # or after it, in a relative clause saying what it is: "x.jpg, which appears to be a document"
        after = SAID_TO_BE.match(extracted.text, match.end())
        said = words(after.group(1))[:DESCRIBED_BY] if after else []
        found = {t for t in terms(" ".join([*before, *said])) if t not in index.type_terms}
        for kind in types_of(item):
            out.setdefault(kind, set()).update(found)
    # Kept by kind: where the user has two files of a kind, what one is said to be is no word for the other
    # ("photo.jpg ... the document image scan.png": the question about the photo went to the document reader)
    files = Counter(kind for d in pool if d.kind == "path" for kind in types_of(d))
    return {kind: found for kind, found in out.items() if files[kind] < 2}


def _names_own(goal: Goal) -> bool:
    """Whether a clause names data of its own to work on ("then caption talk.wav"): data an earlier step
    took is not its fallback (it captioned photo.jpg again); what it lacks is missing."""
    return bool(goal.works_on) and not goal.refers_back


def _its_own_question(goal: Goal, chosen: ToolCard, data: list[DataItem]) -> bool:
    """A question sentence to a tool taking a question beside the text it is asked of (two texts), with no
    question said yet and no quote of its own (a quote may be the question: "Is 'X' true?", as before)."""
    return (
        (goal.clause.question or asks_in_its_own_words(goal.clause.text))
        and chosen.input_types.count("text") > 1
        and takes_a_question(chosen)
        and not any(d.kind in ("query", "text") for d in data)
    )


# Words that say what a question asks: "answer it" or "that question" alone ask what a step made
_ASKING = frozenset("what who whom whose which where when why how whether".split())


def _its_words_asked(goal: Goal, chosen: ToolCard, planned: Planned) -> bool:
    """A question with words of its own ("how it looks") pointing back at what no step made as text, to a tool
    taking a question beside other data: its words are the question."""
    return (
        goal.question
        and goal.refers_back
        and not planned.makers.get("text")
        and chosen.input_types.count("text") == 1
        and len(set(chosen.input_types)) > 1
        and takes_a_question(chosen)
        and bool(_ASKING & set(words(goal.clause.text)))
    )


def _asked_of_a_result(goal: Goal, chosen: ToolCard) -> bool:
    """A question about one earlier result ("who wrote it?", "what does it show?", "tell me who wrote it") to a tool
    taking a question beside the text it is asked of: the words are the question, not what the step before made."""
    # "tell me what they are" asks in words of its own; "answer them" asks the questions a step made
    plural_asked = not goal.plural or bool(_ASKING & set(words(goal.clause.text)))
    # or one asking of it without a word pointing back ("Transcribe x.wav and tell me who is speaking": the transcript
    # was the question, and the context asked for)
    of_it = goal.refers_back or asks_of_the_work_before(goal.clause.text)
    return goal.question and of_it and plural_asked and takes_a_question(chosen)
