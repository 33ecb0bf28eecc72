"""Tools for all sub-goals at once: a small beam search over relevance and the data that can flow.

A tool whose input nothing before it can provide scores less, one that takes the content (an image)
more than one that takes any file by path, and one that takes what the step before made, when the
clause refers back to it, more still. So "describe the photo, then read the description aloud"
picks an image tool that makes text for the first step, because the second needs text. Among
look-alikes (the same verb on different kinds), the one named for what the step receives fits
better: "classify the result" after an image step is the image classifier's. A clause that refers back
and names its own data ("adjust the image according to it") has both to work on, and a text a tool
takes beside other data it is fed (a question about a page, an instruction for an edit) is half fed by
the request's own words. A clause that refers back and names the step before's work ("translate its
classification") says which tool that step is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from itertools import pairwise

from orchestra import environment
from orchestra.analysis.changes import EDIT_WORD, change_said, changes_what_it_points_at
from orchestra.analysis.converters import takes_literal
from orchestra.analysis.data import types_of
from orchestra.analysis.goals import (
    FORM_WORDS,
    GENERIC_VERBS,
    POINTING,
    Goal,
    does,
    makes_anew,
    makes_sounds,
    sends_away,
    takes_files_away,
    weak_terms,
)
from orchestra.analysis.models import DataItem, TaskStep
from orchestra.analysis.own_words import says_how, sound_anew
from orchestra.analysis.words import (
    ANAPHORA,
    SINK_VERBS,
    TOLD_INPUTS,
    TYPE_WORDS,
    base_verb,
    is_verb,
    terms,
    words,
    work_noun,
)
from orchestra.planning.deleted import what_goes
from orchestra.selection.index import ToolIndex
from orchestra.selection.relevance import Ranked, near_best
from orchestra.tool_spec import ToolCard

# The joint choice of tools: options per sub-goal (within this share of the best relevance), beam width,
# the weight left to a tool nothing can feed, and the bonus for taking what the step before made.
BEAM_RELEVANCE = 0.5
BEAM_OPTIONS = 6
BEAM_WIDTH = 12
INFEASIBLE = 0.15
CARRIER_KINDS = frozenset({"path", "file"})  # data that only carries other data: a file's name
CARRIER_FIT = 0.6
CHAINED = 0.25
WORDED = 0.5  # how far the request's words feed a text input beside other data (``fit``)
# A quoted question is about the data the user gave: a tool that takes the question and that data fits
# a little better than one that takes the question alone.
ASKED_ABOUT = 1.1
# Look-alike tools do the same verb on different kinds of data ("Image Classification", "Tabular
# Classification"): one whose name names the kind the step receives fits a little better.
NAMES_KIND = 1.1
# The user's own words for their file ("a document image 'scan.jpg'") name which of the look-alikes
# that take it is meant; they say more than its kind.
DESCRIBED_FIT = 1.2
# A clause that refers back and names the work of the step before ("translate its classification"):
# that step is the tool whose name the noun is, as much a sign as taking what it made.
NAMED_BACK = CHAINED


@dataclass(frozen=True)
class _Picked:
    """A tool picked for a sub-goal (None: not served), linked to the picks before it: the beam's states
    share their past rather than each copying it, so a long request costs time in proportion."""

    card: ToolCard | None
    before: _Picked | None


@dataclass(frozen=True)
class _State:
    score: float
    picked: _Picked | None = None
    previous: ToolCard | None = None  # the newest tool picked
    last: int | None = None  # the sub-goal it was picked for
    made: frozenset[str] = frozenset()  # the kinds of data the tools picked make


def choose(
    goals: list[Goal], pool: list[DataItem], index: ToolIndex, described: dict[str, set[str]] | None = None
) -> list[ToolCard | None]:
    """One tool per served sub-goal, chosen jointly: relevance, and data that can flow into each tool.

    A beam search over the sub-goals in order: a tool whose input nothing before it can provide
    scores less, and one that takes what the previous step makes, when the clause refers back to
    it, scores more. So "describe the photo, then read the description aloud" picks an image tool
    that makes text for the first step, because the second needs text. ``described``: per kind of
    the user's data, the terms the request uses for it ("document" in "a document image 'x.jpg'").
    """
    described = described or {}
    typed = types_enabled()
    given = {t for d in pool for t in types_of(d)}
    # the user's data no clause names as its own (a sentence of its own: "Label the picture. cat.jpg"):
    # what a clause with nothing named before it may work on; data named for a later clause is that
    # clause's ("Generate a picture of a fox. Then detect the objects in photo.jpg")
    owned = {id(d) for goal in goals for d in goal.works_on}
    unclaimed = {t for d in pool if id(d) not in owned for t in types_of(d)}
    states = [_State(0.0)]
    known: set[str] = set()  # the terms of the tools that serve the sub-goals before best: "the summary"
    for n, goal in enumerate(goals):
        if n and goals[n - 1].served and goals[n - 1].ranked:
            known |= index.name_terms_of(goals[n - 1].ranked[0].tool)
        if not goal.served:
            states = [replace(s, picked=_Picked(None, s.picked)) for s in states]
            continue
        called = _called_back(goals[n + 1], index) if typed and n + 1 < len(goals) else frozenset()
        options = _options(goal, called, index)
        own = {t for d in goal.works_on for t in types_of(d)}
        options = _without_unasked_forms(goal, options, own, index) if typed else options
        options = _without_the_objects_makers(goal, options, index)
        options = _without_the_objects_finders(goal, options) if typed else options
        options = _storers_only(goal, options, index)
        if sound_anew(goal.clause.text, goal.wants, known):
            # "generate a song about the sea": a tool that only speaks would say "the sea"
            options = [o for o in options if makes_sounds(index.card(o.tool))]
        if not options:
            states = [replace(s, picked=_Picked(None, s.picked)) for s in states]
            continue
        best = options[0].relevance or 1.0
        questions = [d.value for d in goal.works_on if isinstance(d.value, str) and d.value.rstrip().endswith("?")]
        asks = bool(questions)
        # the kinds of data a quoted question is about ("What makes this image stand out?")
        about = {TYPE_WORDS[w] for q in questions for w in words(q) if w in TYPE_WORDS}
        # the user's data named up to the clause ("identify it" after a sentence about a photo), not a
        # text quoted further on for a later step; all of it when nothing was named before
        before = (set(goal.named_before) or unclaimed) if typed else given
        # a generating verb whose object the clause describes ("then generate a picture of a dog") makes
        # something new from its own words: nothing made before is its input
        fresh = typed and makes_anew(goal)
        anew: dict[int, bool] = {}
        grown: list[_State] = []
        # a tool found by the noun of work no tool says ("Book a table for two": a table classifier)
        # is no option where nothing can feed it (a text the request's words may be: "transcribe the
        # conversation" finds the chat tool, whose converter does the work); with no option left the
        # sub-goal is missing
        found_by_noun = {o.tool for o in options if typed and _found_by_a_noun(goal, o, index)}
        # a noun of work before the file is work on it, not what the file is: "how similar is 'x' to the
        # summary of my report.txt?" is no summariser's because "summary" stands before the file's name
        worked = _pointed_work(goal.clause.text)
        # "remove the notes from it": a part taken from what the step before made, which nothing converts first
        part_of_it = goal.refers_back and not goal.works_on and what_goes(goal.clause.text, []) == "part"
        # the user's words for their data ("x.jpg, which appears to be a document") name one of the options: they
        # say which look-alike is meant more than the kind another's name names ("Image-to-Text")
        described_names_one = typed and any(
            (card := index.card(o.tool)) is not None
            and _named_as_described(card, described, set(card.input_types) & given, worked, index)
            for o in options
        )
        for state in states:
            previous, last = state.previous, state.last
            if typed and last is not None and last not in anew:
                anew[last] = again(goal, goals[last].keywords, index)
            # the step before's work again on something new: fed as a first step is, not by what it made
            repeat = fresh or (last is not None and anew.get(last, False))
            offered = False
            # "summarize notes.txt, then tweet the summary" / "... tweet the caption to my friends": a verb no tool
            # says, on what the step before made, named by its tool's noun. That tool again is no tweeting, nor
            # is a tool ranked by the other words; either was folded as a restatement and the clause dropped
            # unsaid. No option: the sub-goal is missing
            on_its_result = (
                typed
                and previous is not None
                and any(o.tool == previous.name for o in options)
                and _unknown_work_on(goal, previous, index)
            )
            for option in options:
                card = index.card(option.tool)
                assert card is not None
                takes = set(card.input_types)
                # what the step before passes on, when the clause refers back: not the user's own data
                passed = set(previous.output_types) if goal.refers_back and previous else set()
                subject = goal.subject | passed
                if asks:  # "answer 'What colour is the car?'": about the user's photo as well as the question
                    subject = subject | given | (about & state.made)
                available = subject or (own | before | (set() if repeat else state.made))
                if option.tool in found_by_noun and not takes & (available | given | state.made | {"text"}):
                    continue
                if passed and not goal.works_on and unfed_kinds(card, passed | given | state.made | goal.subject):
                    # "translate 'hello' and edit it to be formal": "it" is the translation, and an image editor
                    # would ask for a picture the user never named; no option, the edit is missing
                    continue
                if part_of_it and (
                    takes_files_away(card) or (passed and not takes & (passed | given | state.made | goal.subject))
                ):
                    # "Read notes.txt, then remove the notes from it": a denoiser found by "remove" takes no text,
                    # and a part is not taken out of a text by converting it (``converters.feeder``): it asked for
                    # audio the user never named; nor does deleting the file take a part out. No option: missing
                    continue
                if on_its_result:
                    continue
                offered = True
                # a writer asked to store ("overwrite @p0 with it") stores any one kind it takes: fit as fed by the
                # kinds it is given, or its two kinds (text, json) chose a json maker before it over the summariser
                stores = _stores_a_kind(card, takes & available) and (goal.sink or goal.action in does(card))
                fitness = fit(takes & available if stores else takes, available, typed)
                if typed and _named_as_described(card, described, (takes & given) - passed, worked, index):
                    fitness *= DESCRIBED_FIT  # "a document image": the document question answerer
                elif typed and named_kinds(card) & takes & available and not described_names_one:
                    # the kind a name names tells look-alikes apart only where the user's words for their data do not
                    fitness *= NAMES_KIND
                if asks and len(takes & subject) > 1:
                    fitness *= ASKED_ABOUT  # it takes the question and what it is about
                chained = (
                    typed
                    and not repeat
                    and previous is not None
                    and bool(takes & set(previous.output_types))
                    and (goal.refers_back or not takes & own)
                )
                value = option.relevance / best * fitness + (CHAINED if chained else 0.0)
                if typed and goal.refers_back and previous is not None:
                    named = set(goal.query) & index.name_terms_of(previous.name) - index.name_terms_of(card.name)
                    value += NAMED_BACK if named else 0.0
                grown.append(
                    _State(
                        state.score + value, _Picked(card, state.picked), card, n, state.made | set(card.output_types)
                    )
                )
            if not offered:  # no option could be fed: the sub-goal is missing
                grown.append(replace(state, picked=_Picked(None, state.picked)))
        grown.sort(key=lambda s: -s.score)
        states = grown[:BEAM_WIDTH]
    return _unlinked(states[0].picked)


def _stores_a_kind(card: ToolCard, fed: AbstractSet[str]) -> bool:
    """Whether a tool told a file's path writes what it is given (write_file: text or json, each alone), fed some."""
    told_a_path = any({"path", "file"} & set(words(p.name.replace("_", " "))) for p in card.inputs)
    return bool(fed) and told_a_path and bool({"write", "save", "store"} & does(card))


