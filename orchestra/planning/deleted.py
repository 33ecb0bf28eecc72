"""Whether a deleting clause deletes a file, or a part of one: "delete notes.txt" and "delete it" name the file
as what goes; "remove the password from config.txt", "delete the first paragraph", "remove the car" name a part of
it (or nothing), and a file deleted for them is work the user never asked for."""

from __future__ import annotations

import posixpath
import re

from orchestra.analysis.changes import part_named, part_taken
from orchestra.analysis.data import file_named, types_of
from orchestra.analysis.delete_verbs import DELETE_VERBS, TAKE_AWAY_VERBS, said_pattern
from orchestra.analysis.goals import TAKING_AWAY, does, takes_files_away
from orchestra.analysis.models import DataItem, TaskStep
from orchestra.analysis.not_done import KEEPS
from orchestra.analysis.words import ANAPHORA, DETERMINERS, TYPE_WORDS
from orchestra.lazy_regex import lazy_compile
from orchestra.nested_strings import strings_within
from orchestra.plan import PlanNode
from orchestra.references import contains_reference, iter_references
from orchestra.tool_spec import ToolCard

# Words after which a file is where the thing deleted is, not that thing: "the comments in main.py", "the word
# 'foo' from notes.txt", "the files listed in notes.txt", "the header of data.csv".
PLACE_WORDS = frozenset(
    ["in", "from", "of", "inside", "within", "into", "on", "out", "through", "throughout", "across"]
)
# Words that stand for the file itself, whatever it holds ("delete the file", "the folder").
WHOLE_FILE_WORDS = frozenset({"document", "documents", "note", "notes"})
# Words a pointer may trail ("delete them all", "remove it too").
TRAILING = frozenset(["all", "both", "each", "too", "also", "now", "again", "as", "well", "please", "away", "out"])
_WORD = lazy_compile(r"[a-z]+(?:'s)?")
# A word of deleting, in any form ("delete", "deleted", "removing", "get rid of", "rm"): a clause with none asks
# for no file to go, whatever tool its words found.
DELETING = lazy_compile(
    rf"\b(?:{said_pattern(DELETE_VERBS)}|get\s+rid|throw|bin\b|kill)",
    re.IGNORECASE,
)


NEAR = 120  # how far before or after a file named the words saying it is kept, or a place, are read

# The words after which a file named is kept, the clause's last words before it ("everything but", "all except the
# file", "keep", "leave"); "nothing but" / "none other than" name what goes ("only" group).
_SPARING = lazy_compile(
    r"(?P<only>\b(?:nothing|none|no\s+\w+)\s+)?\b(?:but|except(?:\s+for)?|excluding|excepting|save(?:\s+for)?|other\s+than"
    r"|apart\s+from|aside\s+from|besides|beside|barring|minus|not|never|keep(?:ing)?|leav(?:e|ing)|spar(?:e|ing)|without)"
    r"(?:\s+(?:the|my|our|your|this|that|these|those|file|files|folder|document|for|of))*\s*$",
    re.IGNORECASE,
)


def deletes_the_file(action: str, path: str) -> bool:
    """Whether the clause ``action`` deletes the file ``path``: it names it as what goes (not where a part of it
    is: "from notes.txt", "notes.txt's first line"), or points at it ("delete it", "remove the photo"), and says
    a deleting word: "write 'hi' over notes.txt" found delete_file (its description says "write_file") and
    deleted notes.txt."""
    if not DELETING.search(action) or part_named(action):
        return False  # "Discard the changes to a.txt", "delete every line of a.txt": what it holds, not the file
    if kept_by(action, path):
        return False  # "delete a.txt and notes.txt, but not notes.txt": kept, wherever else it is named
    at = action.find(path)
    if at >= 0:
        named = False
        while at >= 0:
            # the words just before and after it say whether it is a place: a path named a thousand times is not
            # read back to the clause's start each time
            before, after = action[max(0, at - NEAR) : at], action[at + len(path) : at + len(path) + NEAR]
            named = named or (not _a_place(before) and not re.match(r"\s*'s\b", after))
            at = action.find(path, at + 1)
        return named
    # the files it names beside are not what a pointing word is: "delete it and b.txt" points at a file too
    said = object_words(_NAMES.sub(" ", action))
    return not _held_in_the_file(action, said) and _points_at(said, path)


