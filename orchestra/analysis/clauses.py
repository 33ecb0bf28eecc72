"""A request (with its data already taken out) -> candidate sub-goals, in the order they should run.

Sentences are cut at their ends, list items, and within a sentence at commas, semicolons, "and",
"then", "after that"... A piece that starts with a verb of work (or a word the registry's tools use
for what they do) opens a new sub-goal; any other piece ("B and C", "in Spanish") belongs to the one
before. Polite lead-ins ("could you help me", "I'd like you to") are cut off and mark the rest as
asked for; sentences that tell about the user or their data ("I have a photo named x.jpg") are
context: their data stays available, but they are not work unless a tool clearly serves them. A
direct question ("what is the main topic?") is a sub-goal of its own: answering it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import pairwise

from orchestra.analysis.additive_alone import adds_before_a_question
from orchestra.analysis.causative import listed_in_the_passive, ordered_in_the_passive
from orchestra.analysis.conditional import CHANGING, CONDITION, OTHERWISE, offer_in, work_after
from orchestra.analysis.data import PLACEHOLDER
from orchestra.analysis.delete_verbs import TAKE_AWAY_VERBS, forms
from orchestra.analysis.fronted_place import place_said_after
from orchestra.analysis.not_done import KEEPS, asks_about, not_to_be_done, takes_back, waits_for_leave
from orchestra.analysis.part_sent import sends_a_part_but
from orchestra.analysis.said_values import DAYS_OF_THE_WEEK, says_a_repeat
from orchestra.analysis.words import (
    DETERMINERS,
    DONE_WORD,
    EMBEDDED_REQUEST,
    FEASIBLE,
    FIRST_WORDS,
    IRREGULAR_DONE,
    NARRATIVE_START,
    ORDER_WORDS,
    POINTING,
    QUESTION_WORDS,
    REQUEST_LEAD_INS,
    SINK_VERBS,
    STOP_WORDS,
    SUPPOSITION,
    TYPE_WORDS,
    USING_VERBS,
    VERBS,
    WISH_DONE,
    WISH_FOR_RESULT,
    WISH_FOR_WORK,
    WISH_LEAD_INS,
    base_verb,
    is_verb,
    one_verb_of,
    terms,
    verb_of,
    words,
    work_noun,
)
from orchestra.lazy_regex import lazy_compile
from orchestra.planning.reported import act_of_another

# Sentence ends; a quote that ended its sentence inside the quotes ("... 'It rains.' Could you") too.
SENTENCE_END = lazy_compile(
    r"(?<=[.!?])\s+|(?<=@q\d)\s+(?=[A-Z][a-z])|(?<=@q\d\d)\s+(?=[A-Z][a-z])|\n+|(?:^|\s)\d+[.)]\s+|(?:^|\n)\s*[-*\u2022]\s+"
)
# "also" joins work ("summarize it, also translate it"), but not after "I've" / "we have", nor between "I" and a
# past verb: "I've also got an image x.jpg", "I also took a photo x.jpg" tell what the user has, as without
# "also"; split there they left a command ("got an image x.jpg") that became an image edit.
SEPARATOR = lazy_compile(
    r"\s*((?<!\d),|,(?!\d{3}(?!\d))|;|:|\band then\b|\bthen\b|\band also\b|\band\b(?!/)|\bafter that\b|\bafterwards\b|\bnext\b|\bfinally\b"
    r"|\blastly\b|\bsubsequently\b|\bplus\b|\bas well as\b|(?<!\bi've\s)(?<!\bwe've\s)(?<!\bi\u2019ve\s)(?<!\bwe\u2019ve\s)(?<!\bi\shave\s)(?<!\bwe\shave\s)\balso\b(?!(?:(?<=\bi\salso)|(?<=\bwe\salso))\s+(?:\w+ed|got|had|took|found|bought|made)\b)|(?<!\bnothing\s)(?<!\banything\s)\bbut\b"
    r"|\bor\s+(?:else|otherwise)\b"
    # a spaced dash before running what was told of: "@p0 installs things - execute it" (before other work it may
    # say more of the work before it: "list the files in @p0 - sort them by size" read a folder as a file to sort)
    r"|\s[-\u2013\u2014]\s(?=(?:please\s+|just\s+|now\s+)?(?:run|execute|exec|launch)\s+(?:it|this|that)\b))\s*",
    re.IGNORECASE,
)
LINKING_WORDS = frozenset(
    """however unfortunately although though since because as while if when whereas meanwhile
    instead otherwise anyway besides moreover furthermore also additionally perhaps maybe yes no ok okay thanks hey
    hi hello recently yesterday today lately actually currently unfortunately sadly luckily alright sure right
    well imagine suppose thereby therefore hence thus consequently accordingly otherwise""".split()
)
# Words that make a sentence tell rather than ask when they follow its first word: "Luckily we have ...".
SUBJECTS = frozenset("i we you they he she it there".split())
FAN_OUT_WORDS = ("for each", "for every", "each of", "every one of", "one by one")
LEADING_FILLER = frozenset({"please", "also", "first", "firstly", "then", "and", "now", "finally", "next", "just",
                            "lastly", "additionally", "afterwards", "subsequently", "so", "to", "kindly",
                            "furthermore", "moreover", "besides", "secondly", "thirdly", "after", "that", "once",
                            "initially", "further", "done", "can", "you", "could", "would", "possibly", "following"})  # fmt: skip


@dataclass
class Clause:
    text: str
    asked: bool = False  # a lead-in or an imperative: the user asks for it
    context: bool = False  # it tells about the user or the data, and is work only if a tool clearly serves it
    question: bool = False  # a direct question to answer
    ordered: bool = False  # an ordering word puts it after the clause before
    first: bool = False  # "first ..." puts it before the others
    for_each: bool = False
    intent: bool = False  # "but I want to confirm": a wish with a verb alone, work only if nothing else is
    granted: bool = False  # a step the request takes for granted ("the improved speech"): goals.implied_by_participle
    # "I want to turn my photos into paintings": the user's wish, which a request may detail, or which
    # says what later work is for ("I'd like to hear how it sounds")
    wish: bool = False
    sentence: int = -1  # which sentence of the request it comes from (-1: made by the planner, not read)
    # work a question asks about, not for ("Is it done once you delete @p0?", "Which is better, to run @c0 ...?"):
    # nothing does it (goals.py)
    about: bool = False
    received: bool = False  # work asked for as a thing received, done ("Can I have ... and @p0 deleted?")
    # "if @p0 is empty", "unless it fails": a condition the work is said under, which no call checks (a delete or a
    # command said under one was done whatever held)
    condition: str = ""


@dataclass
class Refused:
    """The words of work the user refused ("never send @q0"): the data they name is for no step, unless the
    clause after them refers back to it ("do not translate @p0, summarize it")."""

    pending: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    def opened(self, body: str) -> None:
        """A clause opens after the refusal: its "it" is what was refused work's data, else that data is refused."""
        if not REFERENCE.search(body):
            self.texts += self.pending
        self.pending = []


def clauses(text: str, is_action: Callable[[str], bool], refused: Refused | None = None) -> list[Clause]:
    """Candidate sub-goals of ``text``; ``is_action(word)`` says whether a word names work. ``refused``
    collects the words of work the user said not to do."""
    refused = refused if refused is not None else Refused()
    out: list[Clause] = []
    about: set[int] = set()  # the sentences asking about work
    how: set[int] = set()  # those asking how or whether the user may do it: even its question clause is no request
    waiting: list[tuple[int, str]] = []  # the clauses waiting for the user's leave ("ask me before deleting @p0")
    text = _BEFORE_THAT.sub(lambda m: f"{m.group(1) or ''}first ", text)  # "..., but before that X": first X
    text = _NO_AFTER_A_COMMA.sub(". ", text)  # "Delete @p0, actually don't": a sentence of its own
    text = _KEPT_AFTER_A_COMMA.sub(". ", text)  # "Delete @p0 and @p1, but keep one": so is the keep
    text = _WHATEVER_HOLDS.sub("", text)  # "Overwrite @p0 with @q0, whether or not it exists": done either way
    for number, sentence in enumerate(SENTENCE_END.split(DOT_PLACE.sub(_dots_held, text))):
        # One space for any run of whitespace: it says nothing within a sentence (quoted data is taken out
        # before), and the patterns below scan a run once for each place it could start (20,000 spaces: 100 s).
        sentence = INTERJECTION.sub("", " ".join(sentence.split()), count=1)
        sentence, offered = offer_in(sentence)
        if offered and not any(w.isalpha() for w in words(sentence)):
            # "Delete @p0. Or not.", "Up to you.": the offer is of the work said before it
            last = max((c.sentence for c in out if c.asked), default=None)
            for clause in out:
                if clause.asked and clause.sentence == last:
                    clause.condition = clause.condition or offered
        if not sentence or not any(w.isalpha() for w in words(sentence)):
            continue
        if _asks_about_work(sentence):
            about.add(number)
        if ASKING_HOW.match(sentence) and sentence.rstrip().endswith("?"):
            about.add(number)
            how.add(number)
        receiving = bool(RECEIVING.match(sentence)) and sentence.rstrip().endswith("?")
        no_after_all = _no_after_all(sentence, out)
        taken_back = (takes_back(sentence) or no_after_all) if any(c.asked for c in out) else None
        said = sentence
        if taken_back is not None and taken_back.start() == 0 and sentence[taken_back.end() :].strip():
            sentence = sentence[taken_back.end() :]  # "No wait, summarize it instead": summarize it instead
        # "Wait, don't.", "Cancel that.": a take-back and nothing more is no work of its own (a pause was planned)
        whole = taken_back is not None and taken_back.start() == 0 and not said[taken_back.end() :].strip(" .!")
        made = [] if no_after_all or whole else _sentence(sentence, is_action, refused)
        noted = _NOTE_LABEL.match(sentence)
        if noted is not None and taken_back is None:
            # "Note: the file is large.", "FYI: the script deletes @p0.": what a note tells is context for the work
            # around it, not work ("Note the file is large" was a missing step, "note" read as its verb); work a
            # note says ("Note: delete @p0") is said under it, so a change is asked for, not done unasked
            made = _sentence(sentence[noted.end() :], is_action, refused)
            for clause in made:
                if clause.asked and not clause.condition:
                    clause.condition = f"said in a note ({noted.group(0).strip()}), not asked"
        keeps = KEEPS.match(sentence) is not None and "@" in sentence  # "No wait, keep @p0": only that is spared
        # "Delete @p0 @p1. Actually, keep the other one.": which file is spared is the user's to say, so the work
        # is taken back (asked) and the keep is no work of its own (it deleted both, then "kept" one)
        kept_unnamed = _keeps_unnamed(sentence, out)
        made = [] if kept_unnamed else made
        for clause in made if offered else []:
            clause.condition = clause.condition or offered  # "Delete @p0, or not": asked, not done
        if kept_unnamed or (
            taken_back is not None and not keeps and (any(c.asked for c in made) or "@" not in sentence)
        ):
            # what it takes back is the work said last; "On second thought, don't delete @p0" names what it
            # keeps (`planning.deleted.kept`), the rest goes on
            last = max(c.sentence for c in out if c.asked)
            # "No wait, summarize it instead": other work replaces it, which runs, and it is dropped (asked, the
            # summary's read waited for a delete nobody would answer); "no wait, summarize it first" adds to it
            replaced = not kept_unnamed and any(c.asked for c in made) and ADDED_TO.search(sentence) is None
            taken = [c for c in out if c.sentence == last and c.asked and not c.condition]
            # of them, the work of the same verb where there is some: "Delete @p0, then summarize @p1. Actually,
            # summarize @p2 instead" dropped the delete unsaid (plan181)
            same = [c for c in taken if _verb_of(c.text) in {_verb_of(m.text) for m in made if m.asked}]
            for clause in same if replaced and same else taken:
                if replaced:
                    clause.asked, clause.context = False, True
                else:
                    clause.condition = f"taken back: {said.strip()}"
        waiting += [(number, made[n].text) for n in waits_for_leave([c.text for c in made])]
        for n, clause in enumerate(made):
            clause.sentence = number
            clause.text = _KEPT_IN.sub("save", clause.text, count=1)
            if _KEEPS_THE_REST.match(_KEEP_LEAD.sub("", clause.text, count=1)) or _KEEPS_IT.match(clause.text):
                clause.asked, clause.context = False, True
            elif asks_about(clause.text):  # "tell me how to delete @p0", "ask me before deleting @p0": no delete
                clause.about, clause.asked, clause.context = True, True, False
            elif receiving and n and not clause.received and is_verb((_first_word(clause.text) or "").lower()):
                # "Can I get a summary of @p0 and then delete @p0?": the user's own "I" goes on, asking leave as
                # "Can I delete @p0?" does; only the thing received is asked for (the file was deleted)
                clause.about, clause.asked, clause.context = True, True, False
            if out and _only_data(clause.text):
                out[-1].text += " " + clause.text  # "translate a phrase. How about 'Hello'?": the phrase
            else:
                out.append(clause)
    refused.texts += refused.pending
    if not any(c.asked for c in out):
        for clause in out:
            if clause.intent:  # "I want to translate. The text is 'Bonjour'.": the only work there is
                clause.asked, clause.context = True, False
    out = _reorder(out)  # "once you delete @p0" is split off here, and asked about all the same
    for clause in out:
        # reported with its words: not done, nor the user's story
        if clause.sentence in about and (not clause.question or clause.sentence in how):
            clause.about, clause.asked, clause.context = True, True, False
        elif any(number == clause.sentence and clause.text in text for number, text in waiting):
            clause.about, clause.asked, clause.context = True, True, False  # its pieces ("deleting @p0") too
        clause.text = clause.text.translate(_DOTS_BACK)
    return out


