"""Work asked on what another tool finds keeps the work: "summarize the objects in photo.jpg" detects the objects,
then summarizes them.

The detector, found by the noun "objects" and taking the photo as it is, was chosen for the whole clause: the
summary (or translation) the verb asks for was dropped unsaid. A clause whose best tool does not hold its verb
("describe the objects in photo.jpg") keeps the plan it had.
"""

from __future__ import annotations

import pytest

from tests.intelligence.reading import output_of, tools_chosen, whole_plan

THE_VERBS_WORK = [
    ("Summarize the objects in photo.jpg.", ["detect_objects", "summarize_text"]),
    ("Translate the objects in photo.jpg into French.", ["detect_objects", "translate_text"]),
    ("Summarize the objects found in photo.jpg.", ["detect_objects", "summarize_text"]),
    ("Translate the objects found in photo.jpg into German.", ["detect_objects", "translate_text"]),
    ("Please summarize the objects in photo.jpg for me.", ["detect_objects", "summarize_text"]),
    ("Could you translate the objects in photo.jpg into Spanish?", ["detect_objects", "translate_text"]),
    ("Summarize the objects shown in photo.jpg.", ["detect_objects", "summarize_text"]),
    ("I have a photo, photo.jpg. Summarize the objects in it.", ["detect_objects", "summarize_text"]),
    ("Translate the objects of photo.jpg into Italian.", ["detect_objects", "translate_text"]),
    ("Read the objects in photo.jpg aloud.", ["detect_objects", "read_aloud"]),
    ("Summarize the speech in talk.wav.", ["transcribe_audio", "summarize_text"]),
    ("Translate the caption of photo.jpg into French.", ["caption_image", "translate_text"]),
]

# The best tool does the clause's verb itself, or the verb is said in a clause of its own: the plans they had.
ALIKE = [
    ("Describe the objects in photo.jpg.", ["detect_objects"]),
    ("Detect the objects in photo.jpg.", ["detect_objects"]),
    ("Find the objects in photo.jpg.", ["detect_objects"]),
    ("Label the objects in photo.jpg.", ["detect_objects"]),
    ("Caption photo.jpg.", ["caption_image"]),
    ("Summarize notes.txt.", ["read_file", "summarize_text"]),
    ("Identify the objects in photo.jpg and summarize them.", ["detect_objects", "summarize_text"]),
    ("Detect the objects in photo.jpg and translate them into French.", ["detect_objects", "translate_text"]),
    ("Transcribe talk.wav and translate the transcript into French.", ["transcribe_audio", "translate_text"]),
    ("Caption photo.jpg and summarize the caption.", ["caption_image", "summarize_text"]),
]


@pytest.mark.parametrize(("task", "tools"), THE_VERBS_WORK)
def test_the_verbs_work_is_done_on_what_the_finder_finds(task: str, tools: list[str]) -> None:
    assert tools_chosen(task) == tools


@pytest.mark.parametrize(("task", "tools"), ALIKE)
def test_a_clause_whose_best_tool_holds_its_verb_keeps_its_plan(task: str, tools: list[str]) -> None:
    assert tools_chosen(task) == tools


async def test_the_summary_takes_what_the_detector_found() -> None:
    detect, summarize = (await whole_plan("Summarize the objects in photo.jpg.")).nodes
    assert (detect.tool, detect.args) == ("detect_objects", {"image": "photo.jpg"})
    assert (summarize.tool, summarize.args) == ("summarize_text", {"text": output_of(detect.id, "text")})
