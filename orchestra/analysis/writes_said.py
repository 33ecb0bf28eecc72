"""A write said in other words, and the words it writes said bare (attack309). Read on the request with its data
taken out, before it is cut into clauses.

- "Put hello in b.txt", "output hello to b.txt", "dump it into b.txt": a verb of putting, with a file to put it in,
  writes there as "write" does. No tool says "put" (no step was found) or "output" (an image maker was).
- "make a file b.txt containing hello", "create b.txt with 'hello'", "make a file b.txt containing the summary of
  a.txt": a file made with what it holds is written (b.txt was read, and what it held written to a place asked for).
- "Add hello to b.txt": appended, as "append" does (no step was found).
- "Put hello in b.txt", "Overwrite b.txt with hello", "store the text hello in d.txt": the words written, said
  without quotes, are what is written, as quoted ones are (they were asked for). Words that may name something made
  or held ("the summary", "it", "notes", "everything") are not taken: what they mean is asked, as before.
- "Execute: ls -la", "Run this: 'make test'": a colon after a verb of running says what is run comes next, as
  without it (no step was found).
"""

from __future__ import annotations

import re

from orchestra.analysis.data import _QUOTES, MASK, PLACEHOLDER, Extracted, extract
from orchestra.analysis.models import DataItem
from orchestra.analysis.place_in_a_file import places_in_files, pointed_to_a_place_held
from orchestra.analysis.words import ANAPHORA, FILE_TYPES, LANGUAGES, STOP_WORDS, TYPE_WORDS, VERBS, work_noun
from orchestra.lazy_regex import lazy_compile

# Nouns that may name what a step made or a file holds: written bare, they are no text of their own.
_HELD_NOUNS = frozenset(
    """text texts content contents result results output outputs file files data answer answers response responses
    note notes copy copies version versions list lists report reports summary caption captions transcript transcripts
    translation translations words word line lines message messages string strings everything same rest""".split()
)
_SAID_AS = r"(?:the\s+)?(?:text|word|words|string|line|phrase|message|content|contents)\s+"  # "the text hello"
_BARE = r"[^\s@,;.!?:'\"`()\[\]{}]+(?:\s+[^\s@,;.!?:'\"`()\[\]{}]+){0,5}?"  # up to six words, no data, no stop
# "the word delete", "the phrase hello world": words said to be words, whatever they are (a verb too)
_WORDS_SAID = r"(?:the\s+)?(?:word|words|string|phrase)\s+"
# What work makes of a file or of what came before: "the summary of @p0", "a translation of it" ("Put the summary of
# @p0 in @p1" found no writer: a similarity tool compared the summary with @p1)
_MADE_OF = r"(?:the|a|an)\s+[a-z]+\s+of\s+(?:the\s+file\s+)?(?:@p\d+|it|them|this|that)"
_MADE_OF_SAID = lazy_compile(_MADE_OF, re.IGNORECASE)
_CONTENT = rf"(?P<as_said>(?P<as_words>{_WORDS_SAID})|{_SAID_AS})?(?P<said>@q\d+|@p\d+|{_MADE_OF}|{_BARE})"
_PLACE = r"(?:the\s+)?(?:file\s+)?(?P<file>@p\d+)\b"
# What a file is set to that is no text in it: "set @p0 to read-only", "set it to 644", "set it to uppercase"
_STATES = (
    r"read-?only|read|write|writ(?:e)?able|executable|private|public|hidden|visible|empty|blank|nothing|null|zero"
    r"|utf-?8|utf-?16|ascii|latin-?1|unicode|upper-?case|lower-?case|title-?case|\d+|[a-z]+ed\b"
)
_INTO = r"(?:in|into|inside|to|onto)"
_ENDS = r"(?=\s*(?:$|[,;.!?]|(?:and|then|but|if|unless|whether|so)\b))"
# "write hello to the path": a place the request does not name (asked), said so where a file said it (`place_in_a_file`)
_UNNAMED_PLACE = rf"(?P<unnamed>the\s+(?:path|file\s*name|name|location|destination|folder|directory)){_ENDS}"

_PLACE_UNSAID = lazy_compile(rf"\b(?:in|into|inside|to|onto|under|as|at)\s+{_UNNAMED_PLACE}", re.IGNORECASE)


def place_unsaid(action: str) -> str | None:
    """Where a write goes said in words that name no place ("to the path", "under the name" a file gives, asked):
    the words, or None."""
    found = _PLACE_UNSAID.search(action)
    return None if found is None else found.group(0)