# Words of how many, not of a thing: "each of them", "both of the files" are the files, not a part held in them.
_HOW_MANY = frozenset(
    [
        "each",
        "both",
        "all",
        "one",
        "any",
        "some",
        "either",
        "neither",
        "none",
        "every",
        "most",
        "many",
        "few",
        "several",
    ]
)


def _held_in_the_file(action: str, said: list[str]) -> bool:
    """Whether what a clause deletes is held in the file it points at ("delete the notes in it", "remove the
    photos from this document"): "Read notes.txt, then delete the notes in it" deleted notes.txt (fix173)."""
    # the words after those ``said`` (read with the files named taken out): "delete b.txt and it" was held in b.txt
    rest = [w for w in _WORD.findall(_NAMES.sub(" ", action).lower())[len(said) :] if w not in DETERMINERS]
    if not rest or not said or said[-1] in _HOW_MANY or said[-2:] in (["get", "rid"], ["rid", "of"]):
        return False
    where = rest[1:2]
    return bool(where) and (where[0] in ANAPHORA or where[0] in WHOLE_FILE_WORDS or where[0] in TYPE_WORDS)


# Verbs that take a file away, opening a clause; not "clean", "clear", "cut" or "drop", which change what a file
# holds ("clean the audio" denoises it).
_TAKING_AWAY = lazy_compile(rf"\s*(?:{said_pattern(TAKE_AWAY_VERBS)}|get\s+rid\s+of\b|throw\b)", re.IGNORECASE)


def what_goes(action: str, paths: list[str]) -> str | None:
    """What a clause opening with a verb of taking away takes away: "file" when it names or points at a file whole
    ("delete the audio" of talk.wav, "remove each of them", "remove it"), "part" when a part of one or a thing
    ("remove the second sentence", "remove the noise from a.wav"); None when it opens with no such verb."""
    if not _TAKING_AWAY.match(action) or _A_NAME_FIRST.match(action):
        # "trash.txt -> read_file (added: ...)", the read added for "Summarize trash.txt": a name, not a verb
        return None
    said = object_words(_NAMES.sub(" ", action))
    pointed = not _held_in_the_file(action, said) and _points_at(said, "")
    return "file" if pointed or any(deletes_the_file(action, p) for p in paths) else "part"


_NAMES = lazy_compile(r"\S+[./]\w\S*|\band\b")
_A_NAME_FIRST = lazy_compile(r"\s*[^\s./]+[./]\w")


# "@p0 must be kept", "@p0 should stay", "@p0 is to remain": a file named, then said to stay ("Delete every file;
# notes.txt must be kept" is one clause, and deleted notes.txt, attack140).
_KEPT_AFTER = lazy_compile(
    r"\s+(?:(?:must|should|shall|will|has\s+to|have\s+to|needs?\s+to|is\s+to|are\s+to)\s+)?(?:be\s+)?"
    r"(?:kept|stays?|remains?|preserved|spared|retained|left\s+alone|untouched)\b",
    re.IGNORECASE,
)


def kept(clauses: list[str], refusals: list[str]) -> list[str]:
    """Of a request's clauses and the work it refuses (data as placeholders), those keeping what they name from
    every delete: "Delete a.txt and notes.txt. Actually, keep notes.txt." / "... On second thought, don't delete
    notes.txt." / "...; never mind notes.txt" deleted both files (the correction no step of its own, the delete
    still naming notes.txt, attack140)."""
    return [c for c in clauses if KEEPS.match(c)] + [r for r in refusals if KEEPS.match(r) or DELETING.search(r)]


def spare(steps: list[TaskStep], keeping: list[DataItem]) -> list[str]:
    """The files of ``keeping`` (named where the request keeps them, ``kept``) taken out of every step deleting
    them: the delete goes on with the rest, or asks what to delete. A note each, saying why."""
    files = {file_named(d.value) for d in keeping if d.kind == "path"}
    notes: list[str] = []
    for step in steps:
        # or kept by the step's own words: "Delete a.txt and b.txt but keep b.txt" asked which file its second
        # delete was, and a user answering b.txt lost it (plan181)
        spared = [
            d
            for d in step.data
            if d.kind == "path"
            and (
                (file_named(d.value) in files and deletes_the_file(step.action, str(d.value)))
                or kept_by(step.action, str(d.value))
            )
        ]
        if spared:
            step.data = [d for d in step.data if d not in spared]
            names = ", ".join(dict.fromkeys(str(d.value) for d in spared))
            # its argument too: "Delete every file. Actually, keep notes.txt." said so and deleted notes.txt, its
            # only file named (fix152)
            gone = {str(d.value) for d in spared}
            step.params = {k: v for k, v in step.params.items() if not (isinstance(v, str) and v in gone)}
            notes.append(f"step {step.id!r} does not delete {names}: the request says to keep it")
    return notes


