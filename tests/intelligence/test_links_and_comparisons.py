"""Comparisons that name other tools' work, work named inside a description, quotes beyond a comparison's two
inputs, and the analysis's counts of calls against the plan's. Requests written for these tests, with the
media catalogue and the built-ins."""

from __future__ import annotations

from orchestra.plan import Plan
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import MEDIA, output_of, tools_chosen, whole_plan


def _pairs(plan: Plan) -> list[set[object]]:
    return [{n.args["a"], n.args["b"]} for n in plan.nodes if n.tool == "sentence_similarity"]


def _one(plan: Plan, tool: str) -> str:
    (node,) = [n for n in plan.nodes if n.tool == tool]
    return node.id


async def test_a_comparison_of_two_summaries_summarizes_each_then_compares():
    # the clause was given summarize_text ("summary"), and nothing compared
    plan = await whole_plan("Compare the summary of a.txt with the summary of b.txt")
    reads = {n.args["path"]: n.id for n in plan.nodes if n.tool == "read_file"}
    summaries = {n.args["text"]: n.id for n in plan.nodes if n.tool == "summarize_text"}
    assert set(reads) == {"a.txt", "b.txt"}
    assert set(summaries) == {output_of(reads["a.txt"]), output_of(reads["b.txt"])}
    assert _pairs(plan) == [{output_of(s, "text") for s in summaries.values()}]


def test_compare_is_the_comparing_tool_whatever_nouns_it_names():
    # "summary" found the summariser, which only makes what is to be compared
    assert tools_chosen("Compare the summary with the transcript") == ["sentence_similarity"]
    assert tools_chosen("Compare the translation with 'hello'") == ["sentence_similarity"]
    # asked for, not pointed at: the summary is the work
    assert tools_chosen("Write a summary of notes.txt")[-1] == "summarize_text"


def test_a_comparison_after_a_step_is_no_repeat_of_it():
    # "Compare it with the original text" was read as the summary said again, and dropped
    assert tools_chosen("Summarize notes.txt. Compare it with the original text")[-1] == "sentence_similarity"
    # one thing named: more of the step before, as it was
    assert tools_chosen("Detect the objects in photo.jpg and mark them with bounding boxes") == ["detect_objects"]


async def test_work_named_on_a_file_inside_a_description_runs_first():
    # the picture was painted from the notes as they are
    plan = await whole_plan("Paint a picture of the translation of notes.txt")
    read, translation, paint = (_one(plan, t) for t in ("read_file", "translate_text", "text_to_image"))
    nodes = {n.id: n for n in plan.nodes}
    assert nodes[translation].args["text"] == output_of(read)
    assert nodes[paint].args["text"] == output_of(translation, "text")
    plan = await whole_plan("Summarize the translation of notes.txt")
    assert [n.tool for n in plan.nodes] == ["read_file", "translate_text", "summarize_text"]


async def test_a_file_named_plainly_is_worked_on_as_it_is():
    plan = await whole_plan("Paint a picture of notes.txt")
    assert [n.tool for n in plan.nodes] == ["read_file", "text_to_image"]


async def test_quotes_beyond_a_comparisons_inputs_are_each_compared_with_the_first():
    # the two quotes filled both inputs: a.txt was not compared, and 'goodbye' was a warning
    result = await plan_task("Compare a.txt with 'hello' and 'goodbye'", default_registry([MEDIA]))
    plan = result.execution.plan
    assert plan is not None and not result.execution.warnings, result.execution.warnings
    read = output_of(_one(plan, "read_file"))
    assert _pairs(plan) == [{read, "hello"}, {read, "goodbye"}]
    plan = await whole_plan("Summarize notes.txt, then compare it with 'hello' and 'goodbye'")
    summary = output_of(_one(plan, "summarize_text"), "text")
    assert _pairs(plan) == [{summary, "hello"}, {summary, "goodbye"}]
    plan = await whole_plan("Compare 'hello' with 'goodbye' and a.txt")
    assert _pairs(plan) == [{"hello", "goodbye"}, {"hello", output_of(_one(plan, "read_file"))}]


async def test_two_quotes_stay_one_call():
    plan = await whole_plan("Compare 'hello' with 'goodbye'")
    assert _pairs(plan) == [{"hello", "goodbye"}]
    result = await plan_task("Translate 'hello' into the same language as 'bonjour'", default_registry([MEDIA]))
    assert result.execution.plan is not None
    assert [n.tool for n in result.execution.plan.nodes] == ["translate_text"]


async def test_the_analysis_counts_the_calls_the_plan_makes():
    # the analysis said 3 parallel comparisons for a plan of 2
    result = await plan_task("Compare a.txt, b.txt and c.txt", default_registry([MEDIA]))
    widths = {tuple(s.steps): s.width for s in result.analysis.parallelizable_segments}
    assert widths[("compare",)] == 2
    assert result.analysis.resource_requirements.tool_calls == 5  # three reads, two comparisons
    # two downloads with a wait between them run one after the other: no parallel segment of downloads
    task = "Download http://127.0.0.1:8000/a and http://127.0.0.1:8000/b and wait 30 seconds between the downloads"
    result = await plan_task(task, default_registry())
    assert result.analysis.parallelizable_segments == []
    assert result.analysis.resource_requirements.max_width == 1
    assert result.analysis.resource_requirements.tool_calls == 3
