"""A comparison of more things than its tool takes at once, where the first is not one of the calls' own
results: a text the request quotes, or a result made once. Each of the others is measured against it, one
call each. And each call of a step over several files reads its own. Requests written for these tests, with
the media catalogue and the built-ins."""

from __future__ import annotations

from orchestra.plan import Plan
from orchestra.planning.pipeline import plan_task
from orchestra.registry import default_registry
from tests.intelligence.reading import output_of, whole_plan


def _pairs(plan: Plan) -> list[set[object]]:
    return [{n.args["a"], n.args["b"]} for n in plan.nodes if n.tool == "sentence_similarity"]


async def test_a_quote_compared_with_two_files_is_compared_with_each():
    # one call compared a.txt with b.txt, and 'hello' was dropped without a word
    plan = await whole_plan("Compare 'hello' with a.txt and b.txt")
    reads = [n for n in plan.nodes if n.tool == "read_file"]
    assert [r.args["path"] for r in reads] == ["a.txt", "b.txt"]
    assert _pairs(plan) == [{"hello", output_of(reads[0].id)}, {"hello", output_of(reads[1].id)}]


async def test_a_result_compared_with_two_files_is_compared_with_each():
    # one call compared the summary with b.txt and c.txt run together as one text
    plan = await whole_plan("Summarize a.txt, then compare the summary with b.txt and c.txt")
    (summary,) = [n for n in plan.nodes if n.tool == "summarize_text"]
    others = [n for n in plan.nodes if n.tool == "read_file" and n.args["path"] != "a.txt"]
    assert [r.args["path"] for r in others] == ["b.txt", "c.txt"]
    assert _pairs(plan) == [{output_of(summary.id, "text"), output_of(r.id)} for r in others]


async def test_a_quote_compared_with_one_file_is_one_call():
    plan = await whole_plan("Compare 'hello' with a.txt")
    (read,) = [n for n in plan.nodes if n.tool == "read_file"]
    assert _pairs(plan) == [{"hello", output_of(read.id)}]


async def test_each_call_of_a_step_over_several_files_reads_its_own_file():
    # the step's parameter path (the first file) won over each call's item: every call read a.txt
    result = await plan_task("Read a.txt, b.txt and c.txt", default_registry())
    assert result.execution.plan is not None
    assert [n.args["path"] for n in result.execution.plan.nodes] == ["a.txt", "b.txt", "c.txt"]
    assert not result.execution.warnings, result.execution.warnings