# "put hello in @p0", "output it to @p0", "store the text hello in @p0", "write hello to @p0"
_PUT_IN = lazy_compile(
    rf"(?<![\w-])(?P<verb>put|place|output|dump|write|save|store|append|add|type|enter|paste|print|record|jot)"
    rf"(?:\s+(?:down|out))?\s+{_CONTENT}\s+(?P<to>in|into|inside|to|onto|as)\s+(?:{_PLACE}|{_UNNAMED_PLACE})",
    re.IGNORECASE,
)
# "write the text in @p0 to @p1": what @p0 holds is what is written (@p0 was written over, the text asked)
_HELD_WRITTEN = lazy_compile(
    r"(?<![\w-])(?:write|save|store|put|place|output|dump|copy)\s+(?:all\s+)?(?:of\s+)?the\s+(?:text|contents?|words"
    r"|lines|data|list)\s+(?:in|inside|within|of|from)\s+(?:the\s+)?(?:file\s+)?"
    rf"(?P<file>@p\d+)\s+(?P<to>{_INTO})\s+(?P<dest>@p\d+)\b",
    re.IGNORECASE,
)
# Files listed after the place a write goes: ", @p1 and @p2", " and in @p1"
_LISTED_AFTER = lazy_compile(
    r"(?:\s*(?:,(?:\s*and\b)?|\band\b)\s*(?:(?:in|into|inside|onto|to)\s+)?@p\d+\b)+", re.IGNORECASE
)
_PUTTING = frozenset("put place output dump type enter paste print record jot".split())  # said as "write"
# Verbs of putting words in that are edits too ("enter the password in @p0" is a field of it): words said only
_TYPING = frozenset("type enter paste print record jot".split())
# "add hello to @p0": what is added goes after what the file holds (no tool says "add": none was found)
_ADDING = frozenset({"add"})
# What a file made holds, said as work done on data: "the summary of @p1", "a translation of it"
_WORK_OF_DATA = r"(?:(?:the|a|an)\s+)?[a-z]+\s+of\s+(?:@[a-z]\d+|it|them)\b"
# "overwrite @p0 with hello", "fill @p0 with the text hello"
_OVER_WITH = lazy_compile(
    rf"(?<![\w-])(?P<verb>overwrite|fill|populate|replace)\s+{_PLACE}\s+with\s+{_CONTENT}{_ENDS}", re.IGNORECASE
)
# A write's words and place, then more of them said without the verb: "write @q0 to @p0 and goodbye to @p1",
# "write @q0 to @p0, bye to @p1 and ciao to @p2" (each went to the last file with the first words)
_AND = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:(?:then|also|now)\s+)?"
_MORE_SAID = lazy_compile(
    rf"(?P<before>(?<![\w-])(?:write|append|save|store)\s+@q\d+\s+{_INTO}\s+@p\d+(?:{_AND}@q\d+\s+{_INTO}\s+@p\d+)*{_AND})"
    rf"(?!(?:write|append|save|store|and|then|also|now)\s){_CONTENT}\s+(?P<to>{_INTO})\s+(?P<file>@p\d+)\b",
    re.IGNORECASE,
)
# The same words written again, said with their place only: "write @q0 to @p0 and then to @p1", "save @q0 in @p0, and
# also into @p1" (the second place was read as a step of its own, "to @p1", which no tool serves)
_AGAIN_TO = lazy_compile(
    rf"(?P<before>(?<![\w-])(?P<verb>write|append|save|store)\s+@q(?P<said>\d+)\s+{_INTO}\s+@p\d+"
    rf"(?:{_AND}{_INTO}\s+@p\d+)*{_AND})(?P<to>{_INTO})\s+(?P<file>@p\d+)\b",
    re.IGNORECASE,
)
# Other words for a file's text made what is said: "replace the contents of @p0 with hello", "make @p0 say hello",
# "set @p0 to hello", "change the text of @p0 to hello", "update @p0 to read hello" (no tool was found for any)
_SAID_OVER = [
    lazy_compile(rf"(?<![\w-])(?:{said_before})\s+{_CONTENT}{_ENDS}", re.IGNORECASE)
    for said_before in (
        rf"(?:replace|change|set|update)\s+(?:the\s+)?(?:contents?|text)\s+(?:of|in)\s+{_PLACE}\s+(?:with|to)",
        rf"(?:make|have|get)\s+{_PLACE}\s+(?:say|read|contain|hold|show)",
        rf"(?:set|change|update)\s+{_PLACE}\s+to\s+(?:say|read|contain|hold|show)",
        rf"set\s+{_PLACE}\s+to(?!\s+(?:{_STATES})(?![\w-]))",
    )
]
# "make a file @p0 containing hello", "create a new file called @p0 with the text @q0", "create @p0 with @q0"
_MADE_HOLDING = lazy_compile(
    r"(?<![\w-])(?:create|make|generate|produce)\s+(?:(?:a|an|the)\s+)?(?:(?:new|text|plain)\s+)*(?:file\s+)?"
    r"(?:(?:called|named)\s+)?(?P<file>@p\d+)\s+(?:containing|holding|saying|(?:that|which)\s+(?:contains|says|reads)"
    rf"|with(?:\s+(?:the\s+)?(?:text|content|contents|words?|line|message))?)\s+(?P<said>@q\d+|{_WORK_OF_DATA}|{_BARE})"
    rf"{_ENDS}",
    re.IGNORECASE,
)
# "Execute: ls -la", "run this: @q0", "run the following command: ls": opening a clause
_RUN_COLON = lazy_compile(
    r"(?:^|(?<=[.!?;,\n])|(?<=\band\s)|(?<=\bthen\s)|(?<=\bplease\s))(\s*)(run|execute|exec)"
    r"(\s+(?:this|these|the\s+following)?\s*(?:(?:shell\s+)?(?:command|script)s?)?)?\s*:\s*(?=\S)",
    re.IGNORECASE,
)