def _named_as_described(
    card: ToolCard, described: dict[str, set[str]], kinds: AbstractSet[str], worked: AbstractSet[str], index: ToolIndex
) -> bool:
    """Whether a tool's name says what the user's words call their data of ``kinds`` ("a document image 'x.jpg'")."""
    return any(index.name_terms_of(card.name) & described.get(kind, set()) - worked for kind in kinds)


def _options(goal: Goal, called: frozenset[str], index: ToolIndex) -> list[Ranked]:
    """The tools the beam tries for a served sub-goal: those near the best, and a tool the next clause
    names as this step's work ("analyze this photo, then translate its classification") however many
    rank above it. Such a tool that holds as much of the clause's words as the best one is as relevant:
    what set them apart was only a name's bonus for a word both say ("Analyze" in one's name), and the
    next clause's naming says more than that."""
    near = near_best(goal.ranked, BEAM_RELEVANCE)
    if not called:
        return near[:BEAM_OPTIONS]
    top = goal.ranked[0]
    named = [
        replace(r, relevance=max(r.relevance, top.relevance)) if _as_said(r, top, goal, index) else r
        for r in goal.ranked[1:]
        if index.name_terms_of(r.tool) & called
    ]
    lifted = [r for r in named if r.relevance >= top.relevance * BEAM_RELEVANCE]
    others = [r for r in near[:BEAM_OPTIONS] if r.tool not in {n.tool for n in lifted}]
    return sorted([*others, *lifted], key=lambda r: -r.relevance)


