"""A step whose text input is the clause's own words: the question it asks of a picture or a document,
the description of what it makes ("a picture of a red fox in the snow"). Such a text is the clause's,
not a result an earlier step made nor a plan input the user must give again."""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from itertools import takewhile
from typing import TYPE_CHECKING

from orchestra.analysis.changes import EDIT_WORD, change_said
from orchestra.analysis.data import PLACEHOLDER, types_of
from orchestra.analysis.takes_a_question import takes_a_question
from orchestra.analysis.words import (
    ANAPHORA,
    DESCRIBED,
    DETERMINERS,
    QUESTION_WORDS,
    SOUND_WORDS,
    STOP_WORDS,
    TYPE_WORDS,
    USING_VERBS,
    is_verb,
    terms,
    words,
    work_noun,
)
from orchestra.lazy_regex import lazy_compile
from orchestra.tool_spec import ToolCard

if TYPE_CHECKING:  # goals asks this module what a clause describes
    from orchestra.analysis.goals import Goal

# "a sound of rain", "some music about the sea": a sound named by what it is to be, not by words to say.
# "a sound of rain", and with a word for any medium after it: "an audio clip of a dog barking"
SOUND_DESCRIBED = lazy_compile(
    rf"\b(?:{'|'.join(sorted(SOUND_WORDS))})(?:\s+(?:clips?|recordings?))?\b{DESCRIBED}", re.IGNORECASE
)


def asks_itself(goal: Goal, takes: list[str]) -> bool:
    """A question or an instruction whose tool takes its text beside other data (a picture, a document) and
    that gives no text of its own: the clause's words are its text. A question that refers back ("answer it",
    "that question") asks what was made; a change named on a file says itself ("edit photo.jpg to ...")."""
    return (
        ((goal.question and not goal.refers_back) or says_how(goal))
        and takes.count("text") == 1
        and len(set(takes)) > 1
        and not any("text" in types_of(d) for d in goal.works_on)
    )


# The kinds a change is done on, named by the user's own file.
MEDIA = frozenset({"image", "audio", "video"})
# "Edit photo.jpg to make the sky blue", "so the sky is darker": what the change is to do, after the verb (not
# "according to the data", "to green": no verb after "to").
# "by adding a hat", "by removing the car": how, by the work it takes (a verb's -ing form after "by").
HOW = lazy_compile(
    r"\b(?:to\s+(?=([a-z]+))|by\s+(?=[a-z]+ing\b)|so\s+(?:that\s+)?(?=the|its|it|they|there)|such\s+that\s+)(.+)$",
    re.I | re.S,
)


# "edit it to be brighter", "change them so they are darker": a verb, what it points back at, then how.
POINTED_HOW = lazy_compile(r"\s*[a-z]+\s+(?:it|them)\s+(?:to|so|such|by)\s", re.IGNORECASE)
# "make it brighter", "turn them blue": a verb, what it points back at, then the state it is to have.
POINTED_CHANGE = lazy_compile(r"\s*[a-z]+\s+(?:it|them)\s+[a-z]", re.IGNORECASE)
# Verbs after "to" that say a state to have: "edit photo.jpg to be brighter", "... to look like a painting".
STATE_VERBS = frozenset("be become look appear seem".split())


def says_how(goal: Goal) -> bool:
    """Whether a clause says the change it asks: by the state or part it names ("make the sky in photo.jpg
    darker", "delete the background of photo.jpg": ``changes.EDIT_WORD`` among its words) or by what the work
    is to do ("edit photo.jpg to make the sky blue", "edit it to be brighter"); "edit photo.jpg" alone says
    none, and is asked for. Not a clause that uses what it points at ("use it to edit photo.jpg", "use the
    caption to ...": that is the instruction)."""
    said = words(goal.clause.text)
    if said and said[0] in USING_VERBS:
        return False
    if not any(set(types_of(d)) & MEDIA for d in goal.works_on):
        if EDIT_WORD in goal.keywords[1:] and (
            POINTED_CHANGE.match(goal.clause.text) or MEDIA & {TYPE_WORDS.get(w) for w in words(goal.clause.text)}
        ):
            # "caption photo.jpg and make it brighter", "... Remove the car from the picture": a change of the
            # picture "it" or "the picture" points at (the caption was the instruction)
            return True
        if change_said(words(goal.clause.text), goal.clause.text):
            # "Caption photo.jpg, then make the background white": a state said of a part of the picture (the
            # caption was the instruction, attack273)
            return True
        # "make it a bit more challenging"; but "caption photo.jpg and edit it to be brighter" says how of what it
        # points back at (the caption was the instruction), as does "then edit the picture to add a moon"
        pointed = POINTED_HOW.match(goal.clause.text) is not None
        if not pointed and not MEDIA & {TYPE_WORDS.get(w) for w in words(goal.clause.text)}:
            return False
    elif EDIT_WORD in goal.keywords[1:]:
        return True
    how = HOW.search(PLACEHOLDER.sub(" ", goal.clause.text))
    verb = how.group(1).lower() if how is not None and how.group(1) else None
    return (
        how is not None
        and (verb is None or verb in STATE_VERBS or is_verb(verb))
        and any(w not in STOP_WORDS and w not in TYPE_WORDS for w in words(how.group(2)))
    )