# A word of how work went, written alone ("Write done to @p0", "put no in @p1"): its words, though "done" and "no"
# are stop words and "complete" a verb (the write was read as of a file named elsewhere, or asked what to write)
_STATUS = frozenset("done no complete completed started finished failed ok okay yes".split())


def _literal(said: str) -> bool:
    """Whether bare words said to be written are a text of their own, not a name of something made or held."""
    if said.lower() in _STATUS:
        return True
    for word in said.split():
        lowered = word.lower()
        if (
            lowered in STOP_WORDS
            or lowered in ANAPHORA
            or lowered in _HELD_NOUNS
            or lowered in TYPE_WORDS
            or lowered in LANGUAGES
            or lowered in VERBS
            or work_noun(lowered)
        ):
            return False
    return True


def _a_medium(extracted: Extracted, placeholder: str) -> bool:
    """Whether a file placeholder names a picture, a sound or a video: what is put in one is no text written."""
    value = str(extracted.items[int(placeholder[2:])].value)
    return FILE_TYPES.get(value.rsplit(".", 1)[-1].lower()) in {"image", "audio", "video"}


def _as_data(extracted: Extracted, match: re.Match[str], after_a_write: bool = False) -> str | None:
    """What ``match`` says is written, a placeholder already or bare words: as a placeholder, the words made a text
    item if literal ("the word delete": any word said to be one; "and no to @p1" after a write, a word alone); None
    where it is a file said unquoted."""
    said = match.group("said")
    if (at := PLACEHOLDER.fullmatch(said)) is not None:
        number = int(at.group(2))
        if at.group(1) != "p":
            return said
        if not extracted.whole[number].startswith(_QUOTES):
            return None  # "put a.txt in b.txt": a file, its text or itself, as the request says elsewhere
        # "write 'b.txt' to a.txt": a quote is the words written, not a file read (b.txt was copied)
        extracted.items[number] = DataItem(kind="text", value=extracted.written[number])
        return f" @q{number} "
    told = match.groupdict().get("as_words") is not None and _words_of_their_own(said)
    told = told or (after_a_write and _a_word_alone(said))
    if not (told or _literal(said)):
        return said
    return f" @q{extracted.add(DataItem(kind='text', value=said), said)} "


def _a_word_alone(said: str) -> bool:
    """Whether ``said``, after a write's words and place ("write yes to @p0 and no to @p1"), is one word written as it
    is: not one naming something ("it", "the summary", "everything") nor one of order ("then", "again")."""
    return re.fullmatch(r"[a-z0-9]+", said.lower()) is not None and said.lower() not in _NOT_ALONE


_NOT_ALONE = ANAPHORA | _HELD_NOUNS | frozenset("then also again too now back nothing none more less".split())


def _words_of_their_own(said: str) -> bool:
    """Whether words said to be words ("the word delete") are those words, not words of something ("the words of
    it", "the words it holds")."""
    said_words = said.lower().split()
    return said_words[0] not in STOP_WORDS and not ANAPHORA & set(said_words)


