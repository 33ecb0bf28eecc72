"""A file that says where a thing goes is never the thing sent or written (attack330). Read on the request with its
data taken out, before it is cut into clauses.

"Text a.txt to the number in b.txt" texted b.txt as well as a.txt; "Email a.txt to the person named in b.txt" e-mailed
both files' text joined; "Write the contents of a.txt to the path in b.txt" wrote both; "Save a.txt under the name
given in b.txt" wrote b.txt's text over a.txt; "Write hello to the path in b.txt" wrote over b.txt. b.txt says where
(a number, a person, a path), not what. No step reads a recipient or a path out of a file reliably (a file's text is
whatever it holds, a line end or many lines), so the place is asked for, with why, and b.txt is named to no step:
what is sent or written is what the rest of the request says.

Only a place said as where the work goes ("to", "at", "into", "under", "as" the number/person/path ... in the file),
or as who a send goes to ("Text the number in b.txt"): "Email the numbers in b.txt to bob@x.com" sends what b.txt
holds, "Write a.txt to b.txt" copies it, "the file named in b.txt" is `pointed.NAMED_IN_A_FILE`'s.
"""

from __future__ import annotations

import re

from orchestra.analysis.data import Extracted
from orchestra.lazy_regex import lazy_compile

# What a place is said as: who a send goes to, or where a write goes ("the phone number", "the output path")
_WHO = (
    r"(?:(?:phone|mobile|cell|telephone|e-?mail|contact|postal|mailing|web)\s+)?(?:numbers?|address(?:es)?)"
    r"|persons?|people|recipients?|contacts?|users?|e-?mails?|handles?|accounts?|channels?|whoever|whomever|someone"
    r"|everyone|everybody|anyone|anybody"
)
_WHERE = (
    r"(?:(?:output|target|destination|save|full|file)\s+)?(?:paths?|locations?|places?|destinations?|folders?"
    r"|director(?:y|ies)|dirs?|names?|file\s*names?|urls?|links?|endpoints?)"
)
_ANYONE = frozenset("whoever whomever someone everyone everybody anyone anybody".split())
_PATH_SAID = r"(?:(?:output|target|destination|save|full|file)\s+)?(?:locations?|places?|destinations?|folders?|director(?:y|ies)|dirs?|names?|file\s*names?)"
_NOUN = rf"(?:(?:the|a|each|every|whatever|whichever|all\s+the)\s+)?(?P<noun>{_WHO}|{_WHERE})"
_FILE = r"(?:the\s+(?:file\s+)?)?(?P<{}>@p\d+)"
# "the number in @p1", "the person named in @p1", "whoever is listed in @p1", "the path given by the file @p1"
_HELD_IN = (
    r"(?:\s+(?:on|in|from)\s+the\s+list)?(?:\s+(?:(?:that|who|which)\s+)?(?:is|are)?\s*(?:named|listed|given|written|found|stored|kept|held|saved|"
    r"specified|mentioned|contained|set|shown|noted|recorded|put|typed)?)?\s+(?:in|inside|within|from|on|by|of)\s+"
    + _FILE.format("file")
)
# "the number @p1 holds", "whoever @p1 names", "the path that @p1 gives"
_HOLDS = (
    r"\s+(?:(?:that|which)\s+)?"
    + _FILE.format("holder")
    + r"\s+(?:names|lists|gives|holds|contains|says|specifies|mentions|has|points\s+to|refers\s+to)\b"
)
_PLACE = rf"{_NOUN}(?:{_HELD_IN}|{_HOLDS})"
# Where the work goes: "to the number in @p1", "under the name given in @p1", "as the file name @p1 holds"
_GOES_TO = lazy_compile(rf"(?<![\w-])(?P<to>to|at|in|inside|into|onto|under|as)\s+{_PLACE}", re.IGNORECASE)
# Verbs of sending or writing, said before the place in its sentence: "compare a.txt to the numbers in b.txt", "look
# at the names in b.txt" go nowhere, b.txt is what they work on
_SENDS_OR_WRITES = lazy_compile(
    r"\b(?:text|texts|sms|email|e-mail|mail|send|forward|post|message|dm|share|deliver|write|save|store|put|place|copy"
    r"|move|output|dump|export|upload|submit|publish|push|transmit|notify)\b",
    re.IGNORECASE,
)
_SENTENCE_START = lazy_compile(r".*(?:[.;!?]|\bthen\b)", re.IGNORECASE | re.DOTALL)
# Who a send goes to, said as its object: "text the number in @p1", "email whoever @p1 names" (not "email the numbers
# in @p1 to bob", what it holds sent)
_SENT_TO = lazy_compile(
    rf"(?<![\w-])(?P<to>text|sms|call|phone|ring|message|email|e-mail|mail|dm|notify|contact)\s+{_PLACE}"
    r"(?!\s+to\b)",
    re.IGNORECASE,
)


