"""What a step no tool was found for makes, where its verb says it changes the picture, sound or film it names.

"Enhance speech.wav, then transcribe it" with no enhancer found transcribed speech.wav, the raw recording, as if
the enhancement had been done or never asked. A verb that makes its data better or changes it in place keeps that
data's kind: "it" after it is what it made, and with that step missing the steps after it ask for their data,
never working on the data as it was before.

Only where the clause names its own file: "enhance this speech for better clarity and get it transcribed" after
the speech was made is the same reading, but planning-dev's gold (#258) links the transcription to the speech
made before the enhancement, and that half's edge F1 would lose 0.5 for it.
"""

from __future__ import annotations

from orchestra.analysis.words import base_verb, words

MEDIA = frozenset({"image", "audio", "video"})
# Verbs that give back what they are given, changed: its quality, its look or its length.
CHANGING_IN_PLACE = frozenset(
    """enhance improve clean denoise sharpen restore clarify upscale repair fix brighten darken boost amplify edit
    retouch crop rotate resize trim adjust modify stabilize colorize polish tidy refine remaster declutter""".split()
)


def kept_kind(text: str, given: list[str]) -> list[str]:
    """The one medium among ``given`` (the kinds of a clause's own data) that the clause's verb changes in place,
    as what its step makes; none otherwise."""
    said = words(text)
    if not said or base_verb(said[0]) not in CHANGING_IN_PLACE:
        return []
    kinds = MEDIA.intersection(given)
    return sorted(kinds) if len(kinds) == 1 else []