# A file opening a sentence, then a verb telling what it does ("@p0 installs things", "the script @p0 deletes @p1")
_FILE_DOES = lazy_compile(
    r"^\s*(?:(?:the|this|that|my|our)\s+)?(?:(?:script|file|program)\s+)?@p\d+\s+([a-z]+)\b", re.I
)


# What a file is said to want is work asked of it: "@p0 needs a summary"
_WANTING = frozenset("needs requires wants deserves lacks awaits".split())


# A label opening a sentence that only informs ("Note:", "NB:", "FYI:", "PS:", "Warning:", "Background:"); not one
# opening what is asked ("Task:", "Todo:", "Reminder:").
_NOTE_LABEL = lazy_compile(
    r"^\s*(?:notes?|nb|n\.b\.|fyi|ps|p\.s\.|hint|tip|warning|caution|context|background|info|heads[\s-]up|aside"
    r"|disclaimer|btw|by\s+the\s+way|for\s+(?:your\s+)?(?:info|information|reference))\s*[:\-\u2013\u2014]\s*(?=\S)",
    re.IGNORECASE,
)


# "Delete @p0. Actually, don't.", "Wait, don't.", "No, don't do that.", "No.": a negation with no work of its own
# takes back the work said before it, as "Never mind." does (the delete ran); "Don't translate it." refuses other
# work, and "Actually, don't delete it" names what it keeps (`planning.deleted`).
_NEGATION_ALONE = (
    r"(?:please\s+)?(?:don['\u2019]?t|do\s+not|no|nope|never)(?:\s+(?P<verb>[a-z]+)\s+(?:it|that|this|them)\b)?"
)
_NO_AFTER_ALL = lazy_compile(
    r"^\s*(?:(?:actually|wait|hmm+|oh|sorry|no|nope|hold\s+on|hang\s+on|on\s+second\s+thoughts?)\b[\s,;:!.\u2026-]*)*"
    rf"{_NEGATION_ALONE}[\s.!]*$",
    re.IGNORECASE,
)


def _no_after_all(sentence: str, before: list[Clause]) -> re.Match[str] | None:
    """``_NO_AFTER_ALL`` in ``sentence`` when it takes back the work said last: its verb, if it says one ("Actually,
    don't delete it"), is that work's (or "do")."""
    said = _NO_AFTER_ALL.match(sentence)
    if said is None or said.group("verb") in (None, "do"):
        return said
    last = next((c for c in reversed(before) if c.asked), None)
    head = _first_word(last.text) if last is not None else None
    return said if head is not None and base_verb(said.group("verb").lower()) == base_verb(head) else None


# (from its comma: from each space before it, a long run of spaces was scanned again from each)
# "Delete @p0; never mind", "..., actually, scratch that", "..., never mind that": a take-back of the work before it
# (attack261, attack273: it ran).
_NO_AFTER_A_COMMA = lazy_compile(
    r"[,;]\s*(?=(?:actually|wait|no|oh|hmm+|on\s+second\s+thoughts?)\b[\s,]*"
    rf"{_NEGATION_ALONE}[.!]*(?:\s|$))"
    # (not the comma after a word opening a take-back: "Oh, forget it." is one already)
    r"|(?<!\boh)(?<!\bwell)(?<!\bwait)(?<!\bokay)(?<!\bok)(?<!\bactually)[,;]\s*"
    r"(?=(?:(?:actually|oh|well|wait)\b[\s,]*)?(?:never\s*mind(?:\s+(?:that|it))?|scratch\s+that|strike\s+that|forget\s+(?:it|that)|cancel\s+that)"
    r"\s*(?:[.!]|$))",
    re.IGNORECASE,
)


# "." or ".." named as a place ("run @c0 in ..", "in . now"): a sentence's end to the splitting, which dropped it
# and left "run @c0 in" with no place to read. Held as one dot-leader character while the sentence is cut.
DOT_PLACE = lazy_compile(r"\b(in|on|at|from|into|inside|within|under|to)\s(\.\.?)(?=[.!?]?(?:\s|$))", re.IGNORECASE)
_DOTS_HELD = {".": "\u2024", "..": "\u2025"}
_DOTS_BACK = str.maketrans({"\u2024": ".", "\u2025": ".."})


# Words making the work said after a take-back more work, not other work: "No wait, summarize it first".
ADDED_TO = lazy_compile(
    r"\b(?:first|firstly|also|too|as\s+well|then|before|beforehand|after|afterwards|besides|additionally)\b",
    re.IGNORECASE,
)
# A keep pointing back at no file it names: "keep the other one", "leave one of them", "spare the first".
_UNNAMED_KEPT = lazy_compile(
    r"\s*(?:the\s+)?(?:other(?:s|\s+ones?)?|one(?:\s+of\s+them)?|either(?:\s+one)?|both|them|it|that|this|those|these"
    r"|(?:first|second|last|latter|former)(?:\s+one)?|some|one)\b",
    re.IGNORECASE,
)


def _verb_of(text: str) -> str:
    return base_verb((_first_word(text) or "").lower())


# A word pointing back, alone as a piece of a clause ("..., and it", "as well as it too").
_POINTER_ALONE = lazy_compile(r"(?:it|this|that|them)(?:\s+(?:too|also|as\s+well))?", re.IGNORECASE)


# A keep of what no work named touches: "..., and keep the rest", "Leave everything else alone.": context, not a
# step (it was a step no tool serves, or a read and a summary of the files named) nor a take-back (plan181).
_KEEPS_THE_REST = lazy_compile(
    r"^\s*(?:(?:and|but|please|then|just)\s+)*(?:keep|leave|spare|preserve|retain)\s+(?:all\s+)?(?:the\s+)?"
    r"(?:rest(?:\s+of\s+(?:them|the\s+files))?|remainder|remaining(?:\s+(?:ones|files))?|everything\s+else|anything\s+else"
    r"|all\s+else|every\s+other\s+file|other\s+files)(?:\s+(?:untouched|alone|intact|as\s+(?:it\s+is|they\s+are)))?\s*[.!]*\s*$",
    re.IGNORECASE,
)
# Words a keep opens on, commas and all: "Actually, keep ...", "Oh, wait, leave ...".
_KEEP_LEAD = lazy_compile(
    r"^\s*(?:(?:actually|oh|no|wait|but|and|so|please|rather|then|just|hmm|well|sorry|okay|ok)\b\s*[,!;:\u2013\u2014-]*\s*)+",
    re.IGNORECASE,
)
# Work a keep can take back: what loses a file (a keep after "summarize @p0, keep it short" is no taking back).
_LOSING = TAKE_AWAY_VERBS | frozenset("clear move overwrite empty".split())


# "Delete @p0 and @p1, but keep one": the keep said after a comma points at no file as "Actually, keep one." does
# (both were deleted); read as a sentence of its own, the delete is taken back.
# "the rest", "the others", "some" are other files than those said ("..., and keep the rest"), no take-back.
# "Delete @p0 and keep it (safe)": a keep joined by "and" too, and with words of how it is kept (attack242: it deleted
# @p0, then resized it as a thing "kept").
_KEPT_HOW = (
    r"(?:\s+(?:safe|intact|alone|untouched|unchanged|around|there|as\s+(?:it\s+is|is|they\s+are)|for\s+(?:now|later)"
    r"|too|also|please))*"
)
_KEPT_AFTER_A_COMMA = lazy_compile(
    r"(?:[,;]\s*|(?<!\s)\s+(?=(?:but|and)\b))(?=(?:but|and|though)\s+(?:please\s+)?(?:keep|leave|spare|preserve|retain)\s+"
    r"(?:the\s+)?(?:other(?:\s+ones?)?|one(?:\s+of\s+them)?|either(?:\s+one)?|both|them|it|that|this|those|these"
    rf"|(?:first|second|last|latter|former)(?:\s+one)?)\b{_KEPT_HOW}[.!]*(?:\s|$))",
    re.IGNORECASE,
)
# "..., and keep it", "leave it as is", "keep them safe": a keep of what is said before, after work losing nothing,
# is no work (third_party resized notes.txt for "Summarize notes.txt and keep it", found by "keeping the aspect
# ratio"; "keep it safe" planned a pause); "keep it short" says how the work before is done, no step either.
_KEEPS_IT = lazy_compile(
    r"^\s*(?:(?:and|but|please|then|just|though)\s+)*(?:keep|leave|preserve|retain)\s+(?:it|them|this|that|these|those)\b"
    rf"(?:{_KEPT_HOW}|\s+(?:short|brief|simple|concise|clear|plain|readable|tidy|clean|neat))[.!]*\s*$",
    re.IGNORECASE,
)


# "Summarize @p0 and keep it in @p1": a keep in a file stores what it keeps there, as "save it in @p1" does (attack242:
# third_party resized out.txt for it, "keeping the aspect ratio"). A copy kept is no store (`kept_copies`).
_KEPT_IN = lazy_compile(
    r"(?<![\w-])keep(?=\s+(?!(?:\S+\s+){0,3}?(?:a\s+)?(?:cop(?:y|ies)|backups?)\b)(?:\S+\s+){1,4}?(?:in|into|inside|as)\s+@p\d+\b)",
    re.IGNORECASE,
)


def _keeps_unnamed(sentence: str, before: list[Clause]) -> bool:
    """Whether ``sentence`` keeps a thing it only points at, after work that loses files was asked."""
    sentence = _KEEP_LEAD.sub("", sentence, count=1)
    kept = KEEPS.match(sentence)
    if kept is None or "@" in sentence or _UNNAMED_KEPT.match(sentence[kept.end() :]) is None:
        return False
    asked = [c for c in before if c.asked]
    return bool(asked) and base_verb((_first_word(asked[-1].text) or "").lower()) in _LOSING


def _dots_held(place: re.Match[str]) -> str:
    return f"{place[1]} {_DOTS_HELD[place[2]]}"


# A question that is no request ("Can you ...", "Is it possible to ...", "Please ..." are, and lose their lead-in):
# whether something is so or should be, which thing to act on, what happens if. Not one to the assistant ("Did
# you finish?", "Do you know ...").
ABOUT_WORK = lazy_compile(
    r"^\s*(?:(?:is|are|am|was|were|does|do|did|should|shall)(?!\s+(?:you|your)\b)"
    r"|which|what\s+(?:happens|happened|will\s+happen|would\s+happen|if))\b",
    re.IGNORECASE,
)
# A question how to do something, or whether the user may ("Do you know how to delete @p0?", "How do I delete
# @p0?", "Can I delete @p0?"): knowing or being allowed is asked, not the work. "Can I get / have / see / then use
# ...", "How can / could we ..." ask for something, and stay requests.
ASKING_HOW = lazy_compile(
    r"^\s*(?:(?:do|did)\s+you\s+know\s+how\b"
    r"|how\s+(?:do|does|should|shall)\s+(?:i|we|one|you|someone|anyone)\b"
    r"|(?:can|may|must)\s+i\b"
    r"(?!\s+(?:get|have|ask|see|hear|receive|obtain|request|use|then|please|kindly|also|now|just)\b))",
    re.IGNORECASE,
)


