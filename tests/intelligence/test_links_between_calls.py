"""Which calls a call takes from or waits for when the request links steps of several calls: a comparison
of more things than its tool takes at once, results the comparison names, a pause "between" the calls
of a step. Requests written for these tests, with the media catalogue and the built-ins."""

from __future__ import annotations

from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, output_of, whole_plan


async def test_three_files_compared_are_each_compared_with_the_first():
    # three comparisons each asked for its other text; now the second and third against the first
    plan = await whole_plan("Compare a.txt, b.txt and c.txt")
    reads = [n for n in plan.nodes if n.tool == "read_file"]
    compares = [n for n in plan.nodes if n.tool == "sentence_similarity"]
    assert [r.args["path"] for r in reads] == ["a.txt", "b.txt", "c.txt"]
    assert [(c.args["a"], c.args["b"]) for c in compares] == [
        (output_of(reads[0].id), output_of(reads[1].id)),
        (output_of(reads[0].id), output_of(reads[2].id)),
    ]


async def test_two_files_compared_are_still_one_call():
    plan = await whole_plan("Compare a.txt with b.txt")
    (compare,) = [n for n in plan.nodes if n.tool == "sentence_similarity"]
    assert {compare.args["a"], compare.args["b"]} == {output_of(n.id) for n in plan.nodes if n.tool == "read_file"}


async def test_a_comparison_takes_the_results_it_names_though_one_was_made_from_the_other():
    # the translation was compared with an input the user had to give: the summary was "used" already
    plan = await whole_plan("Summarize notes.txt and translate it, then compare the summary with the translation")
    by_tool = {n.tool: n for n in plan.nodes}
    compare = by_tool["sentence_similarity"]
    assert {compare.args["a"], compare.args["b"]} == {
        output_of(by_tool["summarize_text"].id, "text"),
        output_of(by_tool["translate_text"].id, "text"),
    }


async def test_a_wait_between_downloads_goes_between_them():
    # one sleep after both downloads, made at once, left no gap between them
    plan = await whole_plan(
        "Download https://a.example/x, https://b.example/y and https://c.example/z "
        "and wait 30 seconds between the downloads"
    )
    gets = [n for n in plan.nodes if n.tool == "http_request"]
    waits = [n for n in plan.nodes if n.tool == "sleep"]
    assert len(gets) == 3 and len(waits) == 2
    assert gets[0].depends_on == []
    for before, wait, after in zip(gets, waits, gets[1:], strict=False):
        assert wait.depends_on == [before.id] and after.depends_on == [wait.id]
        assert wait.args == {"seconds": 30.0}


async def test_a_wait_between_said_apart_from_the_work_goes_between_it_too():
    plan = await whole_plan(
        "Download https://a.example/x and https://b.example/y, waiting 5 seconds between each download"
    )
    first, second = [n for n in plan.nodes if n.tool == "http_request"]
    (wait,) = [n for n in plan.nodes if n.tool == "sleep"]
    assert wait.depends_on == [first.id] and second.depends_on == [wait.id]


async def test_a_wait_after_downloads_without_between_comes_after_both():
    plan = await whole_plan("Download https://a.example/x and https://b.example/y and wait 30 seconds")
    gets = [n.id for n in plan.nodes if n.tool == "http_request"]
    (wait,) = [n for n in plan.nodes if n.tool == "sleep"]
    assert wait.depends_on == sorted(gets)


async def test_a_quoted_text_and_files_given_to_a_tool_of_one_text_are_a_call_each():
    # four calls each translated 'hello', and the files were read by nothing
    result = await plan_task("Translate 'hello' and a0.txt and a1.txt and b.txt", default_registry([MEDIA]))
    plan = result.execution.plan
    assert plan is not None and not result.execution.warnings, result.execution.warnings
    reads = [n for n in plan.nodes if n.tool == "read_file"]
    texts = [n.args["text"] for n in plan.nodes if n.tool == "translate_text"]
    assert [r.args["path"] for r in reads] == ["a0.txt", "a1.txt", "b.txt"]
    assert texts == ["hello", *(output_of(r.id) for r in reads)]


async def test_a_quoted_text_beside_a_result_is_a_call_of_its_own():
    plan = await whole_plan("Summarize notes.txt and translate it and 'bonjour'")
    summary = next(n for n in plan.nodes if n.tool == "summarize_text")
    assert [n.args["text"] for n in plan.nodes if n.tool == "translate_text"] == [
        "bonjour",
        output_of(summary.id, "text"),
    ]


async def test_a_tool_of_two_texts_still_takes_the_quote_beside_the_file():
    plan = await whole_plan("Compare a.txt with 'hello'")
    read, compare = plan.nodes
    assert compare.args == {"a": output_of(read.id), "b": "hello"}
