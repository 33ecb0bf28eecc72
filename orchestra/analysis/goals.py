"""Sub-goals of a request: their words, the data they have, make and work on, and the tools that serve them.

A sub-goal is served when the registry's index finds a tool good enough (``served_by``: by what the
tool says it does, and for the sub-goal's verb); a sub-goal the user asked for that nothing serves
is kept, so the plan can say what is missing; a vague one ("can you figure it out for me?") borrows
the words of the context sentence before it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import pairwise, takewhile

from orchestra.analysis.changes import (
    CHANGING_VERBS,
    EDIT_WORD,
    TAKING_AWAY_VERBS,
    change_said,
    changes_what_it_points_at,
    files_taken_away,
    made_over,
    part_taken,
)
from orchestra.analysis.clauses import LEADING_FILLER, Clause, content_words, paused_between, presents
from orchestra.analysis.conditional import CHANGING
from orchestra.analysis.data import PLACEHOLDER, Extracted, destinations, types_of, without_destinations
from orchestra.analysis.made_as_said import agrees, made_as_said
from orchestra.analysis.models import DataItem
from orchestra.analysis.own_words import WHETHER, is_a_question, judged, named_anew, question_beside, sound_anew
from orchestra.analysis.placed_by import placing_words
from orchestra.analysis.presented_question import question_presented
from orchestra.analysis.said_verbs import done_only_by
from orchestra.analysis.takes_a_question import takes_a_question
from orchestra.analysis.words import (
    ANAPHORA,
    APPEAL_IDIOMS,
    APPEAL_WORDS,
    EACH_OTHER,
    FILE_TYPES,
    FIRST_WORDS,
    IDIOM_ENDS,
    LANGUAGES,
    LIKENESS,
    LIKENESS_WORD,
    MEDIA_ONLY_SAME_AS,
    PLURAL_ANAPHORA,
    QUESTION_WORDS,
    RULE_WORDS,
    SAME_AS,
    SEEN_WORDS,
    SINK_VERBS,
    SOUND_WORDS,
    SPEECH_WORDS,
    STARTING_VERBS,
    STARTING_WORDS,
    STOP_WORDS,
    TAKING_AWAY_WORD,
    TYPE_WORDS,
    USING_VERBS,
    VERBS,
    WHOLE_FILE_VERBS,
    WHOLE_MEDIA_SAME_AS,
    base_verb,
    describing_terms,
    form_phrases,
    is_verb,
    said_as_one_verb,
    stem,
    taking_away_said,
    terms,
    words,
    work_noun,
)
from orchestra.analysis.words import DETERMINERS as DETERMINERS  # re-exported: heuristic reads it here
from orchestra.lazy_regex import lazy_compile
from orchestra.selection.index import ToolIndex
from orchestra.selection.relevance import SEMANTIC_MIN, Ranked, rank, serves
from orchestra.selection.semantic import EMBED_ALL
from orchestra.tool_spec import ToolCard

# Prepositions after which a data-type word names what the step should make ("into speech").
TARGET_WORDS = frozenset({"into", "to", "as", "in"})
# Verbs whose object is what the step makes ("generate an image").
MAKING_VERBS = frozenset(
    """create generate make produce draw render compose synthesize synthesise design craft paint illustrate
    write narrate speak voice say visualize visualise build give provide""".split()
)
# Verbs named after the kind of data they make ("record": a recording), whose object is what is made ("record
# an audio clip") and which say no work of their own: as words they found the tools that take a recording.
# Not verbs that only say "do" ("the recorded audio" is what the user made, not work done here).
KIND_NAMING_VERBS = frozenset({"record"})
# What a making verb makes, by the name it is to have: "generate a video named @p1".
NAMED_OUTPUT = lazy_compile(r"\b(?:named|called|titled)\s+@p\d+")
# A particle after a verb makes another verb: "draw out" (elicit), "picture up", "voice out".
PARTICLES = frozenset("out up off away back over".split())
# Verbs that say what kind of data they make: "illustrate the concept", "narrate the story".
MAKES_KIND = {
    **dict.fromkeys("illustrate draw paint sketch depict visualize visualise picture".split(), "image"),
    **dict.fromkeys("narrate voice speak pronounce vocalize vocalise".split(), "audio"),
    **dict.fromkeys("film animate".split(), "video"),
}
# Adverbs that say in what form a result is given: "audibly tell me the result", "read it aloud".
MANNER_WORDS = frozenset("aloud audibly visually verbally orally vocally".split())
# In a compound of two nouns for kinds of content ("a story video", "an image caption") the last says
# what the thing is and the first what it is about; not after an adjective ("spoken words" are
# sound), nor before a word for any medium ("an audio clip", "a video recording").
CONTENT = frozenset({"text", "image", "audio", "video"})
ANY_MEDIA = frozenset("clip clips recording recordings".split())
ADJECTIVES = MANNER_WORDS | frozenset("spoken written textual visual audible auditory verbal oral vocal".split())
# Nouns after a kind of data that make it the form of the result: "in audio format", "in a text form".
FORM_WORDS = frozenset("format formats form version versions".split())
# Verbs whose object is what comes out ("extract the text from the image").
EXTRACTING_VERBS = frozenset("extract pull obtain retrieve recover".split())
# Verbs whose result is taken out of the data they work on, not made anew: a converter can do them.
TAKING_OUT = EXTRACTING_VERBS | frozenset("decipher decode transcribe".split())
MAKES_TEXT = frozenset("decipher transcribe".split())  # what they take out is text, said or not
# Prepositions before the data a clause works on ("from the image", "in this recording").
SOURCE_WORDS = frozenset("from in within inside on of based using".split())
CONVERTING_VERBS = frozenset(
    "convert converting turn turning transform transforming change translate transcribe".split()
)
# Verbs that say only that something is to be done or made: never what, on their own.
GENERIC_VERBS = (
    MAKING_VERBS
    | frozenset(
        """get grab do make find show give provide use process handle run take check tell understand know see
    learn figure determine discern work perform apply""".split()
    )
    | STARTING_WORDS
)
GENERIC_TERMS = frozenset(terms(" ".join(GENERIC_VERBS)))
STARTING_WORD = "start"  # what a verb of starting with its particle says ("kick off", "fire up")
RUN_WORD = "run"
_RUN_SYNONYMS = frozenset({"execute", "exec"})  # verbs saying "run" a program, in words few tools use
ARTICLES = DETERMINERS | {"a", "an"}  # "a summarized version" is a thing, not "summarized" done
# Endings of nouns that name an action's result ("translation", "conversion"): after "of the",
# "from the", "on the" (an adjective may come between) and named by an earlier step's tool, such a
# noun names what that step made ("a summary of the French translation").
RESULT_NOUN = ("tion", "sion")
OF_THE = {("of", d) for d in DETERMINERS} | {(w, d) for d in DETERMINERS for w in ("from", "on")}
# Served by data types and meaning together (``_served_by_types``): the best tool's relevance at least
# this many times the next one's, and its cosine this far above the median tool's (half of what
# meaning alone needs, ``SEMANTIC_MARGIN``).
CLEAR_LEAD = 2.0
TYPED_MARGIN = 0.075
CONFIDENT = 0.5  # the share of a sub-goal's information in a tool's words at which words alone decide
HEAD_TERMS = 2  # the sub-goal's head: its first specific terms (a verb and its object)
INDIRECT_QUESTION = frozenset({"who", "whom", "whose", "which", "where", "when", "whether", "why"})
# Words of a request that say nothing about the work ("based" on X says what it starts from, which
# the data roles tell; as a word it found "Generate a picture based on a prompt" for "an abstract
# based on your findings").
REQUEST_NOISE = frozenset(
    """help assist aid lend hand wonder wondering curious appreciate feel free mind able possible
    try trying use using tool tools way know well based""".split()
)


@dataclass
class Goal:
    clause: Clause
    own: list[DataItem]
    keywords: list[str]
    query: list[str]
    wants: list[str]
    refers_back: bool
    plural: bool
    head: list[str] = field(default_factory=list)
    subject: set[str] = field(default_factory=set)  # kinds of data the clause works on ("the image", its own data)
    sent: list[DataItem] = field(default_factory=list)  # its own data that is where a result goes ("to x.json")
    sink: bool = False  # it puts data somewhere: "write ...", "send ..."
    action: str | None = None  # the term of its specific verb ("count" in "count the words"), if it has one
    ranked: list[Ranked] = field(default_factory=list)
    served: bool = False
    question: bool = False  # it asks for an answer; its last keywords are "answer", "question"
    told: bool = False  # a question about the work or whether something is so: only a tool that tells serves it
    unnamed: frozenset[str] = frozenset()  # what "a summary of X" works on: X's words name no tool
    originals: frozenset[str] = frozenset()  # kinds it takes as the user gave them: "the original image"
    named_before: frozenset[str] = frozenset()  # kinds of the user's data named up to its clause: what "it" can be
    done_on: frozenset[str] = frozenset()  # words of what "a summary of X" is done on: X, not the work
    unmade: tuple[str, ...] = ()  # media it asks to be made that no tool makes (``media_none_makes``)
    placing: frozenset[str] = frozenset()  # words placing its object: "around the table" (``placed_by``)

    @property
    def meaning(self) -> str:
        """The words the sentence encoder compares with tools: not what the work named before "of" is
        done on ("provide a summary of the conversation" asks for a summary, not a conversation)."""
        kept = [w for w in self.keywords if w not in self.done_on | self.placing]
        # A number says how many or how much, not which tool: left out, "roll 5 dice" and "roll 6 dice" are one
        # text to the encoder and share its cache (each clause was embedded anew: ~20 s for 250 such clauses)
        counted = [w for w in kept if not _A_NUMBER.fullmatch(w)]
        return " ".join(counted or kept or self.keywords)

    def sends(self, item: DataItem) -> bool:
        return any(item is s for s in self.sent)

    @property
    def works_on(self) -> list[DataItem]:
        """Its own data but the destinations: what its step may take as input."""
        sent = {id(s) for s in self.sent}  # one set, not a scan of ``sent`` per item: a write to 240 files
        return [d for d in self.own if id(d) not in sent]


def names_work(word: str, index: ToolIndex) -> bool:
    """A word the registry's tools use for what they do ("geocode", "transcribe")."""
    return (
        word.isalpha()
        and len(word) > 2
        and word not in TYPE_WORDS
        and index.known(stem(word))
        and (is_verb(word) or word.endswith(("ize", "ise", "ify", "ate")))
    )


# "convert the audio into summarized text": what is made, and a participle saying what is then done to it.
MADE_THEN_DONE = lazy_compile(r"\b(?:into|to|as)\s+(?:an?\s+|the\s+)?([a-z]+ed)\s+([a-z]+)\b", re.IGNORECASE)


def made_then_done(clause: Clause) -> list[Clause]:
    """A participle before the kind made ("convert the audio into summarized text"): make the text,
    then summarize it. The clause stays whole: its tool may do both ("change it into summarized
    text" finds the summariser), and then the step after it restates it and is folded."""
    match = MADE_THEN_DONE.search(clause.text)
    if not match or clause.context or match.group(2).lower() not in TYPE_WORDS:
        return [clause]
    participle = match.group(1).lower()
    verb = base_verb(participle)
    if verb == participle:  # not a verb of work: "into detailed text"
        return [clause]
    return [clause, Clause(f"{verb} it", asked=clause.asked, ordered=True)]


# "print the summary of @p1": a verb that takes a file as a whole, then a piece of work named by a noun before "of".
WHOLE_FILE_OF_WORK = lazy_compile(
    r"^(\W*(?:[a-z]+\W+){0,4}?)([a-z]+)\s+((?:the|a|an|my|this|that)\s+([a-z]+)\s+of\b.*)$", re.I
)


def whole_file_of_work(clause: Clause, index: ToolIndex) -> list[Clause]:
    """A verb whose object is a file as a whole before a piece of work a tool's name says ("print the summary of
    X", "upload a caption of photo.jpg", "download the transcript of talk.wav"): the work, then the verb on its
    result, which only a tool saying the verb and taking what the work makes does (``goals_of``), else it is
    reported missing. Not where the noun is no tool's work ("download the contents of http://..." fetches)."""
    match = WHOLE_FILE_OF_WORK.match(clause.text)
    if not match or clause.context or not clause.asked:
        return [clause]
    lead, verb, work, noun = match.group(1), match.group(2).lower(), match.group(3), match.group(4).lower()
    if (
        verb not in WHOLE_FILE_VERBS
        or any(w not in LEADING_FILLER for w in words(lead))
        or noun in KIND_NAMES  # "download the image of @p0": the image is the file
        or not set(terms(noun)) & index.name_term_set()
    ):
        return [clause]
    # "upload a caption of @p0 to @p1": where it goes is the verb's, not the work's
    done = replace(clause, text=f"{lead}get {without_destinations(work).strip()}")
    return [done, Clause(f"{verb} it {destinations(work)}".strip(), asked=True, ordered=True, sentence=clause.sentence)]


# "generate an audio clip that summarizes this information": a kind of data, then a verb of work about it.
DOES_FIRST = lazy_compile(r"^(.*?\b([a-z]+)(?:\s+[a-z]+)?)\s+(?:that|which)\s+([a-z]+s)\b(.*)$", re.IGNORECASE)


def done_then_made(clause: Clause) -> list[Clause]:
    """A kind of data that does work ("generate an audio clip that summarizes this information"):
    summarize the information, then make the audio clip of the summary."""
    match = DOES_FIRST.match(clause.text)
    if not match or clause.context or match.group(2).lower() not in TYPE_WORDS:
        return [clause]
    verb = base_verb(match.group(3).lower())
    if verb == match.group(3).lower() or not is_verb(verb) or verb in GENERIC_VERBS:
        return [clause]
    work = Clause(f"{verb}{match.group(4)}", asked=clause.asked, ordered=clause.ordered, first=clause.first)
    return [work, replace(clause, text=f"{match.group(1)} of it", ordered=True, first=False)]


# "transcribe and translate talk.wav", "summarize and translate and delete @p0": verbs of work before one object
TWO_VERBS = lazy_compile(r"^(\s*)((?:[a-z]+\s+and\s+)+[a-z]+)\b(.*\S.*)$", re.IGNORECASE)
# A clause of verbs alone ("Summarize, translate and delete @p0" read as "Summarize and translate" and "delete @p0").
ONLY_VERBS = lazy_compile(r"\s*[a-z]+(?:\s+and\s+[a-z]+)*\s*", re.IGNORECASE)


def _two_tools_work(first: str, second: str, index: ToolIndex) -> bool:
    """Whether two verbs are two tools' work: each is some tool's word, and no tool's words hold both ("identify
    and label the objects" is a detector's; "decipher and retrieve the text", a verb no tool says, one work)."""
    said = [terms(SAME_AS.get(w, w)) for w in (first, second)]
    if not all(said) or not all(t[0] in index.postings for t in said):
        return False
    wanted = {said[0][0], said[1][0]}
    return len(wanted) == 2 and not any(wanted <= set(hit.matched) for hit in index.search([*wanted], limit=50))


def verbs_before_one_object(found: list[Clause]) -> list[Clause]:
    """A clause of verbs alone joined to the clause after it in its sentence, whose verb opens on the object they
    share: "Summarize, translate and delete @p0" was "Summarize and translate" (a translation of text asked for,
    no summary) and "delete @p0" (deleted beside it)."""
    joined: list[Clause] = []
    for clause in found:
        before = joined[-1] if joined else None
        if (
            before is not None
            and before.asked
            and clause.asked
            and before.sentence == clause.sentence
            and ONLY_VERBS.fullmatch(before.text)
            and all(is_verb(w.lower()) for w in before.text.split() if w.lower() != "and")
            and is_verb((clause.text.split() or [""])[0].lower())
            and not clause.ordered  # "wait, then read it aloud": one after the other, not one object
            and "@" in clause.text  # the object is the user's data
        ):
            joined[-1] = replace(before, text=f"{before.text.rstrip()} and {clause.text.lstrip()}")
            continue
        joined.append(clause)
    return joined


