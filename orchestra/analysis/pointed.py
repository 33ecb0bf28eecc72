"""Which file a delete means when it points back ("delete it", "delete the file", "delete the other one").

A word pointing back names the one file the nearest clause before it names: "Read a.txt, then delete it" deletes
a.txt, "Write 'hi' to a.txt, then read b.txt and delete it" b.txt (it deleted a.txt, the write's path). Where that
is not one file the plan asks which, never picks: the nearest clause names two ("Read a.txt and b.txt, then delete
it", "Copy a.txt to b.txt, then delete it" deleted a.txt, a move nobody asked for), or none but a file of its own
("Read report.txt, then read the file it names and delete it" deleted report.txt), or one and a word pointing back
("Read a.txt, write it to b.txt and delete it": what the write's "it" is, or b.txt), or is one of a list of the same
work on other files ("Read a.txt, read b.txt, then delete it": as unclear as "Read a.txt and b.txt"). "The other
file" is the one file named besides those ("Read a.txt and then delete the other file" deleted a.txt), and a quote
of words is text, not a file ('Summarize "notes about x.txt" and then delete it' deleted "notes about x.txt").
"Delete it and b.txt" deletes both (only b.txt went). A noun of a kind or a name ("delete the photo", "the notes",
"the document") means the one file named before it says, however near ("Write 'hi' to a.txt, then caption photo.jpg
and delete the photo" deleted a.txt, the file written), and a file said by what another holds ("delete the file it
names", "the files listed in it") is none named: asked ("Read list.txt, then delete the files listed in it" deleted
list.txt). "Both" and "each" mean the nearest clause's files where they are two / more than one; "the first file", "the
latter" the file named so among those named before it.

Asked as a change said under a condition is (``TaskStep.condition``): the delete's path is an input the user gives.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from itertools import islice
from pathlib import PurePosixPath

from orchestra.analysis.data import PLACEHOLDER, Extracted, file_named, types_of
from orchestra.analysis.goals import Goal
from orchestra.analysis.models import DataItem, TaskStep
from orchestra.analysis.secrets_sent import SENDING
from orchestra.analysis.to_a_person import sent_to_a_person
from orchestra.analysis.words import ANAPHORA, FILE_TYPES, TYPE_WORDS
from orchestra.lazy_regex import lazy_compile
from orchestra.planning.deleted import (
    DELETING,
    FILE_UNSAID,
    MADE_WORDS,
    TRAILING,
    WHOLE_FILE_WORDS,
    no_file_said,
    object_words,
)

FILES = ("path", "url")
SHOWN = 3  # files a note names of those a word may mean
# Words pointing at one thing the clause does not name; "other" and "another" point away from what was named.
POINTERS = frozenset({"it", "this", "that"})
OTHER = frozenset({"other", "another"})
COUNTED = frozenset({"both", "each"})  # words pointing at as many files as they say
# "the first file", "the latter", "the last one": a file by where it was named, of all named before; "the former" and
# "the latter" of two
# ("the first line" is a part of one: the ordinal stands alone or before a noun for a file)
ORDINAL = lazy_compile(
    r"\bthe\s+(first|second|third|last|former|latter)(?:\s+(?:file|one|document|photo|image|picture|audio|video))?$",
    re.IGNORECASE,
)
PLACES = {"first": 0, "second": 1, "third": 2, "last": -1, "former": 0, "latter": -1}
# A pointing word and a file named, as the things a clause works on ("delete it and b.txt", "it, b.txt"; the
# clause is read with "and" taken out): not one in a sentence of its own ("delete a.txt so that it is gone").
BESIDE_A_NAME = lazy_compile(
    r"\b(?:it|this|that)\s*,?\s*(?:(?:and|plus)\s+)?@[a-z]\d+"
    r"|@[a-z]\d+\s*,?\s*(?:(?:and|plus)\s+)?(?:it|this|that)\b",  # "delete b.txt and it" (plan181)
    re.IGNORECASE,
)
# Nouns a clause names an unnamed file by ("read the file it names"): a file of its own, not one named before.
FILE_NOUNS = frozenset({"file", "files", "document", "one"})
# Nouns saying a file by its kind or its name ("delete the photo", "the notes", "the document"): of text only the
# words for a whole file, "delete the caption" being the caption's file or a part of one.
MEDIA = frozenset({"image", "audio", "video"})
KIND_NOUNS = frozenset({w for w, kind in TYPE_WORDS.items() if kind in MEDIA} | WHOLE_FILE_WORDS)
# A file said by what another holds ("the file it names", "the files listed in it", "the path it contains", "what
# it lists"): a noun for it, then a word pointing back before the clause says why or when ("delete the file so that
# it is gone" is the file itself). The file meant is one the step before reads, not the one it reads.
SAID_BY_ANOTHER = lazy_compile(
    r"\b(?:files?|documents?|paths?|names?|ones?|what|whatever|everything|anything)\b"
    r"(?:(?![,;:]|\b(?:so|because|since|if|when|whenever|once|after|before|as|unless|until|while|though|although|to|"
    r"for|then|but|and)\b)[^@])*?\b(?:it|them|there|therein)\b",
    re.IGNORECASE,
)

# A file said by what a file the clause names holds ("the file listed in list.txt", "the file config.json names",
# "the path written in paths.txt"): the file named holds the one meant, it is not the one to send or change (plan196:
# "Post the file listed in list.txt to URL" posted list.txt's own text).
NAMED_IN_A_FILE = lazy_compile(
    # "whatever a.txt points to", "everything a.txt lists": not "what a.txt says", its text (attack330)
    r"\b(?:what|whatever|everything|anything)\s+(?:that\s+)?@p\d+\s+(?:names|lists|points\s+to|refers\s+to)\b|"
    r"\b(?:files?|documents?|paths?|ones?)\s+(?:(?:that|which)\s+(?:is|are)\s+)?"
    r"(?:(?:listed|named|given|written|mentioned|found|contained|stored|referenced|kept|held|set|specified)\s+"
    r"(?:in|inside|within|by|on)\s+(?:the\s+file\s+)?@p\d+"
    r"|(?:that\s+|which\s+)?@p\d+\s+(?:names?|lists?|holds?|contains?|gives?|mentions?|points?\s+to|refers?\s+to"
    r"|specifies|says)\b)",
    re.IGNORECASE,
)


@dataclass
class Said:
    """Per step of a clause (not one the analysis added), the files and pages its clause names, its sentence, and
    whether it speaks of a file it does not name."""

    files: dict[str, list[DataItem]] = field(default_factory=dict)
    sentence: dict[str, int] = field(default_factory=dict)
    unnamed_file: set[str] = field(default_factory=set)
    pointing: set[str] = field(default_factory=set)  # clauses with a word pointing back ("write it to b.txt")
    made: set[str] = field(default_factory=set)  # clauses speaking of what a step made ("email the result to bob")
    steps: dict[str, TaskStep] = field(default_factory=dict)
    last: str | None = None  # the newest clause's step
    naming: str | None = None  # the newest clause's step naming a file, or speaking of one it does not name
    before: dict[str, str] = field(default_factory=dict)  # per clause's step, the clause's step before it
    every_file: list[DataItem] | None = None  # the request's files and pages, once asked for
    named: dict[str, tuple[str, DataItem]] = field(default_factory=dict)  # each file named so far, and its step
    listed: set[str] = field(default_factory=set)  # clauses naming a folder ("list the files in data/")

    def add(self, step: TaskStep, goal: Goal, own: list[DataItem], lowered: list[str]) -> None:
        """Kept per clause, so a request of thousands of them costs no more per clause than its own words."""
        self.files[step.id], self.sentence[step.id], self.steps[step.id] = own, goal.clause.sentence, step
        if any(_a_folder(d) for d in own):
            self.listed.add(step.id)  # "list files in data/": files it does not name
        for d in own:
            if d.kind == "path" and not _a_folder(d):
                self.named.setdefault(file_named(d.value), (step.id, d))
        if self.last is not None:
            self.before[step.id] = self.last
        self.last = step.id
        if not own and set(lowered) & FILE_NOUNS:
            self.unnamed_file.add(step.id)
        if POINTERS & set(lowered):
            self.pointing.add(step.id)
        if _MADE_THINGS & set(lowered):
            self.made.add(step.id)


# Words for a thing a step made: said by the clause before a delete pointing back, "it" may be that thing.
_MADE_THINGS = MADE_WORDS | frozenset(
    "summary summaries translation transcript transcription caption answer response reply report".split()
)


def pointed_delete(step: TaskStep, goal: Goal, extracted: Extracted, said: Said) -> list[str]:
    """``step`` (its clause ``goal``'s) deleting the file its words point at, if that is
    clear; asked otherwise (a note says why). ``said`` is kept up to date here: call it for every clause's step."""
    text = goal.clause.text
    own = [d for d in extracted.items_in(text) if d.kind in FILES]
    lowered = object_words(PLACEHOLDER.sub(" ", text))
    previous, nearest = said.last, said.naming
    said.add(step, goal, own, lowered)
    if own or step.id in said.unnamed_file:
        said.naming = step.id
    if not DELETING.search(PLACEHOLDER.sub(" ", text)):
        return []
    if not own and nearest in said.listed:
        # "List files in data/, then delete them": the files a listing finds, none named; data/ was deleted (a
        # folder: the call failed)
        listing = said.steps[nearest].action
        return _ask(step, own, _bound(step, said, own), f"the files {listing!r} finds are not named")
    # "delete both", "remove each of them": the files the nearest clause names, as many as the word says; "them
    # all", "them" more than one ("Summarize a.txt, then delete them all" deleted a.txt, the one file named)
    counted = not own and (bool(COUNTED & set(lowered)) or goal.plural)
    described = _described_only(lowered)
    if (
        not own
        and not named_by_another(text)
        and "path" in step.accepts
        and described
        and not COUNTED & set(lowered)
        and not (counted and previous)
    ):
        back = (POINTERS | OTHER | KIND_NOUNS | _THE_ORIGINAL) & set(lowered) or ORDINAL.search(" ".join(lowered))
        # "delete the photo", "the other one", "the original": a file named before; "remove the car" after work is a
        # thing a step made or a part (`planning.deleted`), refused there
        thing = no_file_said(text)
        why = f"{' '.join(described)!r} names no file, and no step finds which files that is"
        if not (back or thing):
            # "remove the old files", "delete everything", "Read a.txt, then delete all the old files": files said by
            # what they are, none named and no step finding them; a bare path was asked, or a.txt was deleted
            return _ask(step, own, _bound(step, said, own), why)
        if previous is None and not back:
            # "Delete the duplicates": its path was asked with no word of why, as if they were one file. Only said:
            # what else the step is (a part taken away: "Remove the car") is for the rules after it
            return [f"step {step.id!r} ({step.action!r}) does not say which file it deletes: {why}; name them"]
    if goal.plural and not counted:
        return []
    other = bool(OTHER & set(lowered))
    # beside a file named, a pointing word is one of the things deleted only so: "delete it and b.txt"
    beside = BESIDE_A_NAME.search(text) is not None
    ordinal = None if own else ORDINAL.search(" ".join(lowered))
    # "the document" is said by its kind: which one is not the nearest clause's file but the one of that kind
    pointer = beside if own else other or counted or bool(ordinal)
    pointer = pointer or (not own and bool((POINTERS | FILE_NOUNS - KIND_NOUNS) & set(lowered)))
    # of a step given files: "clean up the audio" is work on it, asked of a tool taking audio
    nouns = [] if own or pointer or "path" not in step.accepts else [w for w in lowered if w in KIND_NOUNS]
    if not (pointer or nouns) or previous is None:
        return []
    if ordinal is not None:
        meant, why = _by_place(ordinal.group(1).lower(), said, step.id)
    elif counted:
        meant, why = _each(nearest, "both" in lowered, said, next((w for w in lowered if w in COUNTED), "them"))
    else:
        one, why = (
            _of_its_kind(nouns, said, step.id) if nouns else _meant(previous, nearest, own, other, extracted, said)
        )
        meant = [one] if one is not None else []
    if not own and named_by_another(text):
        # "Read list.txt, then delete the files listed in it" deleted list.txt
        meant, why = [], "the file it names is in what a step before reads, not named"
    bound = _bound(step, said, own)
    if meant and (not bound or {file_named(d.value) for d in bound} == {file_named(d.value) for d in meant}):
        if not bound:
            _take(step, meant, previous)
        return []
    if meant:
        # the nearest clause's file, not what a link took ("... read b.txt and delete it" deleted the write's a.txt)
        step.data = [d for d in step.data if not any(d is b for b in bound)]
        step.params.pop("path", None)
        step.depends_on = [d for d in step.depends_on if d in step.only_after]
        _take(step, meant, previous)
        return []
    return _ask(step, own, bound, why)


# Words of a delete's object that say no more than "a file" or point back: "delete the file", "delete it".
_THE_ORIGINAL = frozenset({"original", "originals", "source", "input"})
_PLAIN = frozenset(
    {"the", "a", "an", "my", "our", "your", "this", "that", "it", "its", "them", "these", "those", "file", "one"}
)


def _described_only(lowered: list[str]) -> list[str]:
    """The words past a delete's verb saying what goes, where they say more than "a file" or "it": "the duplicates",
    "all the old files", "everything"; none where a word of a deleting verb is all there is."""
    past = list(itertools.dropwhile(lambda w: DELETING.match(w) is None, lowered))[1:]
    past = list(itertools.dropwhile(lambda w: w in {"rid", "of", "away", "out"}, past))
    if all(w in _PLAIN or w in TRAILING or DELETING.match(w) is not None for w in past):
        return []
    return list(itertools.dropwhile(lambda w: w in _PLAIN - {"file", "one"}, past))


def _ask(step: TaskStep, own: list[DataItem], bound: list[DataItem], why: str) -> list[str]:
    """``step`` asking the path it deletes (``bound``, what it was given, taken away), and the note saying ``why``."""
    step.data = [d for d in step.data if not any(d is b for b in bound)]
    if step.params.get("path") is not None and not any(same(step.params["path"], d) for d in own):
        del step.params["path"]
    # asked, as a change said under a condition is: its path is the user's to give
    # why, said where the step is reported missing too: "Read a.txt and b.txt, then delete it" was reported as
    # "delete_file takes ['path'], the step has ['text', ...]" (plan181)
    step.condition = step.condition or f"{FILE_UNSAID}: {why}"
    # it takes nothing from the steps before: one call after them all, not one per file they worked on
    step.only_after = list(step.depends_on)
    if step.candidates:
        step.accepts = []
    return [f"step {step.id!r} ({step.action!r}) does not say which file it deletes: {why}; name it"]


def named_by_another(text: str) -> bool:
    """Whether ``text`` (a clause, its data taken out) says its file by what another holds: "delete the file it
    names", "overwrite the files listed in it", "the path it contains"."""
    return SAID_BY_ANOTHER.search(text) is not None or NAMED_IN_A_FILE.search(text) is not None


def named_in_a_file(step: TaskStep, text: str) -> list[str]:
    """A step whose clause ``text`` (its data taken out) says its file by what a file it names holds ("post the
    file listed in @p0", "email the file @p0 names") is not given the file it names: what it works on is asked."""
    changes = step.side_effects or bool({step.capability, *step.keywords} & SENDING) or sent_to_a_person(text)
    # a delete too: "Delete the file a.txt names" deleted a.txt, the list, not the file it names (attack330)
    deletes = DELETING.search(PLACEHOLDER.sub(" ", text)) is not None
    if not (changes or deletes) or NAMED_IN_A_FILE.search(text) is None or not any(d.kind == "path" for d in step.data):
        return []  # a summary of list.txt sends and changes nothing: the reader sees what it read
    named = [str(d.value) for d in step.data if d.kind == "path"]
    if not deletes:  # a delete keeps it as data: the plan warns it is given to no call
        step.data = [d for d in step.data if d.kind != "path"]
    step.params.pop("path", None)
    step.accepts = [k for k in step.accepts if k != "path"]
    return [
        f"step {step.id!r} ({step.action!r}) works on a file {', '.join(named)} names, not on {', '.join(named)}: "
        "which file is asked"
    ]


def points_besides(text: str) -> bool:
    """Whether ``text`` points back at a result besides where it says a file by what another holds: "write its
    first line to the file named in it" takes the line."""
    return bool(ANAPHORA & set(re.findall(r"[a-z]+", SAID_BY_ANOTHER.sub(" ", text).lower())))


def _meant(
    previous: str, nearest: str | None, own: list[DataItem], other: bool, extracted: Extracted, said: Said
) -> tuple[DataItem | None, str]:
    """The one file a pointing word means, or None and why it is not clear: ``previous`` is the clause's step before,
    ``nearest`` the newest naming a file (or speaking of one)."""
    by_id = said.steps
    if other:
        named = {file_named(d.value) for d in [*said.files[previous], *own]}
        if said.every_file is None:
            said.every_file = _distinct([d for d in extracted.items if d.kind in FILES])
        rest = list(islice((d for d in said.every_file if file_named(d.value) not in named), SHOWN + 1))
        if len(rest) == 1:
            return rest[0], ""
        return None, "'the other' names no one file besides those named" if not rest else _which(rest)
    if nearest is None:
        return None, "no file is named before it"
    if nearest in said.unnamed_file and not said.files[nearest]:
        return None, f"the step before ({by_id[nearest].action!r}) works on a file it does not name"
    files = _distinct(said.files[nearest])
    before = said.before.get(nearest)
    if len(files) == 1 and before is not None and _a_list(by_id, said, before, nearest, files[0]):
        files = _distinct([*said.files[before], *files])  # "Read a.txt, read b.txt, then delete it"
    if len(files) != 1:
        return None, _which(files)
    if previous in said.made and (previous != nearest or by_id[nearest].side_effects):
        # "Summarize a.txt, then email the result to bob and delete it": "it" may be the result the clause right
        # before speaks of, which names no file (attack242: a.txt was deleted). So of a clause writing what it speaks
        # of: "write the summary to b.txt and delete it" deleted b.txt, the write undone as soon as done (attack261)
        return None, f"it may be {files[0].value!r} or what {by_id[previous].action!r} speaks of"
    if nearest in said.pointing:
        # "Read a.txt, write it to b.txt and delete it": what that clause's "it" is, or the file it names
        return None, f"it may be {files[0].value!r} or what {by_id[nearest].action!r} points at"
    if _quoted_words(files[0]) and not _read_as_a_file(by_id[nearest], files[0]):
        return None, f"{files[0].value!r} is a quote of words, not a file named"
    if _remakes(by_id[nearest], files[0]):
        # "Denoise talk.wav, then delete it": "it" may be the sound the denoiser made; talk.wav, the user's own
        # recording, was deleted (as "the audio" is asked)
        return None, f"it may be {files[0].value!r} or what {by_id[nearest].action!r} makes"
    return files[0], ""


def _by_place(word: str, said: Said, current: str) -> tuple[list[DataItem], str]:
    """The file ``word`` ("first", "latter") says by where it was named among the files named before the clause's
    step ``current``: "Read a.txt; summarize b.txt; delete the first file" deleted b.txt, the nearest clause's."""
    files = [d for step, d in said.named.values() if step != current]
    at = PLACES[word]
    if word in ("former", "latter") and len(files) != 2:
        return [], f"'the {word}' is one of two files, and " + (_which(files) if files else "none is named")
    if not -len(files) <= at < len(files):
        return [], f"'the {word}' is none of the files named before it"
    return [files[at]], ""


def _each(nearest: str | None, both: bool, said: Said, word: str) -> tuple[list[DataItem], str]:
    """The files "both" (two) or "each" (two or more) means: the nearest clause's, or a list of like work's; none
    and why where that is not so many files, or one of them may be what that clause points at ("Read a.txt and b.txt,
    write them to c.txt, then delete both" deleted c.txt, the file written)."""
    if nearest is None:
        return [], "no file is named before it"
    if nearest in said.unnamed_file and not said.files[nearest]:
        return [], f"the step before ({said.steps[nearest].action!r}) works on a file it does not name"
    files = _distinct(said.files[nearest])
    before = said.before.get(nearest)
    if len(files) == 1 and before is not None and _a_list(said.steps, said, before, nearest, files[0]):
        files = _distinct([*said.files[before], *files])  # "Read a.txt, then read b.txt, then delete both"
    if nearest in said.pointing:
        return [], f"they may be {_listed(files)} or what {said.steps[nearest].action!r} points at"
    made = [d for d in files if _made_into(said.steps[nearest].action, d)]
    if made and len(files) - len(made) > 1:
        # "Merge a.txt and b.txt into c.txt and delete them": the files merged, or c.txt too (all three were deleted,
        # c.txt the file the merge was to make, attack261). Of one file and where it goes, "both" and "them" are
        # the two ("Copy a.txt to b.txt, then delete both")
        action = said.steps[nearest].action
        return [], f"they may be {_listed([d for d in files if d not in made])} or include what {action!r} makes"
    if len(files) != 2 if both else len(files) < 2:
        many = "two files" if both else "more than one file"
        return [], f"{word!r} says {many}, and " + (_which(files) if files else "none is named")
    if any(_quoted_words(d) and not _read_as_a_file(said.steps[nearest], d) for d in files):
        return [], "a quote of words is not a file named"
    return files, ""


def _of_its_kind(nouns: list[str], said: Said, current: str) -> tuple[DataItem | None, str]:
    """The one file named before the clause's step ``current`` that its nouns say ("the photo", "the notes"), or
    None and why it is not clear. Which file is said by its kind or its name, not by how near it is: "Summarize
    notes.txt and save the summary to s.txt, then delete the notes" deleted s.txt, the file the write gave."""
    fits = list(islice((d for step, d in said.named.values() if step != current and _fits(d, nouns)), SHOWN + 1))
    remade = _made_of_its_kind(nouns, said, current, fits[0]) if len(fits) == 1 else None
    if remade is not None:
        # "Denoise talk.wav, then remove the audio": the audio may be the one the denoiser made; talk.wav, the
        # user's own recording, was deleted. So when no tool does the step (the built-ins alone, plan214): what it
        # would make is unknown, and deleting its input would do the delete while the work asked is left undone
        return None, f"it may be {str(fits[0].value)!r} or what {remade.action!r} makes"
    if len(fits) == 1:
        return fits[0], ""
    said_as = " or ".join(repr(f"the {n}") for n in dict.fromkeys(nouns))
    return None, f"no file named before is {said_as}" if not fits else _which(fits)


def _made_of_its_kind(nouns: list[str], said: Said, current: str, file: DataItem) -> TaskStep | None:
    """The step before ``current`` that makes a picture, a sound or a film of a kind ``nouns`` say, or that no
    tool does on ``file`` (what it would make is unknown), if any."""
    kinds = {TYPE_WORDS.get(n) for n in nouns} & MEDIA
    before = [s for at, s in said.steps.items() if at != current]
    return next(
        (s for s in reversed(before) if kinds & set(s.produces) or (not s.candidates and file in said.files[s.id])),
        None,
    )


def _remakes(step: TaskStep, file: DataItem) -> bool:
    """Whether ``step``, given ``file``, makes a picture, a sound or a film (another file of its kind), is done by
    no tool on a picture, a sound or a film (what it would make is unknown), or says it makes a file of another
    format ("convert data.csv to json"): "it" after it may be either."""
    media = MEDIA & set(types_of(file))
    return bool(MEDIA & set(step.produces)) or (not step.candidates and bool(media)) or _made_as(step, file)


# A format a step says it makes: "convert clip.mp4 to gif", "turn notes.txt into a PDF", "save photo.png as .jpg"
# ("copy a.txt to out.log" names a file, no format)
_MADE_AS = lazy_compile(r"\b(?:to|into|as)\s+(?:an?\s+|\.)?([a-z0-9]+)\b(?![.\w/])", re.IGNORECASE)


def _made_as(step: TaskStep, file: DataItem) -> bool:
    """Whether ``step`` says it makes a file of a format other than ``file``'s: "Convert clip.mp4 to gif, then
    remove it" deleted clip.mp4 while "it" may be the gif (whatever tool was found for the conversion)."""
    own = str(file.value).rsplit(".", 1)[-1].lower()
    return any(m.group(1).lower() in FILE_TYPES and m.group(1).lower() != own for m in _MADE_AS.finditer(step.action))


def _made_into(action: str, file: DataItem) -> bool:
    """Whether ``action`` says ``file`` is where its work goes ("into c.txt", "to c.txt", "as c.txt"): made, not
    worked on."""
    return re.search(rf"\b(?:into|to|as|onto)\s+{re.escape(str(file.value))}(?!\S)", action, re.IGNORECASE) is not None


def _fits(file: DataItem, nouns: list[str]) -> bool:
    """Whether ``nouns`` say ``file``: by its name ("the notes" of notes.txt), by its kind ("the photo" of a.jpg),
    or as any document."""
    stem = PurePosixPath(str(file.value)).stem.lower()
    kinds = set(types_of(file))
    return any(
        n in ("document", "documents") or n.rstrip("s") == stem.rstrip("s") or TYPE_WORDS.get(n) in kinds & MEDIA
        for n in nouns
    )


def _a_list(by_id: dict[str, TaskStep], said: Said, before: str, nearest: str, file: DataItem) -> bool:
    """Whether the clause before ``nearest`` did its work on another file, in the same sentence: a list of like
    work, "Read a.txt, read b.txt" as "Read a.txt and b.txt"."""
    first, second = by_id[before], by_id[nearest]
    others = [d for d in said.files[before] if file_named(d.value) != file_named(file.value)]
    same_work = first.candidates[:1] == second.candidates[:1] and bool(first.candidates)
    return same_work and bool(others) and said.sentence[before] == said.sentence[nearest]


def _bound(step: TaskStep, said: Said, own: list[DataItem]) -> list[DataItem]:
    """The files ``step`` was given that its clause does not name: by a link to a step writing a file (bound to
    that step's path by the planner), or as data."""
    given = [d for d in step.data if d.kind in FILES and not any(same(d.value, o) for o in own)]
    by_id = said.steps
    linked = [by_id[d] for d in step.depends_on if d in by_id and d not in step.only_after]
    written = [DataItem(kind="path", value=s.params["path"]) for s in linked if s.side_effects and s.params.get("path")]
    return given or ([] if any(d.kind == "path" for d in step.data) else written)


def _take(step: TaskStep, meant: list[DataItem], after: str) -> None:
    step.data = [*step.data, *meant]
    step.depends_on = list(dict.fromkeys([*step.depends_on, after]))
    step.only_after = list(dict.fromkeys([*step.only_after, after]))
    step.accepts = list(dict.fromkeys([*step.accepts, *(d.kind for d in meant)]))
    step.fan_out = step.fan_out or len(meant) > 1  # a call per file


def _a_folder(item: DataItem) -> bool:
    """Whether ``item`` names a folder as written ("data/"): where files are, none of them."""
    return item.kind == "path" and str(item.value).endswith("/")


def same(value: object, item: DataItem) -> bool:
    return file_named(value) == file_named(item.value)


def _distinct(items: list[DataItem]) -> list[DataItem]:
    return list({file_named(d.value): d for d in items}.values())


def _which(files: list[DataItem]) -> str:
    """The files it may be, the first ``SHOWN``: a note per clause naming thousands would hold them all."""
    return "it may be " + _listed(files)


def _listed(files: list[DataItem]) -> str:
    more = " or another" if len(files) > SHOWN else ""
    return " or ".join(repr(str(d.value)) for d in files[:SHOWN]) + more


def _read_as_a_file(step: TaskStep, item: DataItem) -> bool:
    """Whether ``step``'s tool was given ``item`` as the file it works on ('Read "my notes.txt"'): a name with a space
    the step before took as a file is one, not a quote of words. A step making a call per file takes each of them as
    it takes the first (its own data, all files named, is read a call per file before it fans out): 'Read "my
    notes.txt" and "b c.txt", then delete both' asked which files (plan189)."""
    given = step.params.get("path")
    if not step.candidates or given is None:
        return False
    files = [d for d in step.data if d.kind == "path"]
    return same(given, item) or (item in files and len(files) == len(step.data) and any(same(given, d) for d in files))


def _quoted_words(item: DataItem) -> bool:
    """Whether ``item`` holds words ('Summarize "notes about x.txt"'): a quote of text that ends like a name."""
    return bool(re.search(r"\s", str(item.value)))