def _without_unasked_forms(goal: Goal, options: list[Ranked], own: set[str], index: ToolIndex) -> list[Ranked]:
    """The options less a tool whose name says the form of what it makes ("read_aloud": audio) for a
    clause that asks for no form, where another option takes the clause's own data, says no form and
    holds as much of its words: "read notes.txt" is reading the file, not speech. Not "read notes.txt
    aloud" (it asks for audio), nor "summarize notes.txt and read it" (no data of its own: the summary
    is a text to say), nor "read https://..." (no option takes a page as it is)."""
    if goal.wants or not own or not any(_names_its_form(index.card(o.tool)) for o in options):
        return options
    # looked for among all the ranked tools: beside a form tool a name's bonus lifts ("Read the loud parts of
    # notes.txt": "read" and "aloud"), the plain one may stand below the beam's share and still hold more words
    plain = [
        o
        for o in goal.ranked
        if (card := index.card(o.tool)) is not None and set(card.input_types) & own and not _names_its_form(card)
    ]
    if not plain:
        return options
    held = max(o.coverage for o in plain)
    kept = [o for o in options if o in plain or o.coverage > held or not _names_its_form(index.card(o.tool))]
    if len(kept) == len(options):
        return options
    best = max(plain, key=lambda o: o.coverage)
    return kept if best in kept else [*kept, best]