def two_verbs_one_object(clause: Clause, index: ToolIndex) -> list[Clause]:
    """Verbs of work on one object ("summarize and translate notes.txt", "transcribe and translate talk.wav"):
    the first on the object, then each next on "it", the result before (or the object, where its tool cannot
    take the result: "read and classify scan.jpg"); read as one sub-goal, one verb's tool was chosen and the
    others' work dropped in silence. Not "and" inside a verb's object, nor a choice ("summarize or translate")."""
    match = TWO_VERBS.match(clause.text)
    if not match or clause.context or not clause.asked:
        return [clause]
    verbs = [w.lower() for w in match.group(2).split() if w.lower() != "and"]
    if not all(is_verb(w) and base_verb(w) not in GENERIC_VERBS for w in verbs):
        return [clause]
    if not all(_two_tools_work(first, second, index) for first, second in pairwise(verbs)):
        return [clause]
    parts = [replace(clause, text=f"{match.group(1)}{match.group(2).split()[0]}{match.group(3)}")]
    for verb in verbs[1:]:
        # "Copy and delete notes.txt", "Translate and overwrite notes.txt": what goes or is written over is the file
        # named, after the work before ("delete it" deleted the copy just made, or asked for a path of the summary)
        then = f"{verb}{match.group(3)}" if base_verb(verb) in _DONE_TO_THE_FILE else f"{verb} it"
        parts.append(replace(clause, text=then, ordered=True, first=False))
    return parts


# Verbs done to a file as a whole, not to what work before them made of it.
_DONE_TO_THE_FILE = frozenset("delete remove erase discard trash destroy purge wipe unlink overwrite".split())


# "a video digest in Spanish": the language a result is asked in.
IN_LANGUAGE = lazy_compile(rf"\b(?:in|into)\s+(?:the\s+)?({'|'.join(LANGUAGES)})\b", re.IGNORECASE)
# Words before "in French" that say what the data already is in, not what the result should be.
IS_IN = frozenset("written spoken recorded is are was were being originally".split())
MEDIA = frozenset({"audio", "video", "image"})  # kinds made from words: the words are translated first
# Verbs that only hand a result over: "give me the answer in Spanish" asks for the language alone.
GIVING_VERBS = frozenset("give provide tell show send share return".split())
RESULT_WORDS = ANAPHORA | frozenset("answer answers reply response".split())  # what an earlier step gave


def in_language(clause: Clause, index: ToolIndex) -> list[Clause]:
    """A sound, picture or video asked for in a language ("generate a video digest in Spanish") by a
    clause whose work is not translating: a translation of the words first, then the clause. Not
    where the language says what data is in ("the audio in English", "written in French"), nor for
    a clause with words of its own (a quote may already be in that language). The translation is
    kept only when a tool serves it, so a registry without a translator gets no missing step.
    A clause that only hands a result over ("give me the answer in Spanish") is the translation
    alone; one with work of its own ("answer it in Spanish") is left to its tool (a translation
    after it lost on the held-out half)."""
    match = IN_LANGUAGE.search(clause.text)
    if not match or clause.context or PLACEHOLDER.search(clause.text):
        return [clause]
    lowered = words(clause.text)
    wants = set(_data_roles(lowered, index)[0])
    before = words(clause.text[: match.start()])[-1:]
    translate = Clause(f"translate it into {match.group(1).capitalize()}", ordered=clause.ordered, first=clause.first)
    if _only_gives(lowered, index) and not wants & MEDIA and not set(before) & IS_IN:
        # "give me the answer in Spanish": giving is no work; the language is
        return [replace(translate, asked=clause.asked)]
    if (
        {"translate", "translation", "translated", "translating", "language"} & set(lowered)
        or set(before) & IS_IN
        or any(w in TYPE_WORDS and TYPE_WORDS[w] not in wants for w in before)  # "the audio in English"
        or not wants & MEDIA
    ):
        return [clause]
    return [translate, replace(clause, ordered=True, first=False)]


# "summarize @p0 in an audio format", "a rundown of key points as audio": work asked for in a form of media said at
# the clause's end, which the work's own tool does not make.
# Any word for one thing of a medium says the form ("describe it in a sound", "as a drawing"); not a word for any
# medium ("in a recording" is where it is), an adjective or an adverb.
FORM_MEDIA_NOUNS = sorted(
    w
    for w, kind in TYPE_WORDS.items()
    if kind in MEDIA and w not in ANY_MEDIA | ADJECTIVES and not w.endswith(("s", "ly", "aloud"))
)
KIND_SAID = frozenset("audio speech video image picture".split())  # said as they are in what is made of them
# An adjective of a medium says the form only before a word for one ("in a spoken form", "in an audible version"):
# "as spoken" or "in visual" alone says no thing made.
FORM_MEDIA_ADJECTIVES = sorted(w for w in ADJECTIVES if TYPE_WORDS.get(w) in MEDIA and not w.endswith(("ly", "aloud")))
IN_FORM = lazy_compile(
    rf"\s+(?:in|as)\s+(?:an?\s+)?(?:({'|'.join(FORM_MEDIA_NOUNS)})(?:\s+(?:format|form|version|file|clip))?"
    rf"|({'|'.join(FORM_MEDIA_ADJECTIVES)})\s+(?:format|form|version))"
    r"\s*[.!?]*\s*$",
    re.IGNORECASE,
)


def in_form(clause: Clause) -> list[Clause]:
    """Work asked for in a form of media ("summarize @p0 in an audio format"): the work, then its result made that
    kind (the summary was dropped for the speech synthesizer, which makes audio). Not where the clause names the
    kind otherwise too ("read it aloud as audio"), by its verb ("record 'hello' as an audio clip", "narrate it as
    audio"), or its work is only a verb of making or turning ("convert it as audio")."""
    match = IN_FORM.search(clause.text)
    if not match or clause.context or not clause.asked or clause.question:
        return [clause]
    work = clause.text[: match.start()]
    lowered = words(PLACEHOLDER.sub(" ", work))
    said = (match.group(1) or match.group(2)).lower()
    kind = TYPE_WORDS[said]
    verb = base_verb(lowered[0]) if lowered else ""
    if (
        not lowered
        or any(TYPE_WORDS.get(w) == kind or w in MANNER_WORDS for w in lowered)
        or verb in KIND_NAMING_VERBS
        or MAKES_KIND.get(verb) == kind
        or not _names_work_itself(lowered)
    ):
        return [clause]
    # "as a drawing", "in a sound": the thing is made as its kind, which a tool's words say more often
    made_as = said if said in KIND_SAID else kind
    made = Clause(f"turn it into {made_as}", asked=True, ordered=True, sentence=clause.sentence)
    return [replace(clause, text=work), made]


def _names_work_itself(lowered: list[str]) -> bool:
    """A clause's words name work of their own: a verb of work that is no generic one ("summarize"), or a noun of
    work after a generic one ("create a rundown of ...", "give me a summary")."""
    verb = base_verb(lowered[0])
    if verb in SINK_VERBS:
        return False  # "save it as an audio clip": how it is stored
    if is_verb(lowered[0]) and verb not in GENERIC_VERBS and verb not in TURNING_VERBS:
        return True
    return any(work_noun(w) or w in SAME_AS for w in lowered[1:4])


# Verbs that only turn data into another form: the form is their work ("convert it as audio").
TURNING_VERBS = frozenset("convert turn transform change render".split())


def _only_gives(lowered: list[str], index: ToolIndex) -> bool:
    """A clause whose verb only says "give" or "tell" and whose object names no work of a tool: "give
    me the answer", "provide me the colour name"; not "give me a summary", "tell me what it says"."""
    content = [w for w in lowered if w not in STOP_WORDS and w not in LANGUAGES]
    if not content or base_verb(content[0]) not in GIVING_VERBS or set(lowered) & QUESTION_WORDS:
        return False
    names = index.name_term_set()
    return not any(t in names for w in content[1:] if w not in RESULT_WORDS for t in terms(w))


# Verbs that ask to be told something: "tell me the colour of the sofa" asks what the colour is.
TELLING_VERBS = frozenset({"tell"})
# Words that end the thing asked about: "the colour | of the sofa", "the number | of rows".
ABOUT_ENDS = frozenset("of in into on about from for with within inside at by and".split())


# Verbs of coming to know, with their particles: before "how" or "what" they ask a question ("find out how many legs
# it has", "figure out what colour it is"), which "how" and "what" after other verbs do not ("show what it does")
_FINDING_OUT = frozenset({"find out", "figure out", "work out"})


def _asks_to_find_out(lowered: list[str]) -> bool:
    """Whether a clause opens with a verb of coming to know and a question word: an indirect question."""
    for said in (" ".join(lowered[:2]), lowered[0] if lowered else ""):
        if said in _FINDING_OUT:
            after = lowered[len(said.split()) : len(said.split()) + 1]
            return bool(after) and after[0] in QUESTION_WORDS
    return False


def _asks_to_tell(lowered: list[str], index: ToolIndex) -> bool:
    """A request to be told a property of something ("tell me the colour of the sofa in the image",
    "telling me the number of rows"): a question, whose answer is text. Not when what is to be told
    names a tool's work or a kind of data ("tell me a summary", "tell me the text"): that is the work,
    nor a result ("tell me the answer"), which only hands over what a step made."""
    content = [w for w in lowered if w not in STOP_WORDS]
    if len(content) > 1 and content[0].endswith("ly"):
        content = content[1:]  # "eventually tell me ...": the verb comes after its adverb
    if not content or base_verb(content[0]) not in TELLING_VERBS:
        return False
    at = lowered.index(content[0]) + 1
    after = next((w for w in lowered[at:] if w not in ("me", "us")), "")
    if after in QUESTION_WORDS - {"whether"}:
        return True  # "tell me how many people seem happy": an indirect question, whose answer is text
    asked: list[str] = []
    for word in lowered[at:]:
        if word in ABOUT_ENDS:
            break
        if word not in STOP_WORDS:
            asked.append(word)
    names = index.name_term_set()
    return bool(asked) and not any(
        w in TYPE_WORDS or w in RESULT_WORDS or w in QUESTION_WORDS or set(terms(w)) & names for w in asked
    )


def implied_by_participle(found: list[Clause]) -> list[Clause]:
    """A step the request takes for granted: "transcribe the improved speech" where nothing before
    improves it. It goes first ("improve this speech"), kept only when a tool serves it (it is not
    asked for in so many words) and that tool is not the one its clause gets ("what does the scanned
    page show?": the tool that reads scanned pages takes the page as it is; ``goals_of``). Not where the request did or tells of it before ("I recorded the
    talk ... the recorded audio"), nor for a verb that only says "do" or "make"."""
    out: list[Clause] = []
    done: set[str] = set()  # the verbs of the clauses so far, as verbs: "I recorded", "translate it"
    for clause in found:
        lowered = words(PLACEHOLDER.sub(" ", clause.text))
        if not clause.context:
            for prev, word, noun in zip(lowered, lowered[1:], lowered[2:], strict=False):
                verb = base_verb(word)
                if prev in DETERMINERS and word.endswith("ed") and verb != word and verb not in GENERIC_VERBS:
                    # "show the removed files": files some past work removed; taken for granted, a delete unasked
                    changes_files = verb in CHANGING and TYPE_WORDS.get(noun) == "path"
                    if verb not in done and noun in TYPE_WORDS and not changes_files:
                        granted = Clause(
                            f"{verb} this {noun}", ordered=clause.ordered, first=clause.first, granted=True
                        )
                        out.append(granted)
                        clause = replace(clause, ordered=True, first=False)
                    done.add(verb)
        done |= {base_verb(w) for prev, w in zip(["", *lowered], lowered, strict=False) if prev not in ARTICLES}
        out.append(clause)
    return out


# What the user says they want to know, in a sentence that tells: "I'm curious about the predominant
# colour", "I'm trying to figure out the theme of the paragraph".
CURIOUS = lazy_compile(
    r"\b(?:curious|wonder|wondering|interested|intrigued|(?:want|like|trying|keen)\s+to\s+"
    r"(?:know|find\s+out|figure\s+out|work\s+out|determine|understand))\b"
    r"(?:\s+(?:about|in|by|as\s+to|to\s+know|knowing|to\s+find\s+out))?\s+(.+)",
    re.IGNORECASE,
)


def curious_about(text: str) -> list[str]:
    """The words of what a context sentence says the user wants to know, if it says so."""
    match = CURIOUS.search(text)
    if not match:
        return []
    return [w for w in content_words(PLACEHOLDER.sub(" ", match.group(1))) if w not in REQUEST_NOISE]


def _wonders(text: str) -> bool:
    """Whether what a context sentence says the user wants to know is something to be found out ("curious
    about what the subject is", "intrigued by who wrote it"), not a thing ("curious about the colour")
    nor whether something holds ("curious whether it is positive": that names the work)."""
    match = CURIOUS.search(text)
    return match is not None and next(iter(words(match.group(1))), "") in QUESTION_WORDS - {"whether", "how"}


def _wonders_whether(text: str) -> bool:
    """Whether a context sentence says the user wants to know whether something holds ("curious whether it is
    positive", "if it is"): that names the work, whose tool judges it."""
    match = CURIOUS.search(text)
    return match is not None and next(iter(words(match.group(1))), "") in ("whether", "if")


def _wonders_a_quoted_question(text: str, extracted: Extracted) -> bool:
    """Whether a sentence says the user wonders about one quoted question and nothing more ("I wonder 'Who wrote
    it'"): the quote is a question asked, not a thing they are curious about."""
    match = CURIOUS.search(text)
    if match is None or PLACEHOLDER.sub(" ", match.group(1)).strip(" .,;:!?'\"") or "wonder" not in text.lower():
        return False
    quoted = extracted.items_in(match.group(1))
    return len(quoted) == 1 and isinstance(quoted[0].value, str) and is_a_question(quoted[0].value)


# An appeal to find something out: "figure it out", "find out", "work it out" (not "discern those": what the
# user is curious about names what is to be picked out, "the entities in it").
FINDING_OUT = lazy_compile(r"\s*(?:figure|find|work)\s+(?:\w+\s+)?out\b", re.IGNORECASE)


# "translate the answer to French": a question was asked before, or the user told what they want to know.
THE_ANSWER = lazy_compile(r"\b(?:the|that|this|my|your)\s+(?:\w+\s+)?(?:answer|response|reply)\b", re.IGNORECASE)


def asked_by_its_answer(found: list[Clause]) -> list[Clause]:
    """A clause that works on "the answer" where nothing before asks a question: what a context
    sentence says the user wants to know ("I'm trying to figure out the theme of the paragraph, and
    I need your help to translate the answer to French") is the question, asked first."""
    out = list(found)
    asked = False  # a clause so far asks: kept as it goes, not looked for again at each clause
    for at, clause in enumerate(found):
        if not asked and not clause.context and THE_ANSWER.search(clause.text):
            for before in range(at - 1, -1, -1):
                match = CURIOUS.search(out[before].text) if out[before].context else None
                if match:
                    out[before] = replace(out[before], text=match.group(1), asked=True, context=False, question=True)
                    break
            break
        asked = asked or _asks(clause)
    return out


# Words before "the answer" in a clause that asks for it rather than works on it: "finding the answer from @p1",
# "could you tell me the answer".
_FINDING = (
    frozenset(
        "find finding get getting give giving provide providing tell telling show showing figure figuring out work "
        "working determine determining know knowing seek seeking locate locating discover discovering obtain "
        "obtaining search searching look looking for me us".split()
    )
    | LEADING_FILLER
)