def _asks_about_work(sentence: str) -> bool:
    """Whether a sentence is a question about work rather than a request for it: any work it names is asked about
    ("Is it done once you delete @p0?" split "you delete @p0" off, which deleted the file)."""
    return sentence.rstrip().endswith("?") and bool(ABOUT_WORK.match(sentence)) and not strip_lead_in(sentence)[1]


# "Can I see / get / have ...?": a question asking to receive a thing is a request for it ("Can I delete @p0?" asks
# leave, ``ASKING_HOW``). The thing is named ("the summary of @p0", "a caption", "@p0 translated", "it translated"),
# not asked about: "Can I see what happens if I delete @p0?", "whether @p0 is deleted" stay questions.
RECEIVING = lazy_compile(
    # "I wonder if I can get ...", "I was wondering whether we could have ...": the same asked indirectly
    r"^\s*(?:(?:i|we)\s*(?:wonder|(?:was|am|'m|were|are|'re)\s+wondering)\s+(?:if|whether)\s+(?:i|we)\s+"
    r"(?:can|could|may|might)|(?:can|could|may|might)\s+(?:i|we))\s+(?:please\s+|also\s+|now\s+|just\s+|maybe\s+)*"
    r"(get|have|see|receive|obtain)\s+(?=(?:the|a|an|my|our|your|its|their|this|that|these|those|some|it|them)\b|@)",
    re.IGNORECASE,
)
# "(Can I get) @p0 translated", "the photo @p0 captioned": the thing, then the work done on it.
RECEIVED_DONE = lazy_compile(r"^((?:\S+\s+){0,3}?\S+)\s+(" + DONE_WORD + r")\b", re.IGNORECASE)
_POINTED_ONLY = lazy_compile(r"^(?:it|them|this|that|these|those)\b", re.IGNORECASE)


def _received(verb: str, thing: str) -> str | None:
    """What asking to receive ``thing`` asks for: the work its participle names ("@p0 translated": translate @p0),
    else the thing given or shown; None for a thing only pointed at ("Could I see it?": no work named)."""
    done = _work_done(RECEIVED_DONE.match(thing), thing)
    if done is not None:
        return done
    if _POINTED_ONLY.match(thing):
        return None
    return f"{'show' if verb == 'see' else 'give'} me {thing}"


def _work_done(done: re.Match[str] | None, text: str) -> str | None:
    """The work a thing named with a participle after it asks for ("@p0 translated": translate @p0), the match's
    groups being the thing and the participle; None when the participle is no verb of work ("a red car")."""
    if done is None:
        return None
    participle = done.group(2).lower()
    work = IRREGULAR_DONE.get(participle) or base_verb(participle)
    return None if work == participle else f"{work} {done.group(1)}{text[done.end() :]}"


def _only_data(text: str) -> bool:
    """A piece that is data alone ("How about 'Hello there'?" once its lead-in is cut): no work."""
    return "@" in text and not any(w.isalpha() for w in words(PLACEHOLDER.sub(" ", text)))


# "(It would be great if) this summary could be transformed into ...": a request in the passive voice.
PASSIVE_REQUEST = lazy_compile(
    r"^(?:it\s+would\s+be\s+\w+\s+if\s+)?(.+?)\s+(?:could|can|would|should|might|may)\s+(?:also\s+)?be\s+"
    r"([a-z]+ed)\b",
    re.IGNORECASE,
)
# "(Afterwards,) can the conversation be summarized?": the same, asked as a question.
PASSIVE_QUESTION = lazy_compile(
    r"^(?:[a-z]+,\s*)?(?:could|can|would|should|might|may)\s+(?!(?:you|we|i)\b)(.+?)\s+(?:also\s+)?be\s+"
    r"(?:(?![a-z]+ed\b)[a-z]+\s+and\s+)?([a-z]+ed)\b",  # "be concise and summarized"
    re.IGNORECASE,
)
SUPPOSING = lazy_compile(rf"^\s*{SUPPOSITION}", re.IGNORECASE)
# Words that open the items of a list the sentence before announced: "a few things? Such as identifying ...".
LIST_LEAD = lazy_compile(r"^\s*(?:such\s+as|for\s+(?:example|instance)|namely|including)\b[\s,:]*", re.IGNORECASE)
# "After figuring out this", "Once that's sorted": a piece that only says the work before is done, by a
# verb that says nothing of what it was ("after translating it" names work, and stays).
AFTER_DONE = lazy_compile(
    r"^\s*(?:after|once)\s+(?:(?:that|this|it)(?:'s|\s+is|\s+has\s+been)\s+)?"
    r"(?:doing|done|finishing|finished|completing|completed|figuring|figured|sorting|sorted|working|worked)"
    r"(?:\s+(?:out|with))?(?:\s+(?:this|that|it|these|those|them))?\s*$",
    re.IGNORECASE,
)
# "Once we have the main topic", "when you've generated the image": a time clause whose subject holds or
# has done something says when the rest runs (after what came before), not what is to be done.
HAVING_DONE = lazy_compile(
    r"^\s*(?:once|when|after|as\s+soon\s+as|now\s+that)\s+(?:we|you|i|they)\s*"
    r"(?:['\u2019]ve|['\u2019]re\s+done|['\u2019]d|have|has|had|got|get|are\s+done)\b",
    re.IGNORECASE,
)
# "how similar would you say it is to 'B'?": the assistant's judgement asked for only in form; the question
# is what follows. "What would you say?" alone, or "what do you think the subject is?" (an opinion), ask the
# assistant.
YOU_SAY = lazy_compile(
    r"\bwould\s+you\s+say\s+"
    r"(?=(?:it|that|this|they|these|those|he|she|there|the|its|their|his|her|my|our|a|an|is|are|was|were)\b)",
    re.IGNORECASE,
)
# "let me know what it says": a request to be told, as "tell me" is.
LET_KNOW = lazy_compile(r"^let\s+(?:me|us)\s+know\b", re.IGNORECASE)
# "(then) we can chat about it": a proposal of work, as "let's" is.
WE_CAN = lazy_compile(r"^\s*(?:we|we\s+also)\s+(?:can|could)\s+(?:also\s+|then\s+)?", re.IGNORECASE)
PARTICIPLE_START = lazy_compile(r"^\s*([a-z]+ed)\b", re.IGNORECASE)
# "If there's a table in the new image, identify it": a condition that brings in what "it" is next.
IF_THERE = lazy_compile(
    r"^\s*(?:and\s+|but\s+|even\s+)?if\s+there\s*(?:['\u2019]s|is|are|was|were|happens?\s+to\s+be|seems?\s+to\s+be)"
    r"\s+(?:a|an|any|some)\s+(\S.*)$",
    re.IGNORECASE,
)
# Data presented for the work after it: "Given the text 'X', answer 'Y'", "Based on notes.txt, ...".
PRESENTING = lazy_compile(r"^\s*(?:given|based\s+on|provided|considering|with)\b", re.IGNORECASE)


def presents(text: str) -> bool:
    """Whether a clause opens by presenting data ("given the text @q0"), placeholders aside: read at its head, so a
    clause grown long is not read whole for each question after it."""
    return bool(PRESENTING.match(PLACEHOLDER.sub(" ", text[:HEAD_CHARS])))


# "pause for 3 seconds", "wait 30 seconds between the downloads": a pause is a gap after the work before it.
PAUSING = frozenset("wait sleep pause".split())
# "wait 10 seconds between downloading @u0 @u1", "pausing @d2 between requests", "wait 5 seconds before each
# download of @u0 @u1": what follows "between" (or "before each", "after every") is the work the pause goes
# around, done by another step; as the pause's own words it chose a tool (a downloader).
PAUSE_BETWEEN = lazy_compile(
    r"^(\s*[a-z]+(?:\s+(?:for\s+)?@d\d+)?)\s+(between|(?:before|after)\s+(?:each|every))\s+(\S.*)$", re.IGNORECASE
)
# "each download of @u0 @u1": the work named by its noun, then what it is done to.
_WORK_OF = lazy_compile(r"([a-z]+)\s+of\b", re.IGNORECASE)
# "Wait a minute, what does it show?", "Hold on, is it French?": a sentence's opening that stops the speaker, not
# the run; "wait a minute, then read it" and "wait a minute and read it" ask for the pause.
INTERJECTION = lazy_compile(
    r"^\s*(?:(?:wait|hold\s+on|hang\s+on|just)\s+(?:a|one)\s+(?:minute|moment|second|sec)|hold\s+on|hang\s+on)"
    r"\s*[,!\u2013\u2014-]+\s*(?!(?:and\s+|but\s+)?(?:then|and|after|afterwards|next|finally)\b)(?=\w)",
    re.IGNORECASE,
)
# "Caption it. Hold on, then read it aloud": "hold on" kept as a clause (not an interjection) asks for a pause, as
# "wait" does; "hold on to the file" keeps it.
HOLD_ON = lazy_compile(r"^\s*(?:hold|hang)\s+on\b(?=\s*$|\s+(?:a|one|for)\b|\s+@d\d)", re.IGNORECASE)
# "sleep on it", "wait on them": a pause verb on something done is an idiom for thinking it over, no pause.
PAUSE_IDIOM = lazy_compile(r"^\s*(?:sleep|wait|pause)\s+(?:on|over)\s+(?:it|this|that|them|those|these)\s*$", re.I)
# "(I can't wait to) see it", "hear them": looking forward to a result already asked for, no work.
AWAITED = lazy_compile(
    r"^\s*(?:hear|see|read|get|have|watch|try)\s+(?:it|them|this|that|those|these)\s*[.!]*\s*$", re.I
)
REFERENCE = lazy_compile(r"\b(?:it|them)\b", re.IGNORECASE)
_NOT = r"(?:do\s+not|don['\u2019]?t|do\s+n['\u2019]t|never)"  # "do n't": a tokenizer's spelling
# "never mind the typos", "don't worry about the formatting": a thing of no work to pay no heed to (no data named:
# "never mind @p0" may take back its work)
_NO_HEED = lazy_compile(
    r"^\s*(?:(?:and|but|so|just|please)\s+)*(?:never\s*mind|(?:do\s+not|don['\u2019]?t)\s+(?:worry|bother)\s+about)"
    r"\s+(?!(?:it|that|this|them)\b)(?:about\s+)?(?:the|a|an|any|my|your|its|their|those|these|all)\b[^@]*$",
    re.IGNORECASE,
)
# A piece saying only how, or in what mood, the work after it is done: a lone adverb ("Quickly", "Not surprisingly",
# "Honestly") or a phrase of manner ("Sans delay", "With haste", "Right away"). Not a word of when ("Daily", "Weekly":
# a schedule) nor of order ("Firstly", "Only"), nor a verb ending so ("Apply", "Reply").
_MANNER_ALONE = lazy_compile(
    r"\s*(?:(?:not|very|most|quite|rather|so|more|less|but|and|please)\s+)*"
    r"(?:(?!(?:daily|weekly|monthly|yearly|annually|hourly|nightly|quarterly|only|early|firstly|secondly|thirdly"
    r"|lastly|finally|additionally|subsequently)\b)[a-z]{3,}ly"
    r"|regardless|nevertheless|nonetheless|anyway|anyhow|however|still|besides|moreover|furthermore|admittedly"
    r"|(?:with(?:out)?|sans)\s+(?:any\s+|further\s+|a\s+|the\s+|undue\s+|more\s+)?"
    r"(?:delay|hesitation|haste|hurry|fail|question|ado|fuss|doubt|pause)"
    r"|at\s+once|right\s+away|asap|of\s+course|in\s+any\s+case|by\s+all\s+means|for\s+sure)\s*",
    re.IGNORECASE,
)


# A piece saying only how often ("Daily", "Every morning", "Each day at 9", "Once a week"): a schedule, no work.
_SCHEDULE_ALONE = lazy_compile(
    r"(?:(?:and|then|please|also|so)\s+)*(?P<when>(?:every|each)\s+(?:other\s+|single\s+)?(?:@d\d+|\d+\s+[a-z]+|[a-z]+)"
    r"|daily|weekly|monthly|yearly|annually|hourly|nightly|fortnightly|biweekly|quarterly|repeatedly|periodically"
    rf"|once\s+(?:a|an|per|every)\s+[a-z]+|on\s+{DAYS_OF_THE_WEEK}s|{DAYS_OF_THE_WEEK}s)"
    r"(?:\s+(?:at|around|by|before|after|in|on)\s+[\w@:.]+(?:\s*[ap]\.?m\.?)?)?\s*",
    re.IGNORECASE,
)