def _without_the_objects_makers(goal: Goal, options: list[Ranked], index: ToolIndex) -> list[Ranked]:
    """The options less the tools found only by a noun of work the clause's verb works on: "compare the
    summary with the transcript" compares two results, whatever made them; a summariser found by "summary"
    makes the object, it does not do the verb. Only for a specific verb that tool does not hold, an object
    pointed at ("the", "its": something there, not "write a summary", which asks for one), and while a tool
    not so found is ranked; the best of those and the ones near it are the options then."""
    if goal.action is None or not options or not options[0].matched:
        return options
    pointed = _pointed_work(goal.clause.text)
    if not pointed:
        return options

    def makes_the_object(option: Ranked) -> bool:
        held = set(option.matched)
        return bool(held) and held <= pointed & index.name_terms_of(option.tool) and goal.action not in held

    if not makes_the_object(options[0]):
        return options
    left = [r for r in goal.ranked if r.relevance > 0 and not makes_the_object(r)]
    return near_best(left, BEAM_RELEVANCE)[:BEAM_OPTIONS] if left else options


def _without_the_objects_finders(goal: Goal, options: list[Ranked]) -> list[Ranked]:
    """The options less the tools found only by the noun the best option's verb works on: "summarize the objects
    in @p0" is the summariser's work, on what a detector finds (the converter put in front of it,
    ``heuristic._feed``); chosen for the photo it takes, the detector was the whole step and the summary was
    dropped unsaid. Not where the best option does not hold the verb ("describe the objects in @p0")."""
    if goal.action is None or not options or goal.action not in options[0].matched:
        return options
    worked_on = set(goal.head[1:]) - {goal.action}
    return [o for o in options if o is options[0] or not o.matched or not set(o.matched) <= worked_on]


