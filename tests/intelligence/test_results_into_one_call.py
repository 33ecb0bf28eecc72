"""Where several results meet one step: a tool that takes two texts compares the two files it is given
in one call (not one call per file, each missing the other text). Requests written for these tests,
with the built-ins and the media catalogue."""

from __future__ import annotations

from pathlib import Path

from orchestra.plan import Plan
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry

MEDIA = Path(__file__).with_name("media_tools.yaml")


async def _plan(task: str) -> Plan:
    result = await plan_task(task, default_registry([MEDIA]))
    assert result.execution.plan is not None, result.execution.problems
    assert not result.execution.missing_inputs, result.execution.missing_inputs
    return result.execution.plan


async def test_two_files_compared_in_one_call() -> None:
    # before: read_1 -> compare_1 and read_2 -> compare_2, each asking the user for the other text
    plan = await _plan("Compare a.txt with b.txt")
    reads = [n.id for n in plan.nodes if n.tool == "read_file"]
    (compare,) = [n for n in plan.nodes if n.tool == "sentence_similarity"]
    assert len(reads) == 2
    assert sorted(compare.args.values()) == sorted(f"${{{r}.output.content}}" for r in reads)


async def test_two_summaries_of_two_files_compared_in_one_call() -> None:
    plan = await _plan("Summarize a.txt and b.txt, then compare the summaries")
    summaries = [n.id for n in plan.nodes if n.tool == "summarize_text"]
    (compare,) = [n for n in plan.nodes if n.tool == "sentence_similarity"]
    assert len(summaries) == 2
    assert sorted(compare.args.values()) == sorted(f"${{{s}.output.text}}" for s in summaries)


async def test_three_pages_still_summarized_one_call_each() -> None:
    plan = await _plan("Summarize https://a.example/x, https://b.example/y and https://c.example/z")
    assert len([n for n in plan.nodes if n.tool == "summarize_text"]) == 3


async def test_two_results_translated_one_call_each() -> None:
    # before: one translation of the transcript and the summary run together as one text
    plan = await _plan("Transcribe talk.wav and summarize it, then translate the summary and the transcript")
    heard, summary, *translations = plan.nodes
    assert [heard.tool, summary.tool] == ["transcribe_audio", "summarize_text"]
    assert [(n.tool, n.args["text"]) for n in translations] == [
        ("translate_text", f"${{{heard.id}.output.text}}"),
        ("translate_text", f"${{{summary.id}.output.text}}"),
    ]


async def test_the_step_after_follows_each_result_and_a_sink_collects() -> None:
    plan = await _plan(
        "Transcribe talk.wav and summarize it, then translate the summary and the transcript and save them to out.txt"
    )
    translations = [n.id for n in plan.nodes if n.tool == "translate_text"]
    (save,) = [n for n in plan.nodes if n.tool == "write_file"]
    assert len(translations) == 2
    assert all(f"${{{t}.output.text}}" in save.args["content"] for t in translations)


async def test_a_file_compared_with_quoted_words_is_read() -> None:
    # before: the file's name "a.txt" was compared with the words
    plan = await _plan("Compare a.txt with 'hello world'")
    read, compare = plan.nodes
    assert (read.tool, read.args["path"]) == ("read_file", "a.txt")
    assert sorted(compare.args.values()) == sorted([f"${{{read.id}.output.content}}", "hello world"])


async def test_a_file_compared_with_an_earlier_result_is_read() -> None:
    # before: the summary was compared with the name "b.txt"
    plan = await _plan("Summarize a.txt, then compare the summary with b.txt")
    (summary,) = [n for n in plan.nodes if n.tool == "summarize_text"]
    (read_b,) = [n for n in plan.nodes if n.tool == "read_file" and n.args["path"] == "b.txt"]
    (compare,) = [n for n in plan.nodes if n.tool == "sentence_similarity"]
    assert sorted(compare.args.values()) == sorted(
        [f"${{{summary.id}.output.text}}", f"${{{read_b.id}.output.content}}"]
    )


async def test_a_file_beside_words_that_fill_the_one_text_is_not_read() -> None:
    plan = await _plan("Summarize a.txt, then translate the summary")
    assert [n.tool for n in plan.nodes] == ["read_file", "summarize_text", "translate_text"]