def _repeats_alone(part: str) -> str | None:
    """The schedule a piece says and nothing else, as a step's words say it to be read as repeats ("each day" as
    "every day"); None for any other piece (or one no step would read as repeats)."""
    alone = _SCHEDULE_ALONE.fullmatch(part.strip(" .!"))
    if alone is None:
        return None
    said = re.sub(r"^(?:each|once\s+(?:a|an|per|every))\b", "every", alone.group("when"), flags=re.IGNORECASE).lower()
    said = re.sub(rf"^(?={DAYS_OF_THE_WEEK}s)", "on ", said)  # "Mondays, ..." read after the work as "on mondays"
    return said if says_a_repeat(said) else None


def _work_after(parts: list[str], index: int) -> bool:
    """Whether the piece after ``parts[index]`` in its sentence opens with a verb ("Quickly, delete @p0"): an adverb
    before a statement or a question ("Unfortunately, it has a lot of noise", "Furthermore, could you ...") is read
    as it was (skipped, the statement after it was read as other work, and the figures lost)."""
    after = next((words(p) for p in parts[index + 2 :: 2] if words(p)), [])
    return bool(after) and is_verb(after[0])


# "make sure not to translate it", "be sure you don't translate it": a request that the work is not done.
_SURE = r"(?:(?:make|be)\s+sure|ensure|remember)\s+(?:that\s+)?(?:you\s+)?"
_LEAD = rf"^\s*(?:(?:and|but|so|just|please)\s+)*(?:{_SURE})?"
# "do not forget to save it", "don't hesitate to translate it", "do not skip translating it", "make sure not to
# skip translating it": a negated verb of leaving undone asks for the work.
NOT_LEAVE_UNDONE = lazy_compile(
    rf"{_LEAD}(?:{_NOT}|not\s+to)\s+(?:(?:forget|fail|neglect|omit|hesitate)\s+to\s+"
    r"|(?:skip|avoid|omit|neglect|forget|miss)\s+(?=[a-z]+ing\b|(?:the|any|a|an)\s+[a-z]+\b))",
    re.IGNORECASE,
)
# "the translation" after "don't avoid": work named by its noun.
WORK_NAMED = lazy_compile(r"(?:the|any|a|an)\s+([a-z]+)\b", re.IGNORECASE)
# "not only identify them but also ...", "don't just summarize it, translate it too": the work is asked, and more.
NOT_ONLY = lazy_compile(rf"{_LEAD}(?:{_NOT}|not)\s+(?:only|just|merely|simply)\s+", re.IGNORECASE)
# "do not translate it", "never save them", "no need to read it aloud", "I don't want it translated", "instead of
# translating it", "skip translating it", "skip the translation": work the user says not to do is no sub-goal.
NEGATED = lazy_compile(
    rf"{_LEAD}(?:{_NOT}|not|without|instead\s+of|rather\s+than"
    r"|(?:there(?:['\u2019]s|\s+is)\s+)?no\s+need\s+to|(?:i|we)\s+(?:do\s+not|don['\u2019]?t)\s+(?:need|want)"
    r"|(?:skip|avoid)(?=\s+[a-z]+ing\b)|(?:skip|forgo)(?=\s+(?:the|any|a|an)\b))\b",
    re.IGNORECASE,
)
# "avoid the translation", "omit the translation": work named by its noun after "avoid" or "omit" is refused;
# "avoid the noise" may ask for a denoiser, "omit the headers" for a tool that cuts them.
AVOID_WORK = lazy_compile(rf"{_LEAD}(?:avoid|omit)\s+(?:the|any|a|an)\s+([a-z]+)\b", re.IGNORECASE)
# "translating it is not needed", "a translation isn't necessary": work named, then said to be unwanted.
NOT_NEEDED = lazy_compile(
    r"^\s*(?:[a-z]+ing|(?:the|a|an|any)\s+[a-z]+)\b.*\b(?:(?:is|are)(?:\s+not|n['\u2019]?t)\s+(?:really\s+)?"
    r"(?:needed|necessary|required|wanted)|(?:is|are)\s+(?:unnecessary|unneeded|needless))\s*$",
    re.IGNORECASE,
)
# "summarize it without translating it", "rather than translate it": the work after it is not asked for.
NOT_INSTEAD = lazy_compile(r"\s+(?:without|instead\s+of|rather\s+than)\s+([a-z]+)\b.*$", re.IGNORECASE)


# How many refusals of a refusal are read again ("don't forget to skip the translation"): a chain of them is
# rare, and each reading is a few matches at the clause's start.
REFUSALS_READ = 4


def _unless_negated(body: str, depth: int = 0) -> str | None:
    """``body`` without the work it says not to do ("summarize it without translating it": summarize it), or
    None when all of it is such work ("do not translate it"); "do not forget to save it" and "do not skip
    translating it" ask for the work, "not only translate it" asks for it and more; "do not forget to skip
    the translation" refuses it still (what is not to be forgotten is read again)."""
    asked = NOT_LEAVE_UNDONE.match(body) or NOT_ONLY.match(body)
    if asked:
        rest = body[asked.end() :]
        if depth < REFUSALS_READ and _unless_negated(rest, depth + 1) is None:
            return None
        gerund = re.match(r"[a-z]+ing\b", rest, re.IGNORECASE)
        # "(do not skip) translating it": the work as a clause of its own asks it, in the imperative
        if gerund:
            return f"{base_verb(gerund.group(0).lower())}{rest[gerund.end() :]}"
        named = WORK_NAMED.match(rest)
        verb = verb_of(named.group(1).lower()) if named else None
        if named and verb:
            # "(don't avoid) the translation (of notes.txt)": translate it (notes.txt); a double negation asks
            after = rest[named.end() :]
            return f"{verb}{after[3:] if after.lower().startswith(' of ') else ' it' + after}"
        if named:
            return None  # "don't miss the bus": no work named, nothing asked
        return rest
    avoided = AVOID_WORK.match(body)
    if NEGATED.match(body) or NOT_NEEDED.match(body) or (avoided and work_noun(avoided.group(1).lower())):
        return None
    if not_to_be_done(body):  # "@p0 should not be deleted", "make sure nothing is removed", "delete nothing"
        return None
    instead = NOT_INSTEAD.search(body)
    verb = instead.group(1).lower() if instead else ""
    if instead is not None and is_verb(verb) and base_verb(verb) not in USING_VERBS:
        return body[: instead.start()]  # "a picture of a cat without a hat" describes what is to be made
    return body


def _active(sentence: str) -> tuple[str, bool]:
    """A request in the passive voice made active ("this summary could be translated into French" ->
    "translate this summary into French"), and whether it was passive (so "and then summarized"
    after it is a request too)."""
    match = PASSIVE_REQUEST.match(sentence) or PASSIVE_QUESTION.match(sentence)
    if not match or asks_about(sentence):  # "tell me why @p0 should be deleted": no "delete tell me why @p0"
        return sentence, False
    participle = match.group(2).lower()
    verb = base_verb(participle)
    if verb == participle or not is_verb(verb):
        return sentence, False
    # "Summarize @p0; nothing should be deleted": the passive is the last clause's ("delete Summarize @p0 nothing"
    # lost the summary and deleted @p0), and one of no thing asks for none (`not_done`)
    head, subject = _last_clause(match.group(1))
    passive = sentence[match.end(1) :]  # " should be deleted ..."
    if not_to_be_done(subject + passive) or not_to_be_done(_last_piece(subject) + passive):
        return sentence, False
    return f"{head}{' ' if head else ''}{verb} {subject}{sentence[match.end() :]}", True


def _last_piece(text: str) -> str:
    """What follows ``text``'s last separator ("@p0, and nothing": nothing)."""
    return text[max((m.end() for m in SEPARATOR.finditer(text)), default=0) :]


def _last_clause(text: str) -> tuple[str, str]:
    """``text`` up to and with its last ";", and what follows it: a comma or an "and" before the passive is read
    with it ("I have @p0, and it could be captioned": caption I have @p0, and it)."""
    cut = text.rfind(";") + 1
    return text[:cut], text[cut:].lstrip() if cut else text