def _storers_only(goal: Goal, options: list[Ranked], index: ToolIndex) -> list[Ranked]:
    """A clause whose verb stores or sends ("save the image", "email the summary") is served by a tool that
    says that verb, where one is an option: an editor found by "the image" is no way to save it. Such a tool
    that cannot take what is there leaves the step missing, and saying why ("write_file takes ['text',
    'json'], the step has ['image']"); the editor chosen instead was the step before again, and the clause
    was dropped in silence as a restatement."""
    if not goal.sink or goal.action is None:
        return options
    storers = [o for o in options if (card := index.card(o.tool)) is not None and goal.action in does(card)]
    if not goal.sent and any(sends_away(index.card(o.tool)) for o in storers):
        # "Summarize notes.txt, then save the summary" (third_party): upload_object says "save" too, and sent the
        # summary to a bucket nobody named; with nowhere said, what is stored is kept here, by a tool that does so
        action = goal.action
        here = [
            r for r in goal.ranked if (card := index.card(r.tool)) and action in does(card) and not sends_away(card)
        ]
        storers = here[:1] or storers
    return storers or options


def _pointed_work(text: str) -> set[str]:
    """The terms of the nouns of work a clause points at past its verb ("the summary", "its translation")."""
    lowered = words(text)
    return {t for before, w in pairwise(lowered[1:]) if before in POINTING and work_noun(w) for t in terms(w)}


def _names_its_form(card: ToolCard | None) -> bool:
    """Whether a tool's name names a kind of data it makes and does not take: "aloud" of read_aloud,
    "Text" of Image-to-Text (leaving text out of the rule lost what the halves gained, pass 42)."""
    return card is not None and bool(named_kinds(card) & (set(card.output_types) - set(card.input_types)))


def _as_said(named: Ranked, top: Ranked, goal: Goal, index: ToolIndex) -> bool:
    """Whether a tool is the best one's look-alike for a clause: it holds as much of its words, takes
    and makes the same kinds of data, and makes the kind the clause asks for if it asks for one ("create
    a visual representation" wants a picture: a question answerer named "Visual" by a later
    "visualization" does not make it)."""
    mine, best = index.card(named.tool), index.card(top.tool)
    return (
        mine is not None
        and best is not None
        and _same_kinds(mine, best)
        and 0 < top.coverage <= named.coverage
        and (named.makes or not goal.wants)
    )


def _same_kinds(one: ToolCard, other: ToolCard) -> bool:
    return set(one.input_types) == set(other.input_types) and set(one.output_types) == set(other.output_types)


def _found_by_a_noun(goal: Goal, option: Ranked, index: ToolIndex) -> bool:
    """Whether a tool was found for a sub-goal only by a noun, for work no tool says: the clause opens
    with a word no tool of the registry uses ("Book a table for two", "Reserve a table"), and the tool's
    match is on what the work is done on ("table" of a table classifier), not on the work asked. Fed
    nothing it takes, such a tool is a coincidence of a noun, not the work the user wants done. Not so a
    tool that takes nothing, or only values of kinds of its own ("Draft an invoice for ACME": an invoice tool
    taking a customer): the user is asked for those as for any such tool, and its noun is what they want."""
    if not goal.head or not goal.keywords or goal.refers_back:
        return False
    card = index.card(option.tool)
    if card is None or not card.input_types or takes_literal(card):
        return False
    verb = goal.head[0]
    if terms(goal.keywords[0]) != [verb] or index.known(verb) or not option.matched:
        return False
    # what the tool's name says it works on ("Tabular"), not a verb of the clause ("retrieve the text")
    verbs = {t for w in goal.keywords if is_verb(w) for t in terms(w)}
    return set(option.matched) <= index.name_terms_of(option.tool) - verbs


def _unknown_work_on(goal: Goal, card: ToolCard, index: ToolIndex) -> bool:
    """Whether a clause opens with a verb no tool of the registry uses and points at what ``card`` makes by
    its name's noun ("tweet the summary", "frobnicate the translation", "tweet the caption"): work on that
    result no tool does, not that tool's work said again."""
    if not goal.head or not goal.keywords or goal.action is not None:
        return False  # a verb the clause is known to say ("effectively converting the tabular data") is ranked
    verb = goal.head[0]
    if terms(goal.keywords[0]) != [verb] or index.known(verb):
        return False
    # its object straight after it: "effectively converting the tabular data" opens with no verb
    lowered = words(goal.clause.text)
    return len(lowered) > 2 and lowered[1] in POINTING and bool(set(terms(lowered[2])) & index.name_terms_of(card.name))


