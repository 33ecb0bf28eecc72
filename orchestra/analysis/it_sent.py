"""What "it" sends after work making text of a picture, a sound or a film: "Caption photo.jpg and upload it" uploaded
the caption, though "it" may be the photo (a picture is a thing one uploads, e-mails or shares whole), and "Transcribe
talk.wav and email it" may mean the recording; "Caption photo.jpg and email the photo" e-mailed the caption. Asked, as
a thing made of a file sent with no step making it is (`derived_sent`): what it sends is the user's to say ("upload the
caption"). After work on a text ("Summarize notes.txt and post it") or making the same medium ("Denoise talk.wav and
upload it") "it" is the result.
"""

from __future__ import annotations

import re

from orchestra.analysis.data import types_of
from orchestra.analysis.models import DataItem, TaskStep
from orchestra.analysis.part_sent import SENT_UNSAID
from orchestra.analysis.secrets_sent import SENDING
from orchestra.analysis.words import TYPE_WORDS, words
from orchestra.lazy_regex import lazy_compile

MEDIA = frozenset({"image", "audio", "video"})
_POINTERS = frozenset({"it", "this"})
# "email the photo" after its caption: the picture, which the step was given the caption of
_MEDIA_WORDS = frozenset(w for w, kind in TYPE_WORDS.items() if kind in MEDIA)
# What a step makes, said by a noun of the file ("a caption of photo.jpg"): "it" after it is that
_MADE_NAMED = lazy_compile(r"\b(?:the|a|an|its)\s+(?:[a-z]+\s+)?[a-z]+\s+(?:of|for|from)\b", re.IGNORECASE)
_NAMES = lazy_compile(r"\S*[./:@]\S*")  # files, pages and addresses: no words of the clause


def it_sent(steps: list[TaskStep]) -> list[str]:
    """Each step sending "it" right after a step that makes text of a picture, a sound or a film is asked, with why."""
    by_id = {s.id: s for s in steps}
    notes: list[str] = []
    for step in steps:
        # a share is a send whatever its step was marked ("share it": post_message)
        if not {step.capability, *step.keywords} & SENDING or step.condition:
            continue
        said = set(words(_NAMES.sub(" ", step.action)))  # "post the caption of photo.jpg": no photo said
        if any(d.kind == "path" for d in step.data) or not _POINTERS & said | _MEDIA_WORDS & said:
            continue  # "upload photo.jpg", "email the caption": what it sends is said
        taken = [by_id[d] for d in step.depends_on if d in by_id and d not in step.only_after]
        source = _media_made_other(taken[0]) if len(taken) == 1 else None
        if source is None or _MADE_NAMED.search(_NAMES.sub(" ", taken[0].action)):
            continue  # "upload a caption of photo.jpg" is read "get a caption of photo.jpg, upload it": the caption
        why = f"it may be {str(source.value)!r} or what {taken[0].action!r} makes"
        step.condition = f"{SENT_UNSAID}: {why}"
        notes.append(
            f"step {step.id!r} ({step.action!r}) does not say what it sends: {why}, which no call sends as it is; "
            "what it sends is asked for (name the result to send it: 'the caption', 'the transcript')"
        )
    return notes


def _media_made_other(step: TaskStep) -> DataItem | None:
    """The one picture, sound or film ``step`` works on, when what it makes is of no medium of it."""
    files = [d for d in step.data if d.kind == "path" and MEDIA & set(types_of(d))]
    if len(files) != 1 or MEDIA & set(types_of(files[0])) & set(step.produces):
        return None
    return files[0]