def _sentence(sentence: str, is_action: Callable[[str], bool], refused: Refused) -> list[Clause]:
    sentence = place_said_after(sentence)  # "In @p0, who is the author?": who is the author in @p0?
    question = sentence.rstrip().endswith("?")
    if question:
        sentence = YOU_SAY.sub("", sentence)
    sentence, passive = _active(listed_in_the_passive(sentence))
    supposing = bool(SUPPOSING.match(sentence))  # "Imagine you ... and find one": all of it is context
    parts = _condition_cut(SEPARATOR.split(sentence))
    work_beside = _WorkBeside(parts)
    found: list[Clause] = []
    current: Clause | None = None
    ordered = False
    order_next = False  # the clause made comes first: the one after it is ordered ("once you have read @p0, ...")
    referent = ""  # what a condition brought in ("a table in the new image"), for "it" in the clause after it
    under_way = False  # the clause so far tells what is under way ("I've been analyzing"): read once, as it opens
    dropping = False  # the piece before said work not to do ("do not translate it")
    hanging = False  # the piece before was a negation without its verb ("do not, under any circumstances, ...")
    waits_on = ""  # a piece before said when the work after it is done ("if @p0 is empty, ...")
    receiving = False  # the piece before asked to receive a thing ("Can I have ...")
    schedule = ""  # how often the work after it in the sentence is done, said before it ("Daily, delete @p0")
    for index, part in enumerate(parts):
        if index % 2 == 1:  # a separator
            ordered = ordered or part.lower() in ORDER_WORDS
            if OTHERWISE.fullmatch(part):
                waits_on = part  # "summarize @p0 or else delete it": the delete waits on what is not said
            continue
        part = _REPORTED_IN_IT.sub("", part.strip(" ?!."))  # "Read @p0, which says to delete @p1": what it holds
        if not part:
            continue
        reported = _reported_by(parts, index)
        said_to = _SAID_TO.match(part) if reported is None else None
        if said_to is not None:
            # "My boss told me to delete @p0", "The @p0 says to run @p1": another's words, as after a colon (read as
            # one clause of no work, the request had "no action found")
            reported, part = said_to.group("lead"), said_to.group("work")
        elif (again := _SAID_TO_BY_THE_USER.match(part)) is not None and reported is None:
            part = again.group("work")
        participle = PARTICIPLE_START.match(part) if passive and found else None
        if participle and base_verb(participle.group(1).lower()) != participle.group(1).lower():
            # "... could be transformed into X and then translated into French": translate it too
            part = f"{base_verb(participle.group(1).lower())} it{part[participle.end() :]}"
        if OTHERWISE.fullmatch(part):
            waits_on = part  # "..., otherwise delete it": the work after it waits on a condition no call checks
            continue
        done_first = _DONE_FIRST.match(part)
        work_first = _work_done_by_then(part[done_first.end() :]) if done_first is not None else None
        if work_first is not None:
            # "Once you have translated @p0, delete it": the translation, then the delete (a condition, asked)
            part, order_next = work_first, True
        if AFTER_DONE.match(part) or (HAVING_DONE.match(part) and "@" not in part):
            ordered = True  # "After figuring out this, could you ...", "once we have the topic": when, not what
            continue
        if _NO_HEED.match(part):
            # "Summarize @p0, never mind the typos, and delete @p1": a thing to pay no heed to, no work refused (read
            # as a refusal, the delete after it was dropped unsaid)
            continue
        repeats = _repeats_alone(part)
        if repeats is not None and (_work_after(parts, index) or (current is not None and current.asked)):
            # "Daily, delete @p0", "Every morning, fetch @u0", "Delete @p0, every day": how often is said of the work
            # beside it, which a call does once; joined to it, its step says so and asks (`said_values`) rather than
            # the schedule being a missing step "daily" or dropped in silence (the fetch ran once, unsaid)
            if current is not None and current.asked and not _work_after(parts, index):
                current.text += f" {repeats}"
            else:
                schedule = repeats
            continue
        if adds_before_a_question(parts, index):  # "Secondly, how similar is it to @q0?": no work of its own
            continue
        if _MANNER_ALONE.fullmatch(part) and not is_verb(words(part)[-1]) and _work_after(parts, index):
            # "Quickly, delete @p0", "Not surprisingly, ...", "Sans delay, ...": how or in what mood, no work of its
            # own (read as work, it was a missing step "quickly", a sleep for "delay", or a refusal of the delete)
            continue
        able = _ABLE_IF.match(part)
        able = able if able is not None and work_beside(index) else None
        body, asked = strip_lead_in(LIST_LEAD.sub("", part))
        received = None if asked else RECEIVING.match(body)
        wanted = _received(received.group(1).lower(), body[received.end() :]) if received else None
        if received is None and receiving and not asked:
            # "Can I have a caption for @p0 and @p0 deleted?": the deletion asked as the caption was (plan124;
            # it went on the caption's clause, dropped unsaid)
            wanted = _work_done(RECEIVED_DONE.fullmatch(body), body)
        receiving = received is not None or (receiving and wanted is not None)
        if wanted is not None:  # "Can I see the summary of @p0?": show me the summary of @p0
            body, asked = wanted, True
        body = HOLD_ON.sub("wait", body, count=1)
        if hanging:  # "do not, under any circumstances, delete @p0": the work refused is in a piece after it
            refused.pending.append(body)
            hanging = not any(is_verb(w) for w in words(body))
            continue
        # "..., but not before the tests pass": a condition, not a refusal
        kept = None if PAUSE_IDIOM.match(body) else body if CONDITION.match(body) else _unless_negated(body)
        if kept is None:
            dropping = True  # what is joined to it ("..., in Spanish") is not asked for either
            if current is not None and current.asked and not current.condition and sends_a_part_but(current.text, body):
                # "Post @p0 to @u0, but not the first line": the whole file was sent, the line refused with it
                current.condition = f"only a part is to be sent ({body.strip()})"
            elif current is not None and current.asked and not current.condition and _NOT_ALL.fullmatch(body):
                # "Delete @p0 and @p1, but not both": which of them is not said (attack261: both were deleted)
                current.condition = f"not all it names, and which is not said ({body.strip()})"
            refused.pending.append(body)
            hanging = _bare_negation(body)
            continue
        if kept != body and body.startswith(kept):
            refused.texts.append(body[len(kept) :])  # "email it without sending @q0": no "it" after it means @q0
        if dropping and _names_work(kept):
            # "do not translate it, just a summary of it": the work asked in its place
            refused.opened(kept)
            current = Clause(kept, asked=True, ordered=ordered)
            found.append(current)
            ordered, dropping = False, False
            continue
        body = LET_KNOW.sub("tell me", kept)  # "and let me know what ...": tell me what ...
        proposal = None if asked else WE_CAN.match(body)
        if proposal and is_verb(_first_word(body[proposal.end() :]) or ""):
            body, asked = body[proposal.end() :], True  # "and then we can chat about it": let's chat about it
        wish = None if asked else WISH_LEAD_INS.match(body)
        intent = False
        if wish:  # "I'd like to translate this": the user's wish is work, before a request or after it
            body = body[wish.end() :]
            # "..., but I want to confirm.": a verb alone that ends its sentence is an intent, not work
            intent = _bare_verb(body) and not any(p.strip(" ?!.") for p in parts[index + 2 :: 2])
            intent = intent or bool(AWAITED.match(body))  # "I can't wait to see it.": no work of its own
            asked = not intent
        done = None if asked or wish else _work_done(WISH_DONE.match(body), body)
        if done is not None:  # "I'd like it translated into French": translate it into French
            body, asked = done, True
        elif (active := None if wish else ordered_in_the_passive(body)) is not None:
            body, asked = active, True  # "Have @p0 deleted", "@p0 needs deleting": delete @p0
        result = None if asked or wish else WISH_FOR_RESULT.match(body)
        if result:  # "I need the response in French": hand the result over, so
            body, asked = f"give {body[result.end() :]}", True
        wished = None if asked or wish else WISH_FOR_WORK.match(body)
        if wished:  # "I'd like the transcription of the enhanced audio": transcribe it
            body, asked = body[wished.end() :], True
        if current is not None and current.asked and not current.context and _POINTER_ALONE.fullmatch(body):
            # "Read @p0, then delete @p1 and it": the pointer is the verb's object too, as in "delete it and @p1" (it
            # was a piece of context, and only @p1 was deleted, plan181)
            current.text += " " + body
            continue
        head = _first_word(body)
        lowered = body.lower()
        for_each = any(w in lowered for w in FAN_OUT_WORDS)
        # "My photo x.jpg, I believe, shows a cat": a verb with an -s goes on telling, after a context piece
        telling = current is not None and current.context and not asked and head is not None and _s_form(head)
        opens = (
            asked
            or current is None
            or (
                head is not None
                and not telling
                and (_verb_head(head, body) or (is_action(head) and not _third_person(head)))
            )
            or for_each
        )
        there = question and bool(THERE_QUESTION.match(body))  # "..., and are there any names in it?"
        # "Is 'I love tea' positive?", "Does photo.jpg contain a cat?": whether it is so is the question (the tool
        # that judges it answers); a sentence opening so asks it without its "?" ("Is this review negative: 'X'")
        there = there or ((question or current is None) and not asked and _asks_whether(body))
        # "Given the text 'X', when does the shop open?": the question asked of what was presented
        there = there or (question and head in QUESTION_WORDS and current is not None and presents(current.text))
        # "wait @d0, then roll 5 dice": after "then" a word that is no pronoun, determiner nor linking word is the
        # next piece of work's verb, known or not (plan124; the roll went on the wait's clause, the wait dropped)
        then_work = ordered and bool(found) and not telling and _opens_a_sentence(head, body)
        opens = opens or (_verb_then_object(body) and not telling) or there or then_work
        if opens or (head is not None and NARRATIVE_START.match(body) and current is not None and not current.context):
            narrative = not asked and bool(NARRATIVE_START.match(body))
            if not body.strip():
                continue
            # A sentence that opens with a word that is neither a pronoun, a determiner nor a linking word
            # is an imperative ("Teleport the cat"), even with a verb nobody knows.
            opener = (not found and not question and _opens_a_sentence(head, body)) or then_work
            imperative = (
                asked
                or (
                    head is not None
                    and (_verb_head(head, body) or opener or _verb_then_object(body) or _work_had(body))
                    and not narrative
                    and not intent
                    and not supposing
                )
            ) and not _means_only(body)
            # "My colleague needs to delete @p0", "Have the team remove @p0": another's change is a step the plan
            # reports as theirs, done by no tool that changes anything (`planning.reported`), not context ("no action
            # found"); what else they do ("My team will review it") stays context
            act = None if imperative or question else act_of_another(body)
            imperative = imperative or (act is not None and base_verb(act) in CHANGING | TAKE_AWAY_VERBS)
            told_of = _FILE_DOES.match(body)
            does = told_of.group(1).lower() if told_of is not None else ""
            if imperative and not asked and _s_form(does) and does not in _WANTING:
                # "@p0 installs things.", "The script @p0 deletes @p1.": what a file does, told, not work (a step
                # "installs" was missing, and a delete of @p1 planned for "deletes")
                imperative = False
            if (
                current is not None
                and current.context
                and not asked
                and head is not None
                and head.endswith("ing")
                and parts[index - 1].strip().lower() == "and"
                and under_way
            ):
                # "I've been analyzing and tallying the emotions": more of what the user is doing, not a request
                # (before the checks below, which read the whole clause so far: a thousand gerunds stay linear)
                current.text += " and " + body
                continue
            if (
                current is not None
                and not asked
                and _bare_verb(current.text)
                and not current.question
                and not _pause(current)
            ):
                # "identify and label the objects": one sub-goal with two verbs and one object; "wait, then
                # read it aloud": a pause takes no object, it is a step of its own
                current.text += " and " + body
                continue
            if (
                current is not None
                and not asked
                and _means_go_on(current.text, head, parts[index - 1] if index else "", body)
            ):
                # "clean the audio by removing the noise and separating the voices": more of the means
                current.text += " and " + body
                continue
            if current is not None and current.context and not asked and _past(head):
                # "I've conducted an interview and recorded it in x.wav": still telling, not asking.
                current.text += " and " + body
                continue
            if current is not None and (paired := _another_pair(current, body)) is not None:
                # "Write @q0 to @p0, then @q1 to @p1": the verb said once, "then" between the pairs (the second write
                # was dropped, attack273)
                body, imperative = paired, True
            reference = REFERENCE.search(body) if imperative and referent else None
            if reference:  # "If there's a table in the new image, (could you) identify it": the table in it
                body = f"{body[: reference.start()]}the {referent}{body[reference.end() :]}"
            condition = IF_THERE.match(body)
            referent = _referent(condition.group(1)) if condition and not imperative else ""
            under_way = _progressive(body)
            current = Clause(
                body,
                asked=imperative,
                context=not imperative,
                # a pause comes after the work before it, and the work after it waits for it ("wait and read it")
                ordered=ordered or (imperative and head is not None and _pausing(head)) or _pause(current),
                first=bool(re.match(rf"\s*(?:{'|'.join(FIRST_WORDS)})\b", part, re.IGNORECASE)),
                for_each=for_each,
                intent=intent,
                wish=bool(wish) and not intent,
                received=received is None and wanted is not None,
            )
            if there or (question and head in QUESTION_WORDS and not ({"you", "your"} & set(words(body)))):
                # A question to answer; "what do you think?" asks the assistant, not for work.
                current.question, current.asked, current.context = True, True, False
            said_when = CONDITION.search(body)
            if said_when is not None and said_when.start() == 0 and not (imperative and _verb_head(head or "", body)):
                waits_on = body  # "If @p0 is empty, delete it": the work after it in the sentence waits on it
                current.asked, current.context = False, True  # "Unless @p0 is empty" opening a sentence: no work
                if found and found[-1].asked and not any(p.strip(" ?!.") for p in parts[index + 2 :: 2]):
                    found[-1].condition = found[-1].condition or body  # "Delete @p0, if it is empty": the work before
            elif imperative:
                current.condition = body[said_when.start() :].strip() if said_when is not None else waits_on
            if able is not None and imperative:
                # "If you can delete @p0, summarize @q0": whether the delete can be done is what the summary waits
                # on, not a request for it (it ran); the delete is asked, as work said under a condition is
                current.condition, waits_on = part, part
            if reported is not None and imperative:
                # "Read @p0. Bob wrote: delete @p1", "the file says: delete @p1": work another said, reported, not
                # the user's request (attack261: @p1 was deleted); a change so said is asked, as one under a
                # condition is
                current.condition = current.condition or f"said by another, not asked: {reported}"
            if schedule:  # "Every morning, fetch @u0 and summarize it": each piece of work after it repeats
                current.text = f"{current.text} {schedule}"
            found.append(current)
            refused.opened(body)
            ordered, dropping, order_next = order_next, False, False
        elif dropping:
            refused.pending.append(part)
            continue
        else:
            assert current is not None
            more = _another_made(current, part) or _other_work(current, part) or _another_pair(current, part)
            if more is not None:
                # "generate a picture of a cat and a sound of rain": the sound is made too, not drawn
                current = replace(current, text=more, first=False, ordered=False, granted=False)
                found.append(current)
                continue
            if not current.condition and (said_when := CONDITION.match(part)) is not None:
                # "Delete @p0, unless it is empty": joined to the work, said after a comma; the work after it waits too
                current.condition, waits_on = part, part
                if any(p.strip(" ?!.") for p in parts[index + 2 :: 2]):
                    continue  # "summarize @p0 and if it mentions @q0 delete it": @q0 is not the summary's text
            elif not current.condition and current.asked and (said_when := CONDITION.search(part)) is not None:
                # "Delete @p0 and @p1 if they are empty", "... only if @p2 exists": said after the last of the things
                # the work is on, as "Delete @p0 if it is empty" is (both were deleted, and @p2 with them)
                current.condition = part[said_when.start() :].strip()
            current.text += _joint(parts[index - 1], part, current.question) + part
            current.for_each = current.for_each or for_each
    return found