def asked_as_presented(found: list[Clause], extracted: Extracted) -> list[Clause]:
    """A clause that works on "the answer" where nothing before asks a question, nor says what the user wants to
    know (``asked_by_its_answer``): the one quoted question a context sentence before presents ("I've got @p0 with a
    question associated - @q1. Check if the summary matches the answer for this question") is asked just before
    it, of the data that sentence names. After the steps the request takes for granted ("the summarized text"), so
    they keep their place and their input."""
    asked = False
    for at, clause in enumerate(found):
        answer = None if asked or clause.context else THE_ANSWER.search(clause.text)
        if answer is not None:
            if set(words(clause.text[: answer.start()])) <= _FINDING:
                return found  # "find the answer from @p1": the clause itself answers the question presented
            for before in range(at - 1, -1, -1):
                question = question_presented(found[before].text, extracted) if found[before].context else None
                if question is not None:
                    kept = replace(found[before], text=question, asked=True, context=False, question=True)
                    return [*found[:at], replace(kept, sentence=clause.sentence), *found[at:]]
            return found
        asked = asked or _asks(clause)
    return found


# Words of a clause that asks for an answer: "Can your tool answer the question 'What colour is it?'".
ASKING = frozenset("answer answering question questions".split())


def _asks(clause: Clause) -> bool:
    """Whether a clause asks a question, or asks for one to be answered: then "the answer" is its answer."""
    return clause.question or (not clause.context and bool(ASKING & set(words(clause.text))))


# Words of a clause that asks the work before again on other data: "do the same on memo.txt", "repeat
# the same steps for b.wav", "same thing with photo.png".
REPEAT_WORDS = frozenset("same again repeat thing steps process procedure apply perform".split())
# Words that say the work is not to be done again: "do not do the same for memo.txt".
NOT_AGAIN = frozenset("not never no don't dont skip".split())


def _repeats(clause: Clause, extracted: Extracted) -> list[str] | None:
    """The placeholders of the data a clause asks the work before again on ("do the same on @p1"), or
    None when it asks something else: it says "same", has data of its own that is no destination, and
    no word but those of repeating."""
    if clause.context:
        return None
    plain = words(PLACEHOLDER.sub(" ", clause.text))
    if (
        "same" not in plain
        or NOT_AGAIN & set(plain)
        or any(w not in REPEAT_WORDS and w not in LEADING_FILLER for w in content_words(" ".join(plain)))
    ):
        return None
    data = [m.group(0) for m in PLACEHOLDER.finditer(clause.text) if int(m.group(2)) not in extracted.sent_to]
    return data or None


REPEATED_AT_MOST = 8  # clauses of work a repeat copies: thousands of repeats of a long sentence stay linear


def repeated(found: list[Clause], extracted: Extracted) -> list[Clause]:
    """'Summarize notes.txt. Then do the same on memo.txt.': the work of the clauses before (those of its
    own sentence, else of the last sentence that asked for work) again, the first of them on the new
    data in place of its own, the rest as they were (they work on what the one before them made)."""
    out: list[Clause] = []
    here: list[Clause] = []  # the work of the sentence read now, and of the last one before it with work
    last: list[Clause] = []
    # "... Do the same for memo.txt and save it to out2.txt": where its results go is said again, so the
    # work copied does not also store them where the first results went (out.txt, written over)
    placing = {c.sentence for c in found if _sends(c, extracted)}
    for clause in found:
        if here and here[-1].sentence != clause.sentence:
            here, last = [], here
        data = _repeats(clause, extracted)
        work = (here or last)[:REPEATED_AT_MOST]
        if data is None or not work:
            out.append(clause)
            if clause.asked and not clause.context:
                here.append(clause)
            continue
        first, *rest = work
        text = _on_other_data(first.text, data, extracted)
        out.append(replace(first, text=text, ordered=clause.ordered, first=False, sentence=clause.sentence))
        rest = [c for c in rest if clause.sentence not in placing or not _sends(c, extracted)]
        out += [replace(c, first=False, sentence=clause.sentence) for c in rest]
    return out


def _sends(clause: Clause, extracted: Extracted) -> bool:
    """Whether a clause says where a result goes ("save it to @p1")."""
    return any(int(m.group(2)) in extracted.sent_to for m in PLACEHOLDER.finditer(clause.text))


def _on_other_data(text: str, data: list[str], extracted: Extracted) -> str:
    """``text`` with the data it works on replaced by ``data`` (its destinations stay), or ``data`` added
    when it names none ("caption it", "do the same for @p1": caption @p1)."""
    swapped = False

    def swap(match: re.Match[str]) -> str:
        nonlocal swapped
        if int(match.group(2)) in extracted.sent_to:
            return match.group(0)
        if swapped:
            return ""
        swapped = True
        return " ".join(data)

    out = PLACEHOLDER.sub(swap, text)
    return out if swapped else f"{out} {' '.join(data)}"


def goals_of(found: list[Clause], extracted: Extracted, index: ToolIndex) -> list[Goal]:
    found = repeated(found, extracted)
    found = asked_by_its_answer(found)  # before "give me the answer in French" becomes "translate it"
    found = [part for clause in found for part in made_then_done(clause)]
    found = [part for clause in verbs_before_one_object(found) for part in two_verbs_one_object(clause, index)]
    found = [part for clause in found for part in whole_file_of_work(clause, index)]
    found = [part for clause in found for part in done_then_made(clause)]
    found = [part for clause in found for part in in_language(clause, index)]
    found = [part for clause in found for part in in_form(clause)]
    found = implied_by_participle(found)
    found = asked_as_presented(found, extracted)  # "... with a question associated - @q1. ... the answer for it"
    found = [part for clause in found for part in paused_between(clause)]
    goals: list[Goal] = []
    context: list[str] = []  # words of the context sentences so far: what "it" in "do it for me" means
    wondered = False  # the context before asks something: "I'm curious about which ..."
    whether = False  # it asks whether something holds ("curious whether it is positive"), which names the work
    carried: list[DataItem] = []  # "for each of A, B, C: ..." hands its items to the clause after it
    presented: list[DataItem] = []  # "Given the text 'X', ..." hands X to the work just after it
    named: set[str] = set()  # kinds of the user's data named so far, in context sentences too
    described: dict[str, list[str]] = {}  # by kind, what a context sentence says the user's data is
    # What the tools of the sub-goals so far are named and make, kept as they are added: a request of
    # thousands of clauses must not look at every goal before each one.
    made_terms: set[str] = set()  # "the French translation" after a translation step names its result
    made_kinds: set[str] = set()
    appeals: set[int] = set()  # closing appeals nothing said more about: no work if there is other work
    ranked_before: Rankings = {}  # sub-goals said again are ranked once
    program = ""  # the program a context sentence told of ("This script cleans the cache."): what "run it" runs
    for clause in found:
        if clause.context and _wonders_a_quoted_question(clause.text, extracted):
            # "Then I wonder 'What colour is the car'.": the user quotes what they want answered; as a sentence that
            # tells, it was dropped unless a clause after it asked to find it out
            clause = replace(clause, context=False, asked=True, question=True)
        goal = goal_of(clause, extracted, index, frozenset(made_terms))
        # where a result goes ("save it as cat.png") is no data named to work on
        named |= {t for d in extracted.items_in(clause.text) if not goal.sends(d) for t in types_of(d)}
        goal.named_before = frozenset(named)
        if carried:
            goal.own = [*carried, *goal.own]
            goal.subject |= {t for d in carried for t in types_of(d)}
            clause.for_each, carried = True, []
        # "Based on notes.txt, who wrote it?": a context clause presents texts too; a photo it presents is
        # left to the data handed on, which captions it (given as the clause's own, it is read as a file)
        texts = clause.context and all(types_of(d)[:1] == ["text"] for d in goal.works_on)
        if (not clause.context or texts) and presents_data(goal) and presents(clause.text):
            # "Given the text 'X', answer 'Y'": X is for the work the sentence goes on to ask, beside its question;
            # a sentence that only presents it ("Given the text 'X'. Answer 'Y'.") presents it for the next one
            if _presented_to_the_question(goals, clause, goal):
                continue  # "Who wrote the book, given the passage 'X'?": X is the question's context
            presented += goal.works_on
            continue
        if presented and not clause.context and (not goal.own or _asks(clause)):
            # beside a question to answer, or for work named without data; "translate 'hello'" translates hello
            if clause.question and not goal.own:
                # "Given the text 'X'. When does the shop open?": the clause's own words are the question
                presented = [*presented, DataItem(kind="query", value=f"{clause.text.strip().rstrip('?')}?")]
            goal.own = [*presented, *goal.own]
            goal.subject |= {t for d in presented for t in types_of(d)}
        presented = []
        asked_of = question_beside(clause.text) if clause.question else None
        if asked_of is not None and not any(d.kind == "query" for d in goal.own):
            # "What is the capital of France, given 'X' as context?": the question is its own words, X its context
            goal.own = [*goal.own, DataItem(kind="query", value=asked_of)]
        if not clause.context and program and (ran := _runs_what_was_told_of(clause, program)) is not None:
            # "This script cleans the cache. Run it.", "The script deletes @p0; run it": "it" is the program the
            # sentence before told of, not what it does (its "deletes" found a delete of @p0, run for "run it")
            clause = ran
            goal = goal_of(clause, extracted, index, frozenset(made_terms))
        if clause.context:
            program = _program_told_of(clause.text, extracted) or program
            for item in goal.works_on:  # what the user says their data is, for the work on it later
                for kind in types_of(item)[:1]:
                    described[kind] = describing_terms(clause.text, index.name_term_set())
            context = curious_about(clause.text) or goal.keywords
            # "I'm curious about what the subject is": what the user wants to know is an answer
            wondered = _wonders(clause.text)
            whether = _wonders_whether(clause.text)
            if clause.for_each and goal.own and not goal.keywords:
                carried = goal.own
            continue
        if (not goal.keywords and not goal.own) or attempts_only(goal) or presents_data(goal):
            continue
        if EDIT_WORD not in goal.keywords and MEDIA_KINDS & named and changes_what_it_points_at(clause.text):
            # "caption photo.jpg and make it brighter": "it" is the picture named before, not the caption
            goal.keywords.append(EDIT_WORD)

        changed = _media_changed(goal, named | made_kinds)
        if changed and not goal.works_on and not goal.subject:
            # "Edit photo.jpg ..., then make the background white": the part changed is of the one medium there is
            # (an audio denoiser was found by "background"); in an editor's word, as a change said on the medium is
            # ("Caption photo.jpg, then turn the sky blue" found no tool by "turn" and "sky")
            goal.subject = set(changed)
            goal.keywords += [] if EDIT_WORD in goal.keywords else [EDIT_WORD]
        elif changed and EDIT_WORD not in goal.keywords:
            # "Make photo.jpg brighter", "turn photo.jpg into a cityscape at sunset": the change of the user's own
            # picture is said by its result alone, in no tool's words ("make", "brighter": no tool was found)
            goal.keywords.append(EDIT_WORD)
        if goal.refers_back and not goal.works_on and not goal.subject and not made_kinds:
            # "a document image x.jpg ... find the date in it": before any step has made something, "it" is the
            # user's data named so far, resolved before ranking so its kind and what it was said to be take part
            goal.subject = set(named)
        appeal = appeals_only(goal)
        if appeal:  # "this task": a tool its words find is found by accident
            goal.ranked, goal.served = [], False
        else:
            _rank(goal, index, ranked_before)
            _rank_as_described(goal, index, [t for kind in sorted(goal.subject) for t in described.get(kind, ())])
            said_made = made_as_said(clause.text)
            if said_made is not None and goal.served:  # before types serve it: "read the list aloud" by a synthesizer
                kept = [r for r in goal.ranked if agrees(index.card(r.tool), said_made, goal.subject)]
                if kept[:1] != goal.ranked[:1]:  # the best kept is served as it was
                    goal.served = bool(kept) and _served(goal, kept[0], index)
                goal.ranked = kept
            if changed and goal.ranked:
                # "Modify the objects in photo.jpg to green": a change of a picture is made by a tool that makes one
                # (an object detector was found by "objects"); none: the step is missing
                kept = [r for r in goal.ranked if any(makes(index.card(r.tool), kind) for kind in changed)]
                if kept[:1] != goal.ranked[:1]:
                    goal.served = bool(kept) and _served(goal, kept[0], index)
                goal.ranked = kept
                # the change said by its result ("into a cityscape at sunset") is in no tool's words: a tool saying it
                # changes that medium serves it
                goal.served = goal.served or (bool(kept) and _changes_media(index.card(kept[0].tool)))
            if changed and not goal.served:
                # "make photo.jpg brighter" said nothing an editor's words say ("modify a picture", "change a photo"):
                # "edit" was only compared by meaning, which a small registry does not; the tools saying they change
                # that medium are found by those words
                editors = _editors(index, changed)
                goal.ranked, goal.served = editors or goal.ranked, bool(editors) or goal.served
            kept = [r for r in goal.ranked if _takes_any(index.card(r.tool), PICTURE)]
            # (a tool taking a question beside the picture: an editor taking an instruction answers nothing, and kept
            # alone it put "answer 'What colour is the car?'" after a caption onto no tool)
            cards = [index.card(r.tool) for r in kept]
            asking = [c for c in cards if c is not None and _takes_any(c, TEXT) and takes_a_question(c)]
            if asking and _asks_of_a_picture(goal, named | made_kinds):
                # "identify the objects in @p0, summarize them, and tell me how many are red": a question about the
                # picture is for a tool that takes one and the question (a text answerer was fed the summary); with
                # none such, the text made of the picture is what there is to ask ("caption @p0 and tell me ...")
                if kept[:1] != goal.ranked[:1]:
                    goal.served = bool(kept) and _served(goal, kept[0], index)
                goal.ranked = kept
        if not goal.served and not appeal:
            _served_by_types(goal, index, made_kinds if goal.refers_back or not goal.works_on else ())
        if not goal.served and not appeal and not goal.ranked:
            _served_by_data(goal, index)
        if goal.served and goal.ranked and _work_named_undone(goal, index.card(goal.ranked[0].tool)):
            # "Give me a transcription of @p0": the noun says the work, as "transcribe @p0" does; a file reader found
            # by the text a transcription is read talk.wav as text. A tool ranked after it saying the work does it
            goal.ranked = [r for r in goal.ranked if not _work_named_undone(goal, index.card(r.tool))]
            goal.served = bool(goal.ranked) and _served(goal, goal.ranked[0], index)
        if not goal.served and context and (goal.refers_back or not goal.own):
            # "Can you figure it out for me?": what "it" is was said before.
            # "I'm curious about the predominant color. Can you figure it out?": what is to be found out is an answer
            borrowed = Clause(
                clause.text,
                asked=clause.asked,
                question=wondered or (not whether and bool(FINDING_OUT.match(clause.text))),
            )
            wider = goal_of(borrowed, extracted, index, frozenset(made_terms))
            wider.keywords += context
            wider.query = terms(" ".join(wider.keywords))
            _rank(wider, index)
            if wider.served:
                goal.keywords, goal.query, goal.ranked, goal.served = wider.keywords, wider.query, wider.ranked, True
        made = (
            described_kind(clause.text, goal.keywords, None, made_terms)
            if goal.served and not goal.refers_back
            else None
        )
        if made is None and goal.served:
            made = media_made(clause.text, goal.keywords) or next(iter(goal.unmade), None)
        if made is not None:
            # "generate a video of a dog": a tool that makes no video does not make it (a picture
            # generator was asked to draw it, and the user for its prompt); the clause is missing
            goal.ranked = [r for r in goal.ranked if makes(index.card(r.tool), made)]
            anew = made in MEDIA_KINDS and not goal.refers_back
            if anew and not any(made in types_of(d) for d in goal.works_on):
                # "Generate an image of a cat" (third_party): made anew, not by a tool changing one it is given (an
                # image resizer was asked for the picture to resize)
                goal.ranked = [r for r in goal.ranked if made not in _takes_of(index.card(r.tool))]
            goal.served = bool(goal.ranked) and _served(goal, goal.ranked[0], index)
        said_made = made_as_said(clause.text) if goal.served else None
        if said_made is not None:
            # "Convert notes.txt to pdf", "read it aloud", "OCR scan.png": a tool found by a shared verb that says it
            # makes something else (currencies, a count, labelled objects) does not do the step; none: it is missing
            kept = [r for r in goal.ranked if agrees(index.card(r.tool), said_made, goal.subject)]
            if kept[:1] != goal.ranked[:1]:  # the best kept is served as it was ("read the list aloud" by types)
                goal.served = bool(kept) and _served(goal, kept[0], index)
            goal.ranked = kept
        if goal.served and sound_anew(goal.clause.text, goal.wants, made_terms):
            # "generate a sound of rain": a tool that only speaks would say the word "rain", and one that
            # takes no text (a denoiser) has nothing to make it from
            goal.ranked = [r for r in goal.ranked if makes_sounds(index.card(r.tool))]
            goal.served = bool(goal.ranked) and _served(goal, goal.ranked[0], index)
        one_verb = said_as_one_verb(clause.text)
        deleted = files_taken_away(one_verb) or _a_named_kind_taken_away(goal, one_verb)
        kinds_before = goal.named_before | made_kinds
        if goal.ranked and (deleted or not _fits_the_data(goal, index, goal.ranked[0].tool, clause.text, kinds_before)):
            # "Remove the password from @p0" (a text file): not by an audio denoiser or an image editor, found by
            # "remove" or by meaning, nor by deleting the file; "Remove the backup of photo.jpg" deleted the photo.
            # Only a best that does not fit is passed over: the rest ranked as they were weigh in the choice, but
            # for files deleted whole ("Remove @p0 and @p1": an editor taking both edited one by the other's text)
            goal.ranked = [r for r in goal.ranked if _fits_the_data(goal, index, r.tool, clause.text, kinds_before)]
            goal.served = goal.served and bool(goal.ranked) and _served(goal, goal.ranked[0], index)
        if goal.ranked and any(d.kind == "url" for d in goal.sent):
            # "Post notes.txt to https://x/u": a place to send to that is a URL is served only by a tool taking one;
            # a chat poster (channel, token) sent it elsewhere, and a fetch of the URL was planned as its text
            goal.ranked = [r for r in goal.ranked if _takes_any(index.card(r.tool), {"url"})]
            goal.served = goal.served and bool(goal.ranked) and _served(goal, goal.ranked[0], index)
        to_a_file = any(d.kind == "path" for d in goal.sent) and not any(d.kind == "url" for d in goal.sent)
        over = WRITES_OVER_WHAT_WAS_SAID.match(clause.text) is not None
        if goal.ranked and ((goal.sink and to_a_file) or over):
            # "Fetch URL and save it to page.html": a file named as where it goes is written by a tool told a path;
            # an uploader (bucket, key) ranked by "save" read page.html as what it uploaded, and stored it elsewhere
            goal.ranked = [r for r in goal.ranked if _told_a_path(index.card(r.tool))]
            goal.served = goal.served and bool(goal.ranked) and _served(goal, goal.ranked[0], index)
            if not goal.ranked:
                # "Write the transcript of talk.mp3 to out.txt": ranked by "transcript" alone ("write" is too common
                # a word), no tool told a path was left; the storing verb's tool writes it, a transcriber put first
                goal.ranked = _storers_told_a_path(goal, index, "write" if over else None)
                goal.served = bool(goal.ranked) and _served(goal, goal.ranked[0], index)
        # "write a summary of @p0" composes one; "write @p0 to the server" stores it (delete_file, ranked by the
        # file, deleted it)
        stored = _storing_verb(goal) if goal.sent or stored_elsewhere(clause.text) else None
        if stored and goal.ranked:
            _served_by_a_storer(goal, stored, index)
        said = _whole_file_work(goal)
        if goal.served and said:
            # "unzip photos.zip", "upload photo.jpg": a tool that never says the verb was found by the object
            goal.ranked = [r for r in goal.ranked if (card := index.card(r.tool)) is not None and said & does(card)]
            if goal.refers_back and not goal.works_on and made_kinds:
                # "print the summary of X" (``whole_file_of_work``), "caption it and download it": the verb is done
                # on what a step before made; a fetcher that takes a URL does not download a transcript
                goal.ranked = [r for r in goal.ranked if _takes_any(index.card(r.tool), made_kinds)]
            goal.served = bool(goal.ranked) and _served(goal, goal.ranked[0], index)
        if clause.about or (clause.question and DOING_ASKED.match(clause.text)):
            # "Is it done once you delete @p0?", "Does deleting @p0 free space?", "Is it safe to run @c0?": the work
            # is asked about, not for; nothing does it, and selection must not find a tool for it either (it deleted
            # the file by a tool added to the registry after analysis)
            goal.ranked, goal.served, goal.sent, goal.told = [], False, [], True
            # "Is it safe to translate @q0?": the quote is what the work would be done on, not the question (a tool
            # that tells was asked 'x' as the question); the words ask it
            goal.own = [d for d in goal.own if d.kind not in ("query", "text")]
        if clause.question and (WHETHER.match(clause.text) or WHICH_OF.match(clause.text)):
            goal.told = True
            # "Does the photo photo.jpg contain a cat?": whether it is so is told, not made; a tool that only
            # changes what it is given (an image editor, the question as its instruction) does not tell it, nor
            # does one that runs or stores it ("Is 'ls -la' a safe command?" ran it; "Is notes.txt saved?" wrote it)
            goal.ranked = [r for r in goal.ranked if _tells(index.card(r.tool))]
            goal.served = goal.served and bool(goal.ranked) and _served(goal, goal.ranked[0], index)
            # "Is 'hello world' written to out.txt?": the place is asked about, nothing is sent there (a step
            # was added writing to it)
            goal.sent = []
            if EXISTENCE & set(words(clause.text)) and goal.own and all(d.kind == "path" for d in goal.own):
                _told_by_a_listing(goal, index)
        only = done_only_by(extracted.show(clause.text))
        if goal.ranked and only is not None:
            # "Message Bob the summary", "Text @p0 to +15551234567", "Replace the word cat with dog in @p0", "Search
            # the web for X": only a tool saying the verb does it (a summariser, a translator were found by a noun, a
            # file lister by "search", doing nothing asked)
            goal.ranked = [r for r in goal.ranked if (card := index.card(r.tool)) and only[0](does(card))]
            goal.served = goal.served and bool(goal.ranked) and _served(goal, goal.ranked[0], index)
        if goal.served or clause.asked or goal.told:  # a question about work is reported, not dropped
            goals.append(goal)
            if appeal and not goal.served:
                appeals.add(id(goal))
        if goal.served and goal.ranked:
            card = index.card(goal.ranked[0].tool)
            made_terms |= index.name_terms_of(goal.ranked[0].tool)
            made_kinds |= set(card.output_types) if card is not None else set()
    work = [g for g in goals if id(g) not in appeals]
    goals = work or goals  # "Could you figure it out?" alone stays, reported missing: nothing else was asked
    return [g for at, g in enumerate(goals) if not _granted_by_its_own(g, goals[at + 1 : at + 2])]


