"""Every clause that asks for work is a step of the plan or said to be missing, and each thing it names is
worked on: "Edit photo.jpg to add a hat. Also, save the image." planned the edit and dropped the save in
silence (the editor, found by "the image", was chosen for it and folded as the edit said again); "then tweet
the summary" was the summary again; two quotes listed under one noun were one call and a warning; "how
similar is 'x' to the summary of report.txt?" summarized both and compared nothing; "Also, caption the image"
after two edits captioned the first photo. Requests written for these tests, with the media catalogue
(edit_image, caption_image, translate_text, text_to_image, summarize_text, sentence_similarity...)."""

from __future__ import annotations

import pytest

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, whole_plan


async def _missing(task: str) -> list[str]:
    result = await plan_task(task, default_registry([MEDIA]))
    return result.execution.missing


# why each is missing: the writer takes text, not what was made; no tool says the verb
STORES = "the step has"
NO_TOOL = "no registered tool matches"


@pytest.mark.parametrize(
    ("request_", "said", "why"),
    [
        ("Edit photo.jpg to add a hat. Also, save the image.", "save the image", STORES),
        ("Edit photo.jpg to add a hat. Then save the image.", "save the image", STORES),
        ("Edit photo.jpg to add a hat, then store the picture in out.png", "store the picture in out.png", STORES),
        ("Denoise talk.wav. Then save the recording.", "save the recording", STORES),
        ("Summarize notes.txt, then tweet the summary", "tweet the summary", NO_TOOL),
        ("Caption photo.jpg, then tweet the caption", "tweet the caption", NO_TOOL),
        ("Translate 'hello' into French, then frobnicate the translation", "frobnicate the translation", NO_TOOL),
        # ranked by its other words, a tool was chosen for it, then folded as the caption said again
        ("Caption photo.jpg and tweet the caption to my friends", "tweet the caption to my friends", NO_TOOL),
        ("Caption photo.jpg and frame the caption.", "frame the caption", NO_TOOL),
    ],
)
async def test_work_no_tool_does_is_said_missing(request_: str, said: str, why: str):
    missing = await _missing(request_)
    assert len(missing) == 1
    assert said in missing[0]
    assert why in missing[0]


async def test_the_result_said_in_other_words_is_still_folded():
    plan = await whole_plan("Summarize notes.txt. Then give me the summary as text.")
    assert [n.tool for n in plan.nodes] == ["read_file", "summarize_text"]
