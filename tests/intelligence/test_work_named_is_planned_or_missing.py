"""Every clause that asks for work is a step of the plan or said to be missing, and each thing it names is
worked on: "Edit photo.jpg to add a hat. Also, save the image." planned the edit and dropped the save in
silence (the editor, found by "the image", was chosen for it and folded as the edit said again); "then tweet
the summary" was the summary again; two quotes listed under one noun were one call and a warning; "how
similar is 'x' to the summary of report.txt?" summarized both and compared nothing; "Also, caption the image"
after two edits captioned the first photo. Requests written for these tests, with the media catalogue
(edit_image, caption_image, translate_text, text_to_image, summarize_text, sentence_similarity...)."""

from __future__ import annotations

import pytest

from orchestra.plan import Plan
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, output_of, whole_plan


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


@pytest.mark.parametrize(
    "request_",
    [
        "Translate notes.txt into French. Also translate it into German.",
        "Translate notes.txt into French and translate it into German as well.",
    ],
)
async def test_the_same_work_on_something_new_is_a_second_step(request_: str):
    plan = await whole_plan(request_)
    assert [n.tool for n in plan.nodes] == ["read_file", "translate_text", "translate_text"]


async def test_the_tools_own_words_said_again_stay_one_step():
    plan = await whole_plan("Detect the objects in photo.jpg and detect them with boxes.")
    assert [n.tool for n in plan.nodes] == ["detect_objects"]


def _texts(plan: Plan, tool: str) -> list[str]:
    return [str(n.args["text"]) for n in plan.nodes if n.tool == tool]


async def test_quotes_listed_are_a_call_each():
    plan = await whole_plan("Translate 'good morning' and 'good night'")
    assert _texts(plan, "translate_text") == ["good morning", "good night"]


async def test_quotes_not_listed_stay_one_call():
    result = await plan_task("Translate 'hello' into the same language as 'bonjour'", default_registry([MEDIA]))
    assert result.execution.plan is not None
    assert _texts(result.execution.plan, "translate_text") == ["hello"]


@pytest.mark.parametrize(
    "request_",
    [
        "Paint a picture of the translation of 'good morning' and 'good night'",
        "Translate 'good morning' and 'good night', then paint a picture of each translation",
    ],
)
async def test_each_listed_quote_is_translated_and_painted(request_: str):
    plan = await whole_plan(request_)
    translations = [n for n in plan.nodes if n.tool == "translate_text"]
    assert sorted(str(n.args["text"]) for n in translations) == ["good morning", "good night"]
    assert sorted(_texts(plan, "text_to_image")) == sorted(output_of(n.id, "text") for n in translations)


@pytest.mark.parametrize(
    "request_",
    [
        "How similar is 'a quiet evening' to the summary of my report.txt?",
        "How close is 'a quiet evening' to the summary of report.txt?",
    ],
)
async def test_a_quote_is_compared_with_a_summary_named(request_: str):
    plan = await whole_plan(request_)
    (summary,) = [n for n in plan.nodes if n.tool == "summarize_text"]
    (compared,) = [n for n in plan.nodes if n.tool == "sentence_similarity"]
    assert compared.args == {"a": "a quiet evening", "b": output_of(summary.id, "text")}


async def test_also_takes_the_image_the_last_edit_changed():
    result = await plan_task(
        "Edit a.jpg so the sky is darker. Edit b.jpg so the grass is greener. Also, caption the image.",
        default_registry([MEDIA]),
    )
    assert result.execution.plan is not None
    edits = [n.args["image"] for n in result.execution.plan.nodes if n.tool == "edit_image"]
    captions = [n.args["image"] for n in result.execution.plan.nodes if n.tool == "caption_image"]
    assert edits == ["a.jpg", "b.jpg"]
    assert captions == ["b.jpg"]