def kept_by(action: str, path: str) -> bool:
    """Whether a deleting clause says to keep the file ``path`` it names ("... but keep b.txt", "except b.txt",
    "b.txt must be kept"): the same words by which ``deletes_the_file`` does not delete it."""
    at = action.find(path) if DELETING.search(action) else -1
    while at >= 0:
        # the words just before and after it say whether it is kept: not read back to the clause's start each time
        before, after = action[max(0, at - NEAR) : at], action[at + len(path) : at + len(path) + NEAR]
        if _spared(before) or _KEPT_AFTER.match(after):
            return True
        at = action.find(path, at + 1)
    return False


def _spared(before: str) -> bool:
    """Whether what follows ``before`` is what is kept from the deleting ("delete everything but", "all files
    except", "a.txt, not"): "Delete everything but notes.txt" deleted notes.txt alone. "nothing but", "none
    except" say what goes."""
    said = _SPARING.search(before)
    return said is not None and said.group("only") is None


def _a_place(before: str) -> bool:
    """Whether what follows ``before`` is where a thing is ("... from the", "... in"), not the thing."""
    said = [w for w in re.findall(r"[a-z]+", before.lower()) if w not in DETERMINERS]
    return bool(said) and said[-1] in PLACE_WORDS and said[-2:] not in (["rid", "of"], ["throw", "out"])


def object_words(action: str) -> list[str]:
    """The words of a clause up to where it says where ("remove the car | from the picture")."""
    said: list[str] = []
    for word in _WORD.findall(action.lower()):
        if word in PLACE_WORDS and said[-2:] != ["get", "rid"] and said[-1:] not in (["rid"], ["throw"]):
            break
        said.append(word)
    return said


_PLACED = frozenset({"first", "second", "third", "last", "other"})
# Words of pointing that say what a step made, never a file: "Summarize a.txt, then delete the result" deleted a.txt.
MADE_WORDS = frozenset(["result", "results", "output", "outputs", "resulting", "generated", "obtained", "produced"])
# Nouns that may name a file the user has, unnamed ("delete the backup", "remove the log"): asked, never refused.
FILE_NOUNS = frozenset(
    [
        "file",
        "files",
        "folder",
        "folders",
        "directory",
        "directories",
        "dir",
        "backup",
        "backups",
        "copy",
        "copies",
        "log",
        "logs",
        "archive",
        "archives",
        "document",
        "documents",
        "draft",
        "drafts",
        "version",
        "versions",
        "report",
        "reports",
        "attachment",
        "attachments",
        "download",
        "downloads",
        "upload",
        "uploads",
        "original",
        "originals",
        "duplicate",
        "duplicates",
        "one",
        "ones",
        "cache",
        "temp",
        "tmp",
        "zip",
    ]
)


def _points_at(said: list[str], path: str) -> bool:
    """Whether the words a clause deletes point at the file ``path``: a pronoun as the last of them ("delete it",
    "remove them all"; not "remove this car"), or a noun for the file as a whole, of its kind ("delete the photo"
    of photo.jpg; not "the first paragraph" of notes.txt, nor "the sound" of a video)."""
    if said[-2:] == ["each", "one"]:
        said = said[:-1]
    if len(said) > 1 and said[-1] == "one" and said[-2] in _PLACED:
        return True  # "delete the last one", "the other one": a file by where it was named (analysis.pointed)
    if len(said) > 1 and said[-1] in ("both", "each") and (DELETING.match(said[-2]) or said[-3:-1] == ["rid", "of"]):
        return True  # "delete both", "remove each (one)", "delete both of them": the files named, each of them
    while said and said[-1] in TRAILING:
        said = said[:-1]
    if said and said[-1] in ANAPHORA - TYPE_WORDS.keys() - MADE_WORDS:
        return True
    if said and said[-1] in ("original", "originals", "source"):
        return True  # "Translate notes.txt, then delete the original": the file the work before was given
    kinds = set(types_of(DataItem(kind="path", value=path))) - {"text"}
    return any(w in WHOLE_FILE_WORDS or TYPE_WORDS.get(w) in kinds for w in said)


