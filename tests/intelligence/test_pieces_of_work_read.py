"""Which pieces of work a request asks for (pass 43): a word for a picture after "the" names one, it does
not "picture"; results named by a word for their kind ("the caption", "the transcript") are compared, not
folded into the step before; "do n't" and "avoid the translation" refuse work, "I can't wait to" asks for it; a pause is a
step after the work before it. Requests written for these tests, with the media catalogue."""

from __future__ import annotations

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, tools_chosen

SUMMARY = ["read_file", "summarize_text"]


async def _nodes(task: str) -> list[tuple[str, str, dict[str, object], list[str]]]:
    plan = (await plan_task(task, default_registry([MEDIA]))).execution.plan
    assert plan is not None, task
    return [(n.id, n.tool, n.args, n.depends_on) for n in plan.nodes]


def test_a_kind_word_after_a_determiner_names_the_data_it_is_no_verb() -> None:
    # before: "picture" read as a verb that makes an image, so the image editor "analyzed" cat.jpg
    # (which of the tools that look at a picture is pass 42's: a captioner, whose name says the text it
    # makes, gives way to the detector for a clause that asks for no form)
    looks = (["caption_image"], ["detect_objects"])
    assert tools_chosen("Analyze the picture cat.jpg") in looks
    assert tools_chosen("Examine this picture photo.jpg") in looks
    # a making verb at the clause's head still makes its kind
    assert tools_chosen("Picture a castle on a hill") == ["text_to_image"]


async def test_results_named_by_a_word_for_their_kind_are_compared() -> None:
    # before: the comparison was folded into the caption step (no similarity step at all)
    for task in (
        "Transcribe talk.wav, then caption photo.jpg, then compare the caption with the transcript",
        "Transcribe talk.wav. Caption photo.jpg. Compare the transcript and the caption.",
    ):
        nodes = await _nodes(task)
        assert nodes[-1][1] == "sentence_similarity", task
        assert sorted(str(v).split(".")[0] for v in nodes[-1][2].values()) == ["${caption", "${transcribe"], task


def test_negations_spelled_apart_or_by_a_noun_after_avoid_refuse_the_work() -> None:
    # before: each translated
    for task in (
        "Summarize notes.txt and do n't translate it.",
        "Summarize notes.txt and avoid the translation.",
        "Summarize notes.txt, but avoid any translation of it.",
    ):
        assert tools_chosen(task) == SUMMARY, task
    # "avoid" before a thing that names no work refuses nothing
    assert "denoise_audio" in tools_chosen("Transcribe talk.wav and avoid the noise")


def test_cannot_wait_asks_for_the_work_not_refuses_it() -> None:
    # before: "no action found in the task"
    assert tools_chosen("I cannot wait to hear notes.txt read aloud") == ["read_file", "read_aloud"]
    assert tools_chosen("I can't wait to summarize notes.txt!") == SUMMARY
    # looking forward to what was asked is no work of its own (not read aloud)
    assert tools_chosen("Summarize notes.txt. I can't wait to see it.") == SUMMARY
    assert tools_chosen("Summarize notes.txt. I can't wait to hear it.") == SUMMARY


async def test_a_pause_is_a_step_after_the_work_before_it() -> None:
    # before: the pause was read into the clause before it and lost ("sleep" and "pause" were no verbs), and
    # "wait 30 seconds" made the downloads a sleep step
    nodes = await _nodes("Summarize notes.txt, pause for 3 seconds, then read it aloud")
    by_tool = {tool: (node, args, after) for node, tool, args, after in nodes}
    pause, args, after = by_tool["sleep"]
    assert args == {"seconds": 3.0}
    assert after == [by_tool["summarize_text"][0]]
    assert pause in by_tool["read_aloud"][2]
    nodes = await _nodes("Summarize notes.txt, then sleep for a bit")
    assert [tool for _, tool, _, _ in nodes] == [*SUMMARY, "sleep"]
    nodes = await _nodes("Download https://a.example.com/x and https://b.example.com/y, and wait 30 seconds")
    assert [tool for _, tool, _, _ in nodes if tool != "sleep"] == ["http_request", "http_request"]
    assert all(args == {"seconds": 30.0} and after for _, tool, args, after in nodes if tool == "sleep")


async def test_a_question_asked_of_presented_text_is_the_question() -> None:
    # before: the presented text was bound as the question and the user asked for the context; within one
    # sentence the question was part of the presenting clause
    for task in (
        "Given the text 'The shop opens at 9'. When does the shop open?",
        "Given the text 'The shop opens at 9', when does the shop open?",
    ):
        [(_, tool, args, _)] = await _nodes(task)
        assert tool == "answer_question", task
        assert args == {"q": args["q"], "context": "The shop opens at 9"}, task
        assert str(args["q"]).lower() == "when does the shop open?", task
    # a quoted question stays the question
    [(_, _, args, _)] = await _nodes("Given the text 'The shop opens at 9'. Answer 'Is it open at 8?'")
    assert args == {"q": "Is it open at 8?", "context": "The shop opens at 9"}