# A program a sentence tells of, by its kind ("this script", "the program") or its file ("setup.sh").
_PROGRAM_TOLD_OF = lazy_compile(
    r"^\s*(?:(?:the|this|that|my|our|your)\s+)?(?:(?:shell|bash|python|install|setup|build|cleanup|deploy)\s+)?"
    r"(?P<kind>script|program|executable|binary)\b|^\s*(?:(?:the|this|that|my|our|your)\s+)?(?:(?:script|file|program)\s+)?"
    r"(?P<file>@p\d+)",
    re.IGNORECASE,
)
_EXECUTABLE = (".sh", ".bash", ".py", ".js", ".rb", ".pl", ".ps1", ".bat", ".cmd", ".exe")
# "run it", "execute it", "run it now": the one thing run is what "it" points at
_RUN_IT = lazy_compile(r"^\s*(?P<verb>run|execute|exec|launch|start)\s+(?P<it>it|this|that)\b", re.IGNORECASE)


def _program_told_of(text: str, extracted: Extracted) -> str:
    """The program a context sentence opens by ("This script cleans the cache": "the script"; "setup.sh installs
    things": its placeholder), as words a clause may name it by; "" when it opens by no program."""
    told = _PROGRAM_TOLD_OF.match(text)
    if told is None:
        return ""
    if told.group("kind"):
        return f"the {told.group('kind').lower()}"
    item = extracted.items[int(told.group("file")[2:])]
    return told.group("file") if str(item.value).lower().endswith(_EXECUTABLE) else ""


def _runs_what_was_told_of(clause: Clause, program: str) -> Clause | None:
    """``clause`` ("run it") with the program told of before in the place of its pointer ("run the script"); None
    for any clause that does not run "it" (or names its own data)."""
    ran = _RUN_IT.match(clause.text)
    if ran is None or PLACEHOLDER.search(clause.text):
        return None
    return replace(clause, text=f"{clause.text[: ran.start('it')]}{program}{clause.text[ran.end('it') :]}")


def _work_named_undone(goal: Goal, card: ToolCard | None) -> bool:
    """Whether a clause handing over work said by its noun on data it names ("give me a transcription of @p0",
    "provide an explanation of @p1") was served by a tool whose words say none of that work."""
    verb = base_verb(next(iter(goal.keywords), ""))
    # a noun, not a verb's form ("what @p0 shows", "what purge.py erased"), nor one said in another's word ("the
    # category of @p0" is a class)
    nouns = [w for w in goal.keywords[1:] if work_noun(w) and base_verb(w) == w and w not in SAME_AS]
    if card is None or verb not in HANDING_VERBS or not nouns or not goal.works_on:
        return False  # "provide some creative suggestions": of nothing named, what the tool makes is what is handed
    if set(goal.wants) - {"text"} or ADJECTIVES & set(goal.keywords):
        return False  # "give me a verbal summary of @p0": a speaker makes it, after a summariser (`in_form`)
    return not {stem(n) for n in nouns} & does(card)


# Verbs asking to be told ("explain what ... removes", "describe which files ... deletes")
_TELLING = frozenset("explain describe tell show say clarify summarize summarise".split())
_WHAT = frozenset("what which how whatever".split())


def _told_of(lowered: list[str]) -> set[str]:
    """The changing verbs a clause asking to be told tells of, after its "what" ("explain what @q0 removes", "tell
    me what the script deletes"), with the verb asking: what a thing does, asked about, not work asked."""
    if not lowered or base_verb(lowered[0]) not in _TELLING or not _WHAT & set(lowered[1:4]):
        return set()
    at = next(n for n, w in enumerate(lowered) if w in _WHAT)
    told = {w for w in lowered[at + 1 :] if w.endswith("s") and w != base_verb(w) and base_verb(w) in CHANGING}
    # the verb asking is the question's, said by "answer" ("describe" alone found an image captioner)
    return told | {lowered[0]} if told else set()


DELETE_WORD = "delete"


def _taken_away(action: str, own: Sequence[DataItem]) -> str | None:
    """What a clause opening with a verb of taking away takes: "file" whole ("remove it", "get rid of both"), or a
    "part" of one ("remove the noise from it"); None for any other clause."""
    from orchestra.planning.deleted import what_goes  # it reads this module's words of taking away

    return what_goes(action, [str(d.value) for d in own if d.kind == "path"])


def _whole_file_work(goal: Goal) -> frozenset[str]:
    """The terms a tool says for the work of a clause whose verb takes a file as a whole (``WHOLE_FILE_VERBS``),
    none for any other clause."""
    verb = base_verb(goal.keywords[0]) if goal.keywords else ""
    if EDIT_WORD in goal.keywords[1:]:
        return frozenset()  # "delete the background of photo.jpg" takes a part away: a change, the file stays
    return frozenset(terms(" ".join(WHOLE_FILE_VERBS.get(verb, ()))))


def makes_anew(goal: Goal) -> bool:
    """Whether a clause asks a making verb for a kind of data it describes itself ("generate a picture
    of a dog", "compose a song about the sea"), without referring back: what it makes is new, made from
    its words, not an edit of what an earlier step made."""
    return (
        bool(goal.wants)
        and not goal.refers_back
        and described_kind(goal.clause.text, goal.keywords, goal.wants) is not None
    )


def described_kind(
    text: str, keywords: Sequence[str], among: Iterable[str] | None = None, known: AbstractSet[str] = frozenset()
) -> str | None:
    """The kind of data a making verb (the first of ``keywords``) asks for and describes ("generate a
    video of a dog": video), of ``among`` if given, whether or not a tool of the registry knows it; None
    when what it describes is something known ("a picture of the summary": ``own_words.named_anew``;
    ``known``: the terms of earlier steps' tools)."""
    found = _kind_and_described(text, keywords, among)
    return found[0] if found is not None and named_anew(found[1], known) else None


# Kinds a making verb names that no other kind stands in for: "a description of the image" may be any text,
# "a video of the translation" is a video whatever it shows.
MEDIA_KINDS = frozenset({"image", "audio", "video"})


def media_none_makes(text: str, index: ToolIndex) -> list[str]:
    """The media a clause (placeholders in) asks to be made that no tool of the registry makes ("give it to me as a
    video" with no video maker): asked, they are missing, not made by a tool its other words found (a transcriber by
    "turn it into", http_request by "make"). Kept out of what the step makes: a step after it is fed nothing."""
    asked = _data_roles(words(PLACEHOLDER.sub(" ", text)), index, unknown=True)[0]
    return sorted(k for k in MEDIA_KINDS & set(asked) if not any(makes(doc.card, k) for doc in index.docs))


def media_made(text: str, keywords: Sequence[str]) -> str | None:
    """The kind of media a making verb asks for, even of something known ("make a video of the translation":
    a picture generator drew it, "... a video of the summary" was dropped as the summariser's again)."""
    found = _kind_and_described(text, keywords, MEDIA_KINDS)
    return found[0] if found is not None else None


def _kind_and_described(text: str, keywords: Sequence[str], among: Iterable[str] | None) -> tuple[str, str] | None:
    if not keywords or base_verb(keywords[0]) not in MAKING_VERBS | MAKES_KIND.keys():
        return None
    kinds = None if among is None else set(among)
    lowered = words(text)
    for at, word in enumerate(lowered[1:-2], 1):
        kind = TYPE_WORDS.get(lowered[at - 1] if word in ANY_MEDIA else word) or TYPE_WORDS.get(word)
        if kind is not None and (kinds is None or kind in kinds) and lowered[at + 1] in DESCRIBING:
            return kind, " ".join(lowered[at + 2 :])
    return None


# A clause writing over a file said before, not by its name: "overwrite it with the summary", "write the summary over
# it", "put the translation back into it", "save it back". Its tool is one told a path: ranked by "summary" or
# "translation", the summariser was found and the clause dropped as the summary said again, no write and no note
# (attack242, third_party: "Summarize notes.txt, then overwrite it with the summary" planned the summary alone).
WRITES_OVER_WHAT_WAS_SAID = lazy_compile(
    r"^\s*(?:(?:and|then|now|please|just|also)\s+)*(?:overwrite\s+(?:it|that|this|them|the\s+(?:file|original|source))\b"
    r"|(?:write|save|store|put|copy)\s+(?:\S+\s+){0,4}?(?:over|back(?:\s+(?:in|into|to|over))?)(?:\s+(?:it|that|this|them"
    r"|the\s+(?:file|original|source)))?\s*[.!]*\s*$)",
    re.IGNORECASE,
)


