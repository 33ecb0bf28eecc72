"""A send whose recipient comes right after its verb ("Email bob@x.com the numbers in b.txt", "Send me the lines in
a.txt", "Email Bob the report in r.txt"): the rest is what is sent, so a file "in" names is its source, never where
it goes (b.txt was read as the e-mail's destination since no "to" followed, plan344)."""

from __future__ import annotations

from orchestra.analysis.words import base_verb

# Verbs handing a thing to a person or a service.
TO_A_PERSON = frozenset("send share submit forward email e-mail mail message text dm deliver hand".split())

# Words opening the thing sent: after the recipient in "Email Bob the report", or the thing itself ("Send the report").
_OPENS_A_THING = frozenset("the a an my our your his her their its this that these those all some every".split())
_PERSONS = frozenset("me us him her them you".split())


def recipient_first(said: list[str]) -> bool:
    """Whether the words ``said`` (lowercased, a placeholder as its letter and number: "e", "0") hold a sending verb
    whose first object is a recipient, the thing sent after it."""
    for n, word in enumerate(said):
        if base_verb(word) not in TO_A_PERSON:
            continue
        after = said[n + 1 :]
        if len(after) >= 3 and len(after[0]) == 1 and after[1].isdigit():  # a placeholder: "@e0" -> "e", "0"
            after = [after[0], *after[2:]]
        if len(after) >= 2 and after[0] not in _OPENS_A_THING and after[1] in _OPENS_A_THING:
            return True
        if after and after[0] in _PERSONS:
            return True
    return False