def lost_last(nodes: list[PlanNode]) -> list[PlanNode]:
    """``nodes`` with each call losing what a file named holds (deleting it, writing it over) waiting for every other
    call that reads or writes that file and for all the work made of them, so what the file held goes only once
    everything done with it has succeeded (a failed call skips its dependents): "Copy notes.txt to b.txt and delete
    notes.txt" deleted notes.txt beside its read, before the copy was written; "Delete notes.txt, then summarize it"
    deleted it before reading it; "Translate notes.txt and overwrite notes.txt" wrote it over beside its read. A
    call ordered after a delete by the words alone is put before it ("then summarize it": no file is left to
    read); after a write, it stays after ("write 'hi' to a.txt, then read a.txt"), as does one taking its result.
    A write over the user's file keeps its undo: it puts back what the write replaced (planner.compensation_for)."""
    by_id = {n.id: n for n in nodes}
    users_of: dict[str, set[str]] = {}
    for node in nodes:
        if node.tool != "delete_file":
            for value in strings_within([node.args]):
                for said in {value, *value.split()}:
                    users_of.setdefault(posixpath.normpath(said), set()).add(node.id)
    reads = {n.id: {root for root, _ in iter_references(n.args)} & by_id.keys() for n in nodes}
    waiting = _waiting(by_id, reads)  # kept as edges change: rebuilt per call, a thousand deletes took a million steps
    for node in nodes:
        path = _lost(node)
        if path is None or not users_of.get(path):
            continue
        if node.tool == "delete_file":
            # a write of the file the words put after the delete makes it anew: it stays after ("Delete log.txt and
            # write 'started' to log.txt" wrote, then deleted what it wrote, attack140)
            later = _after({node.id}, waiting)
            users = {n for n in users_of[path] if n not in later or _written(by_id[n]) != path}
        else:
            users = {n for n in users_of[path] if _lost(by_id[n]) is None}
        using = _after(users, waiting)
        if node.tool == "delete_file":  # put before the delete what the words alone put after
            for n in using:
                if node.id in by_id[n].depends_on and node.id not in reads[n]:
                    kept = [d for d in by_id[n].depends_on if d != node.id]
                    by_id[n] = by_id[n].model_copy(update={"depends_on": kept})
                    waiting[node.id].discard(n)
        else:  # a read whose work the words put after the write reads what it wrote ("write 'hi' to a.txt, then ...")
            written = _after({node.id}, waiting)
            for n in users - {node.id}:
                if node.id not in (made := _after({n}, waiting)) and made & written:
                    by_id[n] = by_id[n].model_copy(update={"depends_on": sorted({*by_id[n].depends_on, node.id})})
                    waiting.setdefault(node.id, set()).add(n)
        before = using - _after({node.id}, waiting)
        last = {n for n in before if not before.intersection(waiting.get(n, ()))}
        update: dict[str, object] = {"depends_on": sorted({*by_id[node.id].depends_on, *last})}
        for n in last:
            waiting.setdefault(n, set()).add(node.id)
        by_id[node.id] = by_id[node.id].model_copy(update=update)
    return [by_id[n.id] for n in nodes]


def _lost(node: PlanNode) -> str | None:
    """The file named whose content ``node`` loses (deletes it, writes it over; an append keeps it), if any."""
    if node.tool != "delete_file" and (node.tool != "write_file" or node.args.get("mode", "overwrite") != "overwrite"):
        return None
    path = node.args.get("path")
    return posixpath.normpath(path) if isinstance(path, str) and not contains_reference(path) else None


def _written(node: PlanNode) -> str | None:
    """The file named that ``node`` writes (over it or at its end), if any."""
    path = node.args.get("path")
    if node.tool != "write_file" or not isinstance(path, str) or contains_reference(path):
        return None
    return posixpath.normpath(path)


def _waiting(by_id: dict[str, PlanNode], reads: dict[str, set[str]]) -> dict[str, set[str]]:
    """Per call, the calls waiting for it, by order or by taking its result."""
    waiting: dict[str, set[str]] = {}
    for node in by_id.values():
        for up in {*node.depends_on, *reads[node.id]}:
            waiting.setdefault(up, set()).add(node.id)
    return waiting


def _after(starts: set[str], waiting: dict[str, set[str]]) -> set[str]:
    """``starts`` and every call that waits for one of them."""
    found, todo = set(starts), list(starts)
    while todo:
        for n in waiting.get(todo.pop(), []):
            if n not in found:
                found.add(n)
                todo.append(n)
    return found