# "..., whether or not it exists", "... regardless of whether it is empty", "no matter if it fails": the work is
# done either way, so the words say nothing of it; read as a question (whether it exists), the write was planned as
# a read and an answer (attack309).
_WHATEVER_HOLDS = lazy_compile(
    r"(?:,\s*|\s+)(?:regardless\s+of\s+whether|no\s+matter\s+(?:whether|if))\b[^,.;!?\n]*"
    r"|,\s*whether\s+(?:or\s+not\b[^,.;!?\n]*|[^,.;!?\n]*?\bor\s+not\b)",
    re.IGNORECASE,
)


# "Delete @p0, but before that post it to @u0": the post comes first, as after "but first" (the delete ran first,
# "before" read as joining "Delete @p0 but" to "that post it"). After "but" or "and" (or ";"): "However, before that,
# let's ..." opens a sentence telling of the work to come.
_BEFORE_THAT = lazy_compile(
    r"(?:(?<=[,;]\s)(\s*(?:but|and)\s+)|(?<=;\s))before\s+(?:that|this|doing\s+(?:that|this|so|it)|you\s+do\s+(?:that"
    r"|this|it|so))\s*,?\s*",
    re.IGNORECASE,
)


# "If you can delete @p0" opening a piece: a politeness alone ("If you can, delete @p0", "If you can delete @p0"),
# but a condition where other work is asked in the sentence ("If you can delete @p0, summarize @q0", "Summarize @q0
# if you can delete @p0": the delete ran, and in the second the summary was dropped).
_ABLE = r"if\s+(?:you|we)\s+(?:can|could|(?:are|were)\s+able\s+to|manage\s+to)\s+(?=[a-z])"
_ABLE_IF = lazy_compile(rf"^\s*(?:and\s+|but\s+|then\s+)?{_ABLE}", re.IGNORECASE)
_ABLE_AFTER_WORK = lazy_compile(rf"\s(?={_ABLE})", re.IGNORECASE)
# Words a piece beside such an opening may say that are no work of their own: "..., please do", "..., thanks".
_NO_WORK_BESIDE = frozenset("do please thanks thank that it this great tell let".split())


class _WorkBeside:
    """Whether another piece of a sentence's ``parts`` than one opens on a verb of work of its own ("summarize @q0",
    not "please do", "that would be great", "tell me"): one before it, or one after it past the condition's own
    pieces (joined to it by "and" or "or": "If you can summarize @p0 and delete @p1, that would be great"). Read once
    per sentence: asked of each of thousands of pieces, each read all the others."""

    def __init__(self, parts: list[str]) -> None:
        self.parts = parts
        self._work: list[bool] | None = None

    def __call__(self, index: int) -> bool:
        if self._work is None:
            self._read()
        return self._before[index] or self._after[index]

    def _read(self) -> None:
        parts = self.parts
        work = [n % 2 == 0 and _opens_work(part) for n, part in enumerate(parts)]
        self._work, self._before, self._after = work, [False] * len(parts), [False] * len(parts)
        seen = False
        for n in range(len(parts)):
            self._before[n], seen = seen, seen or work[n]
        beyond = False  # work after the nearest separator joining no work, from here on
        later = False  # work from here on
        for n in range(len(parts) - 1, -1, -1):
            self._after[n] = beyond
            later = later or work[n]
            if n % 2 == 1 and parts[n].strip().lower() not in _JOINING_WORK:
                beyond = later


def _opens_work(part: str) -> bool:
    head = _first_word(strip_lead_in(part)[0])
    return head is not None and head not in _NO_WORK_BESIDE and is_verb(head)


_JOINING_WORK = frozenset({"and", "or", "plus", "as well as", "and also", "also"})


def _able_cut(part: str) -> list[str]:
    """``part`` cut before an "if you can <work>" that follows work of its own ("Summarize @q0 if you can delete
    @p0"), as if a comma stood there; else ``part``."""
    at = _ABLE_AFTER_WORK.search(part)
    head = _first_word(part[: at.start()]) if at is not None else None
    if at is None or head is None or head in _NO_WORK_BESIDE or not is_verb(head) or _ABLE_IF.match(part):
        return [part]
    return [part[: at.start()], ",", part[at.end() :]]


# A politeness opening a piece, no condition (`conditional`): "if possible", "if at all possible". Not "if you can":
# "If you can delete @p0, summarize @q0" asks whether the delete can be done, not for it.
_POLITE_IF = lazy_compile(r"^\s*if\s+(?:at\s+all\s+)?possible\b(?!\s*[,;:])", re.IGNORECASE)


def _condition_cut(parts: list[str]) -> list[str]:
    """``parts`` (pieces and their separators) with a piece opening on a condition said without a comma cut where
    its work starts, as if the comma were there: "if @p0 is empty delete it", "otherwise delete it"."""
    out: list[str] = []
    for index, part in enumerate(parts):
        polite = _POLITE_IF.match(part) if index % 2 == 0 else None
        if polite is not None and part[polite.end() :].strip():
            # "If possible delete @p0" is "If possible, delete @p0" (no work was found in it)
            out += [part[: polite.end()], ",", part[polite.end() :]]
            continue
        at = work_after(part) if index % 2 == 0 else None
        out += (_able_cut(part) if index % 2 == 0 else [part]) if at is None else [part[:at], ",", part[at:]]
    return out


def _joint(separator: str, part: str, question: bool = False) -> str:
    """How a piece that belongs to the clause before is joined to it: by the conjunction or comma that
    stood between them when the piece names another thing ("a picture of a cat, a dog and a bird": they
    are part of what is to be made), or goes on with a question (asked as the user wrote it: "What is the capital
    of France and what is its population?" lost its "and"); otherwise a separator is only a cut."""
    said = " ".join(separator.split()).lower()
    if question and said:
        return f"{said} " if said in ",;:" else f" {said} "
    if said == "but":
        return " but "  # "delete every file but @p0": @p0 is what is kept (`planning.deleted`), not what goes
    if _first_word(part) not in ("a", "an"):
        return " "
    return ", " if said == "," else f" {said} " if said in JOINING else " "


# Separators that join two things named in one clause, and stay in it.
JOINING = frozenset({"and", "plus", "as well as"})


HEAD_CHARS = 200  # where a clause's verb and what it makes are looked for
# "a picture of", "an audio clip about": a thing to make, named by its kind and what it is to show.
KIND_DESCRIBED = lazy_compile(
    r"\s*(?:a|an|one|another)\s+(?:[a-z]+\s+)?([a-z]+)\s+(?:of|about|showing|depicting|featuring)\b", re.IGNORECASE
)


def _another_made(current: Clause, part: str) -> str | None:
    """The clause a piece after "and" or a comma asks when it names another thing to make the way the
    clause before named its own, by a kind of data and what it is to show ("generate a picture of a cat
    and a sound of rain": generate a sound of rain); else None. "A picture of a cat and a dog" names
    one thing."""
    if not current.asked or current.question or current.context:
        return None
    more = KIND_DESCRIBED.match(part)
    if more is None or more.group(1).lower() not in TYPE_WORDS:
        return None
    verb = _first_word(current.text[:HEAD_CHARS])  # its head: a clause grown over thousands of pieces is not read again
    start = current.text.lower().find(verb, 0, HEAD_CHARS) if verb is not None else -1
    made = KIND_DESCRIBED.match(current.text, start + len(verb)) if verb is not None and start >= 0 else None
    if made is None or verb in STOP_WORDS or made.group(1).lower() not in TYPE_WORDS:
        return None
    return f"{current.text[start : start + len(verb or '')]} {part.strip()}"


# A refusal of all but some of what the work names, none named: "not both", "not all of them", "not every one".
_NOT_ALL = lazy_compile(
    r"\s*(?:just\s+|only\s+)?(?:not|never)\s+(?:both|all|each|every\s*one|every\s+file)"
    r"(?:\s+of\s+(?:them|these|those|the\s+files|it))?(?:\s+(?:please|though))?\s*",
    re.IGNORECASE,
)
# A verb of another saying or writing something, the words it said after it: "Bob wrote", "the file says", "it
# reads", "the note asks me to".
_SAYING = (
    r"(?:says?|said|writes?|wrote|reads?|states?|stated|asks?|asked|tells?|told|mentions?|mentioned|instructs?"
    r"|instructed|orders?|ordered|demands?|demanded)(?:\s+(?:me|us|you))?(?:\s+to)?"
)
# Its subject is another's: not the user ("I say: ...", "we wrote: ...") nor a word opening a request ("please
# read: ...", "then read: ..." are a read).
_SAID_BY_ANOTHER = lazy_compile(
    rf"(?:^|\s)(?!(?:i|we|please|just|and|then|now|also|so)\b)[\w@]+\s+{_SAYING}\s*$", re.IGNORECASE
)
# The same, the words said opening with "to" and a verb: "My boss told me to delete @p0", "The @p0 says to run @p1".
_SAID_TO = lazy_compile(
    r"^\s*(?P<lead>(?:(?:my|our|your|his|her|their|the|a|an)\s+)?(?!(?:i|we|please|just|and|then|now|also|so)\b)"
    r"[\w@]+\s+(?:says|said|wrote|writes|(?:tells|told|asks|asked|instructs|instructed|ordered|orders)\s+(?:me|us|you)))"
    r"\s+to\s+(?P<work>[a-z].*)$",
    re.IGNORECASE | re.DOTALL,
)
# The user's own order said again so: "I told you to delete @p0", "We asked you to run @p1" ask the work (read as one
# clause of no work, the request had "no action found").
_SAID_TO_BY_THE_USER = lazy_compile(
    r"^\s*(?:i|we)\s+(?:(?:already|just|have|had|once)\s+)?(?:told|asked|tell|ask|said|say)(?:\s+you)?"
    r"\s+to\s+(?P<work>[a-z].*)$",
    re.IGNORECASE | re.DOTALL,
)
# "@p0, which says to delete @p1", "@p0 that reads 'delete @p1'": what a thing named holds, no work asked.
# Not "who" ("Who wrote it?" asks), nor "that" opening a piece.
_REPORTED_IN_IT = lazy_compile(rf"(?:^which|(?<=\d)\s+(?:which|that))\s+{_SAYING}\b.*$", re.IGNORECASE | re.DOTALL)


def _reported_by(parts: list[str], index: int) -> str | None:
    """Who or what said the piece ``parts[index]``, where it is reported after a colon ("Bob wrote: delete @p1",
    "the file says: ..."): the words before the colon; None where it is the user's own."""
    if index < 2 or parts[index - 1].strip() != ":":
        return None
    before = parts[index - 2].strip(" ?!.")
    return before if _SAID_BY_ANOTHER.search(before) else None


# "Write @q0 to @p0 and @q1 to @p1": a value and where it goes, the verb said once for both pairs (gapping).
_PAIR = r"@q\d+\s+(?:to|into|in|on|onto|at|as)\s+@[a-z]\d+\s*[.!]*\s*$"
_A_PAIR = lazy_compile(rf"^\s*{_PAIR}", re.IGNORECASE)
_VERB_AND_PAIR = lazy_compile(rf"^\s*([a-z]+)\s+{_PAIR}", re.IGNORECASE)  # its verb, then one pair


def _another_pair(current: Clause, part: str) -> str | None:
    """The clause a piece after "and" or a comma asks when it pairs another value with another place as the clause
    before did, its verb left out: "Write 'x' to a.txt and 'y' to b.txt" is also "write 'y' to b.txt" (attack261:
    read as one write of both values to both files, it wrote 'x' to b.txt, and "Post 'x' to URL1 and 'y' to URL2"
    posted 'x' to URL1 four times)."""
    if not current.asked or current.question or current.context:
        return None
    more, said = _A_PAIR.match(part), _VERB_AND_PAIR.match(current.text)
    if more is None or said is None:
        return None
    return f"{said.group(1)} {part.strip()}"


# "a translation of @q0", "a summary of it": a noun of work, then what it is done on.
# "just a summary of it", "only a translation of it": what the user wants instead
LEADING_WORK_FILLER = lazy_compile(r"^\s*(?:just|only|simply|rather|instead)\s+", re.IGNORECASE)
WORK_OF = lazy_compile(r"\s*(?:a|an|the)\s+([a-z]+)\s+of\s+(?:@|(?:it|them)\b)", re.IGNORECASE)


def _other_work(current: Clause, part: str) -> str | None:
    """The clause a piece after "and" or a comma asks when it names other work by its noun, done on data or on
    what came before ("generate a picture of a cat and a translation of 'hello'": translate 'hello'), else None.
    A noun that is no verb's ("a bowl of milk"), a verb itself ("a group of"), one in -ing ("the setting of
    it"), or not done on data ("a collection of toys"), is part of what the clause before makes."""
    if not current.asked or current.question or current.context:
        return None
    return part.strip() if _names_work(part) else None