def _storers_told_a_path(goal: Goal, index: ToolIndex, verb: str | None = None) -> list[Ranked]:
    """The tools told a path that say the storing verb a sink opens with (or ``verb``), ranked by it."""
    stored = _storing_verb(goal) or verb
    if stored is None:
        return []
    found = rank(index, [stored])
    return [
        r for r in found if (card := index.card(r.tool)) is not None and _told_a_path(card) and stored in does(card)
    ]


def _told_a_path(card: ToolCard | None) -> bool:
    """Whether a tool is told a file's path among its inputs (write_file's ``path``, an ``output_path``)."""
    return card is not None and any({"path", "file"} & set(words(p.name.replace("_", " "))) for p in card.inputs)


# Terms of a tool that sends what it is given away from here (`secrets_sent.SENDING`, as `does` stems them).
_SENDS_AWAY = frozenset({"upload", "publish", "send", "post", "share", "submit", "email", "mail", "transmit", "deliv"})


def sends_away(card: ToolCard | None) -> bool:
    """Whether a tool says it sends, uploads or publishes what it is given (upload_object, send_email)."""
    return card is not None and bool(_SENDS_AWAY & does(card))


def _takes_any(card: ToolCard | None, kinds: AbstractSet[str]) -> bool:
    """Whether a tool takes one of ``kinds`` of data."""
    return card is not None and bool(set(card.input_types) & kinds)


# "Which of the two images a.jpg and b.jpg is brighter?": a question choosing among things named, told as a
# question whether something is so is (each image was edited with the question as its instruction).
# "Which image is brighter, a.jpg or b.jpg?" too (each edited, the question its instruction).
WHICH_OF = lazy_compile(r"\s*which\b", re.IGNORECASE)
# A whether-question about doing something: "Does deleting @p0 free space?", "Does it hurt to run @c0?", "Is it safe
# to delete @p0?" (a verb in -ing, or after "it ... to"); "something", "anything" are no verbs.
DOING_ASKED = lazy_compile(
    r"\s*(?:is|are|was|were|does|do|did|would|will)\s+(?:(?!\w*thing\b)[a-z]+ing\b|it\s+(?:[a-z]+\s+){1,2}to\s+[a-z]+)",
    re.IGNORECASE,
)
# What a tool that tells something makes: a judgement is said in words or as a value.
TOLD_KINDS = frozenset({"text", "json"})
# What a tool given a program to run takes: its output says what ran, not whether it should.
PROGRAM_KIND = "command"


# "Does notes.txt exist?": whether a file is there, which a listing tells, and the words a tool says for it.
EXISTENCE = frozenset("exist exists existing".split())
LISTING = ["list", "files"]


def _told_by_a_listing(goal: Goal, index: ToolIndex) -> None:
    """A question whether the user's file exists is for a tool that lists files, where one is found: the file was
    read and its text sent to a question answerer as the question, to say whether it exists."""
    said = [*goal.keywords[:-2], *LISTING]
    listing = replace(goal, keywords=said, query=_query_of(said, index), question=False)
    _rank_anew(listing, index)
    if listing.served and listing.ranked:
        goal.ranked, goal.served = listing.ranked, True


def _tells(card: ToolCard | None) -> bool:
    """Whether a tool tells something of what it is given: it makes text or a value (an editor or a writer, which
    makes an image or a path, changes or stores) and runs no program (the shell's text is what a command did)."""
    return card is not None and bool(TOLD_KINDS & set(card.output_types)) and PROGRAM_KIND not in card.input_types


def _takes_of(card: ToolCard | None) -> tuple[str, ...]:
    return card.input_types if card is not None else ()


def makes(card: ToolCard | None, kind: str) -> bool:
    """Whether a tool makes ``kind`` of data."""
    return card is not None and kind in card.output_types


# What follows a kind of data and says what it is to show: "a picture of a dog", "a song about the sea".
DESCRIBING = frozenset("of about showing depicting featuring".split())


def makes_sounds(card: ToolCard | None) -> bool:
    """Whether a tool can make a sound from its description: it takes text and makes audio, and does not
    say it makes speech only (text-to-speech reads its text aloud; "natural sounding speech" is speech)."""
    if card is None or "audio" not in card.output_types or "text" not in card.input_types:
        return False
    said = set(words(" ".join((card.name, *card.capabilities, card.description))))
    return not said & SPEECH_WORDS or bool(said & (SOUND_WORDS - {"audio", "audios"}))


# Words that put the steps of a sentence before what was said earlier: "Can you first translate it, then ...".
FIRST_OF_ALL = frozenset(w for w in FIRST_WORDS if " " not in w)


def without_previews(chosen: list[tuple[Goal, ToolCard | None]]) -> list[tuple[Goal, ToolCard | None]]:
    """A request previewed, then detailed: "wouldn't it be cool to create a video about the image? ...
    Could you first estimate ..., and finally create a video using that conversation?". The goal said
    up front is a step of the detail, so it is planned once, where the detail puts it: a sub-goal that
    is the only one of its sentence, has no data of its own, and whose chosen tool is that of a
    sub-goal of a later sentence of several, which says its steps come "first" (or the earlier one is
    a wish: "I want to give my graphics a new style. Could you turn x.jpg into ..., classify it ...").
    Not a sub-goal with data of its own ("translate 'A'. Then summarize 'B' and translate it"), nor
    one followed only by single requests ("draw a cat. Then draw a dog.")."""
    count = Counter(goal.clause.sentence for goal, _ in chosen)
    detailed = {g.clause.sentence for g, _ in chosen if count[g.clause.sentence] > 1 and _says_first(g.clause)}
    latest: dict[str, int] = {}  # a tool -> the last sentence of several sub-goals where it serves one
    latest_first: dict[str, int] = {}  # the same, in a sentence that says its steps come first
    for goal, card in chosen:
        sentence = goal.clause.sentence
        if card is not None and count[sentence] > 1:
            latest[card.name] = max(latest.get(card.name, -1), sentence)
            if sentence in detailed:
                latest_first[card.name] = max(latest_first.get(card.name, -1), sentence)

    def previews(goal: Goal, card: ToolCard | None) -> bool:
        sentence = goal.clause.sentence
        if card is None or sentence < 0 or count[sentence] != 1 or goal.works_on:
            return False
        return latest_first.get(card.name, -1) > sentence or (goal.clause.wish and latest.get(card.name, -1) > sentence)

    return [(goal, card) for goal, card in chosen if not previews(goal, card)]


def _says_first(clause: Clause) -> bool:
    """Whether a clause opens with "first" ("Could you first estimate ..."; the lead-in is cut off)."""
    return clause.first or any(w in FIRST_OF_ALL for w in takewhile(lambda w: w in LEADING_FILLER, words(clause.text)))


def _granted_by_its_own(goal: Goal, after: list[Goal]) -> bool:
    """A step taken for granted whose best tool is the one the clause after it gets: that tool does both."""
    best = goal.ranked[0].tool if goal.ranked else None
    return goal.clause.granted and any(a.ranked and a.ranked[0].tool == best for a in after)


# Nouns that say only "an attempt": "give it a shot", "have a go at it", "take a stab at it".
ATTEMPT_NOUNS = frozenset("shot try go whirl stab crack attempt".split())


def attempts_only(goal: Goal) -> bool:
    """A figure of speech that says only "try it" ("Let's give it a shot!"): an attempt noun after "a",
    verbs that only say "do", no data and nothing to make. It asks for the request's other work and is
    no sub-goal of its own; "get me a pizza" names a thing, and stays a sub-goal nothing serves."""
    lowered = words(goal.clause.text)
    if goal.own or goal.wants or not any(a == "a" and w in ATTEMPT_NOUNS for a, w in pairwise(lowered)):
        return False
    return all(base_verb(w) in GENERIC_VERBS or w in ATTEMPT_NOUNS for w in goal.keywords)


def appeals_only(goal: Goal) -> bool:
    """A closing appeal that adds no work: "Could you figure it out?", "Can you take care of it for me?",
    "Can you help me with this task?", "Do your best!". Every word but the stop words and references
    back only says "do it" (``APPEAL_WORDS``), and it has no data of its own and asks for no kind of
    data: it asks for the request's other work. "Get me a pizza", "sort the list" name something."""
    if goal.own or goal.wants or goal.question:
        return False
    lowered = words(PLACEHOLDER.sub(" ", goal.clause.text))
    said = [w if w in APPEAL_WORDS else base_verb(w) for w in lowered if w not in STOP_WORDS | ANAPHORA]
    if not said or not all(w in APPEAL_WORDS for w in said):
        return False
    return not APPEAL_IDIOMS & set(said) or bool(IDIOM_ENDS & set(lowered))  # "sort them" is work


Rankings = dict[tuple[object, ...], tuple[list[Ranked], bool]]


def _rank(goal: Goal, index: ToolIndex, before: Rankings | None = None) -> None:
    """Rank the tools for a sub-goal (``_rank_anew``). With ``before``, a sub-goal ranked already with the
    same words ("and a video of a dog" a thousand times) takes that ranking: each costs a search of the
    index and the encoder's comparison with every tool otherwise."""
    key = _ranking_key(goal)
    if before is not None and key in before:
        ranked, goal.served = before[key]
        goal.ranked = list(ranked)
        return
    _rank_anew(goal, index)
    if before is not None:
        before[key] = (list(goal.ranked), goal.served)


def _rank_as_described(goal: Goal, index: ToolIndex, described: Sequence[str]) -> None:
    """A sub-goal on the user's data that its own words serve poorly ("extract the data from the image",
    "decipher the due date in it") is ranked again with what a context sentence said that data is ("an image
    of a table", "a document image"): a table or document reader, not any reader of images."""
    if not described or set(described) & set(goal.query) or (goal.served and goal.ranked[0].coverage >= CONFIDENT):
        return
    wider = replace(goal, query=[*goal.query, *described], keywords=[*goal.keywords, *described])
    _rank_anew(wider, index)
    if wider.served:
        goal.ranked, goal.served = wider.ranked, True


def _ranking_key(goal: Goal) -> tuple[object, ...]:
    """What ranking a sub-goal reads (``_rank_anew``, ``_served``)."""
    return (goal.question, *map(tuple, (goal.keywords, goal.query, goal.wants, goal.head)), goal.meaning,
            frozenset(goal.subject), goal.unnamed, goal.action)  # fmt: skip


def _rank_anew(goal: Goal, index: ToolIndex) -> None:
    """Rank the tools for a sub-goal by its words; by meaning as well when the words serve it poorly
    ("condense it" for a summariser) or the registry is embedded whole (``ToolIndex.embeds_all``): in
    a big registry most requests name what they want and never load the model.
    A question is ranked by its own words first: "how similar are A and B?" names what to do, and
    only a question whose words no tool covers well is for a tool that answers questions."""
    if goal.question:
        # "Is this review negative?": the review is what is judged, "negative" the judgement a tool's words say
        subject = judged(goal.clause.text)
        said = [w for w in goal.keywords[:-2] if w not in subject] or goal.keywords[:-2]
        own = replace(goal, keywords=said, query=_query_of(said, index), question=False)
        _rank_anew(own, index)
        own.ranked = _answers_told(goal, own.ranked, index)
        own.served = bool(own.ranked) and _served(own, own.ranked[0], index)
        if own.served and (own.ranked[0].coverage >= CONFIDENT or _given_two_for(goal, own.ranked[0].tool, index)):
            goal.ranked, goal.served = own.ranked, True
            return
    if not goal.wants and all(base_verb(w) in GENERIC_VERBS - MAKING_VERBS for w in goal.keywords):
        # "figure it out", "check that": nothing says what; the encoder would find a "figure" in an image tool
        goal.ranked, goal.served = [], False
        return
    whole = index.embeds_all()  # every tool's vector is at hand: meaning ranks beside the words throughout
    # the kind of data it works on ("interpret the image x.jpg") says which tools can take it, which data
    # types weigh (``choice.fit``), not which does the work: a tool saying "image" most is not the best
    worked_on = {t for kind in goal.subject - set(goal.wants) for t in _kind_terms().get(kind, ())}
    worked_on |= set(terms(" ".join(goal.placing)))
    rest = [t for t in goal.query if t not in worked_on]
    query = rest if set(rest) - weak_terms(index) else goal.query
    goal.ranked = _not_opposed(
        goal, rank(index, query, (), goal.wants, text=goal.meaning if whole else "", unnamed=goal.unnamed), index
    )
    if goal.ranked and not set(goal.ranked[0].matched) - weak_terms(index) and (_finds_out(goal) or _no_media(goal)):
        # "interpret the image", "describe the image": no word of it but "image" is any tool's, and meaning alone put an
        # image transformer first; what is found out is told, not a picture or a sound made. Nor is media made where
        # the words name none: "providing some creative suggestions" went to a picture generator by meaning alone
        goal.ranked = [r for r in goal.ranked if not _makes_media_only(index.card(r.tool))] or goal.ranked
    goal.ranked = _answers_told(goal, goal.ranked, index)
    goal.served = bool(goal.ranked) and _served(goal, goal.ranked[0], index)
    if not whole and (not goal.served or goal.ranked[0].coverage < CONFIDENT):
        by_meaning = _not_opposed(
            goal, rank(index, goal.query, (), goal.wants, text=goal.meaning, unnamed=goal.unnamed), index
        )
        if by_meaning:
            goal.ranked = by_meaning
            goal.served = _served(goal, by_meaning[0], index)
    if not goal.served and _text_work(goal) in _MORE_TEXT and not set(_MAKING_MORE) <= set(goal.query):
        # "elaborate on @p0", "draw out more content": no tool says it, and making more of a text is making new text
        # (a text generator's words share none of it); never by a tool whose work is the opposite (a summariser)
        more = replace(goal, query=[*goal.query, *_MAKING_MORE])
        _rank_anew(more, index)
        kept = [r for r in more.ranked if makes(index.card(r.tool), "text")]
        if kept and more.served and kept[0] is more.ranked[0]:
            goal.ranked, goal.served = kept, True


# Verbs of finding something out or telling it: what they give is an answer, said in words ("interpret the image",
# "describe it", "figure out the main theme of it"), unless a tool's words say the finding ("figure out the depth": a
# depth map).
FINDING_OUT_VERBS = frozenset(
    "identify interpret figure determine discern recognise recognize ascertain describe explain".split()
)


# Finding out said by a noun or a verb of no work after a verb that only hands something over: "give me an
# understanding of @p0", "help me understand @p0", "I'd like to know what @p0 shows".
FINDING_OUT_NOUNS = frozenset(
    "understanding explanation description interpretation identification determination recognition".split()
)
FINDING_OUT_WORDS = FINDING_OUT_VERBS | FINDING_OUT_NOUNS | {"understand", "know", "learn"}
HANDING_VERBS = frozenset("give get provide offer tell".split())


def _query_of(keywords: Sequence[str], index: ToolIndex) -> list[str]:
    """The terms ranking a sub-goal: its words' but those of a word no tool says whose plain word (``SAME_AS``) is
    among them. The two are one piece of information: counted apart, the unknown word's full weight stood as what
    no tool covers, and "What category is @p0?" went to a question answerer, not the image classifier."""
    said = set(keywords)
    kept = [w for w in keywords if SAME_AS.get(w) not in said or any(map(index.known, terms(w)))]
    return terms(" ".join(kept))