def description(goal: Goal, chosen: ToolCard, action: str, before: set[str]) -> str | None:
    """What a tool that makes a picture, a sound or a film from a text is to make, as the clause
    describes it after the kind it names: "generate a picture of a red fox in the snow" gives "a red
    fox in the snow". Not a description that names something known ("a picture of it", "of the
    summary", "of the text": a determiner first, a reference, a kind of data, or a word of an earlier
    step's tool: ``before`` holds their terms), nor for a clause that refers back or gives a text of its own."""
    if set(chosen.input_types) != {"text"} or goal.refers_back or any("text" in types_of(d) for d in goal.works_on):
        return None
    made = [w for w, kind in TYPE_WORDS.items() if kind in chosen.output_types and kind != "text"]
    if not made:
        return None
    found = re.search(rf"\b(?:{'|'.join(map(re.escape, made))})\b{DESCRIBED}", action, re.IGNORECASE | re.DOTALL)
    if found is None:
        return None
    described = found.group(1).strip(" .,;:!?")
    return described if named_anew(described, before) else None


def named_anew(described: str, known: AbstractSet[str]) -> bool:
    """Whether the words that say what a picture or a sound is to show name something to make ("a red fox",
    "the sea"), not something there already: a reference ("it", "the output"), a kind of data or a noun of
    work after a determiner ("the text", "my photo", "the summary": what an earlier step made, whatever its
    tool is called), or a word of an earlier step's tool (``known`` holds their terms). A determiner alone
    says nothing of which: "a picture of the sea", "of the meeting of two cats" were asked of the user."""
    said = words(described)
    if not said or set(said) & ANAPHORA:
        return False
    if said[0] in DETERMINERS:
        noun = next((w for w in said[1:] if w not in STOP_WORDS), None)
        if noun is None or noun in TYPE_WORDS or work_noun(noun):
            return False
    content = [w for w in said if w not in STOP_WORDS and w not in TYPE_WORDS]
    return bool(content) and not set(terms(" ".join(content))) & known


def sound_anew(text: str, wants: Sequence[str], known: AbstractSet[str] = frozenset()) -> bool:
    """Whether a clause (``text``, asking for ``wants``) asks for a sound described by what it is to be,
    with or without a determiner ("a song about the sea", "a sound of rain"): no text to read aloud, so a
    tool that only speaks does not make it (``makes_sounds``). Not "a recording of the summary" when a
    summary was made before (``known``), nor a quoted text."""
    if "audio" not in wants:
        return False
    found = SOUND_DESCRIBED.search(text)
    return found is not None and not found.group(1).lstrip().startswith("@") and named_anew(found.group(1), known)


# "Is this review negative?", "Does the photo contain a cat?": a question asking whether something is so, by
# its verb: a form of "be" (the judgement follows the subject) or of "do" (a verb follows the subject).
WHETHER = lazy_compile(r"^\s*(?:(is|are|was|were)|does|do|did)\s+", re.IGNORECASE)


def judged(text: str) -> set[str]:
    """The words of what a question asking whether something is so asks about ("Is this review negative?":
    "review"; "Is the customer review negative?": "customer", "review"; "Does the photo contain a cat?":
    "photo"): the user's name for the thing judged, not the judgement, so no word of the work that judges it."""
    opening = WHETHER.match(text)
    rest = text[opening.end() :] if opening is not None else ""
    cut = PLACEHOLDER.search(rest)
    said = words(rest[: cut.start()] if cut is not None else rest)
    if not said or said[0] not in DETERMINERS:
        return set()
    named = said[1:]
    if opening is not None and opening.group(1):
        # "this review negative": the last word is the judgement; "the review 'X' negative": it follows the data
        return set(named if cut is not None and words(rest[cut.end() :]) else named[:-1])
    return set(named[:1]) | set(takewhile(lambda w: not is_verb(w), named[1:]))