def writes_said(extracted: Extracted) -> Extracted:
    """``extracted`` with its writes said in other words said with "write", and the bare words they write taken
    as text items; a colon after a verb of running dropped (the request read again, then)."""
    extracted = _run_colon_dropped(extracted)
    if (listed := _BOTH.sub(lambda m: m.group("to"), extracted.text)) != extracted.text:
        extracted = _said_again(extracted, listed)  # read again: each place listed is one written
    extracted = pointed_to_a_place_held(extracted)  # "@p0 says where to save. Write hello there": @p0 says where
    extracted.text = _NAME_SAID.sub(lambda m: _name_as_words(extracted, m), extracted.text)
    placed, held_places = places_in_files(extracted)  # "text a.txt to the number in b.txt": b.txt is not sent
    if held_places:
        extracted = _said_again(extracted, placed)
    text = extracted.text

    def put_in(match: re.Match[str]) -> str:
        place = match.group("file") or match.group("unnamed")
        if match.group("file") and _a_medium(extracted, place):
            return match.group(0)  # "put a hat on the cat in @p0" (a photo) edits it
        said_verb = match.group("verb").lower()
        verb = "write" if said_verb in _PUTTING else "append" if said_verb in _ADDING else match.group("verb")
        said = _as_data(extracted, match)
        if said is None or (
            (match.group("to").lower() == "as" or said_verb in _TYPING)
            and said == match.group("said")
            and not PLACEHOLDER.fullmatch(said)
        ):
            return match.group(0)  # "save the summary as @p0", "save @p1 as @p0": as read before
        if match.group("file"):
            # the files listed after the place are places too ("put hello in @p0 and @p1"), as after "to" (@p1 was
            # read as the text written, and @p0 alone written)
            # (so is the place alone after work made of a file: "put the summary of @p0 in @p1" was read with @p1
            # as what the summary is compared with; "write the numbers in @p0 to @p1" reads @p0)
            listed = _LISTED_AFTER.match(match.string, match.end())
            if listed is not None or _MADE_OF_SAID.fullmatch(said):
                places = f"{place}{listed.group(0) if listed is not None else ''}"
                extracted.sent_to.update(int(n) for n in re.findall(r"@p(\d+)", places))
        return f"{verb} {said} {match.group('to')} {place}"

    def over_with(match: re.Match[str]) -> str:
        verb = match.groupdict().get("verb") or "overwrite"
        verb = "overwrite" if verb.lower() in ("fill", "populate") else verb  # "fill @p0 with hello": no tool found
        said = _as_data(extracted, match)
        return match.group(0) if said is None else f"{verb} {match.group('file')} with {said}"

    def made_holding(match: re.Match[str]) -> str:
        said = _as_data(extracted, match)
        return match.group(0) if said is None else f"write {said} to {match.group('file')}"

    text = _MADE_HOLDING.sub(made_holding, text)
    if text != extracted.text and _WRITTEN_FROM_DATA.search(text):
        # "write the summary of @p1 to @p0": the data named again in the order now said, the source first (read in
        # the old order, the file made was read as the summary's source, and written to a place asked for)
        extracted = _said_again(extracted, text)
        text = extracted.text

    def more_said(match: re.Match[str]) -> str:
        said = _as_data(extracted, match, after_a_write=True)
        if said is None or said == match.group("said"):
            # "write @q0 to @p0 and the summary to @p1", "write @q0 to @p0 and @p1 to @p2": a write of its own, of
            # what the words name or the file holds (@q0 was written; @p1, a source, was written over with it)
            verb = match.group("before").split()[0].lower()
            if (named := PLACEHOLDER.fullmatch(match.group("said"))) is not None:
                extracted.sent_to.discard(int(named.group(2)))  # read as a place with @p0 where the verb was unsaid
            return f"{match.group('before')}{verb} {match.group(0)[len(match.group('before')) :]}"
        return f"{match.group('before')}{said.strip()} {match.group('to')} {match.group('file')}"

    held = _HELD_WRITTEN.sub(lambda m: f"write  {m.group('file')}  {m.group('to')}  {m.group('dest')} ", text)
    if held != text:  # read again, the file written from a file, as "write @p0 to @p1" is
        extracted = _said_again(extracted, held)
        text = extracted.text

    def again_to(match: re.Match[str], verb: str | None = None) -> str:
        number = int(match.group("said"))
        again = extracted.add(DataItem(kind="text", value=extracted.items[number].value), extracted.whole[number])
        return (
            f"{match.group('before')}{verb or match.group('verb')} @q{again} {match.group('to')} {match.group('file')}"
        )

    text = _PUT_IN.sub(put_in, text)
    text = _IT_AGAIN.sub(lambda m: again_to(m, "write" if m.group("verb").lower() in ("put", "copy") else None), text)
    while (said_more := _MORE_SAID.sub(more_said, text)) != text:
        text = said_more

    again = text
    while (said_again := _AGAIN_TO.sub(again_to, text)) != text:
        text = said_again
    if text != again:  # read again: where the words go again is a place as where they went first ("store x in b.txt")
        extracted = _said_again(extracted, text)
        text = extracted.text
    for said_over in [_OVER_WITH, *_SAID_OVER]:
        text = said_over.sub(over_with, text)
    extracted.text = text
    extracted.notes += held_places  # after the last reading again, which makes its notes anew
    return extracted