def places_in_files(extracted: Extracted) -> tuple[str, list[str]]:
    """``extracted``'s text with each place said by what a file holds said without the file ("to the number"), and
    a note per place saying why it is asked for."""
    notes: list[str] = []

    def unnamed(match: re.Match[str], sent: bool) -> str:
        before = match.string[: match.start()]
        opened = _SENTENCE_START.match(before)
        if not sent and not _SENDS_OR_WRITES.search(before, opened.end() if opened else 0):
            return match.group(0)
        noun = " ".join(match.group("noun").split())
        noun = "recipient" if noun.lower() in _ANYONE else noun
        held = " ".join(extracted.show(match.group(0)[len(match.group("to")) :]).split())
        file = extracted.written[int((match.group("file") or match.group("holder"))[2:])]
        notes.append(
            f"{held!r} says where, not what: {file} is not what is sent or written, and no step reads a {noun} out "
            f"of a file; the {noun} is asked for"
        )
        # "to the location": a word that chose a map's tool; where a file goes is its path
        said = "path" if re.fullmatch(_PATH_SAID, noun, re.IGNORECASE) else noun
        return f"{match.group('to') if sent else 'to'} the {said}"

    # "save a.txt under the name": a.txt was read as the file saved over; "to" says where it goes
    text = _GOES_TO.sub(lambda match: unnamed(match, sent=False), extracted.text)
    return _SENT_TO.sub(lambda match: unnamed(match, sent=True), text), notes


# A sentence saying a file holds where the work goes, or which file it is: "@p0 says where to save", "the path is in
# @p0", "@p0 lists the target file", "the file name is in @p0", "@p0 holds the path"
_NAMED_THING = (
    r"(?:(?:output|target|destination|save|full|file|right|correct)\s+)*(?:path|location|place|destination|folder"
    r"|directory|file\s*name|name|file|url|address)"
)
_LOCATES = lazy_compile(
    r"(?:^|(?<=[.;!?\n]))\s*(?:"
    rf"(?:the\s+)?(?:file\s+)?@p(?P<holder>\d+)\s+(?:says|tells|gives|holds|contains|has|lists|names|specifies"
    rf"|knows|shows|points\s+to|is\s+where)\s+(?:(?:where|which|what)\b[^.;!?\n]*|(?:the|a)\s+{_NAMED_THING}\b[^.;!?\n]*)"
    rf"|(?:the\s+)?{_NAMED_THING}\b\s*(?:(?:to\s+use|to\s+write(?:\s+to)?|to\s+delete|we\s+want|i\s+want)\s+)?"
    r"(?:is|are)\s+(?:(?:listed|written|given|stored|kept|said|saved|noted|found)\s+)?(?:in|inside|within|on)\s+"
    r"(?:the\s+file\s+)?@p(?P<in>\d+)\s*"
    r")(?P<end>[.;!?\n])",
    re.IGNORECASE,
)
# The next sentence's word pointing back at what that file says: "write hello there", "write hello to it", "delete it"
# (only work that changes or sends a file: "read it" may mean the file that says, and reading it harms nothing)
_WRITES_THERE = lazy_compile(
    r"(?P<verb>(?<![\w-])(?:write|save|store|put|append|copy|move|output|dump)\b[^.;!?\n]*?)\s+"
    r"(?:there|(?:to|into|in|inside)\s+(?:it|that|that\s+(?:file|path|place|location)|the\s+(?:file|path)|this\s+file))"
    r"(?=\s*(?:$|[.;,!?\n]|\s(?:too|also|please|then|and)\b))",
    re.IGNORECASE,
)
_ACTS_ON_IT = lazy_compile(
    r"(?P<verb>(?<![\w-])(?:delete|remove|erase|rm|trash|unlink|overwrite|wipe|clear|empty|truncate|send"
    r"|upload|email|post)\s+)(?:it|that(?:\s+file)?|the\s+file|this\s+file)\b",
    re.IGNORECASE,
)


def pointed_to_a_place_held(extracted: Extracted) -> Extracted:
    """``extracted`` with a sentence saying a file holds where the work goes ("@p0 says where to save") folded into the
    next sentence's word pointing back at it: "write hello there" is "write hello to the path in @p0", "delete it" is
    "delete the file named in @p0" (attack350: @p0, the file that says where, was written over or deleted)."""
    text = extracted.text
    for found in reversed(list(_LOCATES.finditer(text))):
        holder = found.group("holder") or found.group("in")
        rest = text[found.end() :]
        cut = re.search(r"[.;!?\n]", rest)
        sentence, after = (rest, "") if cut is None else (rest[: cut.start()], rest[cut.start() :])
        said = _WRITES_THERE.sub(rf"\g<verb> to the path in @p{holder}", sentence, count=1)
        if said == sentence:
            said = _ACTS_ON_IT.sub(rf"\g<verb>the file named in @p{holder}", sentence, count=1)
        if said != sentence:
            text = f"{text[: found.start()]} {said}{after}"
    extracted.text = text
    return extracted