def _answers_told(goal: Goal, ranked: list[Ranked], index: ToolIndex) -> list[Ranked]:
    """A question's tools without those making only a picture or a sound its words do not name: an answer is told
    ("What is this sound @p0?" went to a sound changer; "how deep is the lake in @p0?" keeps a depth map maker)."""
    if not goal.question or set(goal.wants) & MEDIA_KINDS:
        return ranked
    asked = set(goal.query) - {t for found in _kind_terms().values() for t in found}  # "this sound" names no work
    kept = [r for r in ranked if not _makes_media_only(index.card(r.tool)) or index.name_terms_of(r.tool) & asked]
    return kept or ranked


def _no_media(goal: Goal) -> bool:
    """Whether a sub-goal names no medium at all and has no data of its own: none it makes or works on, no word for
    one, no verb making one ("illustrate"), and no "it" that may be one an earlier step made. (Data of its own, its
    kinds weigh in the choice: "type 'ls' in the terminal" has a command.)"""
    if goal.wants or goal.refers_back or goal.own or goal.subject:
        return False
    said = words(PLACEHOLDER.sub(" ", goal.clause.text))
    return not any(TYPE_WORDS.get(w) in MEDIA_KINDS or base_verb(w) in MAKES_KIND for w in said)


def _finds_out(goal: Goal) -> bool:
    """Whether a sub-goal finds something out, said before its first verb of work that is not a handing over, and
    it names no kind of data to make."""
    if goal.wants:
        return False
    for word in words(goal.clause.text):
        verb = base_verb(word)
        if verb in FINDING_OUT_WORDS:
            return True
        if verb in VERBS and verb not in HANDING_VERBS:
            return False
    return False


# The terms of a tool's words that say it changes what it is given ("modify an image", "transforming a source image").
CHANGE_TERMS = frozenset(
    terms(" ".join(CHANGING_VERBS | {"edit", "editing", "transform", "transforming", "modifying"}))
)


def _changes_media(card: ToolCard | None) -> bool:
    """Whether a tool changes media as words tell it: it takes them and an instruction and makes media only, saying
    it changes (an editor, not a depth estimator)."""
    return (
        _makes_media_only(card)
        and card is not None
        and "text" in card.input_types
        and bool(set(card.input_types) & MEDIA_KINDS)
        and bool(does(card) & CHANGE_TERMS)
    )


def _editors(index: ToolIndex, kinds: AbstractSet[str]) -> list[Ranked]:
    """The tools saying they change media and making one of ``kinds``, best first by their words of change."""
    found = rank(index, sorted(CHANGE_TERMS))
    return [r for r in found if _changes_media(index.card(r.tool)) and any(makes(index.card(r.tool), k) for k in kinds)]


def _makes_media_only(card: ToolCard | None) -> bool:
    """Whether a tool makes media and nothing else (a picture, a sound); one saying no output is no such tool."""
    return card is not None and bool(card.output_types) and set(card.output_types) <= MEDIA_KINDS


def _media_changed(goal: Goal, there: AbstractSet[str]) -> frozenset[str]:
    """The kinds of media a clause changes by a state said or a part taken away ("make the sky in @p0 darker",
    "modify the objects in @p0 to green"): those it works on, else the one kind of media named or made before it
    ("..., then make the background white"); none for any other clause."""
    text = goal.clause.text
    if goal.clause.context:
        return frozenset()
    own = frozenset(MEDIA_KINDS & (goal.subject | {t for d in goal.works_on for t in types_of(d)}))
    if own and made_over(text, own):
        return own
    if not change_said(words(PLACEHOLDER.sub(" ", text)), text):
        return frozenset()
    if own:
        return own
    before = MEDIA_KINDS & there
    return frozenset(before) if len(before) == 1 else frozenset()


PICTURE = frozenset({"image"})
TEXT = frozenset({"text"})


def _asks_of_a_picture(goal: Goal, there: AbstractSet[str]) -> bool:
    """Whether a question on no data of its own is about a picture: its words (a quoted question's too) name one or
    what only one shows (a colour), and a picture was named or made before it. Its answer is seen in the picture, not
    read in a text a step before made of it."""
    if goal.clause.context or not (goal.question or _asks(goal.clause)):
        return False
    quoted = [d for d in goal.works_on if isinstance(d.value, str) and is_a_question(d.value)]
    own = {t for d in goal.works_on if not any(d is q for q in quoted) for t in types_of(d)}
    if "text" in own or PICTURE & (own | goal.subject) or not PICTURE & there:
        return False  # a question on a picture of its own is fed it already ("what is in @p0?")
    asked = [goal.clause.text, *(str(d.value) for d in quoted)]
    return any(TYPE_WORDS.get(w) == "image" or w in SEEN_WORDS for text in asked for w in words(text))


def _not_opposed(goal: Goal, ranked: list[Ranked], index: ToolIndex) -> list[Ranked]:
    """The tools ranked less those whose words say the opposite of the sub-goal's verb: "expand the summary" ranked
    the summariser first and folded the step into the summary as the same work said again. Once one is passed over,
    those after it serve by a word of the sub-goal they say, not by meaning alone, which is what found the opposite
    ("draw out more content from the summary" then went to a similarity scorer)."""
    if _finds_out(goal):
        # "figure out the depth of the objects in @p0": an editor "modifying ... the colour of an object" was found by
        # "object"; what is found out leaves the picture as it is
        ranked = [r for r in ranked if not _changes_media(index.card(r.tool))]
    action = _text_work(goal)
    if action is None or action not in OPPOSITE_WORK:
        return ranked
    kept = [r for r in ranked if (card := index.card(r.tool)) is None or not opposes(action, does(card))]
    if len(kept) == len(ranked):
        return ranked
    weak = weak_terms(index)
    return [r for r in kept if set(r.matched) - weak]


def _presented_to_the_question(goals: list[Goal], clause: Clause, goal: Goal) -> bool:
    """Whether a clause presenting texts ("given the passage @q0") ends the sentence of the question just before it
    ("Who wrote the book, given ...?"): then they are its context, and its own words the question."""
    if not goals or clause.sentence != goals[-1].clause.sentence or not goals[-1].clause.question:
        return False
    asking = goals[-1]
    if any(d.kind == "query" or "text" in types_of(d) for d in asking.own):
        return False
    question = f"{asking.clause.text.strip().rstrip('?')}?"
    asking.own = [*goal.works_on, *asking.own, DataItem(kind="query", value=question)]
    asking.subject |= {t for d in goal.works_on for t in types_of(d)}
    return True


_A_NUMBER = lazy_compile(r"[+-]?\d[\d,]*(?:\.\d+)?")

# Words that say a question is about two things: "how much these two sentences have in common".
TWO_WORDS = frozenset("two both pair couple".split())


def _given_two_for(goal: Goal, tool: str, index: ToolIndex) -> bool:
    """Whether a question names two things of a kind its own words' tool takes two of ("how much do 'A' and
    'B' have in common?", "how close are these two sentences?"): that tool answers it, not a tool that
    answers any question from one text."""
    card = index.card(tool)
    pairs = {kind for kind in card.input_types if card.input_types.count(kind) > 1} if card is not None else set()
    return _two_named(goal.keywords, goal.own, goal.sent, pairs)


def _likeness_asked(
    plain: str,
    lowered: list[str],
    keywords: Sequence[str],
    own: Sequence[DataItem],
    sent: Sequence[DataItem],
    described: AbstractSet[str],
    made: frozenset[str],
) -> frozenset[str] | None:
    """The words naming an earlier result compared (maybe none), when a clause asks how alike two things are: a word of
    likeness, and two things named (two of its data, "both", "each other", one of its data and an earlier result:
    "check if the summary matches 'B'", or two earlier results); None when it does not."""
    if (LIKENESS_WORD not in keywords and not LIKENESS.search(plain)) or RULE_WORDS.intersection(lowered):
        return None
    earlier = frozenset(w for w in lowered if w not in KIND_NAMES and w not in STOP_WORDS and stem(w) in made)
    if _two_named(keywords, own, sent) or EACH_OTHER.search(plain) or (own and (described or earlier)):
        return earlier
    if not own and len(earlier | described) > 1:
        return earlier  # two earlier results: "check if the summarized text matches the answer"
    return None


def _two_named(
    keywords: Sequence[str], own: Sequence[DataItem], sent: Sequence[DataItem], kinds: AbstractSet[str] | None = None
) -> bool:
    """Whether a clause names two things ("two" / "both" / "pair" in its words, or two of its data of a kind,
    of ``kinds`` if given): not where a result goes."""
    given = [kind for d in own if not any(d is s for s in sent) for kind in types_of(d)[:1]]
    return (kinds is None or bool(kinds)) and (
        bool(TWO_WORDS & set(keywords)) or any(given.count(kind) > 1 for kind in (given if kinds is None else kinds))
    )


# The words of a lead-in that presents data for the work after it and says no "give" or "use" ("Given the text
# 'X', ..." does): "based on notes.txt", "considering x.csv".
PRESENTING_WORDS = frozenset({"based", "considering"})


def presents_data(goal: Goal) -> bool:
    """A clause that only presents data ("Based on the text 'X', answer 'Y'", "Given the photo x.jpg,
    ..."): it has data of its own, asks for no kind, and its words only name the kinds of that data,
    numbers, or a verb that says "give" or "use" as a participle ("given", "provided"). It is no
    sub-goal (a tool its words find is found by the kind alone); its data is there for the work."""
    own = {t for d in goal.works_on for t in types_of(d)}
    if not own or goal.wants:
        return False
    for word in goal.keywords:
        done = word.endswith(("ed", "en")) and any(v in GENERIC_VERBS for v in (word[:-1], word[:-2], base_verb(word)))
        if not (done or word in PRESENTING_WORDS or word in NUMBER_WORDS or TYPE_WORDS.get(word) in own):
            return False
    return True


@cache
def _kind_terms() -> dict[str, frozenset[str]]:
    """Per kind of data, the terms of the words for it ("photo", "picture" -> image)."""
    out: dict[str, set[str]] = {}
    for word, kind in TYPE_WORDS.items():
        out.setdefault(kind, set()).update(terms(word))
    return {kind: frozenset(found) for kind, found in out.items()}


def _served_by_types(goal: Goal, index: ToolIndex, made: Iterable[str]) -> None:
    """A plain paraphrase ("read the description aloud") shares no specific word with the tool that
    does it (text-to-speech), and its meaning may stand only a little above the rest. It is served
    when data types agree as well: ranked with what the step has and what earlier steps make, the
    best tool makes the kind of data the step asks for, can take what is there, is closer in meaning
    than the median tool, and stands clearly above the next. Not a built-in: its words are general."""
    if not goal.wants:
        return  # every tool makes something: without a kind asked for, types do not tell
    available = sorted(goal.subject | set(made))
    ranked = rank(index, goal.query, available, goal.wants, text=" ".join(goal.keywords), unnamed=goal.unnamed)
    if not ranked:
        return
    best, runner = ranked[0], ranked[1] if len(ranked) > 1 else None
    fits = best.makes and (best.takes or not available)
    clear = runner is None or best.relevance >= CLEAR_LEAD * runner.relevance
    close = best.similarity >= SEMANTIC_MIN and best.margin >= TYPED_MARGIN
    if fits and clear and close and best.tool not in index.general:
        goal.ranked, goal.served = ranked, True