# "write hello to both @p0 and @p1", "to each of @p0 and @p1": the places listed, each written (the word before them
# hid the list: the last was read as the source, its text written into the first)
_BOTH = lazy_compile(
    rf"(?P<to>\b{_INTO}\s+)(?:both|each\s+of|all\s+of|all|every\s+one\s+of)\s+(?:the\s+)?(?:files\s+)?"
    r"(?=@p\d+\s*(?:,\s*@p\d+\s*)*,?\s*and\s+@p\d+)",
    re.IGNORECASE,
)
# The words written, written again as "it": "write @q0 to @p0. Write it to @p1 too", "save @q0 in @p0, then copy it
# to @p1" (the write's result, its path, was written to @p1: the name a.txt, not hello)
_IT_AGAIN = lazy_compile(
    rf"(?P<before>(?<![\w-])(?:write|append|save|store)\s+@q(?P<said>\d+)\s+{_INTO}\s+@p\d+\s*(?:[.;,]\s*)?"
    rf"(?:(?:and|then|also|now|please)\s+)*)(?P<verb>write|append|save|store|put|copy)\s+(?:it|that|the\s+same)"
    rf"\s+(?:(?:again|too|also)\s+)?(?P<to>{_INTO})\s+(?P<file>@p\d+)\b",
    re.IGNORECASE,
)
# A file's name said as a name: "write the name config.json to @p1", "send the file name a.txt to @u0", "write the
# word report.txt to @p1" (the file was read and its text written or sent, where its name was asked)
_NAME_SAID = lazy_compile(
    r"(?P<before>(?<![\w-])(?:write|save|store|put|send|post|email|mail|text|append|add|type|enter|record|print|output)"
    r"\s+(?:(?:just|only)\s+)?(?:the\s+|its\s+)?(?:(?:file|folder|directory)\s*name|filename|name|path|file\s*path|word)"
    r"\s+)(?:(?:of\s+)?(?:the\s+)?(?:file|folder)\s+)?@p(?P<said>\d+)\b"
    r"(?!\s+(?:holds|names|lists|contains|gives|says|has|points|refers|specifies|mentions)\b)",  # the path a.txt holds
    re.IGNORECASE,
)


def _name_as_words(extracted: Extracted, match: re.Match[str]) -> str:
    """``match`` with the file it names made the words of its name (a text item)."""
    number = int(match.group("said"))
    extracted.items[number] = DataItem(kind="text", value=extracted.written[number])
    extracted.sent_to.discard(number)
    return f"{match.group('before')}@q{number}"


_WRITTEN_FROM_DATA = lazy_compile(rf"\bwrite\s+{_WORK_OF_DATA}\s+to\s+@p\d+", re.IGNORECASE)


def _said_again(extracted: Extracted, text: str) -> Extracted:
    """``text`` (``extracted``'s, said otherwise) with its data read again, numbered in the order it now has."""
    return extract(PLACEHOLDER.sub(lambda m: extracted.whole[int(m.group(2))], text).replace(MASK, "@"))


def _run_colon_dropped(extracted: Extracted) -> Extracted:
    """The request read again without the colon after a verb of running ("Execute: ls -la"), so what follows is
    read as the command it is; as it was when there is none."""

    def said_plain(match: re.Match[str]) -> str:
        named = " the command" if match.group(3) and re.search(r"command|script", match.group(3), re.I) else ""
        return f"{match.group(1)}{match.group(2)}{named} "

    cut = _RUN_COLON.sub(said_plain, extracted.text)
    return extracted if cut == extracted.text else _said_again(extracted, cut)