def _bare_negation(body: str) -> bool:
    """Whether ``body`` negates no verb of its own ("do not", "never", "but please don't"): the verb it refuses is
    in a piece after it, cut by a comma or a dash ("do not, under any circumstances, delete @p0" deleted @p0, as the
    work asked in place of a refusal; "... run @c0" ran it)."""
    negated = NEGATED.match(body)
    if negated is None:
        return False
    after = words(body[negated.end() :])
    if after and _TAKES_AN_OBJECT.search(negated.group(0)):
        # "Without hesitation, delete @p0", "without delay, ...": its object is said, a manner, and the work after the
        # comma is asked (read as the work refused, it was dropped unsaid, attack309)
        return False
    return not any(is_verb(w) for w in after)


# Negations whose object follows them ("without a word", "instead of that"): with one, the negation is whole.
_TAKES_AN_OBJECT = lazy_compile(r"\b(?:without|instead\s+of|rather\s+than)\s*$", re.IGNORECASE)


def _names_work(part: str) -> bool:
    """Whether ``part`` opens with work named by its noun and done on data or "it" ("a translation of it")."""
    work = WORK_OF.match(LEADING_WORK_FILLER.sub("", part))
    return work is not None and work_noun(work.group(1).lower())


def _means_only(body: str) -> bool:
    """'Feel free to use the image as the base', 'using these measures': what the work starts from, with
    no work of its own ("use this text to generate an image" generates)."""
    lowered = words(body)
    head = next((w for w in lowered if w not in LEADING_FILLER), "")
    if not {base_verb(head), head.removesuffix("ing"), head.removesuffix("ing") + "e"} & USING_VERBS:
        return False  # ("using" is too short for ``base_verb``'s endings)
    return not any(w == "to" and is_verb(after) for w, after in pairwise(lowered))


def _means_go_on(text: str, head: str | None, separator: str, body: str) -> bool:
    """A gerund after "and" that follows "by X-ing": another way the same work is done, not a step, where the
    purpose before "by" is that work ("clean the audio by removing the noise and separating the voices"). Where
    the purpose only says why ("help me understand the lecture by converting the audio into text and answering
    the question 'Q'"), each gerund is work asked: joined, the answer was the one step, the text never made.
    Nor where the gerund names data of its own: "clean up the folder by deleting @p0 and archiving @p1" joined
    was one delete of both files (@p1, to be archived, was deleted)."""
    return (
        head is not None
        and head.endswith("ing")
        and separator.strip().lower() == "and"
        and bool(BY_MEANS.match(text))
        and _means_of(text) is None
        and PLACEHOLDER.search(body) is None
        and not _result_of_the_means(text, body)
    )


def _result_of_the_means(text: str, body: str) -> bool:
    """Whether ``body`` works on what a gerund of ``text`` made, named by its noun: "understand @p0 by summarizing
    it and translating the summary": the translation is a step after the summary, not another way of
    summarizing (joined, the translation was lost)."""
    made = {t for w in words(text) if w.endswith("ing") and base_verb(w) != w for t in terms(w)}
    said = words(body)
    return any(set(terms(noun)) & made for before, noun in pairwise(said) if before in DETERMINERS)


THERE_QUESTION = lazy_compile(r"^\s*(?:is|are)\s+there\b", re.IGNORECASE)
# A question asking whether something is so, not of the assistant ("do you think", "are we done"): its verb opens it.
WHETHER_QUESTION = lazy_compile(
    r"^\s*(?:is|are|was|were|(does|do|did))\s+(?!(?:you|your|we|i|us|anyone|anybody|someone|somebody)\b)(\S+)\s*(\S*)",
    re.IGNORECASE,
)


def _asks_whether(body: str) -> bool:
    """Whether a clause asks if something is so ("Is @q0 positive", "Does @p0 contain a cat"): the tool that
    judges it answers. Not a question about the work asked ("Is that feasible?", "Is it possible?", "Are these
    files ok?", "Is this right?"), nor "do"
    before a verb ("Do translate it": a request said with force)."""
    asked = WHETHER_QUESTION.match(body)
    if asked is None or (asked.group(1) and asked.group(2).lower() in VERBS):
        return False
    said = words(body)
    return not (said[-1] in FEASIBLE or (asked.group(2).lower() in POINTING and asked.group(3).lower() in FEASIBLE))


def _third_person(word: str) -> bool:
    """'looks', 'labels': a verb of work with an -s, which no request opens with."""
    return word.endswith("s") and word not in VERBS and is_verb(word[:-1])


# Where a thing a condition brings in is: "a table | in the new image".
WHERE = lazy_compile(r"\s+(?:in|on|inside|within|at|of|from)\s+(.*)$", re.IGNORECASE)


def _referent(thing: str) -> str:
    """What "it" stands for after "if there is a table in the new image": the table in "it", the place
    being what came before; a place that is the user's data ("in photo.jpg") is named as it is."""
    where = WHERE.search(thing)
    if where is None or "@" in where.group(1):
        return thing
    return f"{thing[: where.start()]} {where.group(0).split()[0]} it"


def _progressive(text: str) -> bool:
    """'I've been analyzing', 'we are recording': telling what is under way, which a gerund after "and" goes on."""
    found = words(text)
    return any(
        w in ("been", "am", "are", "is", "was", "were", "m", "re") and a.endswith("ing") for w, a in pairwise(found)
    )


def _s_form(word: str) -> bool:
    """'features', 'shows': a word with an -s that no imperative opens with ("process", "focus" end in s)."""
    return word.endswith("s") and not word.endswith(("ss", "us", "is")) and word not in VERBS


def _verb_head(head: str, body: str) -> bool:
    """Whether a piece opens with a verb of work. A verb with an -s tells ("Looks like it ...") or is a
    plural noun ("generate boxes and labels for me"), unless an object follows it ("not only
    identifies them but also gives an estimate")."""
    if not _third_person(head):
        return is_verb(head)
    return _verb_then_object(body)


OBJECT_STARTS = frozenset(
    "the a an my our your this that these those it them his her their all some each me us him".split()
)


# "Have a conversation with me about X", "hold a discussion of it": a light verb and the work it names.
_HAVE_A = lazy_compile(r"^\s*(?:have|hold)\s+(?:a|an|another)\s+([a-z]+)\b(?:\s+([a-z]+)\b)?", re.IGNORECASE)


# Where the thing had is to go, said by the participle of a verb putting it somewhere: "... emailed to @e0".
_PUT_DONE = frozenset(forms(verb)[2] for verb in SINK_VERBS) | {d for d, v in IRREGULAR_DONE.items() if v in SINK_VERBS}


def _work_had(body: str) -> bool:
    """An imperative said by a light verb and a noun of work ("Have a conversation with me about space": it was
    read as telling, and the request had "no action found"); "have a nice day" names none. Nor does one that has the
    thing sent or written ("Have a translation of @p0 into French emailed to @e0": read as the translation, the email
    was dropped without a word); ``causative`` reads such an order whole."""
    said = _HAVE_A.match(body)
    if said is None or not any(work_noun(w.lower()) for w in said.groups() if w):
        return False
    return not _PUT_DONE.intersection(words(body[said.end() :]))


def _opens_a_sentence(head: str | None, body: str) -> bool:
    """A word that is neither a pronoun, a determiner nor a linking word, with no subject after it: an imperative's
    verb, even one nobody knows ("Teleport the cat")."""
    return (
        head is not None
        and head not in STOP_WORDS
        and head not in LINKING_WORDS
        and not _has_subject(body)
        and not _third_person(head)
        and _A_FILE_TOLD_OF.match(body) is None
    )


# A file as the subject of what is told of it ("@p0 is broken", "@p0 was deleted", "@p0 has errors"): no imperative
# (its placeholder's letter was read as a verb, and the sentence a step no tool does, even under "Note:")
_A_FILE_TOLD_OF = lazy_compile(
    r"^\s*@[a-z]\d+\s+(?:is|are|was|were|has|had|does|did|seems|looks|keeps|isn't|wasn't|doesn't|didn't"
    r"|[a-z]+ed)\b",
    re.IGNORECASE,
)


def _verb_then_object(text: str) -> bool:
    """'teleport my luggage': an unknown word followed by a determiner is a verb all the same; so is one followed
    by a file it names ("Read @p0 and frobnicate @p1": the file went on the read, read in silence, attack309)."""
    found = [w for w in words(text) if w not in LEADING_FILLER]
    on_a_file = _WORD_ON_A_FILE.match(text)
    return (
        len(found) > 1
        and found[0] not in STOP_WORDS
        and found[0] not in LINKING_WORDS
        and (
            found[1] in OBJECT_STARTS
            or (
                on_a_file is not None
                and on_a_file.group(1).lower() == found[0]
                and found[0] not in _NAMING_A_FILE
                # "specifically @p0", "given @p0", "including @p0": an adverb, a participle, no verb asked
                and not found[0].endswith(("ly", "ing", "en", "ed"))
                and not PRESENTING.match(text)
            )
        )
        and not _past(found[0])
    )


_WORD_ON_A_FILE = lazy_compile(r"^\s*(?:(?:just|please|also|now|then)\s+)*([a-z]+)\s+@p\d+\s*$", re.IGNORECASE)
# Words that say what a file named after them is, not what to do with it ("and file @p1", "and image @p1")
_NAMING_A_FILE = frozenset({"file", "files", "folder", "directory", "dir", "document", "doc", "path", *TYPE_WORDS})


def _has_subject(text: str) -> bool:
    """'Thereby they can stay updated': a subject after the first word; an imperative has none."""
    found = [w for w in words(text) if w not in LEADING_FILLER]
    return len(found) > 1 and found[1] in SUBJECTS


def _past(word: str | None) -> bool:
    """'recorded', 'took': a verb in the past tells what happened, it does not ask for anything."""
    return word is not None and word.endswith("ed") and len(word) > 4 and word not in VERBS and not word.endswith("eed")


def _pause(clause: Clause | None) -> bool:
    """A clause asking for a pause ("wait 30 seconds", "sleep", "pausing 3 seconds"): what comes after it waits
    for it."""
    return clause is not None and clause.asked and _pausing(next(iter(words(clause.text)), ""))


def _pausing(word: str) -> bool:
    return base_verb(word.lower()) in PAUSING


def paused_between(clause: Clause) -> list[Clause]:
    """A pause between pieces of work names them: "wait 10 seconds between downloading @u0 @u1" is the
    downloads, then the pause between them (the pause was given the URLs and no tool took both); "pausing @d2
    between requests" is the pause alone ("requests" chose the downloader for it). So is one before or after
    each ("wait 5 seconds before each download of @u0 @u1"): the pause said "before each of them"."""
    match = PAUSE_BETWEEN.match(clause.text)
    if not match or not clause.asked or not _pausing(_first_word(match.group(1)) or ""):
        return [clause]
    where = " ".join(match.group(2).lower().split())
    them = "them" if where == "between" else "of them"
    pause = replace(clause, text=f"{match.group(1).strip()} {where} {them}", ordered=True)
    work = match.group(3)
    named = re.match(r"([a-z]+ing)\b", work, re.IGNORECASE) or _WORK_OF.match(work)
    if named is None or not is_verb(named.group(1).lower()):
        return [clause] if PLACEHOLDER.search(work) else [pause]  # "wait between @u0 @u1": whose data is unsaid
    verb = base_verb(named.group(1).lower())
    return [replace(clause, text=f"{verb}{work[named.end() :]}", ordered=False), replace(pause, first=False)]


def _bare_verb(text: str) -> bool:
    """A piece that is a verb alone ("identify" in "identify and label the objects")."""
    found = [w for w in words(text) if w not in LEADING_FILLER]
    return len(found) == 1 and is_verb(found[0]) and "@" not in text


def strip_lead_in(part: str) -> tuple[str, bool]:
    """'Could you help me translate it' -> ('translate it', True)."""
    match = REQUEST_LEAD_INS.match(part)
    if match and match.end() > 0 and match.group(0).strip():
        return part[match.end() :].strip(), True
    match = EMBEDDED_REQUEST.search(part)
    if match and part[match.end() :].strip():
        return part[match.end() :].strip(), True
    return part, False