def _served_by_data(goal: Goal, index: ToolIndex) -> None:
    """A verb no tool's words hold ("execute 'ls'", "launch 'ls'" where the tool says "run") found nothing.
    The step is served when its data leave one tool: the only one that takes the kind of something the step
    was given (a command, a URL) and makes what it asks for, if it asks, and the verb's meaning stands closer
    to that tool than to the median tool ("translate http://..." with the built-ins is no fetch); a verb that
    only says "do" ("get http://...") leaves it to the data alone."""
    kinds = {types_of(d)[0] for d in goal.works_on if types_of(d)}
    verb = next(iter(goal.keywords), "")
    if not kinds or not is_verb(verb) or len(index.docs) > EMBED_ALL:
        return  # a registry too big to compare whole: its words find the tool, or the step is missing
    takers = [
        n
        for n, doc in enumerate(index.docs)
        if kinds & set(doc.card.input_types) and (not goal.wants or set(goal.wants) & set(doc.card.output_types))
    ]
    if len(takers) != 1 or opposes(stem(base_verb(verb)), does(index.docs[takers[0]].card)):
        return
    cosine, median = 0.0, 0.0
    if not all(base_verb(w) in GENERIC_VERBS for w in goal.keywords):  # "get http://...": only data says what
        compared = index.similarities([" ".join(goal.keywords)], small=True)
        if compared is None:
            return
        numbers, matrix = compared
        sims = matrix[0].tolist()
        median, cosine = sorted(sims)[len(sims) // 2], sims[numbers.index(takers[0])]
    if cosine - median >= TYPED_MARGIN or cosine == median == 0.0:
        name = index.docs[takers[0]].card.name
        goal.ranked = [Ranked(name, 1.0, 0.0, 0.0, True, bool(goal.wants), (), cosine, cosine - median)]
        goal.served = True


def _served(goal: Goal, best: Ranked, index: ToolIndex) -> bool:
    return served_by(best, index, goal.action, goal.head, weak_terms(index))


def _other_kinds_only(goal: Goal) -> bool:
    """Whether a clause works only on files it names, all of a known kind of content, and nothing made before it."""
    files = goal.works_on
    return bool(files) and not goal.refers_back and all(d.kind == "path" and _content_kind(d) for d in files)


def _content_kind(item: DataItem) -> str | None:
    kind = next(iter(types_of(item)), None)
    return kind if kind in ("text", *MEDIA_KINDS) else None


# A file of each kind of media, standing for the one of that kind named before a clause that names none.
_STAND_INS = {"image": "x.png", "audio": "x.wav", "video": "x.mp4"}


def _a_named_kind_taken_away(goal: Goal, text: str) -> bool:
    """Whether a clause naming no file takes away whole a file of a kind named before, said by its kind
    ("Transcribe talk.wav, then remove the audio"): talk.wav goes, as with the built-ins alone; ranked first, a
    denoiser found by "remove" and "audio" was refused and the delete asked with a tool serving the clause."""
    stand_ins = [DataItem(kind="path", value=_STAND_INS[k]) for k in sorted(goal.named_before & _STAND_INS.keys())]
    return not goal.own and bool(stand_ins) and _taken_away(text, stand_ins) == "file"


def _fits_the_data(goal: Goal, index: ToolIndex, tool: str, text: str, before: frozenset[str] = frozenset()) -> bool:
    """Whether a tool may do a clause's work on the files it names: one taking an image or a sound none of them is
    was found by a stray word ("remove", "comments"), unless its name says the verb ("caption talk.wav" is
    captioning, asked what to caption); one taking a file whole does not take a part of it away."""
    card = index.card(tool)
    if card is None:
        return False
    text = said_as_one_verb(text)  # "get rid of the comments in @p0" takes a part away as "remove" does
    if files_taken_away(text) or _a_named_kind_taken_away(goal, text):
        return takes_files_away(card)
    kinds: set[str | None] = {_content_kind(d) for d in goal.works_on} if _other_kinds_only(goal) else set()
    unsaid_part = EDIT_WORD not in goal.keywords and _taken_away(text, []) == "part"  # not "... of the photo"
    if not goal.works_on and not goal.refers_back and unsaid_part and before & MEDIA_KINDS:
        # "Caption photo.jpg. Remove the background.": a part of the data named or made before (a picture), not of
        # a sound no one named (a denoiser was found by "background"); nor by a tool told how by a text, which was
        # told the caption: missing, as "Remove the car." is ("Transcribe talk.wav. Remove the noise." denoises)
        if "text" in card.input_types:
            return False
        kinds = set(before & MEDIA_KINDS)
    if not _takes_their_format(card, goal.works_on):
        return False
    named = goal.action is not None and goal.action in index.name_terms_of(tool)
    if kinds and set(card.input_types) & MEDIA_KINDS - kinds and not named:
        return False
    media = {k for k in kinds if k is not None}
    if media and media <= MEDIA_KINDS and not _takes_by_name(card, media | {"path", "file"}):
        # the medium decides: "Transcribe talk.wav" (third_party, no transcriber) chose translate_text by "trans".
        # A tool taking text is given text made of the sound where a tool makes it (a transcriber bridged in for
        # "summarize talk.wav"); where none does, only one saying the verb may do it: none, the step is missing
        made = any(_takes_by_name(d.card, media) and "text" in d.card.output_types for d in index.docs)
        if not made and goal.action not in does(card):
            return False
    said = _kinds_said(text) if not goal.works_on and not goal.refers_back and part_taken(text) else set()
    if said and set(card.input_types) & MEDIA_KINDS and not set(card.input_types) & said and not named:
        # the medium the clause names decides: "Read a.txt. Then remove the text" found a denoiser by "remove",
        # and text is no sound (plan214): missing, never a tool working on another medium
        return False
    kinds = kinds or set(said)  # "remove the text": a text tool saying no taking away does not take a part of it
    if unsaid_part and not kinds and not goal.works_on and not goal.refers_back and not _takes_text_or_said(card, text):
        # "Remove the duplicates" (media): of no picture nor sound named or said, a denoiser found by "remove" takes
        # away the noise its description says, not duplicates: it asked for audio the user never named
        return False
    if not part_taken(text):
        return True
    if takes_files_away(card):
        return False  # delete_file would delete the file the part is taken from
    # "strip the comments from main.py": a text tool that says no taking away (a sentiment classifier) was found
    # by meaning alone; so with nothing named ("Strip the comments": a part of no picture nor sound said)
    return bool(kinds - {"text", None}) or bool(TAKING_AWAY & does(card))


def _takes_text_or_said(card: ToolCard, text: str) -> bool:
    """Whether a tool taking a part away takes a text, or says the part the clause takes away ("Remove the noise":
    "Remove background noise"), when the clause names nothing it is taken from."""
    if "text" in card.input_types or not set(card.input_types) & MEDIA_KINDS:
        return True
    said = set(terms(" ".join((card.name, card.description))))
    lowered = words(PLACEHOLDER.sub(" ", text))
    return bool(set(terms(" ".join(w for w in lowered[1:] if w not in STOP_WORDS))) & said)


def _takes_their_format(card: ToolCard, files: list[DataItem]) -> bool:
    """Whether a tool taking files of a format by its name ("pdf": pdftotext) takes the files named: "Convert clip.mp4
    to gif" (third_party) chose pdf_to_text, which takes a path, and ran it on the film (then "remove it" deleted it).
    A file of no format it names, nor of a kind of content it takes ("text", "html": extract_text), is no file it
    reads; a tool naming no format takes any."""
    takes = set(card.input_types)
    if not {"path", "file"} & takes:
        return True  # a format of data it is given ("json": http_request's body), not of a file it reads
    named = {str(d.value).rsplit(".", 1)[-1].lower() for d in files if d.kind == "path" and "." in str(d.value)}
    known = named & FILE_TYPES.keys()
    return not takes & FILE_TYPES.keys() or not known or any(f in takes or FILE_TYPES[f] in takes for f in known)


def _takes_by_name(card: ToolCard, kinds: set[str]) -> bool:
    """Whether a tool takes one of ``kinds``, by name or in a name ("image_url" takes a picture)."""
    return any(k in t for t in card.input_types for k in kinds)


def _kinds_said(text: str) -> set[str]:
    """The kinds of content a clause names by their words ("the text", "the recording")."""
    said = {TYPE_WORDS.get(word) for word in re.findall(r"[a-z]+", text.lower())}
    return {kind for kind in said if kind in ("text", *MEDIA_KINDS)}


# What a tool taking a file whole says for taking it away, and what one taking a part away may say.
TAKEN_WHOLE = frozenset(terms(" ".join(WHOLE_FILE_VERBS["delete"])))
TAKING_AWAY = frozenset(terms(" ".join([*TAKING_AWAY_VERBS, EDIT_WORD])))


def takes_files_away(card: ToolCard | None) -> bool:
    """Whether a tool takes a file whole and takes it away (delete_file): no way to take a part out of it."""
    return card is not None and bool({"path", "file"} & set(card.input_types)) and bool(TAKEN_WHOLE & does(card))


def _storing_verb(goal: Goal) -> str | None:
    """The term of the storing verb a sink opens with ("store", "write"): ``action_of`` leaves out "write", a verb
    too common to choose a tool by, which is the one thing a sink's tool must do."""
    if not goal.sink:
        return None
    lowered = words(PLACEHOLDER.sub(" ", goal.clause.text))[:2]
    verbs = (base_verb(w) for w in lowered)
    return next((stem(SAME_AS.get(v, v)) for v in verbs if v in SINK_VERBS), None)  # "copy": "save"


# A file a storing verb takes, with somewhere said after it that was read as no file ("copy @p0 to ../x", "write @p0
# to the server"): what is stored, not where, whatever else the clause says. The verb is checked by ``base_verb``.
_STORED_ELSEWHERE = lazy_compile(
    r"\b([a-z]+)\s+(?:(?:the|my|this|that|file)\s+){0,3}@p(\d+)\s+(?:to|into|onto|over)\s+(?!@p\d)", re.IGNORECASE
)


def stored_elsewhere(text: str) -> list[int]:
    """The numbers of the files ``text`` (placeholders in) stores somewhere said in words, not as a file."""
    return [int(m.group(2)) for m in _STORED_ELSEWHERE.finditer(text) if base_verb(m.group(1).lower()) in SINK_VERBS]


def _served_by_a_storer(goal: Goal, stored: str, index: ToolIndex) -> None:
    """A clause storing somewhere ("store the summary in @p1", "write @p0 to @p1") is done by a ranked tool that says
    its verb: the summariser, ranked first by "the summary", left the step unserved and put first, given nothing;
    delete_file, found by the paths, deleted both files."""
    storers = [r for r in goal.ranked if (card := index.card(r.tool)) is not None and _stores_so(card, stored)]
    if goal.served:
        goal.ranked = storers or goal.ranked
        goal.served = _served(goal, goal.ranked[0], index)
    elif storers and (_served(goal, storers[0], index) or _told_so((index.card(storers[0].tool)), stored)):
        goal.ranked, goal.served = storers, True


def _stores_so(card: ToolCard, stored: str) -> bool:
    """Whether a tool says it stores as ``stored`` says: by its own words, or a writer by a mode it is told ("list
    the files and append them to files.txt": write_file's ``mode`` appends; with the built-ins alone it was refused)."""
    return stored in does(card) or _told_so(card, stored)


def _told_so(card: ToolCard | None, stored: str) -> bool:
    """Whether a writer is told by its ``mode`` to store as ``stored`` says ("append")."""
    modes = [p for p in card.inputs if p.name == "mode"] if card is not None else []
    return card is not None and stem("write") in does(card) and any(stored in terms(p.description) for p in modes)


def does(card: ToolCard) -> frozenset[str]:
    """The terms of what a tool says it does: its name, capabilities and description (not what its
    parameters take or return), without what its description says happens only under a condition or is
    not done ("on timeout everything it started is killed", "pipes ... are not interpreted"): "kill 'ls'"
    ran ls in the shell."""
    described = ASIDE.sub(" ", NOT_ITS_WORK.sub(" ", card.description))
    return frozenset(terms(" ".join((card.name, *card.capabilities, described))))


# An aside in a description naming how the work is done or another tool ("atomic (temp file + rename)", "(the undo
# of write_file)"): no work of the tool's own ("rename notes.txt" chose write_file, "write @p0 to @p1" delete_file).
ASIDE = lazy_compile(r"\([^()]*?(?:\+|\b[a-z0-9]+_[a-z0-9_]+\b)[^()]*\)", re.IGNORECASE)


# Prefixes that turn a verb into its opposite ("upload" / "download", "encrypt" / "decrypt", "unzip" / "zip").
OPPOSITE_PREFIXES = (("up", "down"), ("down", "up"), ("en", "de"), ("de", "en"), ("im", "ex"), ("ex", "im"), ("un", ""))


# Work that makes more of a text and work that makes less of it: "draw out more content" (elaborate) went to a
# summariser, whose words and meaning are nearest to anything said of a text's content.
_MORE_TEXT = frozenset(terms("elaborate expand lengthen"))
_LESS_TEXT = frozenset(terms("summarize summary shorten shorter condense abridge"))
OPPOSITE_WORK = {**dict.fromkeys(_MORE_TEXT, _LESS_TEXT), **dict.fromkeys(_LESS_TEXT, _MORE_TEXT)}
_MAKING_MORE = terms("generate new text")  # what making more of a text is, in the words tools say it
_ELABORATE = terms("elaborate")[0]
# "more" before what a text holds: "generate more text about @p0" makes more of it, as "elaborate" does
_MORE_OF = lazy_compile(r"\bmore\s+(?:text|content|words|details?|information)\b", re.IGNORECASE)


def _text_work(goal: Goal) -> str | None:
    """The term of a sub-goal's verb, or "elaborate"'s where it asks for more of a text in other words."""
    if goal.action in OPPOSITE_WORK or not _MORE_OF.search(goal.clause.text):
        return goal.action
    return _ELABORATE


def opposes(action: str, said: AbstractSet[str]) -> bool:
    """Whether a sub-goal's verb (a term) is the opposite of what a tool says it does, and not also said:
    "upload http://..." was given the fetcher, whose words say "download" and whose meaning is near."""
    if action in said:
        return False
    if said & OPPOSITE_WORK.get(action, frozenset()):
        return True
    turned = [b + action[len(a) :] for a, b in OPPOSITE_PREFIXES if action.startswith(a) and len(action) > len(a) + 2]
    return any(t in said or stem(t) in said for t in turned)  # "download" is the term "downloa"


# What a description says happens to a run under a condition, or is not done: no work the tool does.
NOT_ITS_WORK = lazy_compile(
    r"(?:^|(?<=[;,.:(]))\s*(?:on\s+(?:timeout|failure|error|errors|cancel\w*|exit)|if|when|whenever|unless)\b[^;,.:()]*"
    r"|(?:^|(?<=[;.:(]))[^;.:()]*?\b(?:is|are|was|were|be|been|gets?)\s+(?:not|never)\s+[a-z]+",
    re.IGNORECASE,
)


# Words that say how many, never what to do: "a table for two" is no reason for a tool that scores how
# similar "two sentences" are.
NUMBER_WORDS = frozenset(
    """two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred thousand
    million billion dozen couple twice""".split()
)
NUMBER_TERMS = frozenset(terms(" ".join(NUMBER_WORDS)))


def weak_terms(index: ToolIndex) -> frozenset[str]:
    """Terms that say little about which tool: data-type names, verbs that only say "do" or "make", and
    numbers."""
    return index.type_terms | GENERIC_TERMS | NUMBER_TERMS


# Verbs that, to a URL, say what "post" says: "email" or "mail" to one is no web form's work. "submit", "push",
# "forward" and "share" store nothing elsewhere (no `SINK_VERBS`): only a URL said after them makes them a send
# ("submit it to https://x/u" found no tool, "share the summary with Ann" is no POST).
SENT_TO_A_URL = frozenset({"send", "upload", "submit", "publish", "push", "forward", "deliver", "share"})


def goal_of(clause: Clause, extracted: Extracted, index: ToolIndex, made: frozenset[str] = frozenset()) -> Goal:
    """A clause's words, data and data roles (not yet ranked); ``made``: the name terms of the tools
    of the sub-goals before it, whose results a noun of the clause may name (``RESULT_NOUN``)."""
    text = clause.text
    own = extracted.items_in(text)
    # "write them to x.json": a destination when the clause asks for work; "I saved it as x.jpg" names data.
    work = clause.asked and not clause.context
    sent = extracted.sent_in(text) if work else []
    if work and base_verb(next(iter(content_words(text)), "")) in MAKING_VERBS:
        # "create an image named x.jpg": the name of what the step makes, not data to work on
        sent += [d for d in extracted.items_in(" ".join(NAMED_OUTPUT.findall(text))) if d not in sent]
    plain = PLACEHOLDER.sub(" ", text)
    lowered = words(plain)
    # "the translated text", "the enhanced audio": a participle after a determiner names what an
    # earlier step made, not what this one does.
    described = {w for prev, w in pairwise(lowered) if prev in DETERMINERS and w.endswith("ed")}
    # "a summary of the French translation": what an earlier step (a translator) made, not work to do
    described |= {
        w
        for n, w in enumerate(lowered[2:], 2)
        if w.endswith(RESULT_NOUN) and stem(w) in made and OF_THE & set(pairwise(lowered[n - 3 : n]))
    }
    described |= _earlier_result_object(lowered, made)  # "compare the summary with 'B'" after a summariser
    # "explain what @q0 removes": a question about what it does, no removing asked (a denoiser was fed it spoken); of
    # a file ("explain what @p0 removes") the file is read for it (`planning.unasked_effects`), found by its verb
    told_of = set() if any(d.kind == "path" for d in own) else _told_of(lowered)
    described |= told_of
    keywords = [w for w in content_words(plain) if w not in REQUEST_NOISE and w not in described]
    # "describe the summary", "describe notes.txt": a text is no picture to caption
    of_text = bool(described) or any(types_of(d)[:1] == ["text"] for d in own)
    # "describe the objects in photo.jpg": a part of the picture, which a finder of such parts tells
    of_a_part = any(w not in TYPE_WORDS and w not in SAME_AS for w in keywords)
    keywords += [
        SAME_AS[w]
        for w in dict.fromkeys(keywords)
        if w in SAME_AS
        and SAME_AS[w] not in keywords
        and not (of_text and SAME_AS[w] in MEDIA_ONLY_SAME_AS)
        and not (of_a_part and SAME_AS[w] in WHOLE_MEDIA_SAME_AS)
    ]
    taken = taking_away_said(plain)
    if taken:
        # "get rid of @p0", "throw it away": one verb, in the word a tool says ("get" and "throw" found none)
        keywords = [TAKING_AWAY_WORD, *(w for w in keywords if w not in taken and w != TAKING_AWAY_WORD)]
    if work and DELETE_WORD not in keywords and _taken_away(extracted.show(text), own) == "file":
        # "remove it", "remove each of them": a file whole goes, in a deleter's word ("remove" found a denoiser)
        keywords = [DELETE_WORD, *(w for w in keywords if w not in TAKING_AWAY_VERBS)]
    if lowered[:1] and base_verb(lowered[0]) in _RUN_SYNONYMS and lowered[0] in keywords:
        # "execute setup.sh": the word a tool running programs says ("run"); "execute" found none
        keywords[keywords.index(lowered[0])] = RUN_WORD
    phrasal = " ".join(lowered[:2])
    if " " in phrasal and phrasal in STARTING_VERBS and lowered[0] in keywords:
        # "kick off 'X' in French", "fire up the translation": the verb with its particle says "start", as
        # "start 'X' in French" does; "kick" or "fire" alone name other things ("a forest fire")
        keywords[keywords.index(lowered[0])] = STARTING_WORD
    media = {"image", "audio", "video"} & ({t for d in own for t in types_of(d)} | {TYPE_WORDS.get(w) for w in lowered})
    if EDIT_WORD not in keywords and media and change_said(lowered, text):
        keywords.append(EDIT_WORD)  # "make the sky in photo.jpg darker", "delete the background of photo.jpg"
    # "post-process the image": one word, no "post" (an HTTP POST was planned for it)
    to_a_url = any(d.kind == "url" for d in sent)
    sinks = SINK_VERBS | SENT_TO_A_URL if to_a_url else SINK_VERBS
    sink = any(base_verb(w) in sinks for w in lowered[:2] if not re.search(rf"\b{w}-\w", plain, re.IGNORECASE))
    if sink and to_a_url:
        # "send notes.txt to https://x/u", "upload it to ...": sent to a URL is posted, the word the HTTP tool says
        # (as "send" no tool served it; "upload" was turned from the fetcher as the opposite of "download")
        keywords = ["post" if base_verb(w) in SENT_TO_A_URL else w for w in keywords]
    if sent and sink:
        # "write the summary to x.txt": what is stored names what an earlier step made; the verb and
        # where it goes ("into a file") say what this step does.
        kept = {w for w in words(destinations(text)) if w in TYPE_WORDS}
        keywords = [w for w in keywords if base_verb(w) in SINK_VERBS or w in kept]
    # "what is the main topic?", and questions inside a request: "confirm who wrote it", "find out which ..."
    question = clause.question or any(w in INDIRECT_QUESTION for w in lowered[1:4]) or _asks_to_tell(lowered, index)
    # of a thing it names, "figure out what the elements in @p0 represent" is as much its classifying or describing
    question = question or (not own and _asks_to_find_out(lowered))
    question = question or bool(told_of)
    asks_whether = question or bool(WHETHER_WORDS & set(lowered[:4]))
    likeness = _likeness_asked(plain, lowered, keywords, own, sent, described, made) if asks_whether else None
    if likeness is not None:
        # "how similar is the summary to 'B'?", "check if the summary matches 'B'": measured by a similarity tool (a
        # question answerer was found by "answer"), of the earlier result named, not made again (a summariser twice)
        keywords = [w for w in keywords if w not in likeness and w != LIKENESS_WORD] + [LIKENESS_WORD]
        described |= likeness  # what it compares: it refers back
    elif question:
        keywords += ["answer", "question"]
    # "into a file named x.json" says where the result goes, not what the step works on or makes.
    wants, worked = _data_roles(words(PLACEHOLDER.sub(" ", without_destinations(text))) if work else lowered, index)
    doing = question and _asks_who_is_doing(lowered)
    if doing:
        # "who is speaking?", "what is playing in it?": the sound is asked about, and the answer is text (a speech
        # maker was chosen by "speaking", and read the transcript aloud)
        worked, wants = worked | (set(wants) - {"text"}), [w for w in wants if w == "text"]
    # "illustrate the concept": the kind of data the verb makes is a word of the sub-goal too
    keywords += [kind for kind in made_by_verb(lowered, index) if kind in wants and kind not in keywords]
    # "record an audio clip": the verb is the name of the kind it makes, not the work of the tools that take
    # a recording ("transcribe an audio recording")
    keywords = [w for w in keywords if not (base_verb(w) in KIND_NAMING_VERBS and _names_kind(w, wants))]
    if question and WHICH_OF.match(text):
        # "Which of the two images @p0 and @p1 is brighter?": how many there are to choose from, and their kind the
        # data named says, are no work ("two" found a tool scoring how similar two sentences are, "images" a tool
        # taking each image: objects were detected in both)
        keywords = [w for w in keywords if w not in NUMBER_WORDS and not (own and w in TYPE_WORDS)]
    if any(d.kind == "path" for d in own) and sink:
        worked, wants = worked | set(wants), []  # "write the text to out.txt": the text is stored, not made
    subject = {t for d in own if not any(d is s for s in sent) for t in types_of(d)} | (worked - set(wants))
    refers_back = bool(set(lowered) & ANAPHORA) or bool(described) or (work and _stores_a_result(lowered, own, sent))
    plural = bool(set(lowered) & PLURAL_ANAPHORA)
    specific = [w for w in keywords if base_verb(w) not in GENERIC_VERBS]
    head = [t for t in terms(" ".join(specific))[:HEAD_TERMS] if t not in index.type_terms]
    return Goal(
        clause, own, keywords, _query_of(keywords, index), wants, refers_back, plural, head, subject, sent, sink,
        action_of(keywords), question=question, unnamed=_worked_on_by_name(lowered, index),
        placing=frozenset(placing_words(lowered)),
        originals=_originals(lowered), done_on=_of_object(lowered, index),
        unmade=() if doing else tuple(media_none_makes(without_destinations(text) if work else text, index)),
    )  # fmt: skip


_BEING = frozenset({"is", "are", "was", "were"})


def _asks_who_is_doing(lowered: list[str]) -> bool:
    """Whether a question asks who or what is doing a thing: a question word, then "is" or "are" and a verb in -ing
    ("who is speaking", "what was playing"), whose kind of data is what the question is about, not an answer."""
    at = next((n for n, w in enumerate(lowered) if w in QUESTION_WORDS), None)
    return at is not None and any(a in _BEING and b.endswith("ing") for a, b in pairwise(lowered[at + 1 : at + 4]))


def _names_kind(verb: str, kinds: Sequence[str]) -> bool:
    """Whether a verb is, by its stem, a name of one of ``kinds`` ("record": a recording, audio)."""
    return any(kind in kinds and stem(name) == stem(verb) for name, kind in TYPE_WORDS.items())


# The kinds' own names ("text", "images"): the user's data as much as an earlier result.
KIND_NAMES = frozenset(w for w, kind in TYPE_WORDS.items() if w.rstrip("s") == kind)

# Determiners that point at something already there: "compare the summary with 'B'".
POINTING = frozenset("the this that these those its".split())


EACH = frozenset({"each", "every"})  # "enhance each segment" after a segmentation points at its results too
# Whom a verb's object goes to, said between them: "send me the summary", "email him the translation".
RECEIVERS = frozenset("me us him her them".split())
WHETHER_WORDS = frozenset({"if", "whether"})


def _earlier_result_object(lowered: list[str], made: frozenset[str]) -> set[str]:
    """The words of a specific verb's object that name an earlier step's work ("compare the summary with
    'B'" after a summariser, "rate that translation"): what that step made, worked on here, not work
    to do again (the summariser planned twice). Not a kind's own name ("the image" may be the user's),
    but a word for one that names the work ("compare the caption with the transcript" after a captioner
    and a transcriber), nor the verb's own work ("translate the translation")."""
    start = next((n for n, w in enumerate(lowered) if w not in LEADING_FILLER), len(lowered))
    if start + 2 < len(lowered) and lowered[start + 1] in RECEIVERS | WHETHER_WORDS:
        # "send me the summary": whom it goes to, said first; "check if the summary matches 'B'": what is checked
        lowered = [*lowered[: start + 1], *lowered[start + 2 :]]
    if not made or start + 2 >= len(lowered) or lowered[start + 1] not in POINTING | EACH:
        return set()
    verb = lowered[start]
    if not is_verb(verb) or base_verb(verb) in GENERIC_VERBS or set(terms(verb)) & made:
        return set()
    out: set[str] = set()
    window = lowered[start + 2 : start + 2 + OBJECT_WORDS]
    for before, word in zip(["", *window], window, strict=False):
        if word in OF_ENDS:
            continue
        if before in OF_ENDS and word not in POINTING:
            break  # "... with 'B'", "... in French": the object ends; "... with the translation" points on
        if word not in KIND_NAMES and word not in STOP_WORDS and stem(word) in made:
            out.add(word)
    return out


# Words that say a step takes data as the user gave it, not as an earlier step changed it.
ORIGINAL = frozenset("original initial unedited unmodified".split())


def _originals(lowered: list[str]) -> frozenset[str]:
    """The kinds of data a clause names as the user's own: "the original image", "the initial table photo"."""
    return frozenset(
        TYPE_WORDS[after]
        for n, w in enumerate(lowered)
        if w in ORIGINAL
        for after in lowered[n + 1 : n + 3]
        if after in TYPE_WORDS
    )


def _stores_a_result(lowered: list[str], own: list[DataItem], sent: list[DataItem]) -> bool:
    """Whether a storing verb's object is "the" something and the clause names nothing it stores: "list the files
    and post the list to https://x/u" sends what the listing made (the body was asked for)."""
    verb = next((n for n, w in enumerate(lowered[:2]) if base_verb(w) in SINK_VERBS), None)
    stored = [d for d in own if not any(d is s for s in sent)]
    return verb is not None and lowered[verb + 1 : verb + 2] == ["the"] and not stored


def action_of(keywords: Sequence[str]) -> str | None:
    """The term of the verb that opens a sub-goal's specific words ("count" in "count the words"): what
    is to be done, which a tool must do, not just handle its object. None when it opens with a noun
    or a verb that only says "do" or "make"."""
    specific = [w for w in keywords if base_verb(w) not in GENERIC_VERBS]
    return stem(base_verb(specific[0])) if specific and is_verb(specific[0]) else None


def served_by(
    best: Ranked, index: ToolIndex, action: str | None, head: Sequence[str] = (), weak: frozenset[str] = frozenset()
) -> bool:
    """Whether ``best`` serves a sub-goal whose verb is ``action`` (``relevance.serves``), judged by what
    the tool says it does: its name, capabilities and description. A parameter says what a tool takes
    or returns (extract_text returns a ``count`` of matches), not what it does; and a tool that does
    not name the sub-goal's verb must share a specific word with it, not only the kind of data it
    works on: "count the words" is not served by a tool that handles text."""
    card = index.card(best.tool)
    said = does(card) if card is not None else frozenset()
    if action is not None and opposes(action, said):
        return False
    matched = tuple(t for t in best.matched if t in said)
    if matched != best.matched:
        share = sum(index.idf(t) for t in matched) / (sum(index.idf(t) for t in best.matched) or 1.0)
        best = replace(best, matched=matched, coverage=best.coverage * share)
    by_words = action is None or action in said or bool(set(matched) - weak_terms(index))
    return serves(best, [t for t in head if t not in NUMBER_TERMS], weak, by_words=by_words)


def takes_out(goal: Goal) -> bool:
    """A sub-goal whose verb takes data out of what it works on: "extract the text", "decipher it"."""
    verb = next((base_verb(w) for w in goal.keywords if is_verb(w)), None)
    return verb in TAKING_OUT and (bool(goal.wants) or verb in MAKES_TEXT)


# Verbs that only say what a step starts from: "use this text to generate an image" generates.
MEANS_VERBS = USING_VERBS | {"take"}


def head_start(lowered: list[str]) -> int:
    """Where a clause's verb stands: after "use X to", else at its start."""
    if lowered and base_verb(lowered[0]) in MEANS_VERBS:
        for position in range(1, min(len(lowered) - 1, 7)):
            if lowered[position] == "to" and is_verb(lowered[position + 1]):
                return position + 1
    return 0


def made_by_verb(lowered: list[str], index: ToolIndex) -> list[str]:
    """The kind of data a clause's verb makes, when it says ("illustrate" an image, "narrate" audio)."""
    start = head_start(lowered)
    window = lowered[start : start + 4]
    kinds = [
        MAKES_KIND[base_verb(w)]
        for before, w, after in zip(["", *window], window[:3], [*window[1:], ""], strict=False)
        # "draw out more content" makes no image; "analyze the picture" names one, it does not "picture"
        if base_verb(w) in MAKES_KIND and after not in PARTICLES and before not in DETERMINERS
    ]
    return [k for k in kinds if k in index.types][:1]


def _data_roles(lowered: list[str], index: ToolIndex, unknown: bool = False) -> tuple[list[str], set[str]]:
    """The kinds of data a clause asks to be made, and the kinds it works on; with ``unknown``, a medium no tool
    knows is made too ("give it to me as a video" with no video tool), which ``media_none_makes`` reads.

    Made: "into speech", "convert it to text", the object of "generate an image" or "extract the
    text". Worked on: "from the image", "in this recording", and any other data word.
    """
    start = head_start(lowered)
    heads = [base_verb(w) for w in lowered[start : start + 3]]
    wanted = made_by_verb(lowered, index)
    worked: set[str] = set()
    verb = next((start + i for i, w in enumerate(heads) if w in MAKING_VERBS or w in EXTRACTING_VERBS), None)
    if heads[:1] and heads[0] in KIND_NAMING_VERBS and lowered[start] == heads[0]:
        verb = start  # "record an audio clip", its head as said: not "the recorded audio"
    converting = any(w in CONVERTING_VERBS for w in heads)
    object_taken = bool(wanted)  # "illustrate the story": the verb says what it makes, its object is the source
    for position, word in enumerate(lowered):
        kind = TYPE_WORDS.get(word, word if word in index.types else None)
        unknown_kind = unknown and kind in MEDIA_KINDS and word not in ANY_MEDIA  # "an audio clip" is audio
        if kind is None or (kind not in index.types and not unknown_kind):
            continue
        before = lowered[max(0, position - 3) : position]
        after = lowered[position + 1 : position + 2]
        if any(TYPE_WORDS.get(w) in CONTENT and w not in ANY_MEDIA for w in after) and word not in ADJECTIVES:
            continue  # "a story video": a video
        if set(after) & FORM_WORDS or ("as" in before[-2:]) or word in MANNER_WORDS:
            wanted.append(kind)  # "in an audio format", "as a video", "tell me aloud": the form of what is made
        elif any(w in SOURCE_WORDS for w in before):
            worked.add(kind)
        elif "into" in before or (converting and any(w in ("to", "as") for w in before)):
            wanted.append(kind)
        elif verb is not None and position > verb and not object_taken:
            wanted.append(kind)
        else:
            worked.add(kind)
        object_taken = object_taken or (verb is not None and position > verb)
    worked -= MEDIA_KINDS - index.types  # worked on, a medium no tool knows is left to the words
    wanted += [kind for kind in form_phrases(lowered) if kind in index.types]
    return list(dict.fromkeys(wanted)), worked


# Words that end the object of "of": "a summary of the talk in French".
OF_ENDS = frozenset("in into to for from with and on as by about".split())
OBJECT_WORDS = 12  # and no object is longer: a request of a thousand "of"s is read in linear time


def _worked_on_by_name(lowered: list[str], index: ToolIndex) -> frozenset[str]:
    """The terms of what "a summary of the conversation" or "summarize the conversation" works on,
    when the noun before "of" or the clause's verb is a word of a tool's name: that word says what
    to do, the words after it what it is done on, and they earn no name bonus ("conversation" is no
    reason for a chat tool)."""
    names = index.name_term_set()
    start = head_start(lowered)
    heads = [start] if start < len(lowered) - 1 and is_verb(lowered[start]) else []
    heads += [n for n, w in enumerate(lowered[1:-1], 1) if w == "of"]
    out: set[str] = set()
    for position in heads:
        named = lowered[position - 1] if lowered[position] == "of" else lowered[position]
        if not set(terms(named)) & names:
            continue
        for after in lowered[position + 1 : position + 1 + OBJECT_WORDS]:
            if after in OF_ENDS:
                break
            out.update(terms(after))
    return frozenset(out)


def _of_object(lowered: list[str], index: ToolIndex) -> frozenset[str]:
    """The words of what "a summary of the conversation" is done on: after "of", when the noun before it
    is a word of a tool's name. That noun names the work; a tool named after the words after "of" (a
    chat tool, for "conversation") is not what is asked for."""
    names = index.name_term_set()
    out: set[str] = set()
    for position, word in enumerate(lowered[1:-1], 1):
        if word != "of" or not set(terms(lowered[position - 1])) & names:
            continue
        for after in lowered[position + 1 : position + 1 + OBJECT_WORDS]:
            if after in OF_ENDS:
                break
            out.add(after)
    return frozenset(out)