def unfit_to_take_away(card: ToolCard, action: str, paths: list[str], after_work: bool = False) -> str | None:
    """Why a tool cannot do a clause of taking away (``what_goes``): a file whole goes only by a tool deleting files
    ("Transcribe talk.wav, then delete the audio" denoised it), a part of one (a sentence, the notes in it) never by
    one, and only by a tool that says it takes away or edits ("remove the second sentence" measured sentence
    similarity); after other work (``after_work``), a thing named by no word of a file (the summary, the car) is
    what a step made or a thing in it, never a file. None when it may, or the clause takes nothing away."""
    goes = what_goes(action, paths)
    if goes == "file" and not takes_files_away(card):
        return "does not delete files, which the step asks"
    if goes == "part" and takes_files_away(card) and part_taken(action):
        # "Caption photo.jpg, then remove the first word": its path asked, a user answering photo.jpg lost it whole
        return "deletes files whole, and " + PART_TAKEN
    thing = no_file_said(action) if goes == "part" and takes_files_away(card) else ""
    if thing and (after_work or thing in MADE_WORDS):
        # "Summarize a.txt, then delete the summary", "Caption photo.jpg. Remove the car.": its path was asked, and a
        # user answering a.txt / photo.jpg lost the file, though what goes is what a step made or a thing in it
        return f"deletes files whole, and {NOT_A_FILE} ({thing!r})"
    # a deleter for a thing not said to be a part asks which file, where it is bound (binding, ``deletes_the_file``)
    if goes == "part" and not takes_files_away(card) and not TAKING_AWAY & does(card):
        return "says no taking away nor editing, which the step asks"
    return None


# How a delete pointing at no one file says so (``analysis.pointed``), as its condition.
FILE_UNSAID = "which file it deletes is not said"
PART_TAKEN = "the step takes a part of a file or a text away, not the file"
# Words after which a clause's object has ended: "delete it if it is empty", "remove the car when done".
_CLAUSE_ENDS = frozenset(
    [
        "if",
        "when",
        "whenever",
        "unless",
        "once",
        "because",
        "so",
        "after",
        "before",
        "since",
        "while",
        "until",
        "then",
        "that",
        "which",
    ]
)
NOT_A_FILE = "what the step takes away is what a step before made or a thing in it, not a file named"


def no_file_said(action: str) -> str:
    """The thing a deleting clause takes away when no word of it may be a file ("delete the summary", "remove the
    car", "remove the noise", "delete the result"), or "" when one may ("delete the backup", "remove the photo",
    "delete it", "delete the original") or it names a file: such a delete is asked, never refused."""
    said: list[str] = []
    for word in object_words(_NAMES.sub(" ", action)):
        if word in _CLAUSE_ENDS:
            break  # "delete it if it is empty": what follows is no object
        said += [word] if word not in DETERMINERS else []
    while said and said[-1] in TRAILING:
        said = said[:-1]
    if len(said) < 2 or _NAMES.search(action.replace(" and ", " ")):
        return ""  # the verb alone, or a file named
    # any word of it: "delete the file named in it", "everything it lists", "remove the photo", "delete them all"
    if any(_may_be_a_file(word) for word in said[1:]):
        return ""
    return said[-1]


_ANY_THING = frozenset({"everything", "anything", "something", "whatever", "rest", "other", "others"})


def _may_be_a_file(word: str) -> bool:
    """Whether ``word``, of what a clause deletes, may say a file: a noun of files, of how many or where named, of
    everything, a pointing word, or a kind of media a file is ("the photo"); not what a step made ("the result")."""
    if word in FILE_NOUNS or word in WHOLE_FILE_WORDS or word in _HOW_MANY or word in _PLACED or word in _ANY_THING:
        return True
    return word in ANAPHORA - MADE_WORDS or TYPE_WORDS.get(word, "text") != "text"


def part_refused(action: str) -> str:
    """Why no tool serves a clause taking away a part of what something holds ("delete every line of a.txt",
    "discard the changes to a.txt", "remove the first word"), or "" for any other clause: the nearest tool was one
    deleting files, and a tool deleting the file deletes all of it, which the user did not ask."""
    return f"{PART_TAKEN}, and no tool here does; deleting the file loses all of it" if part_taken(action) else ""


def file_unsaid(card: ToolCard, step_condition: str) -> str | None:
    """Why a tool deleting files does not serve a delete pointing at no one file ("Read a.txt and b.txt, then delete
    it"): which file is not said, not that it takes no text. None for any other tool or step."""
    if not step_condition.startswith(FILE_UNSAID) or not takes_files_away(card):
        return None
    return f"deletes a file, and {step_condition}"