def _first_word(text: str) -> str | None:
    found = words(text)
    for position, word in enumerate(found):
        if word in LEADING_FILLER:
            continue
        if word.endswith("ly") and position + 1 < len(found) and is_verb(found[position + 1]):
            continue  # "audibly tell me", "briefly describe it": the verb comes after its adverb
        return word
    return None


def content_words(text: str) -> list[str]:
    return [w for w in one_verb_of(words(text)) if w not in STOP_WORDS and w not in LEADING_FILLER]


# "verify this by comparing the transcription with the audio": the purpose, then how it is done.
BY_MEANS = lazy_compile(r"^(.+?)\s+\bby\s+([a-z]+ing)\b(.*)$", re.IGNORECASE)


def _by_means(clause: Clause) -> Clause:
    """'verify this by comparing A with B': the gerund after "by" says what work is done, the words
    before it only why, so the sub-goal is "comparing A with B". Not when the purpose names data of
    its own ("modify @p1 by changing ..."): that data is what the work is done on."""
    means = _means_of(clause.text)
    return clause if means is None else replace(clause, text=means)


def _means_of(text: str) -> str | None:
    """The work a clause asks by "by X-ing" where the words before it only say why ("verify this by comparing A
    with B": "comparing A with B"); None where there is no such gerund, or the purpose is the work itself."""
    match = BY_MEANS.match(text)
    if not match or "@" in match.group(1) or not is_verb(match.group(2).lower()):
        return None
    if any(w in TYPE_WORDS or w in ("it", "them") for w in words(match.group(1))):
        # "clean up the audio file by removing the noise", "edit it by removing the car": the purpose names what
        # is worked on (cut off, "removing the car" deleted the photo "it" was)
        return None
    return f"{match.group(2)}{match.group(3)}"


def _reorder(found: list[Clause]) -> list[Clause]:
    """'write X after fetching Y' -> fetch Y, write X; 'before X, Y' -> Y, X; 'first ...' goes first."""
    out: list[Clause] = []
    waiting: list[Clause] = []  # work said to come after the rest of its sentence ("before deleting @p0, ...")
    for n, clause in enumerate(found):
        if waiting and clause.sentence != waiting[0].sentence:
            out += waiting
            waiting.clear()
        over = _written_over(clause, out[-1:])
        if over:
            out += over
            continue
        clause = _by_means(clause)
        match = re.match(r"(.+?)\s+\b(?:after|once)\b\s+(.+)", clause.text, flags=re.IGNORECASE)
        if match and _ONCE_IT_HAPPENS.match(clause.text[match.end(1) :]):
            match = None  # "delete @p0 once you find errors in it": a condition (what is found is not known)
        later_head = _first_word(match.group(2)) if match else None
        done = _work_done_by_then(match.group(2)) if match else None
        if match and ((later_head is not None and is_verb(later_head)) or done is not None):
            # "delete @p0 once you have summarized it": the summary, then the delete (it was a condition, asked)
            first = (match.group(2) if later_head is not None and is_verb(later_head) else done) or ""
            named = [m.group(0) for m in _PLACEHOLDERS.finditer(match.group(1))]
            if named and not _PLACEHOLDERS.search(first):  # its "it" is what the work after it names
                first = REFERENCE.sub(" ".join(named), first, count=1)
            later = re.sub(r"\s+only$", "", match.group(1), flags=re.IGNORECASE)  # "delete @p0 only after ..."
            out.append(Clause(first, asked=True, ordered=clause.ordered, sentence=clause.sentence))
            out.append(
                Clause(later, asked=clause.asked, context=clause.context, ordered=True, sentence=clause.sentence)
            )
            continue
        match = re.match(r"(.+?)\s+\bbefore\b\s+(.+)", clause.text, flags=re.IGNORECASE)
        later_head = _first_word(match.group(2)) if match else None
        if match and later_head is not None and is_verb(later_head):
            # "pick out the essence before turning it into a video": two sub-goals, in that order
            out.append(
                Clause(
                    match.group(1),
                    asked=clause.asked,
                    context=clause.context,
                    ordered=clause.ordered,
                    sentence=clause.sentence,
                )
            )
            out.append(Clause(match.group(2), asked=True, ordered=True, sentence=clause.sentence))
            continue
        put_after = _said_before(clause, found[n + 1 :])
        if put_after is not None:
            # "Before deleting @p0, summarize it": the delete goes after the rest of its sentence (it was dropped)
            waiting.append(put_after)
            continue
        match = re.match(r"\s*\b(?:before)\b\s+(.+)", clause.text, flags=re.IGNORECASE)
        if match and out:
            continue  # handled by the comma split: "before writing, fetch" keeps text order reversed below
        out.append(clause)
    out += waiting
    firsts = [c for c in out if c.first]
    if not firsts or all(c.first for c in out[: len(firsts)]):
        return out
    return _put_first(out)


_PLACEHOLDERS = lazy_compile(PLACEHOLDER.pattern)
# "replace @p0 with it", "update @p0 with the summary": the file written over with what the work made.
_REPLACED = lazy_compile(
    r"^(?P<lead>\s*(?:(?:please|then|and|now|just)\s+)*)(?:replace|update|overwrite)\s+(?:the\s+file\s+)?(?P<file>@p\d+)"
    r"\s+with\s+(?P<what>.+)$",
    re.IGNORECASE,
)
# "... its translation", "... a summary of it": work named by its noun, made of the file it writes over.
_ITS_WORK = lazy_compile(r"^(?:its|the|a|an)\s+(?P<noun>[a-z]+)(?:\s+of\s+(?:it|@p\d+))?(?P<rest>.*)$", re.IGNORECASE)
# "translate @p0 in place", "summarize it in-place": the result is written over the file it was made of.
_IN_PLACE = lazy_compile(r"\s+in[\s-]place\b", re.IGNORECASE)


def _written_over(clause: Clause, before: list[Clause]) -> list[Clause]:
    """The clauses a write over a file said by "replace", "update" or "in place" asks, else none: "replace @p0 with
    it" is "overwrite @p0 with it" (no tool was found for "replace", and "Replace @p0 with its translation" deleted
    @p0); "replace @p0 with its translation" is "translate @p0", then "overwrite @p0 with it"; "translate @p0 in
    place" is "translate @p0", then "overwrite @p0 with it" (nothing was written, unsaid); "read @p0 and translate it
    in place" writes over @p0, the one file the clause ``before`` it names (the write's path was asked)."""
    replaced = _REPLACED.match(clause.text)
    if replaced is not None:
        file, what = replaced["file"], replaced["what"]
        its = _ITS_WORK.match(what)
        verb = verb_of(its["noun"].lower()) if its is not None else None
        # "Summarize @p0, then overwrite @p1 with the summary": the summary made just before, not one more made of
        # @p1 (attack242: a second summary, or third_party's sentiment analysis, was written over @p1)
        made_before = what.lower().startswith("the ") and any(c.asked and _verb_of(c.text) == verb for c in before)
        if its is None or verb is None or made_before:
            return [replace(clause, text=f"{replaced['lead']}overwrite {file} with {'it' if made_before else what}")]
        return [
            replace(clause, text=f"{replaced['lead']}{verb} {file}{its['rest']}"),
            Clause(f"overwrite {file} with it", asked=clause.asked, ordered=True, sentence=clause.sentence),
        ]
    in_place = _IN_PLACE.search(clause.text)
    named = _PLACEHOLDERS.findall(clause.text[: in_place.start()]) if in_place is not None else []
    if in_place is None or not clause.asked or clause.about:
        return []
    file = PLACEHOLDER.search(clause.text)
    target = file.group(0) if file is not None and len(named) == 1 else "it"
    said_before = [f for c in before for f in _PLACEHOLDERS.finditer(c.text)]
    if not named and "it" in words(clause.text[: in_place.start()]) and [f[1] for f in said_before] == ["p"]:
        # "read @p0 and translate it in place": "it" is @p0, the one thing the clause before names ("write @q0 to
        # @p0, then translate it in place" names two: asked)
        target = said_before[0].group(0)
    return [
        replace(clause, text=clause.text[: in_place.start()] + clause.text[in_place.end() :]),
        Clause(f"overwrite {target} with it", asked=True, ordered=True, sentence=clause.sentence),
    ]


# "(once) you have summarized it", "(after) we read it": work done by then, said by who does it.
_DONE_BY_THEN = lazy_compile(
    r"^\s*(?:(?:you|we|i)\b\s*)?(?P<perfect>(?:have|had|['\u2019]ve)\s+)?(?P<verb>[a-z]+)\b(?P<rest>.*)$", re.IGNORECASE
)
# "once you find ...": "once" before work not said done is when something happens, a condition.
_ONCE_IT_HAPPENS = lazy_compile(r"\s+once\s+(?:you|we|i)\s+(?!(?:have|had)\b|['\u2019]ve\b)", re.IGNORECASE)
# "Once you have translated @p0, ...", "After we summarize it, ...": work done first, by whoever does it.
_DONE_FIRST = lazy_compile(r"^\s*(?:once|after|when|as\s+soon\s+as)\s+(?=(?:you|we|i)\b)", re.IGNORECASE)
# "Before deleting @p0, ...", "Before you delete @p0, ...": work said to come after the rest of its sentence.
_BEFORE_WORK = lazy_compile(r"^\s*before\s+(?:(?:you|we|i)\s+)?(?P<verb>[a-z]+)\b(?P<rest>.*)$", re.IGNORECASE)


def _work_done_by_then(text: str, perfect: bool = True) -> str | None:
    """The work ``text`` says is done by then, in the imperative ("you have summarized it": summarize it); None
    where it names no work on a thing (an event: "once you are done", "after the tests pass"), or, ``perfect``,
    where it is not said done ("once you find errors in @p0" is a condition: what is found is not known)."""
    said = _DONE_BY_THEN.match(text)
    if said is None or (perfect and not said["perfect"]):
        return None
    verb, rest = base_verb(said["verb"].lower()), said["rest"]
    on_a_thing = _PLACEHOLDERS.search(rest) or REFERENCE.search(rest)
    return f"{verb}{rest}" if is_verb(verb) and verb not in _NO_WORK and on_a_thing else None


_NO_WORK = frozenset("be is are was were am have has had do does did done get got finish finished".split())


def _said_before(clause: Clause, after: list[Clause]) -> Clause | None:
    """The work a clause opening on "before" asks, to run after the clauses of its sentence that follow it, with
    the "it" of the next one taken as what it names ("Before deleting @p0, summarize it": summarize @p0). None
    for any other clause, or where no asked work follows it in its sentence."""
    said = _BEFORE_WORK.match(clause.text)
    if said is None or clause.asked:
        return None
    work = _work_done_by_then(f"{said['verb']}{said['rest']}", perfect=False)
    following = [c for c in after if c.sentence == clause.sentence]
    if work is None or not following or not following[0].asked:
        return None
    named = [m.group(0) for m in _PLACEHOLDERS.finditer(said["rest"])]
    if named and _points_back(following[0].text):
        following[0].text = REFERENCE.sub(" ".join(named), following[0].text, count=1)
    return Clause(work, asked=True, ordered=True, sentence=clause.sentence)


def _points_back(text: str) -> bool:
    """Whether a clause's first "it" comes before anything it names: "copy it to @p1" points at what the clause
    after it named (left, "Delete @p0, but first copy it to @p1" copied nothing and deleted @p0); "read @p1 and
    summarize it" points at its own @p1."""
    reference, named = REFERENCE.search(text), _PLACEHOLDERS.search(text)
    return reference is not None and (named is None or reference.start() < named.start())


def _put_first(found: list[Clause]) -> list[Clause]:
    """The clauses saying they come "first" before the others, each next one after them: "Delete @p0, but first
    summarize it" deleted beside the summary (no order), whose "it", now before @p0, pointed at nothing (the
    summary's text was asked). Such an "it" is what the clause before it named."""
    firsts: list[Clause] = []
    for n, clause in enumerate(found):
        if not clause.first:
            continue
        named = [m.group(0) for m in _PLACEHOLDERS.finditer(found[n - 1].text)] if n else []
        if named and _points_back(clause.text):
            clause = replace(clause, text=REFERENCE.sub(" ".join(named), clause.text, count=1))
        firsts.append(clause)
    rest = [c for c in found if not c.first]
    return [*firsts, replace(rest[0], ordered=True), *rest[1:]]
