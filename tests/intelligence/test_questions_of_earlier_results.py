"""Questions and comparisons of what earlier steps made or the request presented (attack51, after pass 43):
"who wrote it?" after the notes are read is the question and the notes its context, not the other way
round; "based on notes.txt, ..." presents the notes as "given" does; "compare the summary with the
translation" names two earlier results. Requests written for these tests, with the media catalogue."""

from __future__ import annotations

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, tools_chosen


async def _nodes(task: str) -> dict[str, tuple[str, dict[str, object], list[str]]]:
    plan = (await plan_task(task, default_registry([MEDIA]))).execution.plan
    assert plan is not None, task
    return {n.id: (n.tool, n.args, n.depends_on) for n in plan.nodes}


def _answer(nodes: dict[str, tuple[str, dict[str, object], list[str]]]) -> dict[str, object]:
    (args,) = [args for tool, args, _ in nodes.values() if tool == "answer_question"]
    return args


async def test_a_question_about_an_earlier_result_is_asked_of_it() -> None:
    # before: the caption / the notes were the question and the context a plan input
    for task, context in (
        ("Read notes.txt. Who wrote it?", "${read.output.content}"),
        ("Caption photo.jpg. What does it show?", "${caption.output.text}"),
        ("Given photo.jpg, what does it show?", "${caption_image.output.text}"),
    ):
        args = _answer(await _nodes(task))
        assert args["context"] == context, task
        assert str(args["q"]).lower().startswith(("who wrote it", "what does it show")), task


async def test_based_on_presents_data_for_the_question_after_it() -> None:
    # before: the notes were the question, and the quoted text too
    args = _answer(await _nodes("Based on notes.txt, who wrote it?"))
    assert (args["q"], args["context"]) == ("who wrote it?", "${read.output.content}")
    args = _answer(await _nodes("Considering the text 'Ann wrote this in May', who wrote it?"))
    assert (args["q"], args["context"]) == ("who wrote it?", "Ann wrote this in May")


async def test_a_comparison_names_both_earlier_results() -> None:
    # before: "with the translation" made the clause a translation again, folded into the translator
    nodes = await _nodes("Summarize notes.txt and translate notes.txt, then compare the summary with the translation")
    (args,) = [args for tool, args, _ in nodes.values() if tool == "sentence_similarity"]
    assert sorted(map(str, args.values())) == ["${summarize.output.text}", "${translate.output.text}"]


async def test_a_pause_after_fanned_out_work_is_one_step_after_all_of_it() -> None:
    # before: one sleep per download, each beside the other downloads (the pause took nothing of theirs)
    nodes = await _nodes("Download https://a.example/x.csv and https://b.example/y.csv, then wait 30 seconds")
    assert [(tool, sorted(after)) for tool, _, after in nodes.values()] == [
        ("http_request", []),
        ("http_request", []),
        ("sleep", ["download_1", "download_2"]),
    ]


async def test_a_pause_alone_is_a_step_and_the_work_after_it_waits() -> None:
    # before: "then wait, then read it aloud" was one step "wait and read it aloud" (no pause), and "wait
    # and read it aloud" read it aloud beside the pause
    for task in ("Caption photo.jpg, then wait, then read it aloud", "Caption photo.jpg, wait and read it aloud"):
        nodes = await _nodes(task)
        assert [(tool, after) for tool, _, after in nodes.values()] == [
            ("caption_image", []),
            ("sleep", ["caption"]),
            ("read_aloud", ["wait"]),
        ], task


def test_cannot_wait_for_you_to_asks_for_the_work() -> None:
    # before: "no action found in the task"
    assert tools_chosen("I can't wait for you to translate notes.txt") == ["read_file", "translate_text"]
