"""Which results a step takes when the request says the same thing again, or asks to save "them": each
question about a picture is answered from what was made of that picture for it, a result a later step
used is still one "them" stores, and a file named again is one file. Requests written for these tests,
with the media catalogue."""

from __future__ import annotations

from pathlib import Path

from orchestra.plan import Plan
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry

MEDIA = Path(__file__).with_name("media_tools.yaml")


async def _plan(task: str) -> Plan:
    result = await plan_task(task, default_registry([MEDIA]))
    assert not result.execution.missing, result.execution.missing
    assert result.execution.plan is not None
    return result.execution.plan


async def test_them_stores_a_result_a_later_step_used_beside_that_steps_result():
    # the caption was read aloud, but the user asked for both: the caption and the speech
    plan = await _plan("Caption photo.jpg and read it aloud, then save them to out.json")
    caption, speech, save = plan.nodes
    assert [caption.tool, speech.tool, save.tool] == ["caption_image", "read_aloud", "write_file"]
    stored = save.args["json"]
    assert isinstance(stored, list) and len(stored) == 2
    assert stored[0].startswith(f"${{{caption.id}.output") and stored[1].startswith(f"${{{speech.id}.output")


async def test_them_after_a_chain_of_one_kind_stores_both_its_results():
    # pass 41: the transcript is a result the user asked for, as the caption of the test above is; one
    # result of one call is no "them" (test_what_each_call_is_given.py)
    plan = await _plan("Transcribe talk.wav and summarize it, then save them to out.txt")
    heard, summary, save = plan.nodes
    assert [heard.tool, summary.tool, save.tool] == ["transcribe_audio", "summarize_text", "write_file"]
    assert save.args["content"] == f"${{{heard.id}.output.text}}\n${{{summary.id}.output.text}}\n"


async def test_a_question_asked_again_is_answered_from_its_own_picture_each_time():
    # each answer was chained onto the one before: the question was the previous answer
    plan = await _plan("Let me know what photo.jpg shows. " * 3)
    captions = [n for n in plan.nodes if n.tool == "caption_image"]
    answers = [n for n in plan.nodes if n.tool == "answer_question"]
    assert len(answers) == 3 and len(captions) == 3
    for caption, answer in zip(captions, answers, strict=True):
        assert caption.args == {"image": "photo.jpg"}
        assert answer.args["context"] == f"${{{caption.id}.output.text}}"
        assert "what photo.jpg shows" in answer.args["q"]


async def test_a_question_about_a_picture_asks_its_own_words_of_the_caption():
    plan = await _plan("Let me know what photo.jpg shows.")
    caption, answer = plan.nodes
    assert answer.args["context"] == f"${{{caption.id}.output.text}}"
    assert "what photo.jpg shows" in answer.args["q"]


async def test_a_file_named_again_and_again_is_one_call_on_it():
    # "photo.jpg" named three times was captioned three times, one call per mention
    plan = await _plan("Once we have the caption of photo.jpg, read it aloud. " * 3)
    assert [n.tool for n in plan.nodes].count("caption_image") == 1
    assert next(n for n in plan.nodes if n.tool == "caption_image").args == {"image": "photo.jpg"}


async def test_files_named_one_a_clause_are_one_call_each():
    plan = await _plan(
        "Once we have the caption of a.jpg, read it aloud. Once we have the caption of b.jpg, read it aloud."
    )
    captions = [n.args["image"] for n in plan.nodes if n.tool == "caption_image"]
    assert captions == ["a.jpg", "b.jpg"]


async def test_them_are_the_results_not_also_what_they_were_made_from():
    # the pages were stored beside their summaries: the JSON of a download is a kind the sink takes
    plan = await _plan(
        "Download http://example.com/a and http://example.com/b, summarize them and save them to out.json"
    )
    summaries = [n.id for n in plan.nodes if n.tool == "summarize_text"]
    save = plan.nodes[-1]
    assert save.tool == "write_file" and len(summaries) == 2
    assert save.args["json"] == [f"${{{s}.output.text}}" for s in summaries]


async def test_a_file_two_steps_take_is_read_once():
    plan = await _plan("Read notes.txt aloud and summarize it")
    readers = [n for n in plan.nodes if n.tool == "read_file"]
    assert len(readers) == 1
    reader = readers[0]
    assert {n.tool: n.args["text"] for n in plan.nodes if n is not reader} == {
        "read_aloud": f"${{{reader.id}.output.content}}",
        "summarize_text": f"${{{reader.id}.output.content}}",
    }