# "..., given 'X' as context", "using the passage 'X'", "with the context 'X'": a text presented beside a question,
# for it to be answered from, after the question's own words.
CONTEXT_NOUNS = r"(?:context|passage|text|paragraph|document|article|excerpt)"
BESIDE = lazy_compile(
    rf"\s*,?\s*\b(?:given|with|using|from|in|based\s+on|considering)\s+(?:the\s+|this\s+|a\s+)?"
    rf"(?:(?:{CONTEXT_NOUNS})\s+)?@q\d+(?:\s+as\s+(?:the\s+|a\s+)?{CONTEXT_NOUNS})?\s*\??\s*$",
    re.IGNORECASE,
)


def is_a_question(text: str) -> bool:
    """Whether a quoted text is a question ("What would be the color of the car?"), not a text to ask about."""
    said = words(text)
    return text.rstrip().endswith("?") or (bool(said) and said[0] in QUESTION_WORDS)


def only_its_question(goal: Goal, chosen: ToolCard) -> bool:
    """Whether all a clause names of its own is the question it asks, to a tool taking one ("Could you answer 'What
    colour is the car?'" after "Caption photo.jpg"): what the question is asked of (the picture, the caption) is
    the request's or an earlier step's, as it is for a question with no quote; the quote does not make the clause
    one that works on its own data only."""
    return (
        bool(goal.works_on)
        and all(isinstance(d.value, str) and d.kind == "text" and is_a_question(d.value) for d in goal.works_on)
        and takes_a_question(chosen)
    )


def question_beside(text: str) -> str | None:
    """The question a clause asks in its own words when a quote presented after it is the text to answer it
    from ("What is the capital of France, given @q0 as context?": "What is the capital of France?"); None when
    the clause presents no text so, or the quote is not said to be one ("given 'X'" alone is presented: the
    preposition "given" says so)."""
    found = BESIDE.search(text)
    if found is None or not found.start():
        return None
    said = found.group(0).lower()
    if not re.search(rf"\bgiven\b|{CONTEXT_NOUNS}", said):
        return None  # "What is in @q0?": the quote is what is asked about, not a context
    return f"{text[: found.start()].strip().rstrip('?,')}?"


# "find out who wrote it", "figure out the main theme of the document", "help me understand what it is about",
# "tell me the colour of the car", "ascertain the author's identity": a verb of coming to know (after an adverb:
# "eventually tell me ..."), then what is to be known. "find the objects" is no finding out, "figure it out" names
# nothing ("it" was said before), "summarize the main theme" and "translate what it says" are work, not asking.
SEEKING = lazy_compile(
    r"^\s*(?:[a-z]+ly\s+)?(?:(?:figur|find|work)[a-z]*\s+out|understand|comprehend|determin|ascertain|decipher"
    r"|identif|know|learn|discover|tell)[a-z]*\s+(?:(?:me|us)\s+)?(.+?)\s*(?:\b(?:for\s+(?:me|us)|please))?[\s.?!]*$",
    re.IGNORECASE | re.DOTALL,
)
# Words that name no thing to know of their own: "tell me the answer", "figure that out", "find out the result".
_NOTHING_OF_ITS_OWN = ANAPHORA | frozenset("answer answers question questions reply response".split())


def seeks_to_know(
    goal: Goal, chosen: ToolCard, takes: list[str], action: str, given: AbstractSet[str], made: AbstractSet[str]
) -> bool:
    """Whether a clause asks to come to know something in its own words, to a tool taking a question beside other
    data (a picture, a document) and given no text of its own: "help me understand the main theme of the document",
    "find out who wrote it", "tell me the colour of the car". Its words, as said, are the question: the user asked it
    already, and is not asked again (as a question said as one is asked as said, ``asks_itself``). Not a clause that
    does not seek to know (work on the data: "summarize the main theme"), names nothing to know ("figure it out",
    "tell me the answer"), nor one to a tool taking data no one gives (``given``: the kinds the user gives, ``made``:
    those earlier steps make): "figure out who is speaking in talk.wav" is no question about a picture. Nor after a
    step that made a text: the text the step before made is handed on, as the user's order says, where the question
    has no words of its own to take."""
    if takes.count("text") != 1 or len(set(takes)) < 2 or any("text" in types_of(d) for d in goal.works_on):
        return False
    seeking = SEEKING.match(action)
    if seeking is None or "text" in made or not (set(takes) - {"text"}) <= given | made:
        return False
    if not takes_a_question(chosen):  # an editor's instruction says a change ("edit the picture to ...")
        return False
    content = [w for w in words(seeking.group(1)) if w not in STOP_WORDS]
    return bool(content) and not set(content) <= _NOTHING_OF_ITS_OWN