def _called_back(goal: Goal, index: ToolIndex) -> frozenset[str]:
    """The terms by which a clause that refers back may name the step before's tool ("translate its
    classification"): its words that are no word of its own best tool's name."""
    if not goal.refers_back or not goal.served or not goal.ranked:
        return frozenset()
    return frozenset(goal.query) - index.name_terms_of(goal.ranked[0].tool)


def _unlinked(picked: _Picked | None) -> list[ToolCard | None]:
    """The picks from the first sub-goal to the last."""
    cards: list[ToolCard | None] = []
    while picked is not None:
        cards.append(picked.card)
        picked = picked.before
    return cards[::-1]


def named_kinds(card: ToolCard) -> set[str]:
    """The kinds of data a tool's name names: "Image Classification" -> image."""
    return {TYPE_WORDS[w] for w in words(card.name) if w in TYPE_WORDS}


def types_enabled() -> bool:
    """Whether tools are chosen and steps added by data types (``ORCHESTRA_PLAN_TYPES=0``: words alone,
    for measuring what types add)."""
    return environment.flag("ORCHESTRA_PLAN_TYPES", True)


def fit(takes: set[str], available: AbstractSet[str], typed: bool = True) -> float:
    """How well a tool that takes ``takes`` fits data of kinds ``available``: a tool that takes the
    content (an image) fits better than one that takes any file by its path. ``typed``: whether data
    types count at all (``types_enabled``)."""
    if not takes or not typed:
        return 1.0
    matched = takes & available
    if not available and "text" in takes:
        # nothing to work on but the request's words ("create an image of a red car"): a tool that takes
        # text is half fed by them, one that takes an image is not fed at all
        return INFEASIBLE + (1 - INFEASIBLE) * WORDED / len(takes)
    if not matched:
        return INFEASIBLE
    # A tool that takes an image and a text fits a request with text only as much as it can be fed.
    # A text a tool takes beside other data it is fed (the question about a page, the instruction for an
    # edit) may be the request's own words: half fed, not unfed.
    worded = WORDED if matched - {"text"} and "text" in takes - matched else 0.0
    share = (len(matched) + worded) / len(takes)
    return (1.0 if matched - CARRIER_KINDS else CARRIER_FIT) * (INFEASIBLE + (1 - INFEASIBLE) * share)


def unfed_kinds(card: ToolCard, available: AbstractSet[str]) -> set[str]:
    """The kinds a tool needs each of (a required input named for it: an image editor's picture beside its
    instruction; not a summariser's "markdown", another kind of text it may take) that ``available`` lacks, but
    text, which the request's words may be."""
    kinds = set(card.input_types)
    if len(kinds) < 2:
        return set()
    named = {TYPE_WORDS.get(w, w) for p in card.inputs if p.required for w in words(f"{p.name} {p.description}")}
    return (kinds & named) - {"text"} - set(available)


RESTATES = 0.8  # the step before serves a clause about as well as its best tool: it says more of the same


def restates(goal: Goal, card: ToolCard, before: list[TaskStep], index: ToolIndex) -> bool:
    """A clause with no data of its own that the step before already serves: "identify the objects
    and mark them with bounding boxes", "... and give me the result as text". Not one whose verb
    its own tool names and the one before does not: "summarize the analysis" after a detector; nor
    one that asks the same work again on something new ("generate a picture of a cat, then generate
    a picture of a dog")."""
    if not before or goal.own or not before[-1].candidates:
        return False
    if before[-1].side_effects and not goal.sink:
        return False  # "post it to B, then fetch it": work after a step that sent or stored is no more of that
    previous = before[-1].candidates[0]
    previous_card = index.card(previous)
    if again(goal, before[-1].keywords, index):
        return False
    if previous_card is not None and again(goal, before[-1].keywords, index, does(previous_card)):
        return False  # "translate it into French. Also translate it into German": a second translation
    if previous == card.name:
        # "edit b.jpg to add a hat and make it darker": a second change, of the edit's picture (folded, it was lost)
        # so is "Edit photo.jpg to make the sky red, then make the background white" (attack273)
        text = goal.clause.text
        return not (
            (EDIT_WORD in goal.keywords and changes_what_it_points_at(text))
            or (any(p.name in TOLD_INPUTS for p in card.inputs) and change_said(words(text), text))
            # "Make the sky in photo.jpg blue. Then edit the photo so the grass is yellow": how, said of the picture
            # (the second change was dropped, unsaid)
            or (any(p.name in TOLD_INPUTS for p in card.inputs) and says_how(goal))
        )
    if goal.action and previous_card is not None and goal.action in does(card) - does(previous_card):
        return False
    if previous_card is not None and _takes_another(goal, card, previous_card):
        return False
    if goal.wants and not set(goal.wants) & set(before[-1].produces):
        return False
    if goal.wants and not _says_more(goal):
        return True  # "save it as an audio clip", "give me the output in a text format": its form only
    best = goal.ranked[0].relevance if goal.ranked else 0.0
    mine = next((r.relevance for r in goal.ranked if r.tool == previous), 0.0)
    return best > 0 and mine >= RESTATES * best


def _takes_another(goal: Goal, card: ToolCard, previous: ToolCard) -> bool:
    """Whether a clause's tool takes more things of a kind than the step before's and the clause names
    that many: "Summarize notes.txt. Compare it with the original text" compares the summary with the
    text, work the summariser cannot say again, however near "text" puts it in the ranking."""
    counts = Counter(card.input_types)
    kind, most = counts.most_common(1)[0] if counts else ("", 0)
    if most < 2 or Counter(previous.input_types)[kind] >= most:
        return False
    lowered = words(goal.clause.text)
    named = sum(1 for w in lowered if w in ANAPHORA or TYPE_WORDS.get(w) == kind or work_noun(w)) + len(goal.own)
    return named >= most


def again(goal: Goal, before: Sequence[str], index: ToolIndex, referring: frozenset[str] | None = None) -> bool:
    """Whether a clause asks the work of the step before (whose words are ``before``) again, on
    something new: its verb is the step before's, it does not refer back, and it names what the step
    before's words do not ("generate a picture of a cat, then generate a picture of a dog"), or says its
    data is other ("then detect the objects in my other photo"). A clause
    that goes on with another verb ("... and label any notable objects") says more of the same work.
    ``referring``: the terms of what the step before's tool does; given, a clause that refers back counts
    too when it names what neither the step before's words nor its tool's say ("Translate notes.txt into
    French. Also translate it into German" was one translation, the German dropped unsaid; "detect the
    objects and detect them with boxes" says the detector's own "boxes")."""
    if (goal.refers_back and referring is None) or not goal.keywords or not before:
        return False
    verb = base_verb(goal.keywords[0])
    if not is_verb(verb) or verb != base_verb(before[0]):
        return False
    said = set(terms(" ".join(before))) | weak_terms(index) | FORM_TERMS | (referring or frozenset())
    return any(t not in said for t in goal.query) or names_other(goal.clause.text)


# Words that say a clause's data is not what the step before worked on: "then detect the objects in my
# other photo", "... in a second recording". Not a clause's first word ("Second, detect ..." orders).
OTHER_WORDS = frozenset("other another second third different".split())


def names_other(text: str) -> bool:
    """Whether a clause says it works on other data than the one before it ("my other photo")."""
    return bool(OTHER_WORDS & set(words(text)[1:]))


# Words that say what form a result takes or that it is the one before, not what to do with it.
FORM_ONLY = FORM_WORDS | frozenset("output outputs result results file clip copy".split())
FORM_TERMS = frozenset(terms(" ".join(FORM_ONLY | ANAPHORA)))


def _says_more(goal: Goal) -> bool:
    """Whether a clause says anything besides its verb, kinds of data and the result's form."""
    return any(
        base_verb(w) not in GENERIC_VERBS | SINK_VERBS and w not in TYPE_WORDS and w not in ANAPHORA | FORM_ONLY
        for w in goal.keywords
    )
